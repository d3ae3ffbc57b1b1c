"""The pure BKT module: updates against values worked by hand, and EM recovering known parameters."""

import math
import time

import pytest

from mastery.bkt import DEFAULT_PARAMS, BKTParams, posterior, predict_correct, trace, update
from mastery.fitting import auc, fit, fit_and_evaluate, log_loss, simulate


def test_predicted_correct_mixes_slip_and_guess():
    # 0.2 * (1 - 0.1) + 0.8 * 0.2 = 0.18 + 0.16
    assert predict_correct(0.2) == pytest.approx(0.34)


def test_a_correct_answer_updates_the_estimate_as_computed_by_hand():
    # posterior = 0.2*0.9 / (0.2*0.9 + 0.8*0.2) = 0.18/0.34 = 0.529412; then + (1 - 0.529412) * 0.15
    assert posterior(0.2, True) == pytest.approx(0.18 / 0.34)
    assert update(0.2, True) == pytest.approx(0.18 / 0.34 + (1 - 0.18 / 0.34) * 0.15)
    assert update(0.2, True) == pytest.approx(0.6, abs=1e-6)


def test_a_wrong_answer_updates_the_estimate_as_computed_by_hand():
    # posterior = 0.2*0.1 / (0.2*0.1 + 0.8*0.8) = 0.02/0.66; then learning transition
    expected = 0.02 / 0.66 + (1 - 0.02 / 0.66) * 0.15
    assert update(0.2, False) == pytest.approx(expected)
    assert update(0.2, False) == pytest.approx(0.175758, abs=1e-6)


def test_custom_parameters_are_used():
    params = BKTParams(p_init=0.5, p_learn=0.0, p_guess=0.25, p_slip=0.25)
    assert update(0.5, True, params) == pytest.approx(0.75)


def test_trace_predicts_before_each_answer_and_returns_the_final_estimate():
    predictions, final = trace([True, False], DEFAULT_PARAMS)
    assert predictions[0] == pytest.approx(0.34)
    assert predictions[1] == pytest.approx(predict_correct(update(0.2, True)))
    assert final == pytest.approx(update(update(0.2, True), False))


def test_estimates_never_reach_zero_or_one():
    p = 0.2
    for _ in range(200):
        p = update(p, True)
    assert 0 < p < 1


@pytest.mark.parametrize("kwargs", [{"p_init": 1.5}, {"p_guess": -0.1}, {"p_guess": 0.6, "p_slip": 0.5}])
def test_impossible_parameters_are_refused(kwargs):
    with pytest.raises(ValueError, match="must"):
        BKTParams(**kwargs)


def test_log_loss_and_auc_on_small_cases():
    assert log_loss([True, False], [0.5, 0.5]) == pytest.approx(math.log(2))
    assert auc([True, False, True, False], [0.9, 0.1, 0.8, 0.2]) == 1.0
    assert auc([True, False], [0.1, 0.9]) == 0.0
    assert auc([True, False, True, False], [0.5, 0.5, 0.5, 0.5]) == 0.5
    # 3 positive/negative pairs ranked right of 4: (0.7>0.6), (0.7>0.2), (0.4>0.2); (0.4<0.6) wrong
    assert auc([True, True, False, False], [0.7, 0.4, 0.6, 0.2]) == pytest.approx(0.75)
    assert math.isnan(auc([True, True], [0.2, 0.3]))


@pytest.mark.parametrize(
    "true",
    [BKTParams(0.3, 0.12, 0.2, 0.1), BKTParams(0.1, 0.25, 0.15, 0.05), BKTParams(0.5, 0.08, 0.3, 0.15)],
)
def test_em_recovers_known_parameters_of_simulated_students_within_0_05(true):
    sequences = simulate(true, students=600, answers=20, seed=11)
    started = time.monotonic()
    result = fit(sequences, initial=BKTParams(0.5, 0.3, 0.25, 0.2))
    assert time.monotonic() - started < 5
    assert result.converged
    for name in ("p_init", "p_learn", "p_guess", "p_slip"):
        assert getattr(result.params, name) == pytest.approx(getattr(true, name), abs=0.05), name


def test_held_out_students_are_scored_with_log_loss_and_auc_better_than_chance():
    true = BKTParams(0.3, 0.15, 0.2, 0.1)
    by_student = dict(enumerate(simulate(true, students=300, answers=15, seed=5)))
    evaluation = fit_and_evaluate(by_student, heldout_share=0.2)
    assert evaluation.heldout_students == 60
    assert evaluation.train_students == 240
    # held-out students the fit judges stuck (not learnt in 15 answers) are not scored
    assert 60 * 15 * 0.8 <= evaluation.heldout_answers <= 60 * 15
    assert evaluation.log_loss < math.log(2)
    assert evaluation.auc > 0.7


def test_fitting_nothing_keeps_the_initial_parameters():
    assert fit([]).params == DEFAULT_PARAMS


@pytest.mark.parametrize("p_learn", [0.08, 0.15, 0.3])
def test_a_fit_screening_stuck_students_recovers_the_learners_rate_with_or_without_them(p_learn):
    """Wheel-spinning students (never learning it) would pull the learning rate far down; the "stuck" class
    leaves them out, and on learners alone it changes nothing."""
    true = BKTParams(0.25, p_learn, 0.2, 0.1)
    learners = simulate(true, students=300, answers=20, seed=5)
    stuck = simulate(BKTParams(0.0, 0.0, 0.2, 0.1), students=60, answers=20, seed=6)
    plain = fit(learners + stuck)
    assert plain.params.p_learn < p_learn - 0.02
    for sequences in (learners + stuck, learners):
        screened = fit(sequences, screen_stuck=True)
        for name in ("p_init", "p_learn", "p_guess", "p_slip"):
            assert getattr(screened.params, name) == pytest.approx(getattr(true, name), abs=0.05), name
    mixed = fit(learners + stuck, screen_stuck=True)
    assert sum(p > 0.5 for p in mixed.stuck[300:]) >= 55  # the stuck students are the ones left out
    assert 0.12 <= mixed.stuck_share <= 0.3
