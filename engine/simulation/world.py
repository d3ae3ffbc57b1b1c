"""The simulated world: one term, its framework, its students (mixed ability, three kinds of struggling),
and the ground truth of who is struggling. Pure Python, seeded, no Django.

The world (one term of ``TERM_DAYS`` school days, ``SLOTS_PER_DAY`` answer slots on a present day; a mastery
check is ``CHECK_QUESTIONS`` slots, passed with ``CHECK_PASS`` right):

- **Framework**: clusters of three competencies; each competency after the first cluster needs one of the
  cluster before it. Difficulty varies: the learning rate per practice answer is drawn from 0.10–0.40,
  guess 0.10–0.25, slip 0.05–0.12.
- **Students** (mixed ability): an ordinary student's ability multiplies every learning rate by
  exp(N(0, 0.2)), clipped to 0.6–1.6. About a third (``PRIOR_KNOWERS``) already know 30–60% of the framework
  (mostly its first competencies); the others know a few (5% each). Half of the ordinary students find one
  competency hard (learning rate × ``HARD_FACTOR``): they must *not* be flagged as struggling.
- **Learning and forgetting**: practising a competency whose prerequisites the student truly knows teaches
  it with the student's rate; answers are right with 1 − slip when known, guess when not. Every school day
  a known competency is not practised, it is forgotten with probability ``FORGET_PER_DAY`` / strength;
  strength grows by one for every day it is practised while known (prior knowledge starts at 3).
- **Struggling students**, three kinds (``KIND_SHARES``): *slow* from the start (ability 0.15–0.30);
  *disengaged* from an onset day (school day 5–30) on — present on 45% of school days instead of 93%, doing
  20–45% of the usual work when present, learning at 60% of their rate; *blocked* by one competency they
  cannot learn without help (learning rate 0 on it; 3rd–15th of the framework, so they meet it).

**Ground truth**, per student-day, defined once (``Learner.truly_struggling``, in ``learner``): a student is
truly struggling on a school day when their learning multiplier is at most ``SLOW_BELOW`` of the typical
student's (slow), or their expected work that day is under ``ENGAGED_BELOW`` of an ordinary student's
(disengaged), or they are blocked: they have practised a competency ``BLOCKED_AFTER`` times or more while they
could not learn it (their rate on it is 0, or a prerequisite is not truly known: passed by luck or forgotten)
and still cannot. A blocked student of the third kind is therefore struggling from their fifth answer on their
blocker; an ordinary student stuck behind a forgotten prerequisite is struggling too, until they relearn it.
Days after a student certified the whole framework are not counted (nothing is left to struggle with).
"""

import datetime as dt
import random
from dataclasses import dataclass
from enum import StrEnum

from engine.policy.attention import (
    WINDOW_SCHOOL_DAYS,
)
from mastery import rules
from mastery.bkt import BKTParams

# Mastery's own readiness rule decides when a check opens (the snapshot carries the verdict, as on the
# platform). The baselines' check: the estimate at 85%, every question asked; no cooldown and no practice
# owed after a failed check in this world.
CHECK_POLICY = rules.PolicyValues(readiness_threshold=0.85, cooldown_minutes=0, practice_before_retake=0)
# The product's check as our policy uses it: the school's default readiness estimate (0.70), the default
# check (5 questions, pass at 0.8), stopping when decided (``rules.check_decision``).
PRODUCT_CHECK_POLICY = rules.PolicyValues(cooldown_minutes=0, practice_before_retake=0)

TERM_DAYS = 60
FIRST_WEEKS_DAYS = 20  # the first four weeks
SLOTS_PER_DAY = 15
CHECK_QUESTIONS = CHECK_POLICY.check_size
CHECK_PASS = rules.questions_to_pass(CHECK_QUESTIONS, CHECK_POLICY.pass_threshold)
# The world's question banks always supply a full check (no bank is short, no question left out after
# practice): the product's plan of such a bank (``rules.check_plan``), as every check starts from it.
BANK_PLAN = rules.check_plan(
    check_size=CHECK_QUESTIONS, pass_threshold=CHECK_POLICY.pass_threshold, active_questions=CHECK_QUESTIONS
)
FIXED_BLOCK = 4
PRIOR_KNOWERS = 1 / 3
POPULATION_PRIOR = 0.18
FORGET_PER_DAY = 0.012
HARD_FACTOR = 0.4
SLOW_BELOW = 0.35
ENGAGED_BELOW = 0.5
BLOCKED_AFTER = 5
PRESENT_ORDINARY, PRESENT_DISENGAGED = 0.93, 0.45
DISENGAGED_LEARNING = 0.6
PLACEMENT_MISSES = 2  # a placement ends at its second failed check
DETECTOR_WINDOW = WINDOW_SCHOOL_DAYS  # school days of history the detector reads
OLD_STRUGGLE_KINDS = ("wheel_spinning", "failed_checks", "inactive", "falling_trend", "behind_pace")
DAY_ZERO = dt.date(2026, 9, 7)  # a Monday


