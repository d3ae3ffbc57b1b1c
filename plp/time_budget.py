"""A time budget for parsing what people upload (rosters, frameworks): past it, the parse stops with a
message instead of holding a web worker (or a Celery worker up to its hard kill) on a pathological file.

Pure Python. ``with time_budget(seconds=…, what=…):`` sets a deadline for the code inside (a context
variable, so threads and requests do not share it); the parsers' row loops call :func:`budget_check`, which
raises :class:`OverTime` once the deadline has passed, and does nothing when no budget is set (so the same
readers serve the management commands unbounded). Size limits bound how much is read; this bounds how long.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class _Budget:
    deadline: float
    seconds: float
    what: str


_budget: ContextVar[_Budget | None] = ContextVar("plp_time_budget", default=None)


class OverTime(ValueError):
    """Parsing took longer than its budget; the message says what to do, in plain words."""


@contextmanager
def time_budget(*, seconds: float, what: str) -> Iterator[None]:
    token = _budget.set(_Budget(deadline=time.monotonic() + seconds, seconds=seconds, what=what))
    try:
        yield
    finally:
        _budget.reset(token)


def budget_check() -> None:
    budget = _budget.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise OverTime(
            f"Reading the {budget.what} took longer than {budget.seconds:g} seconds, far longer than a file "
            "of its kind needs, so it was stopped. Check that the file is what you meant to upload, or split "
            "it."
        )
