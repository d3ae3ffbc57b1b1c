"""The section dashboard is rendered once per stamp and then served from the cache to every adult who may
see it: building a 100 × 60 grid costs about a hundred milliseconds, serving it again a lookup.

What is cached is the same for everyone allowed in (the caller is authorized before the lookup, by the
stamp's own query). The only personal part, the CSRF token in the flag forms, is left as a placeholder
unique to each rendering and filled in per request.
"""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

# Long enough for a class period of polling; a changed stamp makes a new key anyway.
CACHE_SECONDS = 15 * 60


@dataclass(frozen=True)
class Rendered:
    """A rendered page part: its title and body, with ``placeholder`` standing for the CSRF token."""

    title: str
    body: str
    placeholder: str

    def for_request(self, request) -> SafeString:
        return mark_safe(self.body.replace(self.placeholder, get_token(request)))


def new_placeholder() -> str:
    """A value no user text can contain by chance: random per rendering."""
    return "csrf-" + secrets.token_hex(16)


def cache_key(*, school_id: int, section_id: int, part: str, stamp: str, query: str) -> str:
    query_hash = hashlib.blake2b(query.encode(), digest_size=8).hexdigest()
    return f"dashboard:{school_id}:{section_id}:{part}:{stamp}:{query_hash}"


def rendered_get_or_build(key: str | None, build: Callable[[str], tuple[str, str]]) -> Rendered:
    """The cached rendering under ``key``, or ``build(placeholder)`` → (title, body), stored under it.
    ``key=None`` builds without caching (no stamp: an empty section, or one the caller may not see)."""
    if key is not None:
        cached = cache.get(key)
        if isinstance(cached, Rendered):
            return cached
    placeholder = new_placeholder()
    title, body = build(placeholder)
    rendered = Rendered(title=title, body=body, placeholder=placeholder)
    if key is not None:
        cache.set(key, rendered, CACHE_SECONDS)
    return rendered
