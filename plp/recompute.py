"""Ask for a student's recompute after a learning event, from any app.

The apps that record learning events (playlists, mastery, mentoring) sit below the engine in the app layers
(README, "App layers"): they call these two functions, and the engine, which knows how a student is marked
dirty and which task recomputes them (``engine/enqueue.py``), registers itself here from its ``ready``. A
dependency inversion, not a signal: exactly one handler, and a call before it registered fails loudly
instead of losing the event.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Protocol

from plp.ports import Port


class Recompute(Protocol):
    students_mark_dirty: Callable[..., None]
    recompute_on_commit: Callable[..., None]


_port: Port[Recompute] = Port("No recompute handler: is the engine app installed?")


def register(handler: Recompute) -> None:
    """The engine's ``ready``: ``handler`` marks students dirty and enqueues their recompute."""
    _port.register(handler)


def students_mark_dirty(*, student_ids: Iterable[int], at: dt.datetime | None = None) -> None:
    """Mark students dirty in the caller's transaction (the sweep finds them if the broker was down)."""
    _port.handler.students_mark_dirty(student_ids=student_ids, at=at)


def recompute_on_commit(*, student_id: int) -> None:
    """Mark the student dirty now and enqueue their recompute once the transaction commits."""
    _port.handler.recompute_on_commit(student_id=student_id)
