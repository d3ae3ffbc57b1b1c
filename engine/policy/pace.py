"""Pace against the plan, and school days: the one pace rule every page, the flags and Next up read.

A playlist assigned with a start and a target date is read as a ``PaceReading``: the required work done
(required items, plus k of every "choose k of n" board) against the share of the planned time that has
passed. A student's pace in a section is the reading of the section's playlist they are slowest on
(``slowest``), so it is one reading per student per section, and every page shows its ``explanation``.
"""

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping, Set
from dataclasses import dataclass, replace
from enum import StrEnum

from engine.policy.snapshot import CompetencyView, ItemView, MasteryLevel, PlaylistView, Progress
from schools.policy_defaults import PACE_MARGIN

PACE_TOLERANCE = PACE_MARGIN  # within ten points of the plan is on track (a school may set its own)


class Pace(StrEnum):
    AHEAD = "ahead"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    COMPLETE = "complete"
    UNPLANNED = "unplanned"  # no target date: nothing to be behind of
    NONE = "none"  # no playlist to be paced on (a section without assigned playlists)

    @property
    def label(self) -> str:
        return {
            "ahead": "Ahead",
            "on_track": "On track",
            "behind": "Behind",
            "complete": "Complete",
            "unplanned": "No target date",
            "none": "Nothing assigned",
        }[self]


# Slowest first: how a student's several playlists combine into one pace (the slowest one decides).
PACE_ORDER = {
    Pace.BEHIND: 0,
    Pace.ON_TRACK: 1,
    Pace.AHEAD: 2,
    Pace.UNPLANNED: 3,
    Pace.COMPLETE: 4,
    Pace.NONE: 5,
}


def work_units(entries: Iterable[tuple[bool, Hashable | None, int, bool]]) -> tuple[int, int]:
    """(done, needed) of one playlist from ``(required, board, k, done)`` per placed item: each required
    item outside a board is one unit, each "choose k of n" board counts k units (never more than it
    holds, at least one), optional items none, and extra choices on a board count no more."""
    done = needed = 0
    boards: dict[Hashable, list[tuple[int, bool]]] = {}
    for required, board, k, is_done in entries:
        if board is not None:
            boards.setdefault(board, []).append((k, is_done))
        elif required:
            needed += 1
            done += bool(is_done)
    for members in boards.values():
        k = min(max(members[0][0], 1), len(members))
        needed += k
        done += min(k, sum(is_done for _, is_done in members))
    return done, needed


def done_with_mastery(
    done: Set[int], competencies_of: Mapping[int, Iterable[int]], mastered: Set[int]
) -> set[int]:
    """THE rule of progress by demonstrated mastery, not seat time: the items ``done``, and every item whose
    aligned competencies (``competencies_of``: item id → competency ids; at least one) the student has all
    ``mastered``. Progress, pace, Next up and choice boards count such an item exactly as one marked done;
    an item with no competency counts only when done. A reading rule: nothing is written."""
    credited = set(done)
    for item_id, competency_ids in competencies_of.items():
        aligned = set(competency_ids)
        if aligned and aligned <= mastered:
            credited.add(item_id)
    return credited


def mastered_ids(competencies: Mapping[int, CompetencyView]) -> frozenset[int]:
    """The competencies of an engine snapshot the student has mastered."""
    return frozenset(c for c, view in competencies.items() if view.level is MasteryLevel.MASTERED)


def credit_mastery(playlist: PlaylistView, competencies: Mapping[int, CompetencyView]) -> PlaylistView:
    """An engine snapshot's playlist as the policy reads it: every item ``done_with_mastery`` counts is
    ``Progress.DONE`` (the others as they are)."""
    done = done_with_mastery(
        {item.item_id for item in playlist.items if item.progress is Progress.DONE},
        {item.item_id: item.competency_ids for item in playlist.items},
        mastered_ids(competencies),
    )
    if all(item.progress is Progress.DONE for item in playlist.items if item.item_id in done):
        return playlist
    items = tuple(
        replace(item, progress=Progress.DONE) if item.item_id in done else item for item in playlist.items
    )
    return replace(playlist, items=items)


def required_work(items: tuple[ItemView, ...]) -> tuple[int, int]:
    """(done, needed) of an engine snapshot's playlist (``work_units``)."""
    return work_units(
        (item.required, item.choice_group or None, item.choice_needed, item.progress is Progress.DONE)
        for item in items
    )


def elapsed_share(*, start: dt.date, target: dt.date, today: dt.date) -> float:
    span = (target - start).days
    if span <= 0:
        return 1.0 if today >= target else 0.0
    return min(max((today - start).days / span, 0.0), 1.0)


