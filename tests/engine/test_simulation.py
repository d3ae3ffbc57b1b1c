"""A small synthetic cohort: the policy must beat a fixed order and the flags must find the strugglers."""

import random

from engine.policy.attention import AttentionSettings
from engine.simulation import compare_policies, flag_quality
from engine.simulation_measure import all_detections, run_class
from engine.simulation_world import Kind, Learner, make_class, make_framework


def test_our_policy_needs_no_more_practice_than_a_fixed_order_and_fewer_checks():
    result = compare_policies(students=30, competencies=12, seed=3)
    # A check passed by luck leaves a prerequisite unknown, and its dependents unlearnable, in either order.
    assert result.policy_mastered_share >= 0.9
    assert result.policy_median_answers <= result.fixed_median_answers
    assert result.policy_median_checks < result.fixed_median_checks


def test_flags_find_most_struggling_students_within_days():
    quality = flag_quality(students=60, competencies=20, days=20, seed=5)
    assert quality.struggling > 5
    assert quality.any_flag.recall >= 0.8
    assert quality.any_flag.median_delay <= 3
    inactive = next(k for k in quality.by_kind if k.kind == "inactive")
    assert inactive.precision == 1.0 or inactive.flagged == 0  # only strugglers skip school days


# The realistic class (engine/simulation_world.py) and its measures (engine/simulation_measure.py).


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
