"""The policy sandbox's replay: what the engine would have said, day by day, under two sets of thresholds.

No database and no clock: everything arrives in a ``StudentLedger`` (read in bulk by ``ledgers``).
Each school day of the window rebuilds the student's snapshot as it stood that day from the ledger (items
done by then, answers given by then, BKT's estimate after them, competencies certified by then and when each
was last practised by then), then runs
the engine's own rules on it — ``recommend``, ``evaluate_flags``, the "needs attention" detector and the way
its input is assembled (``engine.attention.inputs.attention_input``) — imported by name, never copied, so the
replay follows every change to them.

What the ledger cannot rebuild is taken as it is now and said here: goals, check-ins, pins and vetoes, and
mastery's verdict on whether a check could be asked for (``check_open``). An entry's hysteresis starts
closed on the window's first day, under both settings alike.
"""

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from engine.attention.flag import attention_flag
from engine.attention.inputs import WINDOW_CALENDAR_DAYS, attention_input
from engine.policy.attention import AttentionSettings, FailedCheck, needs_attention
from engine.policy.flags import evaluate_flags
from engine.policy.next_item import recommend
from engine.policy.snapshot import MasteryLevel, Progress, StudentSnapshot, Thresholds
from engine.snapshots.views import last_review
from mastery.bkt import DEFAULT_PARAMS, BKTParams, update

RECENT_RESULTS = 40  # as engine/snapshots/reads.py reads them

# How a student's Next up differs between the two settings on a day, as the student would notice it, the
# most visible first: another item on top; the same top but other items below it; the same items in
# another order; the same items in the same order, said otherwise (a reason the student reads: "Fractions
# is behind its plan" comes and goes with the pace margin, which never reorders the list — the ranking
# weighs how far behind a playlist is, not whether that passes the margin).
NEXT_FIRST, NEXT_ITEMS, NEXT_ORDER, NEXT_REASON = "first", "items", "order", "reason"
NEXT_HOW = {
    NEXT_FIRST: "first item changed",
    NEXT_ITEMS: "other items in the list",
    NEXT_ORDER: "order changed",
    NEXT_REASON: "same list, another reason given",
}


def next_up_difference(
    before: tuple, after: tuple, reasons_before: tuple = (), reasons_after: tuple = ()
) -> str:
    """How two Next-up lists (their entries' keys, in the order the student sees them, and their reasons)
    differ: "" when they do not, else ``NEXT_FIRST``, ``NEXT_ITEMS``, ``NEXT_ORDER`` or ``NEXT_REASON``."""
    if before == after:
        return NEXT_REASON if reasons_before != reasons_after else ""
    if before[:1] != after[:1]:
        return NEXT_FIRST
    if Counter(before) != Counter(after):
        return NEXT_ITEMS
    return NEXT_ORDER


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
class StudentLedger:
    """One student's stored evidence: the snapshot as it is now (its shape: playlists, competencies, the
    graph) and the dated events the past days are rebuilt from."""

    snapshot: StudentSnapshot
    answers: tuple[Answer, ...] = ()  # oldest first
    checks: tuple[CheckResult, ...] = ()  # graded checks, oldest first
    answer_day: Mapping[int, dt.date] = field(default_factory=dict)  # answer pk → the school's day


@dataclass(frozen=True, slots=True)
class DayVerdict:
    attention: str  # "" when the student does not need attention, else the entry's summary
    attention_key: tuple  # what makes two entries the same: (kind, subject), or ()
    next_up: str  # the first line of Next up, as the student reads it ("" when empty)
    next_key: tuple  # the whole list the student sees, each entry's (kind, item, competency), in order
    next_list: tuple[str, ...] = ()  # the whole list, each entry's reason, in order


