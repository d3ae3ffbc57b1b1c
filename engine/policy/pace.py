"""Pace against the plan, and school days: small pure helpers the rules share."""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from engine.policy.snapshot import ItemView, PlaylistView, Progress


class Pace(StrEnum):
    AHEAD = "ahead"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    UNPLANNED = "unplanned"  # no target date: nothing to be behind of


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


def pace_of(playlist: PlaylistView, *, today: dt.date, margin: float) -> PaceReading:
    done, needed = required_work(playlist.items)
    done_share = done / needed if needed else 1.0
    if playlist.target_date is None:
        return PaceReading(Pace.UNPLANNED, done_share, 0.0, 0.0)
    start = playlist.assigned_on or playlist.target_date
    span = (playlist.target_date - start).days
    if span <= 0:
        expected = 1.0 if today >= playlist.target_date else 0.0
    else:
        expected = min(max((today - start).days / span, 0.0), 1.0)
    gap = expected - done_share
    if done_share >= 1.0 or gap < -margin:
        pace = Pace.AHEAD if done_share > expected + margin or done_share >= 1.0 else Pace.ON_TRACK
    elif gap > margin:
        pace = Pace.BEHIND
    else:
        pace = Pace.ON_TRACK
    return PaceReading(pace, done_share, expected, gap)


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
