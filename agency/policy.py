"""Gradual release of choice, as pure rules (no Django, no database, no clock).

A school's *ladder* is a list of rungs (levels of self-direction); each rung says what a student at it may
do: how they pick their next item, who sets their weekly goals, whether they ask for mastery checks on their
own, whether they set their own pace target. :func:`suggest` reads a student's recent weeks (habits of
success rated in check-ins, goals met, pace kept, mastery checks passed on the first try) and suggests a
promotion, a step back or no change, with the evidence; a mentor or teacher decides. Everything it knows
arrives as arguments, so it is tested on hand-built histories.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Picks(StrEnum):
    """How a student at a rung chooses their next playlist item."""

    ASSIGNED = "assigned"  # the platform assigns the next item; the student confirms it
    TOP_THREE = "top_three"  # the student picks one of the engine's top three recommendations
    FREE = "free"  # any item of their playlists, in any order

    @property
    def label(self) -> str:
        return {
            "assigned": "The platform assigns the next item; the student confirms it",
            "top_three": "The student picks one of the top three recommendations",
            "free": "Free order within the playlists",
        }[self]


class Goals(StrEnum):
    """Who sets a student's weekly goals."""

    MENTOR = "mentor"  # the mentor sets them (with the student, at the check-in)
    THIS_WEEK = "this_week"  # the student plans this week's goals; planning ahead stays with the mentor
    OWN = "own"  # the student plans this week's and next week's goals and their long-range goals

    @property
    def label(self) -> str:
        return {
            "mentor": "The mentor sets the week's goals with the student",
            "this_week": "The student plans this week's goals with the mentor",
            "own": "The student sets their own goals, this week, next week and long-range",
        }[self]


class Checks(StrEnum):
    """How a student's request for a mastery check goes."""

    APPROVAL = "approval"  # a teacher approves each request first
    WHEN_READY = "when_ready"  # the check opens as soon as the student asks and mastery's rules allow it

    @property
    def label(self) -> str:
        return {
            "approval": "A teacher approves each mastery check request",
            "when_ready": "The student asks for checks when ready",
        }[self]


@dataclass(frozen=True, slots=True)
class Rung:
    """One level of a school's ladder and what it allows."""

    rank: int  # 1 = the first rung
    name: str
    description: str = ""
    picks: Picks = Picks.ASSIGNED
    goals: Goals = Goals.MENTOR
    checks: Checks = Checks.APPROVAL
    own_pace_target: bool = False  # the student may set their own weekly pace target


DEFAULT_LADDER: tuple[Rung, ...] = (
    Rung(
        1,
        "Guided",
        "The platform assigns your next item and you confirm it; your mentor sets the week's goals with you.",
        Picks.ASSIGNED,
        Goals.MENTOR,
        Checks.APPROVAL,
    ),
    Rung(
        2,
        "Choosing",
        "You pick your next item from the top three recommendations and plan the week's goals with your "
        "mentor.",
        Picks.TOP_THREE,
        Goals.THIS_WEEK,
        Checks.APPROVAL,
    ),
    Rung(
        3,
        "Self-directed",
        "You work in any order within your playlists, set your own pace target and ask for mastery checks "
        "when you are ready.",
        Picks.FREE,
        Goals.OWN,
        Checks.WHEN_READY,
        own_pace_target=True,
    ),
)


@dataclass(frozen=True, slots=True)
class WeekEvidence:
    """What one school week (Monday ``week_of``) showed of a student's self-direction."""

    week_of: dt.date
    check_ins: int = 0  # check-ins with at least one habit rated
    habit_ratings: tuple[int, ...] = ()  # every habit-of-success rating (1–4) given in those check-ins
    goals_met: int = 0  # the week's goals, as the student (or a check-in review) closed them
    goals_partly: int = 0
    goals_not_met: int = 0  # reflected "not met", or still open after their due day
    on_pace: bool | None = None  # their slowest playlist at the week's end; None: nothing to be paced on
    first_checks_passed: int = 0  # first graded check on a competency, graded this week, passed
    first_checks_failed: int = 0


