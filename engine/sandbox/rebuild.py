"""A student's past day rebuilt from the ledger, for the policy sandbox's replay (engine/sandbox/replay.py).

No database and no clock: a ``StudentLedger`` (read in bulk by ``ledgers``) holds the snapshot as it is now
and the dated events; ``snapshot_on`` gives the snapshot as it stood at the end of a past day (items done by
then, answers given by then, BKT's estimate after them, competencies certified by then and when each was last
practised by then), ``check_in_on`` the mentoring as it stood (the check-ins held by then, the mentoring
under way that day).
"""

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from engine.policy.snapshot import CheckInView, CompetencyView, MasteryLevel, Progress, StudentSnapshot
from engine.snapshots.views import last_review
from mastery.bkt import DEFAULT_PARAMS, BKTParams, update

RECENT_RESULTS = 40  # as engine/snapshots/reads.py reads them


@dataclass(frozen=True, slots=True)
class Answer:
    at: dt.datetime  # aware or naive; the school's day is taken as the snapshot loader takes it
    order: int  # 0: practice, 1: a check's question (ties at the same instant: practice first)
    pk: int
    competency_id: int
    correct: bool
    check: bool = False

    @property
    def row(self) -> tuple:
        return (self.at, self.order, self.pk, self.competency_id, self.correct, self.check)


@dataclass(frozen=True, slots=True)
class CheckResult:
    competency_id: int
    on: dt.date
    passed: bool


@dataclass(frozen=True, slots=True)
class CheckInHeld:
    """A mentor check-in: the day it was held, the follow-up the mentor set, and with whom."""

    on: dt.date
    follow_up_on: dt.date | None = None
    mentor_id: int | None = None


@dataclass(frozen=True, slots=True)
class Mentoring:
    """A mentor assignment: the day it began and the day it ended (``None``: still under way)."""

    mentor_id: int
    began_on: dt.date
    ended_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class StudentLedger:
    """One student's stored evidence: the snapshot as it is now (its shape: playlists, competencies, the
    graph) and the dated events the past days are rebuilt from."""

    snapshot: StudentSnapshot
    answers: tuple[Answer, ...] = ()  # oldest first
    checks: tuple[CheckResult, ...] = ()  # graded checks, oldest first
    answer_day: Mapping[int, dt.date] = field(default_factory=dict)  # answer pk → the school's day
    check_ins: tuple[CheckInHeld, ...] = ()  # oldest first (by day, then as recorded)
    mentorings: tuple[Mentoring, ...] = ()  # every assignment, ended ones too


def answer_day(answer: Answer, ledger: StudentLedger) -> dt.date:
    """The school's day of an answer (as the snapshot loader dated it)."""
    return ledger.answer_day.get(answer.pk) or (answer.at.date() if hasattr(answer.at, "date") else answer.at)


def check_in_on(ledger: StudentLedger, day: dt.date) -> CheckInView:
    """The student's mentoring as it stood at the end of ``day``: the last check-in held by then (and the
    follow-up it set), and whether a mentoring was under way that day and since when.

    A mentoring runs from its assignment's day, or from the first check-in held with that mentor when that
    came earlier (the check-in shows the mentoring was under way), to the day it ended (that day excluded:
    by its end, the student had no mentor)."""
    held = [c for c in ledger.check_ins if c.on <= day]
    first_with: dict[int | None, dt.date] = {}
    for check_in in ledger.check_ins:
        first_with.setdefault(check_in.mentor_id, check_in.on)
    began = [
        min(m.began_on, first_with.get(m.mentor_id, m.began_on))
        for m in ledger.mentorings
        if m.ended_on is None or day < m.ended_on
    ]
    under_way = [on for on in began if on <= day]
    return CheckInView(
        last_on=held[-1].on if held else None,
        follow_up_on=held[-1].follow_up_on if held else None,
        has_mentor=bool(under_way),
        mentored_since=min(under_way, default=None),
    )


def snapshot_on(ledger: StudentLedger, day: dt.date, params: Mapping[int, BKTParams]) -> StudentSnapshot:
    """The student's snapshot as it stood at the end of ``day``, rebuilt from the ledger."""
    now = ledger.snapshot
    done_on = {item: on for item, on in now.done_on.items() if on <= day}
    playlists = []
    for playlist in now.playlists:
        if playlist.assigned_on is not None and playlist.assigned_on > day:
            continue  # not assigned yet
        items = tuple(
            item
            if item.progress is not Progress.DONE or item.item_id in done_on
            else dataclasses.replace(item, progress=Progress.NOT_STARTED)
            for item in playlist.items
        )
        playlists.append(dataclasses.replace(playlist, items=items))

    answers = [a for a in ledger.answers if answer_day(a, ledger) <= day]
    checks = [c for c in ledger.checks if c.on <= day]
    practice_of: dict[int, list[Answer]] = defaultdict(list)
    for a in answers:
        if not a.check:
            practice_of[a.competency_id].append(a)
    competencies = {
        competency_id: _competency_on(
            view,
            day,
            practice=practice_of[competency_id],
            checks=[c for c in checks if c.competency_id == competency_id],
            model=params.get(competency_id, DEFAULT_PARAMS),
            ledger=ledger,
        )
        for competency_id, view in now.competencies.items()
    }
    active = [answer_day(a, ledger) for a in answers] + list(done_on.values()) + [c.on for c in checks]
    return dataclasses.replace(
        now,
        today=day,
        playlists=tuple(playlists),
        competencies=competencies,
        done_on=done_on,
        last_active_on=max(active, default=None),
        recent_results=tuple(a.correct for a in answers if not a.check)[-RECENT_RESULTS:],
        check_in=check_in_on(ledger, day),
    )


def _competency_on(
    view: CompetencyView,
    day: dt.date,
    *,
    practice: list[Answer],
    checks: list,
    model: BKTParams,
    ledger: StudentLedger,
) -> CompetencyView:
    """One competency as it stood at the end of ``day``: its estimate traced over the practice answers up to
    then, and its level, counts and failed checks in a row as they were."""
    p, right, last_on = model.p_init, 0, None
    for a in practice:
        p, right, last_on = update(p, a.correct, model), right + a.correct, answer_day(a, ledger)
    count = len(practice)
    certified = view.mastered_on is not None and view.mastered_on <= day
    if view.level is MasteryLevel.MASTERED and certified:
        # Mastered by then: its estimate and its last review as they stood that day (a review after the
        # day must not make it look reviewed, nor the estimate after it, slipped, before it happened).
        return dataclasses.replace(
            view, p_mastered=p, last_reviewed_on=last_review(view.mastered_on, last_on)
        )
    streak = 0
    for c in checks:
        streak = 0 if c.passed else streak + 1
    level = MasteryLevel.PRACTICING if count else MasteryLevel.NOT_STARTED
    if view.level is MasteryLevel.READY and count:
        level = MasteryLevel.READY
    return dataclasses.replace(
        view,
        level=level,
        p_mastered=p,
        practice_answers_unmastered=count,
        practice_correct_unmastered=right,
        failed_checks_in_a_row=streak,
        mastered_on=None,
        last_reviewed_on=None,
    )