@dataclass(frozen=True, slots=True)
class StudentChange:
    student_id: int
    attention_days: int  # school days whose entry differs (opened, closed, or of another kind)
    next_up_days: int  # school days whose Next up list differs (any entry, or their order)
    flagged_days_before: int
    flagged_days_after: int
    on: dt.date | None  # the first day that differs
    attention_before: str
    attention_after: str
    next_before: str  # the first entry on the first day the list differs
    next_after: str
    next_how: Mapping[str, int] = field(default_factory=dict)  # NEXT_* → school days it differed so
    next_list_before: tuple[str, ...] = ()  # the whole list on the first day it differs
    next_list_after: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.attention_days or self.next_up_days)


def _day(answer: Answer, ledger: StudentLedger) -> dt.date:
    return ledger.answer_day.get(answer.pk) or (answer.at.date() if hasattr(answer.at, "date") else answer.at)


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

    answers = [a for a in ledger.answers if _day(a, ledger) <= day]
    checks = [c for c in ledger.checks if c.on <= day]
    competencies = {}
    for competency_id, view in now.competencies.items():
        model = params.get(competency_id, DEFAULT_PARAMS)
        p, count, right, last_on = model.p_init, 0, 0, None
        for a in answers:
            if a.competency_id == competency_id and not a.check:
                p, count, right = update(p, a.correct, model), count + 1, right + a.correct
                last_on = _day(a, ledger)
        certified = view.mastered_on is not None and view.mastered_on <= day
        if view.level is MasteryLevel.MASTERED and certified:
            # Mastered by then: its estimate and its last review as they stood that day (a review after the
            # day must not make it look reviewed, nor the estimate after it, slipped, before it happened).
            competencies[competency_id] = dataclasses.replace(
                view, p_mastered=p, last_reviewed_on=last_review(view.mastered_on, last_on)
            )
            continue
        streak = 0
        for c in checks:
            if c.competency_id == competency_id:
                streak = 0 if c.passed else streak + 1
        level = MasteryLevel.PRACTICING if count else MasteryLevel.NOT_STARTED
        if view.level is MasteryLevel.READY and count:
            level = MasteryLevel.READY
        competencies[competency_id] = dataclasses.replace(
            view,
            level=level,
            p_mastered=p,
            practice_answers_unmastered=count,
            practice_correct_unmastered=right,
            failed_checks_in_a_row=streak,
            mastered_on=None,
            last_reviewed_on=None,
        )
    active = [_day(a, ledger) for a in answers] + list(done_on.values()) + [c.on for c in checks]
    return dataclasses.replace(
        now,
        today=day,
        playlists=tuple(playlists),
        competencies=competencies,
        done_on=done_on,
        last_active_on=max(active, default=None),
        recent_results=tuple(a.correct for a in answers if not a.check)[-RECENT_RESULTS:],
    )


def _verdict(entry, recommendations) -> DayVerdict:
    return DayVerdict(
        attention=entry.summary if entry else "",
        attention_key=(entry.kind, entry.subject) if entry else (),
        next_up=recommendations[0].reason if recommendations else "",
        next_key=tuple((r.kind, r.item_id, r.competency_id) for r in recommendations),
        next_list=tuple(r.reason for r in recommendations),
    )


def replay_student(
    ledger: StudentLedger,
    *,
    days: list[dt.date],
    school_days: list[dt.date],
    usual: float,
    params: Mapping[int, BKTParams],
    before: Thresholds,
    after: Thresholds,
) -> StudentChange:
    """Each of ``days`` (the window's school days, oldest first) under both thresholds, and what differs."""
    thresholds = {"before": before, "after": after}
    settings = {
        name: AttentionSettings(row.attention_enter_score, row.attention_exit_score)
        for name, row in thresholds.items()
    }
    open_entry = {"before": False, "after": False}
    differences = _Differences()
    for day in days:
        snapshot = snapshot_on(ledger, day, params)
        answers, failed = _window(ledger, day)
        days_before = [d for d in school_days if d < day]
        verdicts = {}
        for name in ("before", "after"):
            data = attention_input(
                snapshot=snapshot,
                answers=answers,
                failed=failed,
                params=params,
                school_days=days_before,
                usual=usual,
                previously_flagged=open_entry[name],
            )
            verdicts[name], open_entry[name] = _day_verdict(
                snapshot, data, settings=settings[name], thresholds=thresholds[name]
            )
        differences.add(day, verdicts["before"], verdicts["after"])
    return differences.change(ledger.snapshot.student_id)


