"""Turning a student's answers into the detector's evidence (engine/policy/attention.py): BKT's predictions
under the platform's parameters and under the detector's two alternatives. Here, not in the policy core,
because it needs the BKT model (mastery.bkt); the snapshot and the simulation both fill it through here.
"""

from collections.abc import Iterable

from engine.policy.attention import AnswerEvidence
from mastery.bkt import BKTParams, predict_correct, update

SLOW_FACTOR = 0.3  # the "slow" hypothesis: a third of the competency's fitted learning rate


def alternative_params(params: BKTParams) -> tuple[BKTParams, BKTParams, BKTParams]:
    """The platform's parameters, a slow learner's, and a student who does not learn it at all."""
    slow = BKTParams(params.p_init, params.p_learn * SLOW_FACTOR, params.p_guess, params.p_slip)
    stuck = BKTParams(params.p_init, 0.0, params.p_guess, params.p_slip)
    return params, slow, stuck


def answer_evidence(
    competency_id: int, outcomes: Iterable[bool], params: BKTParams, *, checks: Iterable[bool] = ()
) -> list[AnswerEvidence]:
    """The evidence of a competency's answers before mastery, oldest first (``checks``: which were a check's
    questions, parallel to ``outcomes``; missing means practice)."""
    models = alternative_params(params)
    known = [params.p_init] * 3
    check_flags = list(checks)
    found = []
    for n, correct in enumerate(outcomes):
        predictions = [predict_correct(known[i], model) for i, model in enumerate(models)]
        check = check_flags[n] if n < len(check_flags) else False
        found.append(AnswerEvidence(competency_id, correct, *predictions, check=check))
        known = [update(known[i], correct, model) for i, model in enumerate(models)]
    return found
