"""A small simulated class keeps the bench honest: the policy must beat a fixed order, reviews must keep what
was certified, and "needs attention" must find the strugglers better than the old rules."""

import dataclasses
import random

import pytest

from engine.policy.attention import MODEL, AttentionSettings, needs_attention, one_competency_score
from engine.simulation import (
    CHECK_PASS,
    DayRecord,
    Kind,
    Learner,
    OurPolicy,
    OurPolicyPlacement,
    make_class,
    make_framework,
    measure,
    run_term,
    school_moment,
)
from engine.simulation.measure import (
    all_detections,
    attention_flags,
    detection,
    first_weeks_recall_bound,
    missed_days,
    rescored,
    run_class,
    tune,
)
from mastery import rules

# The realistic class (engine/simulation/) and its measures (engine/simulation/measure.py).


def test_the_realistic_class_mixes_prior_knowledge_abilities_and_kinds_of_struggle():
    rng = random.Random(1)
    framework = make_framework(30, rng)
    profiles = make_class(300, framework, rng)
    knowers = [p for p in profiles if len(p.known_at_start) >= 0.3 * 30 * 0.8]
    assert 0.25 <= len(knowers) / 300 <= 0.42
    kinds = {kind: sum(p.kind is kind for p in profiles) for kind in Kind}
    assert all(count >= 10 for count in kinds.values())
    assert sum(p.hard_competency is not None for p in profiles) >= 0.3 * kinds[Kind.ORDINARY]
    assert len({c.truth.p_learn for c in framework}) == 30  # competencies of varied difficulty


def test_ground_truth_is_by_learning_rate_or_engagement_not_by_one_hard_competency():
    rng = random.Random(2)
    framework = make_framework(12, rng)
    profiles = make_class(200, framework, rng)
    slow = next(p for p in profiles if p.kind is Kind.SLOW)
    disengaged = next(p for p in profiles if p.kind is Kind.DISENGAGED)
    hard_one = next(p for p in profiles if p.kind is Kind.ORDINARY and p.hard_competency and p.ability > 0.6)
    assert Learner(slow, framework).truly_struggling(0)
    learner = Learner(disengaged, framework)
    assert not learner.truly_struggling(disengaged.onset - 1)
    assert learner.truly_struggling(disengaged.onset)
    assert not Learner(hard_one, framework).truly_struggling(30)


def test_a_known_competency_is_forgotten_without_review():
    rng = random.Random(3)
    framework = make_framework(12, rng)
    profile = next(p for p in make_class(100, framework, rng) if len(p.known_at_start) >= 5)
    learner = Learner(profile, framework)
    for day in range(200):
        learner.end_day(day, had_work=False)
    assert sum(learner.known.values()) < len(profile.known_at_start)


def test_a_small_class_taught_four_ways_and_the_detector_beats_the_old_rules():
    run = run_class(students=40, competencies=15, seed=5)
    policy, fixed, oracle = (run.teachings[name] for name in ("policy", "fixed_order", "oracle"))
    assert oracle.median_days <= policy.median_days <= fixed.median_days
    assert oracle.median_practice_on_known == 0 < policy.median_practice_on_known
    assert policy.mastered_share >= fixed.mastered_share
    assert run.teachings["class_paced"].median_practice_on_known > policy.median_practice_on_known
    attention, old_any = all_detections(run.records, AttentionSettings())[:2]
    assert attention.recall >= 0.7
    assert attention.precision > old_any.precision
    assert attention.never_struggling_flagged < old_any.never_struggling_flagged


def test_the_policy_takes_the_products_check_and_it_costs_less_than_the_full_one():
    """Part 3, adopted: the policy's check is the product's (stops once ``rules.check_decision`` decides,
    opens at the school's default readiness estimate); measured against the full check opening at 0.85."""
    assert OurPolicy.stop_checks_when_decided and OurPolicy.check_policy == rules.PolicyValues(
        cooldown_minutes=0, practice_before_retake=0
    )
    run = run_class(students=40, competencies=15, seed=5, remedies=True)
    policy = run.teachings["policy"]
    before = run.teachings["policy as before: full checks opening at 0.85"]
    assert policy.median_slots < before.median_slots  # a decided check asks no more questions
    assert policy.median_practice < before.median_practice  # less practice on what is already learnt
    assert policy.kept_share >= 0.8  # part 5's goal: certified competencies still known at term end
    no_carry = run.teachings["policy as before: no practice answers carried into the check"]
    assert policy.median_slots < no_carry.median_slots and policy.kept_share >= no_carry.kept_share - 0.02


