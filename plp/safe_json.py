"""JSON from outside (request bodies, uploaded frameworks and question banks), refused past a nesting depth.

Python's parser recurses once per level: about a thousand levels (2 KB of ``[``) raise RecursionError, a 500
wherever JSON is read. Every reader of outside JSON goes through :func:`json_bounded` instead.
"""

import json
from collections.abc import Callable
from typing import Any

MAX_DEPTH = 64  # real documents nest a handful of levels (a CASE package: 5)


class TooDeep(ValueError):
    """JSON nested past MAX_DEPTH: a ValueError, like any other JSON that cannot be read."""

    def __init__(self):
        super().__init__(f"it is nested more than {MAX_DEPTH} levels deep")


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether lists and objects nest more than ``limit`` levels (iterative: no recursion to overflow)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def json_bounded(parse: Callable[[], Any]) -> Any:
    """Run a JSON parse (``json.loads``, DRF's parser…) and refuse its result past MAX_DEPTH with TooDeep,
    whether the parser overflowed on the way or returned it."""
    try:
        data = parse()
    except RecursionError:
        raise TooDeep() from None
    if isinstance(data, dict | list) and _deeper_than(data, MAX_DEPTH):
        raise TooDeep()
    return data


def json_loads(raw: str | bytes, **kwargs) -> Any:
    """``json.loads`` for outside input: ValueError (TooDeep) past MAX_DEPTH, never RecursionError."""
    return json_bounded(lambda: json.loads(raw, **kwargs))
