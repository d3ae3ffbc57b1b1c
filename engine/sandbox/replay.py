"""The policy sandbox's replay: what the engine would have said, day by day, under two sets of thresholds.

No database and no clock: everything arrives in a ``StudentLedger`` (read in bulk by ``ledgers``). Each school
day of the window rebuilds the student's snapshot as it stood that day from the ledger
(``rebuild.snapshot_on``: items done by then, answers given by then, BKT's estimate after them, competencies
certified by then and when each was last practised by then, the mentor check-ins held by then and the
mentoring under way that day), then runs the engine's own rules on it — ``recommend``, ``evaluate_flags``, the
"needs attention" detector and the way its input is assembled (``engine.attention.inputs.attention_input``) —
imported by name, never copied, so the replay follows every change to them. It compares, day by day, the
entry, Next up, and the rule flags production raises (``COMPARED_RULES``: each flag's kind and subject, as the
stored flags are keyed).

What the ledger cannot rebuild is taken as it is now and said here: goals (so the overdue-goals flag is not
compared: no setting decides it either), pins and vetoes, mastery's verdict on whether a check could be asked
for (``check_open``), and a check-in's follow-up date as last corrected. An item opened but not finished
leaves no dated trace of that day's activity: the replay's last active day counts answers, checks and items
finished (``INACTIVITY_LIMIT``). An entry's hysteresis starts closed on the window's first day, under both
settings alike.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from engine.attention.flag import attention_flag, rule_words
from engine.attention.inputs import WINDOW_CALENDAR_DAYS, attention_input
from engine.models import FlagKind
from engine.policy.attention import AttentionSettings, FailedCheck, needs_attention
from engine.policy.flags import FlagFinding, evaluate_flags
from engine.policy.next_item import recommend
from engine.policy.snapshot import StudentSnapshot, Thresholds
from engine.sandbox.rebuild import (
    StudentLedger,
    answer_day,
    snapshot_on,
)
from mastery.bkt import BKTParams

# The rule flags a what-if compares (production's ``evaluate_flags``, keyed by kind and subject as the stored
# flags are): all but the overdue-goals flag, whose goals' reflections the ledger does not date (and which no
# setting decides), and the entry itself (compared apart).
COMPARED_RULES = frozenset(
    {
        FlagKind.INACTIVE,
        FlagKind.BEHIND_PACE,
        FlagKind.WHEEL_SPINNING,
        FlagKind.FAILED_CHECKS,
        FlagKind.FALLING_TREND,
        FlagKind.MISSED_CHECK_IN,
    }
)

# What the replay of a setting cannot rebuild honestly, said on its what-if's page (settings not listed: the
# replay rebuilds everything their rule reads).
INACTIVITY_LIMIT = (
    "A past day's activity is rebuilt from answers, checks and items finished: opening an item without "
    "finishing or answering anything leaves no dated trace, so the replay may count a day idle that the "
    "live flag counted active."
)
CHECK_IN_LIMIT = (
    "Check-ins are replayed from their dates, with the follow-up date each has now (a later correction "
    "counts from the start); mentoring from each assignment's start (or the first check-in with that mentor, "
    "when earlier) to its end. An assignment ended with no end date recorded is left out."
)
LIMITS = {
    "inactive_school_days": INACTIVITY_LIMIT,
    "check_in_days": CHECK_IN_LIMIT,
    "check_in_grace_days": CHECK_IN_LIMIT,
}

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
class DayVerdict:
    attention: str  # "" when the student does not need attention, else the entry's summary
    attention_key: tuple  # what makes two entries the same: (kind, subject), or ()
    next_up: str  # the first line of Next up, as the student reads it ("" when empty)
    next_key: tuple  # the whole list the student sees, each entry's (kind, item, competency), in order
    next_list: tuple[str, ...] = ()  # the whole list, each entry's reason, in order
    rules: tuple[FlagFinding, ...] = ()  # the rule flags compared (``COMPARED_RULES``), in the rules' order

    @property
    def rule_keys(self) -> frozenset[tuple[str, str]]:
        """What makes two days' rule flags the same: each flag's kind and subject, as stored flags are keyed
        (a flag whose evidence or severity changes is the same flag)."""
        return frozenset(rule.key for rule in self.rules)


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
    flag_days: int = 0  # school days whose rule flags differ (a flag of another kind or subject)
    rule_flagged_days_before: int = 0  # school days with any rule flag compared
    rule_flagged_days_after: int = 0
    flags_on: dt.date | None = None  # the first day the rule flags differ
    flags_before: tuple[str, ...] = ()  # the rule flags on that day, in words (``rule_words``)
    flags_after: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.attention_days or self.next_up_days or self.flag_days)


def _verdict(entry, recommendations, rules: list[FlagFinding]) -> DayVerdict:
    return DayVerdict(
        attention=entry.summary if entry else "",
        attention_key=(entry.kind, entry.subject) if entry else (),
        next_up=recommendations[0].reason if recommendations else "",
        next_key=tuple((r.kind, r.item_id, r.competency_id) for r in recommendations),
        next_list=tuple(r.reason for r in recommendations),
        rules=tuple(rule for rule in rules if rule.kind in COMPARED_RULES),
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
    answers = sorted(a.row for a in ledger.answers if since <= answer_day(a, ledger) <= day)
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
    rules = evaluate_flags(snapshot, thresholds)
    entry = attention_flag(finding, codes=data.codes, rules=rules)
    return _verdict(entry, recommend(snapshot, thresholds), rules), finding.needs_attention


@dataclass(slots=True)
class _Differences:
    """What differs between the two settings, added up day by day over the window."""

    attention_days: int = 0
    next_up_days: int = 0
    flagged_days_before: int = 0
    flagged_days_after: int = 0
    how: dict[str, int] = field(default_factory=dict)  # NEXT_* → school days
    first: tuple | None = None  # (day, before, after) of the first day the entry or Next up differs
    first_next: tuple | None = None  # (before, after) of the first day Next up differs
    flag_days: int = 0
    rule_flagged_days_before: int = 0
    rule_flagged_days_after: int = 0
    first_flags: tuple | None = None  # (day, before, after) of the first day the rule flags differ

    def add(self, day: dt.date, b: DayVerdict, a: DayVerdict) -> None:
        self.flagged_days_before += bool(b.attention_key)
        self.flagged_days_after += bool(a.attention_key)
        self.rule_flagged_days_before += bool(b.rules)
        self.rule_flagged_days_after += bool(a.rules)
        if b.rule_keys != a.rule_keys:
            self.flag_days += 1
            self.first_flags = self.first_flags or (day, b, a)
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
        flags_on, fb, fa = self.first_flags or (None, None, None)
        return StudentChange(
            student_id=student_id,
            attention_days=self.attention_days,
            next_up_days=self.next_up_days,
            flagged_days_before=self.flagged_days_before,
            flagged_days_after=self.flagged_days_after,
            on=min((d for d in (day, flags_on) if d is not None), default=None),
            attention_before=(b.attention or "Not flagged") if b else "",
            attention_after=(a.attention or "Not flagged") if a else "",
            next_before=(nb.next_up or "Nothing") if nb else "",
            next_after=(na.next_up or "Nothing") if na else "",
            next_how={kind: self.how[kind] for kind in NEXT_HOW if kind in self.how},
            next_list_before=nb.next_list if nb else (),
            next_list_after=na.next_list if na else (),
            flag_days=self.flag_days,
            rule_flagged_days_before=self.rule_flagged_days_before,
            rule_flagged_days_after=self.rule_flagged_days_after,
            flags_on=flags_on,
            flags_before=tuple(rule_words(rule) for rule in fb.rules) if fb else (),
            flags_after=tuple(rule_words(rule) for rule in fa.rules) if fa else (),
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
