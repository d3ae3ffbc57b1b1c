"""The workshop rules as pure functions (no Django): overlaps, where a workshop may sit in the school's
blocks, who may sign up, and why a student is invited. Services pass plain values in and word the refusals
the pages show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LOW_ESTIMATE = (
    0.5  # the small-group rule's "stuck" (dashboard/grouping.py): below it, practice is not landing
)


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    """Half-open intervals [start, end) overlap: a workshop ending at 10:00 and one starting then do not."""
    return a_start < b_end and b_start < a_end


@dataclass(frozen=True)
class BlockView:
    block_id: int
    weekday: int
    starts: dt.time
    ends: dt.time


def block_overlap(blocks: Iterable[BlockView], *, weekday: int, starts: dt.time, ends: dt.time,
                  exclude_id: int | None = None) -> BlockView | None:  # fmt: skip
    """The first block of that weekday that the new times would overlap (None: they fit)."""
    for block in blocks:
        if (
            block.block_id != exclude_id
            and block.weekday == weekday
            and overlaps(starts, ends, block.starts, block.ends)
        ):
            return block
    return None


def slot_problem(block: BlockView, *, day: dt.date, starts: dt.time, ends: dt.time) -> str:
    """Why a workshop on ``day`` from ``starts`` to ``ends`` does not fit ``block`` ("" when it does)."""
    if day.weekday() != block.weekday:
        return f"That date is a {day:%A}, the block is on {WEEKDAYS[block.weekday]}s: pick a date on its day."
    if ends <= starts:
        return "A workshop ends after it starts."
    if not (block.starts <= starts and ends <= block.ends):
        return f"A workshop happens inside its block: between {block.starts:%H:%M} and {block.ends:%H:%M}."
    return ""


@dataclass(frozen=True)
class Level:
    """Where a student stands on the workshop's competency and its prerequisites."""

    mastered: bool
    missing_prerequisites: tuple[str, ...] = ()


def signup_refusal(level: Level, *, code: str) -> str:
    """Why a student may not sign up for a workshop on ``code`` ("" when they may): the right level is not
    yet mastered, with every prerequisite mastered (the engine's lock rule, applied to the competency)."""
    if level.mastered:
        return f"You have already mastered {code}: this workshop is for students still learning it."
    if level.missing_prerequisites:
        return f"This workshop needs {', '.join(level.missing_prerequisites)} first (not mastered yet)."
    return ""


def invitation_reason(*, code: str, status: str, p_mastered: float | None, flagged: bool) -> str:
    """Why the teacher invites this student, worded for the student (and the teacher reads the same)."""
    if flagged:
        return f"you are stuck on {code} and your teacher wants to work on it with you"
    if status == "practicing" and p_mastered is not None and p_mastered < LOW_ESTIMATE:
        return f"your practice on {code} is not landing yet (estimate {p_mastered:.0%})"
    if status in ("not_started", "") or p_mastered is None:
        return f"you have not practised {code} yet and this gets you going"
    return f"your teacher picked you to work on {code} together"