def test_a_placement_tests_out_what_a_prior_knower_knows():
    rng = random.Random(4)
    framework = make_framework(15, rng)
    profile = next(
        p for p in make_class(60, framework, rng) if {1, 2, 3, 4} <= p.known_at_start and p.present[0]
    )
    learner = run_term(profile, framework, OurPolicyPlacement())
    assert {1, 2, 3} <= {cid for cid, day in learner.certified.items() if day == 0}
    assert learner.practice_on_known < run_term(profile, framework, OurPolicy()).practice_on_known


def test_the_first_weeks_recall_bound_misses_the_first_day_of_each_spell_only():
    """A detector that knows the truth but needs a school day to see it: one struggling spell of five days
    (days 0–4) and one of two (days 8–9), both in the first four weeks, make 7 struggling days of which 5
    are found."""

    def record(day: int, truth: bool) -> DayRecord:
        return DayRecord(1, Kind.ORDINARY, day, truth, frozenset(), 0.0, "slow")

    records = [record(day, day <= 4 or 8 <= day <= 9) for day in range(12)]
    assert first_weeks_recall_bound(records) == 5 / 7


def test_each_struggling_day_names_the_clause_of_the_ground_truth_that_holds():
    """``struggle_cause`` is the ground truth split by clause (``truly_struggling`` is whether it is any):
    a slow student's days are "slow", a disengaged one's from the onset "disengaged", a blocked one's, once
    five answers went into the blocker, "blocked"."""
    rng = random.Random(2)
    framework = make_framework(12, rng)
    profiles = make_class(200, framework, rng)
    slow = next(p for p in profiles if p.kind is Kind.SLOW)
    disengaged = next(p for p in profiles if p.kind is Kind.DISENGAGED)
    assert Learner(slow, framework).struggle_cause(0) == "slow"
    assert Learner(disengaged, framework).struggle_cause(disengaged.onset - 1) is None
    assert Learner(disengaged, framework).struggle_cause(disengaged.onset) == "disengaged"
    blocked = next(p for p in profiles if p.kind is Kind.BLOCKED and framework[p.blocker - 1].prerequisites)
    learner = Learner(blocked, framework)
    for prerequisite in framework[blocked.blocker - 1].prerequisites:
        learner.known[prerequisite] = True
    for _ in range(5):
        assert learner.struggle_cause(0) is None
        learner.practise(blocked.blocker, 0)
    assert learner.struggle_cause(0) == "blocked" and learner.truly_struggling(0)


def test_the_missed_days_breakdown_counts_every_struggling_day_once_per_view():
    run = run_class(students=40, competencies=15, seed=5)
    settings = AttentionSettings()
    flags = attention_flags(run.records, enter=settings.enter_score, exit=settings.exit_score)
    table = missed_days(run.records, flags)
    assert all(r.truth == (r.cause is not None) for r in run.records)
    found = detection("needs attention", run.records, flags)
    for view in ("since", "work"):
        days = sum(d for (v, *_), (d, _) in table.items() if v == view)
        missed = sum(m for (v, *_), (_, m) in table.items() if v == view)
        assert days == sum(r.truth for r in run.records)
        assert 1 - missed / days == pytest.approx(found.recall)
    assert {cause for (_, cause, _) in table} <= {"slow", "disengaged", "blocked", "prerequisite"}
    assert sum(d for (v, _, bucket), (d, _) in table.items() if v == "work" and bucket == "no answers") > 0


def _right_twice_in_a_row(learner: Learner, competency_id: int, day: int) -> None:
    while not all(m.correct for m in learner.practice_since_check.get(competency_id, [])[-2:]) or (
        len(learner.practice_since_check.get(competency_id, [])) < 2
    ):  # known: a slip now and then
        learner.practise(competency_id, day)


