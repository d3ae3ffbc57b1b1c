"""Synthetic students with known BKT parameters, run through our policy and through a fixed playlist order.

Pure Python, no Django: ``bench/simulate_cohort.py`` prints the figures and a test runs a small cohort.

The world: a framework of competencies in a prerequisite chain of clusters; every student has a hidden
"knows it" state per competency, drawn from the true BKT parameters. Practising a competency whose
prerequisites the student truly knows teaches it with probability ``p_learn``; answers are right with
``1 − p_slip`` when known, ``p_guess`` when not. A mastery check is five questions, passed at four.
*Struggling* students, from an onset day on, learn at a tenth of the rate and skip some school days.
"""

import datetime as dt
import random
import statistics
from dataclasses import dataclass, field

from engine.policy import (
    CompetencyView,
    ItemView,
    PlaylistView,
    StudentSnapshot,
    Thresholds,
    evaluate_flags,
    recommend,
)
from engine.policy.snapshot import MasteryLevel
from engine.simulation_world import CHECK_POLICY
from mastery import rules
from mastery.bkt import BKTParams, update

CHECK_QUESTIONS, CHECK_PASS = 5, 4
FIXED_BLOCK = 4  # a fixed playlist: four practice items per competency, then the check
STRUGGLE_LEARN_FACTOR = 0.1
STRUGGLE_SKIP_DAY = 0.4
ESTIMATE_PARAMS = BKTParams()  # what the platform believes before fitting: the defaults
# The simulated school's check policy: a check opens at an 85% estimate, retakes wait for nothing. Mastery's
# rule decides with it, as it does for a real school, and the snapshot carries the verdict.
FLAG_KINDS_FOR_STRUGGLE = {"wheel_spinning", "failed_checks", "inactive", "falling_trend"}
DAY_ZERO = dt.date(2026, 9, 7)  # a Monday


@dataclass(frozen=True)
class SimCompetency:
    competency_id: int
    code: str
    prerequisites: frozenset[int]
    truth: BKTParams


def make_framework(size: int, rng: random.Random) -> list[SimCompetency]:
    """Clusters of three; each cluster needs one competency of the cluster before it."""
    framework = []
    for n in range(size):
        prerequisites = frozenset({n - 3 - n % 3 + rng.randrange(3)}) if n >= 3 else frozenset()
        truth = BKTParams(
            p_init=rng.uniform(0.05, 0.3),
            p_learn=rng.uniform(0.2, 0.45),
            p_guess=rng.uniform(0.1, 0.25),
            p_slip=rng.uniform(0.05, 0.15),
        )
        framework.append(SimCompetency(n + 1, f"SIM.{n + 1}", frozenset(p + 1 for p in prerequisites), truth))
    return framework


