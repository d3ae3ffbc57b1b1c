"""One simulated student as the world and the platform both see them: what they truly know, how they
answer, learn and forget, and the snapshot and attention input the platform builds from what it observed.

The platform sees what a school sees: answers, checks, days. Its BKT parameters per competency are the
typical student's (as a fit on the school's data would give: part 4 of issue 15); P(known) before any answer
is the class's share who know it (``POPULATION_PRIOR``).
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from engine.attention.evidence import EvidenceTrace
from engine.policy import (
    CompetencyView,
    ItemView,
    PlaylistView,
    StudentSnapshot,
)
from engine.policy.attention import (
    AnswerEvidence,
    AttentionInput,
    FailedCheck,
    SchoolDay,
)
from engine.policy.snapshot import MasteryLevel, Progress
from engine.simulation.world import (
    BANK_PLAN,
    BLOCKED_AFTER,
    CHECK_POLICY,
    DAY_ZERO,
    DETECTOR_WINDOW,
    ENGAGED_BELOW,
    FORGET_PER_DAY,
    POPULATION_PRIOR,
    SLOTS_PER_DAY,
    SLOW_BELOW,
    TERM_DAYS,
    Profile,
    SimCompetency,
    platform_params,
    school_date,
    school_moment,
)
from mastery import rules
from mastery.bkt import predict_correct, update


@dataclass
class Learner:
    """One student's true state and what the platform has seen of them, under one way of teaching."""

    profile: Profile
    framework: list[SimCompetency]
    check_policy: rules.PolicyValues = CHECK_POLICY
    # The platform tells the policy how many right practice answers an open check is short of counting
    # (``CompetencyView.check_carry_short``, as ``mastery.eligibility`` reads it); False: it never says.
    reads_carry_short: bool = False
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
        them (``rules.carry_into``: at most two, never enough to pass alone, within three days, none from
        before the previous check, on the plan of the world's bank). Returns the questions asked."""
        plan = BANK_PLAN
        if carry_practice:
            plan, _ = rules.carry_into(
                plan, self.practice_since_check.get(competency_id, ()), now=school_moment(day)
            )
        answers: list[bool] = [True] * plan.carried
        given = len(answers)
        self.practice_since_check[competency_id] = []  # a check ends the run: nothing before it carries
        while len(answers) < plan.questions:
            answers.append(self._answer(competency_id))
            right, wrong = sum(answers), len(answers) - sum(answers)
            decided = rules.check_decision(right, wrong, plan.questions, CHECK_POLICY.pass_threshold)
            if stop_when_decided and decided is not None:
                break
        self.check_questions += len(answers) - given
        for correct in answers[given:]:
            self._observe(competency_id, correct, check=True)
        right = sum(answers)
        # Every question answered decides it too: the one rule, as the product grades.
        passed = bool(
            rules.check_decision(right, len(answers) - right, plan.questions, CHECK_POLICY.pass_threshold)
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
        return self.struggle_cause(day) is not None

    def struggle_cause(self, day: int) -> str | None:
        """Which clause of the ground truth holds today, first that holds (None: not struggling): "slow",
        "disengaged", "blocked" (by the student's own blocker) or "prerequisite" (blocked by a competency
        they cannot learn now for another reason: a prerequisite passed by luck or forgotten). The bench's
        breakdown of missed days reads it; ``truly_struggling`` is whether it is anything."""
        profile = self.profile
        if profile.ability <= SLOW_BELOW:
            return "slow"
        if profile.engagement(day) < ENGAGED_BELOW:
            return "disengaged"
        blocked_on = [
            competency_id
            for competency_id, answers in self.unlearnable_answers.items()
            if answers >= BLOCKED_AFTER
            and competency_id not in self.certified
            and not self.known[competency_id]
            and not self.learnable(competency_id, day)
        ]
        if not blocked_on:
            return None
        return "blocked" if profile.blocker in blocked_on else "prerequisite"

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
            check_open = (
                not mastered
                and rules.eligibility(
                    self.check_policy, rules.StateValues(p_mastered=self.estimate[cid]), dt.datetime.now()
                ).allowed
            )
            carry_short = 0
            if check_open and self.reads_carry_short:  # as ``mastery.eligibility.carried_now`` reads it
                plan, _ = rules.carry_into(
                    BANK_PLAN, self.practice_since_check.get(cid, ()), now=school_moment(day)
                )
                carry_short = plan.carry_limit - plan.carried
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
                check_open=check_open,
                check_carry_short=carry_short,
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
            prerequisites={
                c.competency_id: tuple(c.prerequisites) for c in self.framework if c.prerequisites
            },
        )
