"""Pace against the plan, and school days: small pure helpers the rules share."""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from engine.policy.snapshot import ItemView, PlaylistView, Progress

PACE_TOLERANCE = 0.10  # within ten points of the plan counts as on track


class Pace(StrEnum):
    AHEAD = "ahead"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    COMPLETE = "complete"
    UNPLANNED = "unplanned"  # no target date: nothing to be behind of

    @property
    def label(self) -> str:
        return {
            "ahead": "Ahead",
            "on_track": "On track",
            "behind": "Behind",
            "complete": "Complete",
            "unplanned": "No target date",
        }[self]


@dataclass(frozen=True, slots=True)
class PaceReading:
    pace: Pace
    done_share: float  # share of the required work done
    expected_share: float  # share of the time from assignment to target date that has passed
    gap: float  # expected − done: positive means behind


def required_work(items: tuple[ItemView, ...]) -> tuple[int, int]:
    """(done, needed): required items, plus k of every "choose k of n" board."""
    done = needed = 0
    boards: dict[str, list[ItemView]] = {}
    for item in items:
        if item.choice_group:
            boards.setdefault(item.choice_group, []).append(item)
        elif item.required:
            needed += 1
            done += item.progress is Progress.DONE
    for board in boards.values():
        k = min(max(board[0].choice_needed, 1), len(board))
        needed += k
        done += min(k, sum(item.progress is Progress.DONE for item in board))
    return done, needed


def elapsed_share(*, start: dt.date, target: dt.date, today: dt.date) -> float:
    span = (target - start).days
    if span <= 0:
        return 1.0 if today >= target else 0.0
    return min(max((today - start).days / span, 0.0), 1.0)


def pace_status(
    *,
    done: int,
    needed: int,
    start: dt.date,
    target: dt.date,
    today: dt.date,
    tolerance: float = PACE_TOLERANCE,
) -> Pace:
    """The one pace rule (My work, the dashboards and the flags all use it): complete when the needed work
    is done; behind once the target date has come; otherwise the share done against the share of the
    planned time elapsed, within ``tolerance``."""
    if needed <= 0 or done >= needed:
        return Pace.COMPLETE
    if today >= target:
        return Pace.BEHIND
    share = done / needed
    elapsed = elapsed_share(start=start, target=target, today=today)
    if share - elapsed > tolerance:
        return Pace.AHEAD
    if elapsed - share > tolerance:
        return Pace.BEHIND
    return Pace.ON_TRACK


def pace_of(playlist: PlaylistView, *, today: dt.date, margin: float) -> PaceReading:
    done, needed = required_work(playlist.items)
    done_share = done / needed if needed else 1.0
    if playlist.target_date is None:
        return PaceReading(Pace.UNPLANNED, done_share, 0.0, 0.0)
    start = playlist.assigned_on or playlist.target_date
    expected = elapsed_share(start=start, target=playlist.target_date, today=today)
    pace = pace_status(
        done=done, needed=needed, start=start, target=playlist.target_date, today=today, tolerance=margin
    )
    return PaceReading(pace, done_share, expected, expected - done_share)


def school_days_between(start: dt.date, end: dt.date) -> int:
    """Weekdays after ``start`` up to and including ``end`` (holidays are not known to the core)."""
    if end <= start:
        return 0
    days = (end - start).days
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * 5
    weekday = start.weekday()
    for offset in range(1, rest + 1):
        if (weekday + offset) % 7 < 5:
            count += 1
    return count