def _units(n: int) -> str:
    return f"{n} required item{'' if n == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class PaceReading:
    """One pace: the status, the numbers it was judged on, and the sentence that explains it."""

    pace: Pace
    done: int = 0
    needed: int = 0
    expected_share: float = 0.0  # share of the time from start to target date that has passed
    title: str = ""  # the playlist it is about ("" when there is none)
    target: dt.date | None = None
    tolerance: float = PACE_TOLERANCE  # the school's, which it was judged with

    @property
    def done_share(self) -> float:
        """Share of the required work done."""
        return self.done / self.needed if self.needed else 1.0

    @property
    def gap(self) -> float:
        """Expected − done: positive means behind."""
        return self.expected_share - self.done_share if self.target is not None else 0.0

    @property
    def expected(self) -> int:
        """Required items the plan expects done by now, to the nearest whole item."""
        return int(self.expected_share * self.needed + 0.5)

    @property
    def short(self) -> str:
        """The numbers beside the label, e.g. "1/7" (done of needed)."""
        return f"{self.done}/{self.needed}" if self.needed else ""

    @property
    def explanation(self) -> str:
        """Why this pace, in one sentence every page shows beside the label."""
        about = f"{self.title}: " if self.title else ""
        if self.pace is Pace.NONE:
            return "No playlist is assigned here, so there is no pace to keep."
        if self.pace is Pace.COMPLETE:
            return f"{about}all {_units(self.needed)} done."
        done = f"{self.done} of {_units(self.needed)} done"
        if self.pace is Pace.UNPLANNED:
            return f"{about}{done}; no target date, so no pace to keep."
        if self.expected_share >= 1.0:
            return f"{about}{done}, and the target date has come."
        return (
            f"{about}{done}; about {self.expected} expected by now "
            f"({self.expected_share:.0%} of the time to the target date has passed)."
        )


def read_pace(
    *,
    done: int,
    needed: int,
    start: dt.date | None,
    target: dt.date | None,
    today: dt.date,
    tolerance: float = PACE_TOLERANCE,
    title: str = "",
) -> PaceReading:
    """The one pace rule (My work, the dashboards, the overviews and the flags all use it): complete when
    the needed work is done; no pace without a target date; behind once the target date has come;
    otherwise the share done against the share of the planned time elapsed, within ``tolerance``."""
    if target is None:
        pace = Pace.COMPLETE if needed <= 0 or done >= needed else Pace.UNPLANNED
        return PaceReading(pace, done, needed, 0.0, title, None, tolerance)
    start = start or target
    elapsed = elapsed_share(start=start, target=target, today=today)
    share = done / needed if needed > 0 else 1.0
    if needed <= 0 or done >= needed:
        pace = Pace.COMPLETE
    elif today >= target:
        pace = Pace.BEHIND
    elif share - elapsed > tolerance:
        pace = Pace.AHEAD
    elif elapsed - share > tolerance:
        pace = Pace.BEHIND
    else:
        pace = Pace.ON_TRACK
    return PaceReading(pace, done, needed, elapsed, title, target, tolerance)


def pace_status(
    *,
    done: int,
    needed: int,
    start: dt.date,
    target: dt.date,
    today: dt.date,
    tolerance: float = PACE_TOLERANCE,
) -> Pace:
    """The status alone of ``read_pace``."""
    return read_pace(
        done=done, needed=needed, start=start, target=target, today=today, tolerance=tolerance
    ).pace


NO_PACE = PaceReading(Pace.NONE)


def pace_definition(tolerance: float | None = PACE_TOLERANCE) -> str:
    """What "pace" means, in the words every page that shows one prints beside it (``None``: schools with
    different tolerances)."""
    within = "the school's tolerance" if tolerance is None else f"{tolerance:.0%}"
    return (
        'Pace compares the required items done on a playlist (k of each "choose k" board) with the share '
        f"of the time from its start to its target date that has passed: within {within} is on track, "
        "and unfinished at the target date is behind. A student's pace in a section is their slowest "
        "playlist there; 1/7 means 1 of its 7 required items done."
    )


def slowest(readings: Iterable[PaceReading]) -> PaceReading:
    """How several playlists combine into one pace: the reading of the slowest one (behind before on
    track before ahead; among equals, the furthest behind its plan), or ``NO_PACE`` when there is none."""
    return min(readings, key=lambda r: (PACE_ORDER[r.pace], -r.gap, r.title), default=NO_PACE)


def pace_of(
    playlist: PlaylistView, *, competencies: Mapping[int, CompetencyView], today: dt.date, margin: float
) -> PaceReading:
    """The pace of an engine snapshot's playlist, an item on competencies all mastered counting as done
    (``credit_mastery``)."""
    done, needed = required_work(credit_mastery(playlist, competencies).items)
    return read_pace(
        done=done,
        needed=needed,
        start=playlist.assigned_on,
        target=playlist.target_date,
        today=today,
        tolerance=margin,
        title=playlist.title,
    )


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
