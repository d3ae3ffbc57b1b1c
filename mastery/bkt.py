"""Bayesian Knowledge Tracing: a pure, Django-free model of P(mastered) per student and competency.

The classic two-state hidden Markov model (Corbett & Anderson, 1995): a student either knows the skill or
not; ``p_init`` is the prior of knowing it, ``p_learn`` the chance of learning it at each practice
opportunity (no forgetting), ``p_guess`` the chance of a correct answer without knowing it and ``p_slip``
the chance of a wrong answer despite knowing it. An update is O(1) per answer: Bayes' rule on the answer,
then the learning transition.

Defaults (0.2 / 0.15 / 0.2 / 0.1) are the usual textbook starting points: most students start unsure of a
new competency, a few practice answers move the estimate noticeably, and guess and slip stay well below
0.5 so a correct answer is evidence *for* knowing (the model is identifiable only when
``p_guess + p_slip < 1``).
"""

from __future__ import annotations

from dataclasses import dataclass

# Keep probabilities away from 0 and 1: a hard 0 or 1 would make every later answer meaningless.
EPSILON = 1e-6


def _clip(p: float) -> float:
    return min(1.0 - EPSILON, max(EPSILON, p))


@dataclass(frozen=True)
class BKTParams:
    p_init: float = 0.2
    p_learn: float = 0.15
    p_guess: float = 0.2
    p_slip: float = 0.1

    def __post_init__(self):
        for name in ("p_init", "p_learn", "p_guess", "p_slip"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be a probability, got {value!r}")
        if self.p_guess + self.p_slip >= 1.0:
            raise ValueError("p_guess + p_slip must be below 1, or a correct answer would not be evidence")


DEFAULT_PARAMS = BKTParams()


def predict_correct(p_known: float, params: BKTParams = DEFAULT_PARAMS) -> float:
    """P(the next answer is correct) given P(known) before it."""
    return p_known * (1.0 - params.p_slip) + (1.0 - p_known) * params.p_guess


def posterior(p_known: float, correct: bool, params: BKTParams = DEFAULT_PARAMS) -> float:
    """P(known | this answer), before the learning transition."""
    if correct:
        known = p_known * (1.0 - params.p_slip)
        unknown = (1.0 - p_known) * params.p_guess
    else:
        known = p_known * params.p_slip
        unknown = (1.0 - p_known) * (1.0 - params.p_guess)
    return _clip(known / (known + unknown))


def update(p_known: float, correct: bool, params: BKTParams = DEFAULT_PARAMS) -> float:
    """P(known) after one answer: Bayes on the answer, then the chance to learn from the opportunity. O(1)."""
    after = posterior(p_known, correct, params)
    return _clip(after + (1.0 - after) * params.p_learn)


def taught(p_known: float, params: BKTParams = DEFAULT_PARAMS) -> float:
    """The estimate after a lesson with no answer to observe (a workshop attended): only the learning
    transition of :func:`update`, so time with a teacher is a chance to learn, never proof of mastery."""
    return _clip(p_known + (1.0 - p_known) * params.p_learn)


def trace(answers: list[bool], params: BKTParams = DEFAULT_PARAMS) -> tuple[list[float], float]:
    """Predicted P(correct) before each answer, and P(known) after the last one."""
    p_known = params.p_init
    predictions = []
    for correct in answers:
        predictions.append(predict_correct(p_known, params))
        p_known = update(p_known, correct, params)
    return predictions, p_known
