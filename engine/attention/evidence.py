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


class EvidenceTrace:
    """One student's answers on one competency, read as they come: each answer's evidence (the three
    predictions before it), then the three P(known) updated with it."""

    def __init__(self, competency_id: int, params: BKTParams):
        self.competency_id = competency_id
        self.models = alternative_params(params)
        self.known = [params.p_init] * 3

    def observe(self, correct: bool, *, check: bool = False) -> AnswerEvidence:
        predictions = [
            predict_correct(known, model) for known, model in zip(self.known, self.models, strict=True)
        ]
        self.known = [
            update(known, correct, model) for known, model in zip(self.known, self.models, strict=True)
        ]
        return AnswerEvidence(self.competency_id, correct, *predictions, check=check)


def answer_evidence(
    competency_id: int, outcomes: Iterable[bool], params: BKTParams, *, checks: Iterable[bool] = ()
) -> list[AnswerEvidence]:
    """The evidence of a competency's answers before mastery, oldest first (``checks``: which were a check's
    questions, parallel to ``outcomes``; missing means practice)."""
    trace = EvidenceTrace(competency_id, params)
    check_flags = list(checks)
    return [
        trace.observe(correct, check=n < len(check_flags) and check_flags[n])
        for n, correct in enumerate(outcomes)
    ]