@dataclass(frozen=True, slots=True)
class Criteria:
    """The bars of :func:`suggest`, per school. Defaults and why:

    - ``weeks`` = 4: a month of school weeks, long enough to span a bad week, short enough that a
      student's recent growth counts (Valor's "compass" reviews run on a four-to-six-week cycle).
    - habits: an average rating of 3 ("proficient" on the check-in form's 1–4 scale) earns the next rung;
      below 2 ("developing") is a reason to step back. At least ``min_check_ins`` rated check-ins.
    - goals: 70% of the weeks' goals met (a partly met goal counts half) earns it; under 40% is a reason
      to step back. At least ``min_goals`` goals due in the window.
    - pace: on pace (not behind) at the end of 75% of the weeks earns it; under 50% is a reason to step
      back.
    - checks: 60% of first mastery checks passed on the first try earns it; under 30% is a reason to step
      back. Counted only when the window holds a first check (a student may not have needed one).

    A promotion needs habits, goals and pace to have enough evidence and every criterion with evidence
    to clear its bar; a step back needs two criteria under their floor (one bad week of goals alone is
    not enough to take choice away)."""

    weeks: int = 4
    min_check_ins: int = 2
    min_goals: int = 3
    promote_habits: float = 3.0
    step_back_habits: float = 2.0
    promote_goals: float = 0.7
    step_back_goals: float = 0.4
    promote_pace: float = 0.75
    step_back_pace: float = 0.5
    promote_checks: float = 0.6
    step_back_checks: float = 0.3
    step_back_needs: int = 2


DEFAULT_CRITERIA = Criteria()


class Direction(StrEnum):
    PROMOTE = "promote"
    STEP_BACK = "step_back"
    STAY = "stay"


@dataclass(frozen=True, slots=True)
class Finding:
    """One criterion read over the window: its value, whether it clears the next rung's bar, whether it is
    under the floor, and the sentence that says so."""

    key: str  # "habits", "goals", "pace", "checks"
    label: str
    value: float | None  # None: not enough evidence
    evidence: str  # what was counted, in words
    bar: str  # what earns the next rung, in words
    meets_bar: bool | None  # None: not enough evidence
    under_floor: bool | None


@dataclass(frozen=True, slots=True)
class Suggestion:
    direction: Direction
    from_rank: int
    to_rank: int  # == from_rank when staying
    summary: str
    findings: tuple[Finding, ...]

    @property
    def changes(self) -> bool:
        return self.direction is not Direction.STAY


def _share(n: float, of: int) -> float | None:
    return None if of == 0 else n / of