def _window(ledger: StudentLedger, day: dt.date) -> tuple[list[tuple], list[FailedCheck]]:
    """The detector's window ending on ``day``: the ledger's answers in it (as the input's rows, oldest
    first) and its failed checks."""
    since = day - dt.timedelta(days=WINDOW_CALENDAR_DAYS)
    answers = sorted(a.row for a in ledger.answers if since <= _day(a, ledger) <= day)
    failed = [
        FailedCheck(c.competency_id, c.on) for c in ledger.checks if since <= c.on <= day and not c.passed
    ]
    return answers, failed


def _day_verdict(
    snapshot: StudentSnapshot, data, *, settings: AttentionSettings, thresholds: Thresholds
) -> tuple[DayVerdict, bool]:
    """What the engine says on the day under one set of thresholds (the detector, the rule flags as its
    evidence, Next up), and whether the student's entry is open at the end of it."""
    finding = needs_attention(data, settings)
    entry = attention_flag(finding, codes=data.codes, rules=evaluate_flags(snapshot, thresholds))
    return _verdict(entry, recommend(snapshot, thresholds)), finding.needs_attention


@dataclass(slots=True)
class _Differences:
    """What differs between the two settings, added up day by day over the window."""

    attention_days: int = 0
    next_up_days: int = 0
    flagged_days_before: int = 0
    flagged_days_after: int = 0
    how: dict[str, int] = field(default_factory=dict)  # NEXT_* → school days
    first: tuple | None = None  # (day, before, after) of the first day anything differs
    first_next: tuple | None = None  # (before, after) of the first day Next up differs

    def add(self, day: dt.date, b: DayVerdict, a: DayVerdict) -> None:
        self.flagged_days_before += bool(b.attention_key)
        self.flagged_days_after += bool(a.attention_key)
        attention_differs = b.attention_key != a.attention_key
        next_differs = next_up_difference(b.next_key, a.next_key, b.next_list, a.next_list)
        self.attention_days += attention_differs
        self.next_up_days += bool(next_differs)
        if next_differs:
            self.how[next_differs] = self.how.get(next_differs, 0) + 1
            self.first_next = self.first_next or (b, a)
        if self.first is None and (attention_differs or next_differs):
            self.first = (day, b, a)

    def change(self, student_id: int) -> StudentChange:
        day, b, a = self.first or (None, None, None)
        nb, na = self.first_next or (None, None)
        return StudentChange(
            student_id=student_id,
            attention_days=self.attention_days,
            next_up_days=self.next_up_days,
            flagged_days_before=self.flagged_days_before,
            flagged_days_after=self.flagged_days_after,
            on=day,
            attention_before=(b.attention or "Not flagged") if b else "",
            attention_after=(a.attention or "Not flagged") if a else "",
            next_before=(nb.next_up or "Nothing") if nb else "",
            next_after=(na.next_up or "Nothing") if na else "",
            next_how={kind: self.how[kind] for kind in NEXT_HOW if kind in self.how},
            next_list_before=nb.next_list if nb else (),
            next_list_after=na.next_list if na else (),
        )


def replay(
    ledgers: Iterable[StudentLedger],
    *,
    days: list[dt.date],
    school_days: list[dt.date],
    usual: float,
    params: Mapping[int, BKTParams],
    before: Thresholds,
    after: Thresholds,
) -> list[StudentChange]:
    """Every student's replay (one chunk of the sandbox's task)."""
    return [
        replay_student(
            ledger, days=days, school_days=school_days, usual=usual, params=params, before=before, after=after
        )
        for ledger in ledgers
    ]