def test_the_simulated_check_counts_right_practice_answers_by_the_products_rule():
    """The policy's check calls ``rules.carried_practice`` (the product's rule): two right practice answers
    just before it are its first two questions, so a student who knows it is asked two, not four."""
    assert OurPolicy.carry_practice
    rng = random.Random(6)
    framework = make_framework(6, rng)
    profile = next(p for p in make_class(40, framework, rng) if 1 in p.known_at_start)
    asked = {}
    for carry in (False, True):
        learner = Learner(profile, framework)
        _right_twice_in_a_row(learner, 1, 0)
        asked[carry] = learner.take_check(1, 0, stop_when_decided=True, carry_practice=carry)
        assert learner.practice_since_check[1] == []  # a check ends the run: nothing before it carries
    assert asked == {False: 4, True: 2}, asked  # the same student (same draws): four right asked, or two


def test_simulated_practice_carries_over_a_weekend_but_not_over_a_week():
    rng = random.Random(6)
    framework = make_framework(6, rng)
    profile = next(p for p in make_class(40, framework, rng) if 1 in p.known_at_start)
    learner = Learner(profile, framework)
    _right_twice_in_a_row(learner, 1, 4)  # school day 4 is a Friday
    marks = learner.practice_since_check[1]

    def carried(day):
        return rules.carried_practice(marks, to_pass=CHECK_PASS, now=school_moment(day))

    assert len(carried(5)) == 2  # the Monday after
    assert carried(9) == ()  # the Friday after


def test_the_simulated_platform_tells_the_policy_what_an_open_check_is_short_of_carrying():
    """As ``mastery.eligibility.carried_now`` fills ``check_carry_short``: the check's own rule on the same
    answers. The policy then asks for practice on it first, and the check once it would carry two."""
    rng = random.Random(6)
    framework = make_framework(6, rng)
    profile = next(p for p in make_class(40, framework, rng) if 1 in p.known_at_start)
    learner = Learner(profile, framework, OurPolicy.check_policy, reads_carry_short=True)
    learner.estimate[1] = 0.9  # the check is open
    learner.practice_since_check[1] = [rules.PracticeMark(1, False, school_moment(0))]
    assert learner.snapshot(0).competencies[1].check_carry_short == 2
    assert OurPolicy()(learner, 0, 15) == ("practice", 1)
    learner.practice_since_check[1] += [
        rules.PracticeMark(2, True, school_moment(0)),
        rules.PracticeMark(3, True, school_moment(0)),
    ]
    assert learner.snapshot(0).competencies[1].check_carry_short == 0
    assert OurPolicy()(learner, 0, 15) == ("check", 1)
    blind = Learner(profile, framework, OurPolicy.check_policy)  # the policy before: never told
    blind.estimate[1] = 0.9
    assert blind.snapshot(0).competencies[1].check_carry_short == 0


def test_the_tuning_rescores_what_the_detector_read_under_another_model():
    run = run_class(students=12, competencies=8, seed=3)
    assert rescored(run.records, MODEL) is run.records
    other = dataclasses.replace(MODEL, slow_prior=0.05, prerequisite_llr=0.0)
    again = rescored(run.records, other)
    assert [r.score for r in again] == [
        needs_attention(r.attention_input, model=other).score for r in run.records
    ]
    assert [(r.student_id, r.day, r.truth) for r in again] == [
        (r.student_id, r.day, r.truth) for r in run.records
    ]


def test_the_tuning_chooses_model_and_thresholds_above_what_one_competency_can_score(monkeypatch):
    """Among the models given, thresholds no higher than ``one_competency_score`` of their model are never
    chosen; the figures returned are the chosen pair's on that model's scores."""
    run = run_class(students=16, competencies=8, seed=4)
    loose = {"precision": 0.0, "recall": 0.0, "first_weeks_precision": 0.0, "never_struggling_flagged": 1.0,
             "false_flag_days_per_100": 100.0, "delay": 60.0}  # fmt: skip
    monkeypatch.setattr(measure, "TUNE_MARGINS", loose)
    monkeypatch.setattr(measure, "DELAY_KINDS", ())  # a class this small may have no slow student
    models = (MODEL, dataclasses.replace(MODEL, slow_prior=0.30, competency_llr_cap=1.5))
    model, enter, exit, found = tune([run.records], models)
    assert model in models
    assert one_competency_score(model) < exit <= enter
    flags = attention_flags(rescored(run.records, model), enter=enter, exit=exit)
    assert detection("again", run.records, flags) == dataclasses.replace(found[0], label="again")