@dataclass
class SimStudent:
    student_id: int
    framework: list[SimCompetency]
    rng: random.Random
    struggling: bool = False
    onset_day: int = 0
    known: dict[int, bool] = field(default_factory=dict)
    estimate: dict[int, float] = field(default_factory=dict)
    mastered: dict[int, int] = field(default_factory=dict)  # competency → day mastered
    answers_unmastered: dict[int, int] = field(default_factory=dict)
    correct_unmastered: dict[int, int] = field(default_factory=dict)
    failed_in_a_row: dict[int, int] = field(default_factory=dict)
    results: list[bool] = field(default_factory=list)
    last_practised: dict[int, int] = field(default_factory=dict)  # competency → school day
    practice_answers: int = 0
    checks_taken: int = 0
    last_active_day: int | None = None

    def __post_init__(self):
        for c in self.framework:
            self.known[c.competency_id] = self.rng.random() < c.truth.p_init
            self.estimate[c.competency_id] = ESTIMATE_PARAMS.p_init

    def by_id(self, competency_id: int) -> SimCompetency:
        return self.framework[competency_id - 1]

    def is_struggling_on(self, day: int) -> bool:
        return self.struggling and day >= self.onset_day

    def answer(self, competency_id: int) -> bool:
        truth = self.by_id(competency_id).truth
        if self.known[competency_id]:
            return self.rng.random() >= truth.p_slip
        return self.rng.random() < truth.p_guess

    def practise(self, competency_id: int, day: int) -> None:
        correct = self.answer(competency_id)
        competency = self.by_id(competency_id)
        ready = all(self.known[p] for p in competency.prerequisites)
        learn = competency.truth.p_learn * (STRUGGLE_LEARN_FACTOR if self.is_struggling_on(day) else 1.0)
        if ready and not self.known[competency_id] and self.rng.random() < learn:
            self.known[competency_id] = True
        self.practice_answers += 1
        self.results.append(correct)
        self.last_practised[competency_id] = day
        self.estimate[competency_id] = update(self.estimate[competency_id], correct, ESTIMATE_PARAMS)
        if competency_id not in self.mastered:
            self.answers_unmastered[competency_id] = self.answers_unmastered.get(competency_id, 0) + 1
            self.correct_unmastered[competency_id] = self.correct_unmastered.get(competency_id, 0) + correct

    def take_check(self, competency_id: int, day: int) -> bool:
        self.checks_taken += 1
        answers = [self.answer(competency_id) for _ in range(CHECK_QUESTIONS)]
        for correct in answers:  # a check's answers are evidence too
            self.estimate[competency_id] = update(self.estimate[competency_id], correct, ESTIMATE_PARAMS)
        passed = sum(answers) >= CHECK_PASS
        if passed:
            self.mastered[competency_id] = day
            self.failed_in_a_row[competency_id] = 0
        else:
            self.failed_in_a_row[competency_id] = self.failed_in_a_row.get(competency_id, 0) + 1
        return passed

    def done(self) -> bool:
        return len(self.mastered) == len(self.framework)

    def snapshot(self, day: int) -> StudentSnapshot:
        items = tuple(
            ItemView(item_id=c.competency_id, position=c.competency_id, competency_ids=(c.competency_id,),
                     kind="exercise")
            for c in self.framework
            if c.competency_id not in self.mastered
        )  # fmt: skip
        today = DAY_ZERO + dt.timedelta(days=_calendar_days(day))
        competencies = {
            c.competency_id: CompetencyView(
                competency_id=c.competency_id,
                code=c.code,
                level=MasteryLevel.MASTERED if c.competency_id in self.mastered else MasteryLevel.PRACTICING,
                p_mastered=self.estimate[c.competency_id],
                p_learn=ESTIMATE_PARAMS.p_learn,
                prerequisite_ids=c.prerequisites,
                practice_answers_unmastered=self.answers_unmastered.get(c.competency_id, 0),
                practice_correct_unmastered=self.correct_unmastered.get(c.competency_id, 0),
                failed_checks_in_a_row=self.failed_in_a_row.get(c.competency_id, 0),
                check_open=c.competency_id not in self.mastered
                and rules.eligibility(
                    CHECK_POLICY,
                    rules.StateValues(p_mastered=self.estimate[c.competency_id]),
                    dt.datetime.now(),
                ).allowed,
                mastered_on=_date(self.mastered[c.competency_id])
                if c.competency_id in self.mastered
                else None,
                last_reviewed_on=_date(
                    max(self.mastered.get(c.competency_id, -1), self.last_practised.get(c.competency_id, -1))
                )
                if c.competency_id in self.mastered
                else None,
            )
            for c in self.framework
        }
        last = self.last_active_day
        return StudentSnapshot(
            student_id=self.student_id,
            today=today,
            playlists=(PlaylistView(1, "Framework", items),),
            competencies=competencies,
            last_active_on=DAY_ZERO + dt.timedelta(days=_calendar_days(last)) if last is not None else None,
            started_on=DAY_ZERO,
            recent_results=tuple(self.results[-40:]),
        )


def _date(school_day: int) -> dt.date:
    return DAY_ZERO + dt.timedelta(days=_calendar_days(school_day))


def _calendar_days(school_day: int) -> int:
    weeks, rest = divmod(school_day, 5)
    return weeks * 7 + rest


def policy_step(student: SimStudent, day: int, thresholds: Thresholds) -> bool:
    """One action chosen by our engine; False when it has nothing left to suggest."""
    snapshot = student.snapshot(day)
    recommendations = recommend(snapshot, thresholds)
    if not recommendations:
        return False
    first = recommendations[0]
    if first.kind == "check" and snapshot.competencies[first.competency_id].check_open:
        if not student.take_check(first.competency_id, day):
            # Respawn: the check's wrong answers lowered the estimate, so practice comes next.
            pass
    else:
        student.practise(first.competency_id or first.item_id, day)
    return True