class Kind(StrEnum):
    ORDINARY = "ordinary"
    SLOW = "slow"
    DISENGAGED = "disengaged"
    BLOCKED = "blocked"


KIND_SHARES = ((Kind.ORDINARY, 0.76), (Kind.SLOW, 0.08), (Kind.DISENGAGED, 0.08), (Kind.BLOCKED, 0.08))


def school_date(day: int) -> dt.date:
    weeks, rest = divmod(day, 5)
    return DAY_ZERO + dt.timedelta(days=weeks * 7 + rest)


def school_moment(day: int) -> dt.datetime:
    """A school day as a moment (the world has no hours: everything of a day happens at its noon)."""
    return dt.datetime.combine(school_date(day), dt.time(12))


@dataclass(frozen=True)
class SimCompetency:
    competency_id: int
    code: str
    prerequisites: frozenset[int]
    truth: BKTParams  # the typical student's; ``p_init`` unused (prior knowledge is per student)


def make_framework(size: int, rng: random.Random) -> list[SimCompetency]:
    framework = []
    for n in range(size):
        prerequisites = frozenset({n - 3 - n % 3 + rng.randrange(3) + 1}) if n >= 3 else frozenset()
        truth = BKTParams(
            p_init=POPULATION_PRIOR,
            p_learn=rng.uniform(0.10, 0.40),
            p_guess=rng.uniform(0.10, 0.25),
            p_slip=rng.uniform(0.05, 0.12),
        )
        framework.append(SimCompetency(n + 1, f"SIM.{n + 1}", prerequisites, truth))
    return framework


@dataclass(frozen=True)
class Profile:
    """A student's traits and attendance: the same whichever way they are taught."""

    student_id: int
    kind: Kind
    ability: float
    known_at_start: frozenset[int]
    hard_competency: int | None
    blocker: int | None
    onset: int  # first disengaged school day (disengaged students only)
    present: tuple[bool, ...]
    slots: tuple[int, ...]
    seed: int

    def disengaged_on(self, day: int) -> bool:
        return self.kind is Kind.DISENGAGED and day >= self.onset

    def engagement(self, day: int) -> float:
        """Expected work that day against an ordinary student's."""
        if not self.disengaged_on(day):
            return 1.0
        return PRESENT_DISENGAGED / PRESENT_ORDINARY * 0.33

    def learning_factor(self, competency_id: int, day: int) -> float:
        factor = self.ability
        if competency_id == self.hard_competency:
            factor *= HARD_FACTOR
        if competency_id == self.blocker:
            factor = 0.0
        if self.disengaged_on(day):
            factor *= DISENGAGED_LEARNING
        return factor


def make_class(students: int, framework: list[SimCompetency], rng: random.Random) -> list[Profile]:
    size = len(framework)
    profiles = []
    for n in range(students):
        draw, kind = rng.random(), Kind.ORDINARY
        for candidate, share in KIND_SHARES:
            if draw < share:
                kind = candidate
                break
            draw -= share
        ability = min(max(rng.lognormvariate(0.0, 0.2), 0.6), 1.6)
        if kind is Kind.SLOW:
            ability = rng.uniform(0.15, 0.30)
        if rng.random() < PRIOR_KNOWERS:
            share = rng.uniform(0.3, 0.6)
            first = round(share * size)
            known = {c.competency_id for c in framework[:first] if rng.random() < 0.9}
            known |= {c.competency_id for c in framework[first:] if rng.random() < 0.1}
        else:
            known = {c.competency_id for c in framework if rng.random() < 0.05}
        hard = rng.randrange(4, size + 1) if kind is Kind.ORDINARY and rng.random() < 0.5 else None
        blocker = rng.randrange(3, min(15, size) + 1) if kind is Kind.BLOCKED else None
        if blocker is not None:
            known.discard(blocker)
        onset = rng.randrange(5, 31) if kind is Kind.DISENGAGED else TERM_DAYS
        present, slots = [], []
        for day in range(TERM_DAYS):
            disengaged = kind is Kind.DISENGAGED and day >= onset
            present.append(rng.random() < (PRESENT_DISENGAGED if disengaged else PRESENT_ORDINARY))
            share = rng.uniform(0.2, 0.45) if disengaged else rng.uniform(0.75, 1.15)
            slots.append(max(1, round(SLOTS_PER_DAY * share)))
        profiles.append(
            Profile(
                n + 1, kind, ability, frozenset(known), hard, blocker, onset, tuple(present), tuple(slots),
                rng.randrange(2**31),
            )
        )  # fmt: skip
    return profiles


def platform_params(competency: SimCompetency) -> BKTParams:
    """The platform's fitted parameters: the typical student's, from the class's prior."""
    t = competency.truth
    return BKTParams(POPULATION_PRIOR, t.p_learn, t.p_guess, t.p_slip)
