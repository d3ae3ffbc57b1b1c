"""The ways of teaching the simulated class, each a callable giving a learner's next action.

The four ways of teaching (same students, same attendance, each from the same seed):

- ``class_paced``: the traditional classroom — the class takes competency ``day mod K`` that day: everyone
  does ``SLOTS_PER_DAY − CHECK_QUESTIONS`` practice items on it, then the check (already certified: practice
  only). Absent: missed.
- ``fixed_order``: self-paced mastery in a fixed order — ``FIXED_BLOCK`` practice items then the check,
  again until passed, then the next competency (the baseline before the engine).
- ``policy``: our engine, ``engine.policy.recommend`` as it is, its first recommendation each time, with the
  product's check: it stops once decided (``rules.check_decision``) and counts up to two right practice
  answers given just before it as its first questions (``rules.carry_into``, the product's rule); while an
  open check would count fewer than it may, Next up suggests practice on it first (``check_carry_short``).
- ``oracle``: knows the true state — relearns a certified competency the student forgot, takes a check
  only when the student knows the competency, else practises the learnable competency it learns fastest.
"""

from collections.abc import Callable

from engine.policy import (
    Thresholds,
    recommend,
)
from engine.simulation.learner import (
    Learner,
)
from engine.simulation.world import (
    CHECK_POLICY,
    CHECK_QUESTIONS,
    FIXED_BLOCK,
    PLACEMENT_MISSES,
    PRODUCT_CHECK_POLICY,
    SLOTS_PER_DAY,
)

# A way of teaching: given the learner, the school day and the slots left today, the next action.
Action = tuple[str, int] | None
Teaching = Callable[[Learner, int, int], Action]


class ClassPaced:
    def __init__(self):
        self.day, self.practised, self.checked = -1, 0, False

    def __call__(self, learner: Learner, day: int, slots_left: int) -> Action:
        if day != self.day:
            self.day, self.practised, self.checked = day, 0, False
        competency_id = learner.framework[day % len(learner.framework)].competency_id
        certified = competency_id in learner.certified
        block = SLOTS_PER_DAY - CHECK_QUESTIONS
        room = slots_left > (0 if certified else CHECK_QUESTIONS)
        if self.practised < block and room:
            self.practised += 1
            return ("practice", competency_id)
        if not certified and not self.checked:
            self.checked = True
            return ("check", competency_id)
        return None


class FixedOrder:
    def __init__(self):
        self.cycle = 0

    def __call__(self, learner: Learner, day: int, slots_left: int) -> Action:
        competency_id = next(
            (c.competency_id for c in learner.framework if c.competency_id not in learner.certified), None
        )
        if competency_id is None:
            return None
        if self.cycle < FIXED_BLOCK:
            self.cycle += 1
            return ("practice", competency_id)
        self.cycle = 0
        return ("check", competency_id)


class OurPolicy:
    """The engine's next-item policy with the product's check (issue 15 part 3, adopted): the check stops
    as soon as its result is decided (``rules.check_decision``), opens at the product's default readiness
    estimate (``rules.PolicyValues``: 0.70), since a failed check now costs two or three slots, and counts
    the right practice answers that opened it as its first questions (``rules.carry_into``); Next up puts
    practice on it first while it would count fewer than it may (the platform's ``check_carry_short``)."""

    stop_checks_when_decided = True
    carry_practice = True
    practice_before_short_checks = True
    check_policy = PRODUCT_CHECK_POLICY

    def __init__(self, thresholds: Thresholds | None = None):
        self.thresholds = thresholds or Thresholds(max_recommendations=1)

    def __call__(self, learner: Learner, day: int, slots_left: int) -> Action:
        recommendations = recommend(learner.snapshot(day), self.thresholds)
        if not recommendations:
            return None
        first = recommendations[0]
        competency_id = first.competency_id or first.item_id
        return ("check" if first.kind == "check" else "practice", competency_id)


class OurPolicyFullChecks(OurPolicy):
    """The policy as it was before part 3 was adopted (kept to measure the change on the same students):
    every check runs its five questions and opens at an estimate of 0.85."""

    stop_checks_when_decided = False
    carry_practice = False
    check_policy = CHECK_POLICY


class OurPolicyNoCarry(OurPolicy):
    """The policy before the carried practice answers were adopted (kept for the before/after figure):
    every check question is asked, none carried from practice."""

    carry_practice = False


class OurPolicyCheckFirst(OurPolicy):
    """The policy before Next up suggested practice ahead of a check short of its carried answers (kept for
    the before/after figure): the open check first, whatever it would carry."""

    practice_before_short_checks = False


class OurPolicyPlacement(OurPolicy):
    """Issue 15 part 3, measured: a short adaptive placement (test-out) when the student starts — the
    framework's checks in order, while they pass; it ends at the ``PLACEMENT_MISSES``-th failed one (or a
    locked competency), and the policy takes over. A passed placement check certifies the competency, as a
    check does; a failed one is evidence like any failed check."""

    def __init__(self, thresholds: Thresholds | None = None):
        super().__init__(thresholds)
        self.placing, self.misses, self.seen_failures = True, 0, 0

    def __call__(self, learner: Learner, day: int, slots_left: int) -> Action:
        if self.placing:
            self.misses += len(learner.failed_checks) - self.seen_failures
            self.seen_failures = len(learner.failed_checks)
            tried = {f.competency_id for f in learner.failed_checks}
            candidate = next(
                (
                    c
                    for c in learner.framework
                    if c.competency_id not in learner.certified and c.competency_id not in tried
                ),
                None,
            )
            if (
                candidate is None
                or self.misses >= PLACEMENT_MISSES
                or not all(p in learner.certified for p in candidate.prerequisites)
            ):
                self.placing = False
            else:
                return ("check", candidate.competency_id)
        return super().__call__(learner, day, slots_left)


class Oracle:
    def __call__(self, learner: Learner, day: int, slots_left: int) -> Action:
        framework = learner.framework
        for c in framework:
            cid = c.competency_id
            if cid in learner.certified and not learner.known[cid] and learner.ready(cid):
                return ("practice", cid)
        for c in framework:
            cid = c.competency_id
            if cid not in learner.certified and learner.known[cid]:
                return ("check", cid)
        learnable = [
            c.competency_id
            for c in framework
            if c.competency_id not in learner.certified and learner.ready(c.competency_id)
        ]
        if not learnable:
            return None
        return ("practice", max(learnable, key=lambda cid: (learner.learn_rate(cid, day), -cid)))


TEACHINGS: dict[str, Callable[[], Teaching]] = {
    "class_paced": ClassPaced,
    "fixed_order": FixedOrder,
    "policy": OurPolicy,
    "oracle": Oracle,
}
# Variants measured beside the policy: the policy as it was before a change (for the before/after figures)
# and remedies not adopted (bench only: they are not the engine's behaviour).
REMEDIES: dict[str, Callable[[], Teaching]] = {
    "policy as before: full checks opening at 0.85": OurPolicyFullChecks,
    "policy, placement": OurPolicyPlacement,
    "policy as before: no practice answers carried into the check": OurPolicyNoCarry,
    "policy as before: the open check first, whatever it would carry": OurPolicyCheckFirst,
}
