"""A realistic simulated class, run through four ways of teaching it. Pure Python, seeded, no Django.

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

**Ground truth**, per student-day, defined once (:func:`truly_struggling`): a student is truly struggling on
a school day when their learning multiplier is at most ``SLOW_BELOW`` of the typical student's (slow), or
their expected work that day is under ``ENGAGED_BELOW`` of an ordinary student's (disengaged), or they are
blocked: they have practised a competency ``BLOCKED_AFTER`` times or more while they could not learn it
(their rate on it is 0, or a prerequisite is not truly known: passed by luck or forgotten) and still cannot.
A blocked student of the third kind is therefore struggling from their fifth answer on their blocker; an
ordinary student stuck behind a forgotten prerequisite is struggling too, until they relearn it. Days after
a student certified the whole framework are not counted (nothing is left to struggle with).

The platform sees what a school sees: answers, checks, days. Its BKT parameters per competency are the
typical student's (as a fit on the school's data would give: part 4 of issue 15); P(known) before any answer
is the class's share who know it (``POPULATION_PRIOR``).

The four ways of teaching (same students, same attendance, each from the same seed):

- ``class_paced``: the traditional classroom — the class takes competency ``day mod K`` that day: everyone
  does ``SLOTS_PER_DAY − CHECK_QUESTIONS`` practice items on it, then the check (already certified: practice
  only). Absent: missed.
- ``fixed_order``: self-paced mastery in a fixed order — ``FIXED_BLOCK`` practice items then the check,
  again until passed, then the next competency (the baseline before the engine).
- ``policy``: our engine, ``engine.policy.recommend`` as it is, its first recommendation each time, with the
  product's check: it stops once decided (``rules.check_decision``) and counts up to two right practice
  answers given just before it as its first questions (``rules.carried_practice``, the product's rule).
- ``oracle``: knows the true state — relearns a certified competency the student forgot, takes a check
  only when the student knows the competency, else practises the learnable competency it learns fastest.
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from engine.attention_evidence import EvidenceTrace
from engine.policy import (
    CompetencyView,
    ItemView,
    PlaylistView,
    StudentSnapshot,
    Thresholds,
    evaluate_flags,
    recommend,
)
from engine.policy.attention import (
    WINDOW_SCHOOL_DAYS,
    AnswerEvidence,
    AttentionInput,
    AttentionSettings,
    FailedCheck,
    SchoolDay,
    needs_attention,
)
from engine.policy.snapshot import MasteryLevel, Progress
from mastery import rules
from mastery.bkt import BKTParams, predict_correct, update

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


@dataclass
class Learner:
    """One student's true state and what the platform has seen of them, under one way of teaching."""

    profile: Profile
    framework: list[SimCompetency]
    check_policy: rules.PolicyValues = CHECK_POLICY
    rng: random.Random = field(init=False)
    known: dict[int, bool] = field(default_factory=dict)
    strength: dict[int, int] = field(default_factory=dict)
    certified: dict[int, int] = field(default_factory=dict)  # competency → school day
    estimate: dict[int, float] = field(default_factory=dict)
    traces: dict[int, EvidenceTrace] = field(default_factory=dict)  # the detector's evidence, per competency
    answers_unmastered: dict[int, int] = field(default_factory=dict)
    correct_unmastered: dict[int, int] = field(default_factory=dict)
    failed_in_a_row: dict[int, int] = field(default_factory=dict)
    failed_checks: list[FailedCheck] = field(default_factory=list)
    last_practised: dict[int, int] = field(default_factory=dict)
    results: list[bool] = field(default_factory=list)
    practice_answers: int = 0
    check_questions: int = 0
    practice_on_known: int = 0  # practice on a competency the student knew and had not certified
    slots_at_done: int | None = None
    practice_at_done: int | None = None
    done_day: int | None = None
    last_active_day: int | None = None
    unlearnable_answers: dict[int, int] = field(default_factory=dict)  # practice while it could not be learnt
    days: list[SchoolDay] = field(default_factory=list)
    today: list[AnswerEvidence] = field(default_factory=list)
    practised_today: set[int] = field(default_factory=set)
    # Practice answers per competency since its last check (the product's "since the previous check"),
    # as ``rules.carried_practice`` reads them; ``answer_ids`` numbers them as the platform would.
    practice_since_check: dict[int, list[rules.PracticeMark]] = field(default_factory=dict)
    answer_ids: int = 0

    def __post_init__(self):
        self.rng = random.Random(self.profile.seed)
        self.params = {c.competency_id: platform_params(c) for c in self.framework}
        for c in self.framework:
            known = c.competency_id in self.profile.known_at_start
            self.known[c.competency_id] = known
            self.strength[c.competency_id] = 3 if known else 0
            self.estimate[c.competency_id] = POPULATION_PRIOR
            self.traces[c.competency_id] = EvidenceTrace(c.competency_id, self.params[c.competency_id])

    def by_id(self, competency_id: int) -> SimCompetency:
        return self.framework[competency_id - 1]

    def done(self) -> bool:
        return len(self.certified) == len(self.framework)

    def ready(self, competency_id: int) -> bool:
        return all(self.known[p] for p in self.by_id(competency_id).prerequisites)

    def learn_rate(self, competency_id: int, day: int) -> float:
        rate = self.by_id(competency_id).truth.p_learn * self.profile.learning_factor(competency_id, day)
        return min(rate, 0.95)

    def learnable(self, competency_id: int, day: int) -> bool:
        return self.ready(competency_id) and self.learn_rate(competency_id, day) > 0

    def _answer(self, competency_id: int) -> bool:
        truth = self.by_id(competency_id).truth
        if self.known[competency_id]:
            return self.rng.random() >= truth.p_slip
        return self.rng.random() < truth.p_guess

    def _observe(self, competency_id: int, correct: bool, *, check: bool) -> None:
        params = self.params[competency_id]
        if competency_id in self.certified:
            p = predict_correct(self.estimate[competency_id], params)
            self.today.append(AnswerEvidence(competency_id, correct, p, p, p, check=check, review=True))
        else:
            self.today.append(self.traces[competency_id].observe(correct, check=check))
        self.estimate[competency_id] = update(self.estimate[competency_id], correct, params)

    def practise(self, competency_id: int, day: int) -> None:
        if competency_id not in self.certified and self.known[competency_id]:
            self.practice_on_known += 1
        correct = self._answer(competency_id)
        self._observe(competency_id, correct, check=False)
        if not self.known[competency_id]:
            if self.learnable(competency_id, day):
                if self.rng.random() < self.learn_rate(competency_id, day):
                    self.known[competency_id] = True
                    self.strength[competency_id] = 0
            elif competency_id not in self.certified:
                self.unlearnable_answers[competency_id] = self.unlearnable_answers.get(competency_id, 0) + 1
        self.practice_answers += 1
        self.answer_ids += 1
        self.practice_since_check.setdefault(competency_id, []).append(
            rules.PracticeMark(self.answer_ids, correct, school_moment(day))
        )
        self.results.append(correct)
        self.last_practised[competency_id] = day
        self.practised_today.add(competency_id)
        if competency_id not in self.certified:
            self.answers_unmastered[competency_id] = self.answers_unmastered.get(competency_id, 0) + 1
            self.correct_unmastered[competency_id] = self.correct_unmastered.get(competency_id, 0) + correct

    def take_check(
        self, competency_id: int, day: int, *, stop_when_decided: bool = False, carry_practice: bool = False
    ) -> int:
        """The check's questions, one by one; with ``stop_when_decided``, it ends as soon as the result is
        known (``CHECK_PASS`` right, or too many wrong to reach it). With ``carry_practice``, the right
        practice answers given just before it count as its first questions, as the product's check counts
        them (``rules.carried_practice``: at most two, never enough to pass alone, within three days, none
        from before the previous check). Returns the questions asked."""
        carried = ()
        if carry_practice:
            carried = rules.carried_practice(
                self.practice_since_check.get(competency_id, ()), to_pass=CHECK_PASS, now=school_moment(day)
            )
        answers: list[bool] = [True] * len(carried)
        given = len(answers)
        self.practice_since_check[competency_id] = []  # a check ends the run: nothing before it carries
        while len(answers) < CHECK_QUESTIONS:
            answers.append(self._answer(competency_id))
            right, wrong = sum(answers), len(answers) - sum(answers)
            decided = rules.check_decision(right, wrong, CHECK_QUESTIONS, CHECK_POLICY.pass_threshold)
            if stop_when_decided and decided is not None:
                break
        self.check_questions += len(answers) - given
        for correct in answers[given:]:
            self._observe(competency_id, correct, check=True)
        right = sum(answers)
        # Every question answered decides it too: the one rule, as the product grades.
        passed = bool(
            rules.check_decision(right, len(answers) - right, CHECK_QUESTIONS, CHECK_POLICY.pass_threshold)
        )
        if passed:
            self.certified[competency_id] = day
            self.failed_in_a_row[competency_id] = 0
            if self.done() and self.done_day is None:
                self.done_day = day
                self.slots_at_done = self.practice_answers + self.check_questions
                self.practice_at_done = self.practice_answers
        else:
            self.failed_in_a_row[competency_id] = self.failed_in_a_row.get(competency_id, 0) + 1
            self.failed_checks.append(FailedCheck(competency_id, school_date(day)))
        return len(answers) - given

    def end_day(self, day: int, *, had_work: bool) -> None:
        for competency_id, known in self.known.items():
            if not known:
                continue
            if competency_id in self.practised_today:
                self.strength[competency_id] += 1
            elif self.rng.random() < FORGET_PER_DAY / max(self.strength[competency_id], 1):
                self.known[competency_id] = False
        if had_work:
            self.days.append(SchoolDay(school_date(day), tuple(self.today)))
        self.today = []
        self.practised_today = set()

    def truly_struggling(self, day: int) -> bool:
        """THE ground truth (module docstring): slow, disengaged, or blocked."""
        profile = self.profile
        if profile.ability <= SLOW_BELOW or profile.engagement(day) < ENGAGED_BELOW:
            return True
        return any(
            answers >= BLOCKED_AFTER
            and competency_id not in self.certified
            and not self.known[competency_id]
            and not self.learnable(competency_id, day)
            for competency_id, answers in self.unlearnable_answers.items()
        )

    def snapshot(self, day: int) -> StudentSnapshot:
        items = tuple(
            ItemView(
                item_id=c.competency_id,
                position=c.competency_id,
                competency_ids=(c.competency_id,),
                kind="exercise",
                progress=Progress.DONE if c.competency_id in self.certified else Progress.NOT_STARTED,
            )
            for c in self.framework
        )
        competencies = {}
        for c in self.framework:
            cid = c.competency_id
            mastered = cid in self.certified
            competencies[cid] = CompetencyView(
                competency_id=cid,
                code=c.code,
                level=MasteryLevel.MASTERED if mastered else MasteryLevel.PRACTICING,
                p_mastered=self.estimate[cid],
                p_learn=c.truth.p_learn,
                prerequisite_ids=c.prerequisites,
                practice_answers_unmastered=self.answers_unmastered.get(cid, 0),
                practice_correct_unmastered=self.correct_unmastered.get(cid, 0),
                failed_checks_in_a_row=self.failed_in_a_row.get(cid, 0),
                check_open=not mastered
                and rules.eligibility(
                    self.check_policy, rules.StateValues(p_mastered=self.estimate[cid]), dt.datetime.now()
                ).allowed,
                mastered_on=school_date(self.certified[cid]) if mastered else None,
                last_reviewed_on=school_date(max(self.certified[cid], self.last_practised.get(cid, -1)))
                if mastered
                else None,
            )
        last = self.last_active_day
        playlist = PlaylistView(
            1, "Framework", items, assigned_on=DAY_ZERO, target_date=school_date(TERM_DAYS - 1)
        )
        return StudentSnapshot(
            student_id=self.profile.student_id,
            today=school_date(day),
            playlists=(playlist,),
            competencies=competencies,
            last_active_on=school_date(last) if last is not None else None,
            started_on=DAY_ZERO,
            recent_results=tuple(self.results[-40:]),
        )

    def attention_input(self, *, previously_flagged: bool) -> AttentionInput:
        return AttentionInput(
            student_id=self.profile.student_id,
            days=tuple(self.days[-DETECTOR_WINDOW:]),
            usual_answers_per_day=SLOTS_PER_DAY,
            codes={c.competency_id: c.code for c in self.framework},
            mastered=frozenset(self.certified),
            failed_checks=tuple(self.failed_checks[-5:]),
            previously_flagged=previously_flagged,
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
    the right practice answers that opened it as its first questions (``rules.carried_practice``)."""

    stop_checks_when_decided = True
    carry_practice = True
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
}


@dataclass
class DayRecord:
    """One student-day under our policy, for the flag measures."""

    student_id: int
    kind: Kind
    day: int
    truth: bool
    old_kinds: frozenset[str]
    score: float
    attention_kind: str


def run_term(
    profile: Profile,
    framework: list[SimCompetency],
    teaching: Teaching,
    *,
    record: list[DayRecord] | None = None,
    settings: AttentionSettings | None = None,
    thresholds: Thresholds | None = None,
) -> Learner:
    """One term of school days; with ``record``, the flags and the detector are read after each day."""
    learner = Learner(profile, framework, getattr(teaching, "check_policy", CHECK_POLICY))
    flag_thresholds = thresholds or Thresholds(max_recommendations=1)
    settings = settings or AttentionSettings()
    flagged = False
    stop_early = getattr(teaching, "stop_checks_when_decided", False)
    carry = getattr(teaching, "carry_practice", False)
    for day in range(TERM_DAYS):
        had_work = not learner.done()
        if profile.present[day]:
            slots = profile.slots[day]
            worked = False
            while slots > 0:
                action = teaching(learner, day, slots)
                if action is None:
                    break
                what, competency_id = action
                if what == "check":
                    slots -= learner.take_check(
                        competency_id, day, stop_when_decided=stop_early, carry_practice=carry
                    )
                else:
                    learner.practise(competency_id, day)
                    slots -= 1
                worked = True
            if worked:
                learner.last_active_day = day
        learner.end_day(day, had_work=had_work)
        if record is not None and had_work:
            old = {f.kind for f in evaluate_flags(learner.snapshot(day), flag_thresholds)}
            finding = needs_attention(learner.attention_input(previously_flagged=flagged), settings)
            flagged = finding.needs_attention
            record.append(
                DayRecord(
                    profile.student_id, profile.kind, day, learner.truly_struggling(day),
                    frozenset(old) & frozenset(OLD_STRUGGLE_KINDS), finding.score, finding.kind,
                )
            )  # fmt: skip
    return learner
