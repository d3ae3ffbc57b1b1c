"""The mastery rules as pure functions (no Django): readiness, retakes, respawn advice and replay.

Services pass plain values in; pages and the API explain the same result. The estimate guides (readiness,
recommendations); only a passed check, or a teacher's override, makes a competency mastered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mastery.bkt import BKTParams, taught, update

NOT_STARTED, PRACTICING, READY, MASTERED = "not_started", "practicing", "ready", "mastered"
ESTIMATE, TEACHER_UNLOCK, ITEMS_DONE = "estimate", "teacher_unlock", "items_done"


@dataclass(frozen=True)
class Readiness:
    """The answer of a readiness rule: may the student ask for a check, and why (or why not)."""

    ready: bool
    reason: str
    available: bool = True


@dataclass(frozen=True)
class PolicyValues:
    check_size: int = 5
    pass_threshold: float = 0.8
    cooldown_minutes: int = 60
    practice_before_retake: int = 5
    readiness_rule: str = ESTIMATE
    readiness_threshold: float = 0.7


@dataclass(frozen=True)
class StateValues:
    status: str = NOT_STARTED
    p_mastered: float = 0.2
    practice_since_failed_check: int = 0
    last_failed_check_at: dt.datetime | None = None
    check_unlocked: bool = False


@dataclass(frozen=True)
class Eligibility:
    """Whether a check may be requested now; when not, the way back ("respawn"). A running cooldown is
    ``retry_opens_at`` (a datetime: the pages word it in the school's time zone), not one of ``reasons``."""

    allowed: bool
    reasons: list[str] = field(default_factory=list)
    practice_needed: int = 0
    retry_opens_at: dt.datetime | None = None
    # Right practice answers in a row still to give before a check asked now counts all the practice it may
    # as its first questions (``CheckPlan.carry_limit``); filled for the engine (``mastery.eligibility``).
    carry_short: int = 0


def readiness(policy: PolicyValues, state: StateValues, items_done: Readiness | None = None) -> Readiness:
    """The competency's readiness rule applied to the student's state. ``items_done`` is the answer of the
    playlists app's plugged-in rule, or None while none is plugged in."""
    if state.check_unlocked:
        return Readiness(True, "A teacher unlocked your check.")
    if policy.readiness_rule == ESTIMATE:
        if state.p_mastered >= policy.readiness_threshold:
            return Readiness(True, "Your practice shows you are likely ready.")
        return Readiness(
            False,
            f"Keep practising: your estimate is {state.p_mastered:.0%}, "
            f"a check opens at {policy.readiness_threshold:.0%}.",
        )
    if policy.readiness_rule == TEACHER_UNLOCK:
        return Readiness(False, "Your teacher unlocks this check when you are ready: ask them.")
    if policy.readiness_rule == ITEMS_DONE:
        if items_done is None:
            return Readiness(False, "The playlist rule for this check is not available yet.", available=False)
        return items_done
    return Readiness(False, f"Unknown readiness rule {policy.readiness_rule!r}.", available=False)


def retake_wait(policy: PolicyValues, state: StateValues, now: dt.datetime) -> tuple[int, dt.datetime | None]:
    """After a failed check: practice answers still needed and when the cooldown ends (None: over)."""
    if state.last_failed_check_at is None or state.check_unlocked:
        return 0, None
    needed = max(0, policy.practice_before_retake - state.practice_since_failed_check)
    opens_at = state.last_failed_check_at + dt.timedelta(minutes=policy.cooldown_minutes)
    return needed, (opens_at if opens_at > now else None)


def eligibility(
    policy: PolicyValues,
    state: StateValues,
    now: dt.datetime,
    items_done: Readiness | None = None,
    *,
    ignore_cooldown: bool = False,
) -> Eligibility:
    """May a check be requested now? ``ignore_cooldown`` answers "ready apart from the clock", which is
    what the stored status says (so it never goes stale by the mere passing of time)."""
    if state.status == MASTERED:
        return Eligibility(False, ["You have already mastered this competency."])
    reasons = []
    ready = readiness(policy, state, items_done)
    if not ready.ready:
        reasons.append(ready.reason)
    needed, opens_at = retake_wait(policy, state, now)
    if needed:
        reasons.append(f"Answer {needed} more practice question{'s' if needed != 1 else ''} first.")
    opens_at = None if ignore_cooldown else opens_at
    return Eligibility(
        not reasons and opens_at is None, reasons, practice_needed=needed, retry_opens_at=opens_at
    )


def status_for(*, mastered: bool, has_evidence: bool, eligible: bool) -> str:
    if mastered:
        return MASTERED
    if eligible:
        return READY
    return PRACTICING if has_evidence else NOT_STARTED


def passes(correct: int, total: int, threshold: float) -> bool:
    """Passed when the share correct reaches the threshold (8 of 10 at 0.8); float-safe at the boundary."""
    return total > 0 and correct >= math.ceil(threshold * total - 1e-9)


def questions_to_pass(total: int, threshold: float) -> int:
    return max(1, math.ceil(threshold * total - 1e-9))


def check_decision(right: int, wrong: int, questions: int, threshold: float) -> bool | None:
    """A check ends as soon as its result is decided: True once ``right`` reaches the pass mark on the
    check's ``questions``, False once so many are wrong that the pass mark is out of reach, None while the
    remaining questions could still go either way (4 right or 2 wrong of 5 at 0.8). The same outcome as
    grading every question (``passes``), for fewer questions: a failed check costs two or three."""
    to_pass = questions_to_pass(questions, threshold)
    if right >= to_pass:
        return True
    if wrong > questions - to_pass:
        return False
    return None


def check_end_line(
    right: int, wrong: int, questions: int, threshold: float, competency: str, carried: int = 0
) -> str:
    """Why a check ended (the student reads it): "4 of 4 right: passed", "2 wrong: not yet, practise X".
    ``right`` counts the ``carried`` practice answers (:func:`carried_practice`), which the line names."""
    answered = right + wrong
    passed = check_decision(right, wrong, questions, threshold)
    if passed is None:
        passed = passes(right, answered, threshold)
    early = answered < questions
    if passed:
        line = f"{right} of {answered} right"
        line += f", {_carried_words(carried)}: passed." if carried else ": passed."
        return f"{line} The check stopped there: the pass mark was reached." if early else line
    line = f"{wrong} wrong: not yet, practise {competency}."
    if early:
        to_pass = questions_to_pass(questions, threshold)
        line += f" The check stopped there: {to_pass} of {questions} right could no longer be reached."
    if carried:
        line += (
            f" Your last {carried} right practice answers counted as its first {carried} questions."
            if carried > 1
            else " Your last right practice answer counted as its first question."
        )
    return line


# --- right practice answers just before a check count as its first questions --------------------------------

CARRIED_PRACTICE_MAX = 2
CARRIED_PRACTICE_WITHIN = dt.timedelta(days=3)


@dataclass(frozen=True)
class PracticeMark:
    """One practice answer on the competency, as :func:`carried_practice` needs it."""

    answer_id: int
    correct: bool
    at: dt.datetime


def carried_practice(
    answers: Sequence[PracticeMark],
    *,
    to_pass: int,
    now: dt.datetime,
    since: dt.datetime | None = None,
    already_carried: Iterable[int] = (),
    maximum: int = CARRIED_PRACTICE_MAX,
    within: dt.timedelta = CARRIED_PRACTICE_WITHIN,
) -> tuple[int, ...]:
    """The practice answers a check starting ``now`` counts as its first questions, oldest first (their ids).

    ``answers`` are the student's practice answers on the competency, in the order given. The right answers
    at the end of that sequence, in a row, carry: at most ``maximum`` (``CARRIED_PRACTICE_MAX``, 2) and at
    most ``to_pass`` − 1, so a check is never passed on practice alone — at least one question is always
    asked (a 5-question check at 0.8 carries 2 and needs 2 more right of the 3 left; a 2-question check
    carries 1). The run ends at the latest wrong answer, and at any answer that cannot carry:

    - answered at or before ``since``, the end of the student's previous check on this competency (its
      start if it never ended): what was before the last check was that check's evidence, or came before a
      failure, and is not "just before" this one;
    - already carried into another check (``already_carried``): an answer counts at most once;
    - older than ``within`` (``CARRIED_PRACTICE_WITHIN``, 3 days) before ``now``. A window, because a
      carried answer stands for what the student knows *now*: the practice that opened the check, not
      a streak left from another unit. Three calendar days keep "practised at the end of Friday's lesson,
      checked on Monday" (and any next-day lesson) and drop answers from before a week away; in the
      simulation (1.2% forgetting a school day) what is known three days later is still known.

    The carried answers are evidence once: as practice they already updated the estimate; the check only
    counts them toward its pass mark (the check's ledger row names them)."""
    limit = max(0, min(maximum, to_pass - 1))
    earliest = now - within
    used = set(already_carried)
    carried: list[int] = []
    for answer in reversed(answers):
        if len(carried) >= limit:
            break
        if (
            not answer.correct
            or answer.answer_id in used
            or (since is not None and answer.at <= since)
            or answer.at < earliest
            or answer.at > now
        ):
            break
        carried.append(answer.answer_id)
    return tuple(reversed(carried))


def _carried_words(carried: int) -> str:
    return f"the first {carried} from your practice" if carried > 1 else "the first from your practice"


def carried_line(carried: int, questions: int, to_pass: int, competency: str) -> str:
    """What the student reads before the check starts: which practice answers count, and what is left.
    Empty when none carry."""
    if not carried:
        return ""
    left, more = questions - carried, to_pass - carried
    if carried == 1:
        head = f"Your last practice answer on {competency} was right: it counts as the check's first question"
    else:
        head = (
            f"Your last {carried} practice answers on {competency} were right: they count as the check's "
            f"first {carried} questions"
        )
    return f"{head}; {left} to go, and {more} more right pass{'es' if more == 1 else ''} it."


@dataclass(frozen=True)
class Event:
    """One ledger row, as the replay needs it."""

    source: str
    outcome: float | None = None
    detail: dict = field(default_factory=dict)


def replay(events: Iterable[Event], params: BKTParams) -> tuple[bool, float, bool]:
    """Recompute (mastered, P(mastered), has_evidence) from the ledger alone, in order.

    Answers, rubric scores and external tools' scores update the estimate (a graded score counts as a
    correct observation when at or above the pass share); a workshop attended is a lesson (the learning
    step only, no observation); a passed check masters, an invalidation withdraws that check, an override
    sets mastery until later evidence says otherwise. A revised graded score (or workshop attendance)
    supersedes the earlier one.
    """
    events = list(events)
    # A re-scored rubric replaces its earlier score (same ``score_key``): only the latest one is evidence.
    latest_score = {e.detail["score_key"]: i for i, e in enumerate(events) if e.detail.get("score_key")}
    p, has_evidence, valid_passes, overridden = params.p_init, False, set(), None
    for index, event in enumerate(events):
        key = event.detail.get("score_key")
        if event.source in ("rubric_score", "tool_score", "workshop") and key and latest_score[key] != index:
            continue
        if event.source in ("answer", "rubric_score", "tool_score"):
            has_evidence = True
            p = update(p, (event.outcome or 0.0) >= event.detail.get("correct_at", 1.0), params)
        elif event.source == "workshop":
            if event.detail.get("present"):
                has_evidence = True
                p = taught(p, params)
        elif event.source == "check":
            has_evidence = True
            if event.detail.get("passed"):
                valid_passes.add(event.detail.get("check_id"))
                overridden = None
        elif event.source == "invalidation":
            valid_passes.discard(event.detail.get("check_id"))
        elif event.source == "override":
            has_evidence = True
            overridden = bool(event.detail.get("mastered"))
    mastered = overridden if overridden is not None else bool(valid_passes)
    return mastered, p, has_evidence


# --- the size of a check: what the bank can really supply -------------------------------------------------

MIN_CHECK_QUESTIONS = 3  # fewer questions than this do not show mastery (unless the policy asks for fewer)


@dataclass(frozen=True)
class CheckPlan:
    """What a student's check really is now: the number of questions the bank can supply without reusing a
    question the student practised recently, and the pass mark on that number. Pages state it, the draw
    follows it, grading applies the same threshold to the same number."""

    asked: int  # the policy's check size
    bank_size: int  # active questions in the bank
    available: int  # questions the bank can supply for this student now
    questions: int  # the real number of questions
    to_pass: int  # right answers needed, on the real number
    minimum: int  # below this the check does not open
    exclusion_days: int
    fresh_again_at: dt.datetime | None = None  # when enough practised questions are old enough again
    pass_threshold: float = 0.8
    carried: int = 0  # right practice answers counted as its first questions (``carried_practice``)
    carry_limit: int = 0  # the most it may count: never enough to pass, always a question drawn

    @property
    def drawn(self) -> int:
        """The questions drawn from the bank: the check's questions less the carried practice answers."""
        return self.questions - self.carried

    @property
    def short(self) -> bool:
        return self.questions < self.asked

    def carrying(self, carried: int) -> CheckPlan:
        """This check counting ``carried`` right practice answers as its first questions. They take the
        first places and the bank still supplies as many fresh questions as it can up to the policy's size:
        ``carried`` + min(available, size − ``carried``) questions, the pass mark on that number. A full bank
        keeps the policy's size; a short one grows back toward it (2 carried and a bank of 3 fresh make a
        check of 5 at 4 right, where the bank alone makes 3 at 3 right: passed on one fresh answer)."""
        if not 0 <= carried <= self.carry_limit:
            raise ValueError(f"this check counts at most {self.carry_limit} practice answers, not {carried}")
        questions = carried + min(self.available, self.asked - carried)
        return dataclasses.replace(
            self,
            carried=carried,
            questions=questions,
            to_pass=questions_to_pass(questions or self.asked, self.pass_threshold),
        )

    @property
    def shortfall(self) -> int:
        """Questions the bank lacks for the policy's check size, before any practice is left out."""
        return max(0, self.asked - self.bank_size)

    @property
    def can_run(self) -> bool:
        return self.questions >= self.minimum

    @property
    def reason(self) -> str:
        """Why the check cannot open (student-facing, no time in it: pages show ``fresh_again_at`` in the
        school's time); empty when it can."""
        if self.can_run:
            return ""
        if self.bank_size == 0:
            return "This competency has no questions yet: ask your teacher."
        if self.bank_size < self.minimum:
            return (
                f"Your check cannot open yet: the question bank has only {self.bank_size} question"
                f"{'s' if self.bank_size != 1 else ''} and a check needs at least {self.minimum}. "
                "Your teacher sees this on the bank page."
            )
        return (
            f"Your check cannot open yet: the question bank has only {self.available} question"
            f"{'s' if self.available != 1 else ''} you have not practised in the last {self.exclusion_days} "
            f"day{'s' if self.exclusion_days != 1 else ''}, and a check needs at least {self.minimum} "
            "(a check never repeats a question you just practised). Your teacher sees this on the bank page."
        )


def check_plan(
    *,
    check_size: int,
    pass_threshold: float,
    active_questions: int,
    practised_at: Iterable[dt.datetime] = (),
    exclusion_days: int = 0,
    carry_at_most: int = CARRIED_PRACTICE_MAX,
) -> CheckPlan:
    """The real check for one student: at most ``check_size`` questions, never one of the questions they
    practised in the last ``exclusion_days`` days (``practised_at``: when each such active question was last
    answered), the pass mark recomputed on the real number (``questions_to_pass``). Never a silent smaller
    check: pages show ``questions`` and ``to_pass``; below ``minimum`` the check does not open, and
    ``fresh_again_at`` says when enough practised questions are old enough to be used again. Whether it
    opens depends on the bank alone; the plan of a check that counts right practice answers as its first
    questions is :meth:`CheckPlan.carrying` (:func:`carry_into` finds them)."""
    practised = sorted(practised_at)
    available = max(0, active_questions - len(practised))
    questions = min(check_size, available)
    minimum = max(1, min(check_size, MIN_CHECK_QUESTIONS))
    fresh_again_at = None
    missing = minimum - available
    if 0 < missing <= len(practised) and exclusion_days:
        fresh_again_at = practised[missing - 1] + dt.timedelta(days=exclusion_days)
    plan = CheckPlan(
        asked=check_size,
        bank_size=active_questions,
        available=available,
        questions=questions,
        to_pass=questions_to_pass(questions or check_size, pass_threshold),
        minimum=minimum,
        exclusion_days=exclusion_days,
        fresh_again_at=fresh_again_at,
        pass_threshold=pass_threshold,
    )
    if not plan.can_run:
        return plan
    return dataclasses.replace(
        plan, carry_limit=_carry_limit(check_size, available, pass_threshold, carry_at_most)
    )


def _carry_limit(check_size: int, available: int, pass_threshold: float, at_most: int) -> int:
    """The most practice answers a check may count as its first questions: fewer than its pass mark on
    its grown size (never passed on practice alone) and at least one question drawn from the bank. Any
    fewer are allowed too (the pass mark loses at most one per answer fewer)."""
    for carried in range(at_most, 0, -1):
        fresh = min(available, check_size - carried)
        if fresh >= 1 and carried < questions_to_pass(carried + fresh, pass_threshold):
            return carried
    return 0


def carry_into(
    plan: CheckPlan,
    answers: Sequence[PracticeMark],
    *,
    now: dt.datetime,
    since: dt.datetime | None = None,
    already_carried: Iterable[int] = (),
) -> tuple[CheckPlan, tuple[int, ...]]:
    """The check of ``plan`` starting ``now`` with the right practice answers it counts as its first
    questions (:func:`carried_practice`, bounded by the plan's ``carry_limit``), and those answers' ids.
    The check's start, the competency page's note, the API's preview and the simulation call this."""
    if not plan.can_run or not plan.carry_limit:
        return plan, ()
    carried = carried_practice(
        answers,
        to_pass=plan.carrying(plan.carry_limit).to_pass,
        now=now,
        since=since,
        already_carried=already_carried,
        maximum=plan.carry_limit,
    )
    return plan.carrying(len(carried)), carried
