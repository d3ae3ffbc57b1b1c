"""A refusal a person can act on: why a sign-in, a launch or a tool's request did not happen, as a heading
and an explanation (pure: no Django).

Each kind keeps its own words (``sso.refusals``, ``lti.refusals``): a table of ``reason -> (heading,
body)`` with ``{blanks}`` and the values a blank takes when the context says nothing. The exception and
the filling of blanks are written once, here; the page that shows one is ``templates/refused.html``."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

Messages = Mapping[str, tuple[str, str]]
RefusalText = Callable[..., tuple[str, str]]  # (*, reason: str, context: Mapping) -> (heading, body)


@dataclass
class Refused(Exception):
    """Something that must not happen; ``reason`` is a key of its kind's messages, ``context`` fills the
    blanks (values that are empty leave the kind's default in place)."""

    reason: str
    context: dict = field(default_factory=dict)

    def __post_init__(self):
        super().__init__(self.reason)


def refusal_words(
    *,
    messages: Messages,
    defaults: Mapping[str, str],
    reason: str,
    context: Mapping,
    fallback: str = "invalid",
) -> tuple[str, str]:
    """The heading and the explanation of ``reason`` (an unknown reason reads as ``fallback``)."""
    heading, body = messages.get(reason, messages[fallback])
    values = {**defaults, **{key: value for key, value in context.items() if value}}
    return heading.format(**values), body.format(**values)


def refusal_texts(
    messages: Messages, *, defaults: Mapping[str, str], fallback: str = "invalid"
) -> RefusalText:
    """One kind's ``refusal_text(*, reason, context)``: :func:`refusal_words` over its table and defaults."""

    def refusal_text(*, reason: str, context: Mapping) -> tuple[str, str]:
        return refusal_words(
            messages=messages, defaults=defaults, reason=reason, context=context, fallback=fallback
        )

    return refusal_text
