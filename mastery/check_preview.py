"""What a mastery check asked for now would be, before it is asked: the student's competency page and the
API's preview read this one answer.

It puts together what the check's start decides (``mastery.services.checks``): the readiness and retake
verdict, the check the bank can supply, and the right practice answers it would count as its first
questions (``rules.carry_into``, the same rule, applied to the same facts, now). Nothing is written: the
carried answers are only named; the check's start decides them again when it is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from mastery import rules, selectors, services
from mastery.models import CheckAttempt, MasteryPolicy, MasteryState, MasteryStatus
from playlists.models import Competency

WAITING = "waiting"  # ready by the rule, but not now: a retry time or a bank that cannot supply the check


@dataclass(frozen=True)
class CheckPreview:
    competency: Competency
    state: MasteryState
    policy: MasteryPolicy
    plan: rules.CheckPlan  # with the practice answers it would carry (``plan.carried``)
    eligibility: rules.Eligibility
    open_attempt: CheckAttempt | None
    carried_answer_ids: tuple[int, ...]

    @property
    def can_request(self) -> bool:
        """A check asked for now opens (or goes to a teacher for approval): no open one, not mastered,
        the rules allow it and the bank can supply it."""
        return (
            self.open_attempt is None
            and self.state.status != MasteryStatus.MASTERED
            and self.eligibility.allowed
            and self.plan.can_run
        )

    @property
    def status_now(self) -> str:
        """The stored status is "ready apart from the clock" (it never goes stale); this is the verdict of
        now, so "ready" never stands above a retry time or a bank that cannot supply the check yet."""
        if self.state.status == MasteryStatus.READY and not (self.eligibility.allowed and self.plan.can_run):
            return WAITING
        return self.state.status

    @property
    def reasons(self) -> list[str]:
        """Why a check cannot be asked for now, in the words the student reads (empty when it can)."""
        if self.open_attempt is not None or self.state.status == MasteryStatus.MASTERED:
            return list(self.eligibility.reasons)
        reasons = list(self.eligibility.reasons)
        if self.eligibility.allowed and not self.plan.can_run:
            reasons.append(self.plan.reason)
        return reasons

    @property
    def carried_line(self) -> str:
        return rules.carried_line(
            self.plan.carried, self.plan.questions, self.plan.to_pass, self.competency.code
        )


def check_preview(*, student, competency: Competency) -> CheckPreview:
    """The check ``student`` would get by asking now. The practice answers that would carry are looked up
    only when a check could be asked for (one query more)."""
    state = selectors.state_for(student=student, competency=competency)
    policy = selectors.policy_for(competency=competency)
    plan = selectors.check_supply(student=student, competency=competency, policy=policy).plan
    eligibility = services.check_eligibility(student=student, competency=competency)
    open_attempt = (
        selectors.attempts_of(student=student)
        .filter(
            competency=competency,
            status__in=[CheckAttempt.Status.AWAITING_APPROVAL, CheckAttempt.Status.IN_PROGRESS],
        )
        .first()
    )
    preview = CheckPreview(competency, state, policy, plan, eligibility, open_attempt, ())
    if not preview.can_request:
        return preview
    plan, carried = selectors.carried_practice_for(student=student, competency=competency, plan=plan)
    return CheckPreview(competency, state, policy, plan, eligibility, open_attempt, carried)
