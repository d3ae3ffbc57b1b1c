"""The section dashboard is rendered once per stamp and then served from the cache to every adult who may
see it: building a 100 × 60 grid costs about a hundred milliseconds, serving it again a lookup.

What is cached is the same for everyone allowed in (the caller is authorized before the lookup, by the
stamp's own query). The only personal part, the CSRF token in the flag forms, is cut out: the page is
stored as compressed segments between the places the token goes, and each response splices the caller's
token (compressed on its own) between them. Compressing half a megabyte of HTML on every request cost
more than everything else the request did; splicing costs microseconds. It also keeps the secret token out
of the compression window of the page's other text (filter values echo the URL), which BREACH needs.

The splice uses ``Content-Encoding: deflate`` (zlib, RFC 1950), which every browser accepts: its Adler-32
checksum of pieces combines in constant time, where gzip's CRC-32 would need the whole text again.
"""

import hashlib
import secrets
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

# Long enough for a class period of polling; a changed stamp makes a new key anyway.
CACHE_SECONDS = 15 * 60
_ADLER_BASE = 65521
_ZLIB_HEADER = b"\x78\x9c"  # deflate, 32 KiB window, default level


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of A + B from those of A and B and the length of B (zlib's adler32_combine)."""
    rem = second_length % _ADLER_BASE
    sum1 = first & 0xFFFF
    sum2 = (rem * sum1) % _ADLER_BASE
    sum1 += (second & 0xFFFF) + _ADLER_BASE - 1
    sum2 += ((first >> 16) & 0xFFFF) + ((second >> 16) & 0xFFFF) + _ADLER_BASE - rem
    sum1 -= _ADLER_BASE if sum1 >= _ADLER_BASE else 0
    sum1 -= _ADLER_BASE if sum1 >= _ADLER_BASE else 0
    sum2 -= 2 * _ADLER_BASE if sum2 >= 2 * _ADLER_BASE else 0
    sum2 -= _ADLER_BASE if sum2 >= _ADLER_BASE else 0
    return sum1 | (sum2 << 16)


@dataclass(frozen=True)
class Segment:
    """A piece of text as raw deflate blocks that end on a byte boundary and are not final, so that any
    number of them can follow one another in one stream, with its checksum and length."""

    deflated: bytes
    adler: int
    length: int

    @classmethod
    def of(cls, text: str) -> "Segment":
        data = text.encode()
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        deflated = compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)
        return cls(deflated=deflated, adler=zlib.adler32(data), length=len(data))

    def text(self) -> str:
        return zlib.decompressobj(-15).decompress(self.deflated).decode()


@dataclass(frozen=True)
class Rendered:
    """A rendered page part: its title, and its body as segments that the CSRF token goes between."""

    title: str
    segments: tuple[Segment, ...]

    def text(self, token: str) -> str:
        return token.join(segment.text() for segment in self.segments)


def _deflate_stream(pieces: Iterable[Segment]) -> bytes:
    """One zlib stream of the pieces in order: header, their blocks, a final empty block, the checksum."""
    adler, blocks = 1, [_ZLIB_HEADER]
    for piece in pieces:
        blocks.append(piece.deflated)
        adler = adler32_combine(adler, piece.adler, piece.length)
    blocks.append(zlib.compressobj(6, zlib.DEFLATED, -15).flush(zlib.Z_FINISH))
    blocks.append(adler.to_bytes(4, "big"))
    return b"".join(blocks)


def accepts_deflate(request) -> bool:
    encodings = request.headers.get("Accept-Encoding", "")
    return any(part.split(";")[0].strip().lower() == "deflate" for part in encodings.split(","))


def response(request, rendered: Rendered, *, before: str = "", after: str = "") -> HttpResponse:
    """The page for this caller: ``before`` + the segments with the caller's CSRF token between them +
    ``after``; compressed by splicing when the client accepts deflate, as plain text otherwise."""
    token = get_token(request)
    if not accepts_deflate(request):
        return HttpResponse(before + rendered.text(token) + after)
    token_segment = Segment.of(token)
    pieces: list[Segment] = [Segment.of(before)] if before else []
    for index, segment in enumerate(rendered.segments):
        if index:
            pieces.append(token_segment)
        pieces.append(segment)
    if after:
        pieces.append(Segment.of(after))
    answer = HttpResponse(_deflate_stream(pieces))
    answer["Content-Encoding"] = "deflate"
    patch_vary_headers(answer, ("Accept-Encoding",))
    return answer


class Recent:
    """The values last built for a few keys, in this process (the oldest goes first). Not in the shared
    cache: they are only reused for the other sorts and filters of the same data, and reading them back
    from Redis would cost a good part of building them."""

    def __init__(self, size: int):
        self.size = size
        self._values: dict[tuple, object] = {}

    def get_or_build(self, key: tuple, build: Callable[[], object]) -> object:
        value = self._values.get(key)
        if value is None:
            value = build()
            if len(self._values) >= self.size:
                self._values.pop(next(iter(self._values)))
            self._values[key] = value
        return value


# Dashboards by (school, section, stamp): the sections this worker's teachers are looking at right now.
BUILT = Recent(8)
# Parts of a page that its sorts and filters share (the filter form, the open flags), by the same key and
# the part's name: rendered once per stamp, not once per sort.
FRAGMENTS = Recent(64)


def built_get_or_build(key: tuple, build: Callable[[], object]) -> object:
    """The dashboard data built for ``key`` (school, section, stamp) in this process, or ``build()``."""
    return BUILT.get_or_build(key, build)


# Where the CSRF token goes in a cached rendering: random per process, so that no user text can contain it,
# and the same for every rendering of the process, so that fragments rendered once can be reused.
_CSRF_MARK = "csrf-" + secrets.token_hex(16)


def cache_key(*, school_id: int, section_id: int, part: str, stamp: str, query: str) -> str:
    query_hash = hashlib.blake2b(query.encode(), digest_size=8).hexdigest()
    return f"dashboard:{school_id}:{section_id}:{part}:{stamp}:{query_hash}"


def rendered_get_or_build(key: str | None, build: Callable[[str], tuple[str, str]]) -> Rendered:
    """The cached rendering under ``key``, or ``build(placeholder)`` → (title, body) cut where the CSRF
    token goes and stored under it. ``key=None`` builds without caching (no stamp: an empty section,
    or one the caller may not see)."""
    if key is not None:
        cached = cache.get(key)
        if isinstance(cached, Rendered):
            return cached
    title, body = build(_CSRF_MARK)
    rendered = Rendered(title=title, segments=tuple(Segment.of(part) for part in body.split(_CSRF_MARK)))
    if key is not None:
        cache.set(key, rendered, CACHE_SECONDS)
    return rendered