def _day(day: dt.date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def counted_weeks(
    history: Sequence[WeekEvidence], criteria: Criteria = DEFAULT_CRITERIA, since: dt.date | None = None
) -> list[WeekEvidence]:
    """The weeks the rule reads: the last ``criteria.weeks`` of ``history`` (any order) that began on or
    after ``since``, the day the student's level last changed (None: no change yet). The weeks that earned
    a level never earn the next one too, and the weeks that caused a step back are not read again for
    another: after a change, the student shows how they use the new level."""
    weeks = sorted((w for w in history if since is None or w.week_of >= since), key=lambda w: w.week_of)
    return weeks[-criteria.weeks :] if criteria.weeks > 0 else []


def findings(
    history: Sequence[WeekEvidence], criteria: Criteria = DEFAULT_CRITERIA, since: dt.date | None = None
) -> tuple[Finding, ...]:
    """The four criteria read over :func:`counted_weeks` of ``history``.

    Long on purpose: the four criteria side by side, each computed the same way, so they are read and
    compared together."""
    window = counted_weeks(history, criteria, since)
    out = []

    check_ins = sum(w.check_ins for w in window)
    ratings = [r for w in window for r in w.habit_ratings]
    habits = sum(ratings) / len(ratings) if ratings and check_ins >= criteria.min_check_ins else None
    out.append(
        Finding(
            "habits",
            "Habits of success",
            habits,
            f"average {habits:.1f} of 4 over {check_ins} check-in{'s' * (check_ins != 1)}"
            if habits is not None
            else f"{check_ins} rated check-in{'s' * (check_ins != 1)} (needs {criteria.min_check_ins})",
            f"an average of {criteria.promote_habits:g} or more in check-ins",
            None if habits is None else habits >= criteria.promote_habits,
            None if habits is None else habits < criteria.step_back_habits,
        )
    )

    due = sum(w.goals_met + w.goals_partly + w.goals_not_met for w in window)
    met = sum(w.goals_met + 0.5 * w.goals_partly for w in window)
    goals = _share(met, due) if due >= criteria.min_goals else None
    out.append(
        Finding(
            "goals",
            "Goals met",
            goals,
            f"{_pct(goals)} of {due} weekly goals (partly met counts half)"
            if goals is not None
            else f"{due} weekly goal{'s' * (due != 1)} due (needs {criteria.min_goals})",
            f"{_pct(criteria.promote_goals)} of weekly goals met",
            None if goals is None else goals >= criteria.promote_goals,
            None if goals is None else goals < criteria.step_back_goals,
        )
    )

    paced = [w.on_pace for w in window if w.on_pace is not None]
    pace = _share(sum(paced), len(paced))
    out.append(
        Finding(
            "pace",
            "Pace kept",
            pace,
            f"on pace at the end of {sum(paced)} of {len(paced)} week{'s' * (len(paced) != 1)}"
            if pace is not None
            else "no playlist with a plan in these weeks",
            f"on pace at the end of {_pct(criteria.promote_pace)} of the weeks",
            None if pace is None else pace >= criteria.promote_pace,
            None if pace is None else pace < criteria.step_back_pace,
        )
    )

    passed = sum(w.first_checks_passed for w in window)
    taken = passed + sum(w.first_checks_failed for w in window)
    checks = _share(passed, taken)
    out.append(
        Finding(
            "checks",
            "Checks passed on the first try",
            checks,
            f"{passed} of {taken} first check{'s' * (taken != 1)}"
            if checks is not None
            else "no first mastery check in these weeks (not counted)",
            f"{_pct(criteria.promote_checks)} of first checks passed",
            None if checks is None else checks >= criteria.promote_checks,
            None if checks is None else checks < criteria.step_back_checks,
        )
    )
    return tuple(out)


REQUIRED_FOR_PROMOTION = ("habits", "goals", "pace")


def suggest(
    *,
    rank: int,
    top_rank: int,
    history: Sequence[WeekEvidence],
    criteria: Criteria = DEFAULT_CRITERIA,
    ladder_names: dict[int, str] | None = None,
    since: dt.date | None = None,
) -> Suggestion:
    """Promote, step back or stay, with the evidence. ``rank`` is the student's rung (1 = first),
    ``top_rank`` the ladder's last, ``since`` the day their level last changed (a promotion or a step
    back: only weeks begun since count, see :func:`counted_weeks`). The rule:

    - **promote** (not from the top rung) when habits, goals and pace each have enough evidence and every
      criterion with evidence clears its bar;
    - **step back** (not from the first rung) when at least ``criteria.step_back_needs`` criteria are under
      their floor;
    - otherwise **stay**, saying what is missing.
    """
    names = ladder_names or {}
    found = findings(history, criteria, since)
    by_key = {f.key: f for f in found}
    below = [f for f in found if f.under_floor]
    if rank > 1 and len(below) >= criteria.step_back_needs:
        to = rank - 1
        summary = (
            f"Step back to {names.get(to, f'level {to}')}: "
            + "; ".join(f"{f.label.lower()} {f.evidence}" for f in below)
            + "."
        )
        return Suggestion(Direction.STEP_BACK, rank, to, summary, found)
    evidence_ok = all(by_key[k].meets_bar is not None for k in REQUIRED_FOR_PROMOTION)
    clears = all(f.meets_bar is not False for f in found)
    if rank < top_rank and evidence_ok and clears:
        to = rank + 1
        summary = (
            f"Ready for {names.get(to, f'level {to}')}: every criterion clears its bar over the last "
            + (f"{criteria.weeks} weeks.")
        )
        return Suggestion(Direction.PROMOTE, rank, to, summary, found)
    if rank >= top_rank:
        summary = "At the top of the ladder."
    else:
        missing = [f.label.lower() for f in found if f.meets_bar is None and f.key in REQUIRED_FOR_PROMOTION]
        short = [f"{f.label.lower()} ({f.evidence})" for f in found if f.meets_bar is False]
        parts = []
        if short:
            parts.append("not yet: " + "; ".join(short))
        if missing:
            parts.append(
                "not enough evidence yet on "
                + ", ".join(missing)
                + (f" (weeks begun since the level changed on {_day(since)} count)" if since else "")
            )
        summary = ("Stay: " + "; ".join(parts) + ".") if parts else "Stay."
    return Suggestion(Direction.STAY, rank, rank, summary, found)