def run_policy(student: SimStudent, *, max_actions: int, thresholds: Thresholds, per_day: int = 10) -> None:
    for action in range(max_actions):
        if student.done() or not policy_step(student, action // per_day, thresholds):
            return


def run_fixed_order(student: SimStudent, *, max_actions: int) -> None:
    """The fixed playlist: each competency in order, four practice items then the check, again on failure."""
    actions = 0
    for competency in student.framework:
        while competency.competency_id not in student.mastered and actions < max_actions:
            for _ in range(FIXED_BLOCK):
                student.practise(competency.competency_id, 0)
            actions += FIXED_BLOCK + 1
            student.take_check(competency.competency_id, 0)


@dataclass
class MasteryComparison:
    students: int
    competencies: int
    policy_median_answers: float
    fixed_median_answers: float
    policy_mastered_share: float
    fixed_mastered_share: float
    policy_median_checks: float
    fixed_median_checks: float

    @property
    def ratio(self) -> float:
        return self.fixed_median_answers / self.policy_median_answers


def compare_policies(*, students: int, competencies: int, seed: int = 7) -> MasteryComparison:
    """(a) Practice answers needed to master the whole framework: our policy against the fixed order."""
    rng = random.Random(seed)
    framework = make_framework(competencies, rng)
    thresholds = Thresholds(max_recommendations=1)
    cap = competencies * 60
    runs = {"policy": [], "fixed": []}
    for n in range(students):
        student_seed = rng.randrange(2**31)
        for name in runs:
            student = SimStudent(n, framework, random.Random(student_seed))  # same student, both ways
            if name == "policy":
                run_policy(student, max_actions=cap, thresholds=thresholds)
            else:
                run_fixed_order(student, max_actions=cap)
            runs[name].append(student)

    def median_answers(group):
        done = [s.practice_answers for s in group if s.done()]
        return statistics.median(done) if done else float("inf")

    return MasteryComparison(
        students=students,
        competencies=competencies,
        policy_median_answers=median_answers(runs["policy"]),
        fixed_median_answers=median_answers(runs["fixed"]),
        policy_mastered_share=sum(s.done() for s in runs["policy"]) / students,
        fixed_mastered_share=sum(s.done() for s in runs["fixed"]) / students,
        policy_median_checks=statistics.median(s.checks_taken for s in runs["policy"]),
        fixed_median_checks=statistics.median(s.checks_taken for s in runs["fixed"]),
    )


@dataclass
class KindQuality:
    kind: str
    flagged: int
    true_positives: int
    struggling: int
    delays_days: list[int]

    @property
    def precision(self) -> float:
        return self.true_positives / self.flagged if self.flagged else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.struggling if self.struggling else 0.0

    @property
    def median_delay(self) -> float:
        return statistics.median(self.delays_days) if self.delays_days else float("nan")


@dataclass
class FlagQuality:
    students: int
    struggling: int
    any_flag: KindQuality
    by_kind: list[KindQuality]


def flag_quality(
    *,
    students: int,
    competencies: int,
    days: int = 30,
    answers_per_day: int = 10,
    struggling_share: float = 0.2,
    seed: int = 11,
    thresholds: Thresholds | None = None,
    persist_days: int = 1,
) -> FlagQuality:
    """(b) Day by day: do the flags find the struggling students, and how many school days after onset?

    Every student has an onset day (drawn the same way for all); only the struggling ones change then.
    A student counts as flagged (by a kind, or by any struggle-type flag) when it holds on or after their
    onset day for ``persist_days`` school days in a row (1: any flag at all; 2: not cleared overnight).
    """
    thresholds = thresholds or Thresholds(max_recommendations=1)
    rng = random.Random(seed)
    framework = make_framework(competencies, rng)
    cohort = []
    for n in range(students):
        student = SimStudent(n, framework, random.Random(rng.randrange(2**31)))
        student.struggling = rng.random() < struggling_share
        student.onset_day = rng.randrange(3, 11)
        cohort.append(student)

    kinds_tracked = [*sorted(FLAG_KINDS_FOR_STRUGGLE), "any"]
    first_day: dict[str, dict[int, int]] = {kind: {} for kind in kinds_tracked}
    held_for: dict[tuple[str, int], int] = {}
    for day in range(days):
        for student in cohort:
            skips = student.is_struggling_on(day) and student.rng.random() < STRUGGLE_SKIP_DAY
            if not skips and not student.done():
                for _ in range(answers_per_day):
                    if student.done() or not policy_step(student, day, thresholds):
                        break
                student.last_active_day = day
            if day < student.onset_day:
                continue
            holding = {f.kind for f in evaluate_flags(student.snapshot(day), thresholds)}
            holding &= FLAG_KINDS_FOR_STRUGGLE
            if holding:
                holding.add("any")
            for kind in kinds_tracked:
                key = (kind, student.student_id)
                held_for[key] = held_for.get(key, 0) + 1 if kind in holding else 0
                if held_for[key] >= persist_days:
                    first_day[kind].setdefault(student.student_id, day)

    struggling = {s.student_id: s for s in cohort if s.struggling}

    def quality(kind: str) -> KindQuality:
        flagged = first_day[kind]
        hits = [sid for sid in flagged if sid in struggling]
        return KindQuality(
            kind=kind,
            flagged=len(flagged),
            true_positives=len(hits),
            struggling=len(struggling),
            delays_days=[flagged[sid] - struggling[sid].onset_day for sid in hits],
        )

    return FlagQuality(
        students=students,
        struggling=len(struggling),
        any_flag=quality("any"),
        by_kind=[quality(kind) for kind in sorted(FLAG_KINDS_FOR_STRUGGLE)],
    )
