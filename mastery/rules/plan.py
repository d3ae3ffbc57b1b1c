"""The size of a check: what the bank can really supply without reusing recent practice, the pass mark on
that number, and how many carried practice answers it takes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mastery.rules.carried import CARRIED_PRACTICE_MAX, PracticeMark, carried_practice
from mastery.rules.decisions import questions_to_pass

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
