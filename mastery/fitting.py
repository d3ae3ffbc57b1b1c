"""Fitting BKT parameters per competency with EM (Baum–Welch for the two-state HMM), and held-out scores.

Why our own EM and not pyBKT: pyBKT (Badrinath et al. 2021) brings numpy, pandas and scikit-learn and
breaks on their current releases; the model has four parameters and two states, so Baum–Welch is about a
hundred lines of pure Python that we can read and run inside a worker without those dependencies. pyBKT
stays the yardstick: tests/mastery/test_fit_against_pybkt.py fits the same simulated answers with both
(pyBKT is a dev extra only) and asserts the parameters agree within 0.05.

Wheel-spinning sequences are left out of a school's fit (``fit(..., screen_stuck=True)``): a student stuck
on a competency (a missing prerequisite, or help needed) answers it wrong again and again without learning,
and a few such sequences pull the fitted learning rate far below the typical student's (issue 15 measured
3–9×). Cutting every sequence of ten answers without three right in a row (Beck & Gong's definition) would
bias the rate the other way (a slow learner looks stuck for a while): on 300 students with a true rate of
0.15, 15 answers each, it read 0.215; a second latent class "stuck" fitted beside BKT reads 0.15 with or
without 20% stuck students among them (tests/mastery/test_bkt.py).

Sequences are one student's answers on one competency, in time order (True = correct). Forward–backward
runs with per-step scaling, so long sequences do not underflow.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from mastery.bkt import DEFAULT_PARAMS, BKTParams, trace

# Bounds that keep the fitted model identifiable (guess and slip below 0.5: a correct answer means more
# likely known) and away from degenerate 0/1 values.
MIN_P = 1e-4
MAX_GUESS = 0.45
MAX_SLIP = 0.45


@dataclass(frozen=True)
class FitResult:
    params: BKTParams
    iterations: int
    log_likelihood: float
    converged: bool
    stuck_share: float = 0.0  # with ``screen_stuck``: the fitted share of stuck (wheel-spinning) students
    stuck: tuple[float, ...] = ()  # with ``screen_stuck``: each sequence's posterior of being stuck


def _bounded(value: float, high: float = 1.0 - MIN_P) -> float:
    return min(high, max(MIN_P, value))


def _forward_backward(seq: Sequence[bool], p: BKTParams):
    """Posterior state probabilities (gamma: P(known at t)) and expected 0→1 transitions, plus log-lik."""
    n = len(seq)
    emit = [(p.p_guess if c else 1.0 - p.p_guess, 1.0 - p.p_slip if c else p.p_slip) for c in seq]
    alpha = [(0.0, 0.0)] * n
    scale = [0.0] * n
    a0, a1 = (1.0 - p.p_init) * emit[0][0], p.p_init * emit[0][1]
    for t in range(n):
        if t:
            prev0, prev1 = alpha[t - 1]
            a0 = prev0 * (1.0 - p.p_learn) * emit[t][0]
            a1 = (prev0 * p.p_learn + prev1) * emit[t][1]
        s = a0 + a1
        scale[t] = s
        alpha[t] = (a0 / s, a1 / s)
    beta = [(1.0, 1.0)] * n
    for t in range(n - 2, -1, -1):
        e0, e1 = emit[t + 1]
        b0n, b1n = beta[t + 1]
        s = scale[t + 1]
        beta[t] = (
            ((1.0 - p.p_learn) * e0 * b0n + p.p_learn * e1 * b1n) / s,
            (e1 * b1n) / s,
        )
    gamma = []
    for t in range(n):
        g0, g1 = alpha[t][0] * beta[t][0], alpha[t][1] * beta[t][1]
        total = g0 + g1
        gamma.append(g1 / total)
    learned = 0.0  # expected number of unknown→known transitions
    for t in range(n - 1):
        e1 = emit[t + 1][1]
        learned += alpha[t][0] * p.p_learn * e1 * beta[t + 1][1] / scale[t + 1]
    return gamma, learned, sum(math.log(s) for s in scale)


def _stuck_log_likelihood(seq: Sequence[bool], guess: float) -> float:
    """Log-likelihood of a sequence under "stuck": never knows it, never learns it, right only by guessing."""
    right = sum(seq)
    return right * math.log(guess) + (len(seq) - right) * math.log(1.0 - guess)


def stuck_posterior(seq: Sequence[bool], result: FitResult) -> float:
    """P(this sequence is a stuck student's) under a fit made with ``screen_stuck``."""
    if result.stuck_share <= 0.0:
        return 0.0
    _, _, learning = _forward_backward(list(seq), result.params)
    stuck = math.log(result.stuck_share) + _stuck_log_likelihood(seq, result.params.p_guess)
    learning += math.log(1.0 - result.stuck_share)
    return 1.0 / (1.0 + math.exp(min(700.0, learning - stuck)))


def fit(
    sequences: Sequence[Sequence[bool]],
    initial: BKTParams = DEFAULT_PARAMS,
    max_iterations: int = 200,
    tolerance: float = 1e-7,
    *,
    screen_stuck: bool = False,
) -> FitResult:
    """Maximum-likelihood BKT parameters for ``sequences`` by expectation–maximisation.

    With ``screen_stuck``, each sequence may instead come from a *stuck* student (a wheel-spinner: never
    learns it, right only by guessing; Beck & Gong 2013), a second latent class whose share EM fits too.
    A sequence's weight in the BKT parameters is its posterior of *not* being stuck, so wheel-spinning
    sequences are left out as far as the evidence says they are wheel-spinning — without the bias of
    cutting every long unlucky sequence (a slow learner's early answers look the same as a stuck one's;
    its later right answers are what tell them apart). ``FitResult.stuck`` holds each sequence's posterior.

    Long on purpose: one EM loop (E step, M step, convergence) whose sums are shared by both steps; the
    maths reads best in one place.
    """
    sequences = [list(seq) for seq in sequences if seq]
    if not sequences:
        return FitResult(params=initial, iterations=0, log_likelihood=0.0, converged=False)
    params, previous_ll = initial, -math.inf
    stuck_share = 0.1 if screen_stuck else 0.0
    stuck = [0.0] * len(sequences)
    log_likelihood = previous_ll
    for iteration in range(1, max_iterations + 1):
        init_sum = weight_sum = 0.0
        learned_sum = unknown_before_last = 0.0
        correct_unknown = unknown_total = wrong_known = known_total = 0.0
        log_likelihood = 0.0
        for index, seq in enumerate(sequences):
            gamma, learned, ll = _forward_backward(seq, params)
            weight = 1.0
            if screen_stuck:
                stuck_ll = math.log(stuck_share) + _stuck_log_likelihood(seq, params.p_guess)
                learning_ll = math.log(1.0 - stuck_share) + ll
                top = max(stuck_ll, learning_ll)
                total = top + math.log(math.exp(stuck_ll - top) + math.exp(learning_ll - top))
                stuck[index] = math.exp(stuck_ll - total)
                weight = 1.0 - stuck[index]
                ll = total
                right = sum(seq)
                correct_unknown += stuck[index] * right  # a stuck student's answers tell of the guess rate
                unknown_total += stuck[index] * len(seq)
            log_likelihood += ll
            weight_sum += weight
            init_sum += weight * gamma[0]
            learned_sum += weight * learned
            unknown_before_last += weight * sum(1.0 - g for g in gamma[:-1])
            for g, correct in zip(gamma, seq, strict=True):
                known_total += weight * g
                unknown_total += weight * (1.0 - g)
                if correct:
                    correct_unknown += weight * (1.0 - g)
                else:
                    wrong_known += weight * g
        if screen_stuck:
            stuck_share = min(0.5, max(MIN_P, sum(stuck) / len(sequences)))
        params = BKTParams(
            p_init=_bounded(init_sum / weight_sum if weight_sum else params.p_init),
            p_learn=_bounded(learned_sum / unknown_before_last if unknown_before_last else params.p_learn),
            p_guess=_bounded(correct_unknown / unknown_total if unknown_total else params.p_guess, MAX_GUESS),
            p_slip=_bounded(wrong_known / known_total if known_total else params.p_slip, MAX_SLIP),
        )
        if abs(log_likelihood - previous_ll) < tolerance * max(1.0, abs(log_likelihood)):
            return FitResult(params, iteration, log_likelihood, True, stuck_share, tuple(stuck))
        previous_ll = log_likelihood
    return FitResult(params, max_iterations, log_likelihood, False, stuck_share, tuple(stuck))


def log_loss(outcomes: Sequence[bool], predictions: Sequence[float]) -> float:
    """Mean negative log-likelihood of the outcomes (lower is better; 0.693 is a coin flip)."""
    if not outcomes:
        return math.nan
    total = 0.0
    for y, p in zip(outcomes, predictions, strict=True):
        p = min(1.0 - 1e-12, max(1e-12, p))
        total -= math.log(p) if y else math.log(1.0 - p)
    return total / len(outcomes)


def auc(outcomes: Sequence[bool], predictions: Sequence[float]) -> float:
    """Area under the ROC curve: P(a random correct answer is ranked above a random wrong one), ties half.

    Computed from ranks (Mann–Whitney U) in O(n log n); NaN when only one class is present.
    """
    positives = sum(1 for y in outcomes if y)
    negatives = len(outcomes) - positives
    if not positives or not negatives:
        return math.nan
    order = sorted(range(len(predictions)), key=lambda i: predictions[i])
    rank_sum = 0.0
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and predictions[order[j + 1]] == predictions[order[i]]:
            j += 1
        average_rank = (i + j) / 2.0 + 1.0  # ranks are 1-based; ties share their mean rank
        rank_sum += average_rank * sum(1 for k in range(i, j + 1) if outcomes[order[k]])
        i = j + 1
    return (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives)


@dataclass(frozen=True)
class Evaluation:
    fit: FitResult
    train_students: int
    heldout_students: int
    heldout_answers: int
    log_loss: float
    auc: float
    rmse: float
    left_out: int  # wheel-spinning sequences not fitted (nor scored)


def rmse(outcomes: Sequence[bool], predictions: Sequence[float]) -> float:
    """Root-mean-square error of the predicted P(correct) (what pyBKT and most BKT papers report)."""
    if not outcomes:
        return math.nan
    return math.sqrt(sum((y - p) ** 2 for y, p in zip(outcomes, predictions, strict=True)) / len(outcomes))


def fit_and_evaluate(
    sequences_by_student: dict[object, Sequence[bool]], heldout_share: float = 0.2, seed: int = 7
) -> Evaluation:
    """Fit on most students and score the one-step-ahead predictions on held-out STUDENTS.

    Splitting by student (not by answer) measures how well the parameters transfer to someone new, which is
    what the model is used for. With fewer than five students everything is training data and the scores
    are NaN. Wheel-spinning sequences are left out of both: of the fit by its stuck class, of the scores
    when their posterior of being stuck is over one half (the model is not meant to predict them).
    """
    students = sorted(sequences_by_student, key=str)
    random.Random(seed).shuffle(students)
    heldout_count = int(len(students) * heldout_share) if len(students) >= 5 else 0
    heldout, train = students[:heldout_count], students[heldout_count:]
    result = fit([sequences_by_student[s] for s in train], screen_stuck=True)
    left_out = sum(posterior > 0.5 for posterior in result.stuck)
    outcomes: list[bool] = []
    predictions: list[float] = []
    for student in heldout:
        seq = list(sequences_by_student[student])
        if seq and stuck_posterior(seq, result) > 0.5:
            left_out += 1
            continue
        predicted, _ = trace(seq, result.params)
        outcomes.extend(seq)
        predictions.extend(predicted)
    return Evaluation(
        fit=result,
        train_students=len(train),
        heldout_students=len(heldout),
        heldout_answers=len(outcomes),
        log_loss=log_loss(outcomes, predictions),
        auc=auc(outcomes, predictions),
        rmse=rmse(outcomes, predictions),
        left_out=left_out,
    )


def simulate(params: BKTParams, students: int, answers: int, seed: int = 1) -> list[list[bool]]:
    """Answer sequences of simulated students who follow ``params`` exactly (for tests and benchmarks)."""
    rng = random.Random(seed)
    sequences = []
    for _ in range(students):
        known = rng.random() < params.p_init
        seq = []
        for _ in range(answers):
            correct = rng.random() >= params.p_slip if known else rng.random() < params.p_guess
            seq.append(correct)
            if not known and rng.random() < params.p_learn:
                known = True
        sequences.append(seq)
    return sequences
