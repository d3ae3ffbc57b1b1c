"""One "needs attention" score per student that accumulates evidence over school days, and why.

The flag rules (engine/policy/flags.py) are stateless thresholds, OR'd together, one row per rule and subject;
they fire on any student who finds one competency hard or misses a day. This detector asks one question
per student — is this student in a struggling regime? — and answers it with three small Bayesian filters
over the last school days, each fed by evidence a snapshot already holds:

- **disengaged** (a two-state hidden Markov model, forward filter, one step per school day): how much work
  the student did each school day against what a present day usually looks like in the class; absent and
  short days are likelier when disengaged, ordinary days when not. One absence is weak evidence; a run of
  them is strong.
- **slow** (a trait, not a mood: one posterior over the window): every answer given before a competency
  was mastered comes with three predictions of P(correct), made by BKT from the student's own earlier
  answers on that competency: with the platform's learning rate (``p_expected``), with a slow one
  (``p_if_slow``), with none (``p_if_stuck``). Per competency, the log-likelihood ratio "slow vs expected"
  is the evidence, capped at ``COMPETENCY_LLR_CAP`` either way: one hard competency is not a slow student
  (it is the next filter's); slowness on several is. A competency answered right every time before its
  mastery is no evidence either way: mostly the student knew it already, which says nothing of how fast they
  learn (counted, it buried a slow student who knew half the framework under small "learns as expected"
  ratios from every competency they proved).
- **blocked** on a competency (per competency, not over time: a learning rate is a property of the pair):
  the posterior of "not learning it at all" against "learning it slowly" and "learning it", from the same
  predictions. A failed mastery check's answers are part of that evidence and the entry names the checks.
  So are the review answers on the competency's prerequisites: a competency cannot be learnt while what
  comes before it is forgotten, and wrong reviews of a prerequisite tell "cannot learn it now" from "finds
  it hard" in the first days, when the competency's own answers look the same (``PREREQUISITE_LLR``).

The score is the largest of "disengaged", "slow" and "slow or blocked": 1 − (1 − p_slow elsewhere)
(1 − p_blocked), the posterior that the student struggles either way, with the blocked candidate's answers
in p_blocked and the other competencies' in the slow posterior (each answer counted once). A student who
learns slowly and is not moving on one competency has two pieces of evidence of one struggle, each short of
the threshold alone; with nothing else known, the slow prior (0.10) joins a competency's blocked posterior.
The entry's subject is the blocking competency when that filter leads. The entry is raised at
``enter_score`` and kept until the score falls below ``exit_score`` (hysteresis: a filter hovering at
the threshold does not blink on and off). The filters' probabilities are priors about classrooms, written
down below; ``SLOW_PRIOR``, ``COMPETENCY_LLR_CAP``, ``OTHER_COMPETENCY_LLR_CAP``, ``DISENGAGED_PRIOR``,
``PREREQUISITE_LLR`` and the two thresholds were chosen out of sample on the simulated class
(engine/simulation/; tuned together on seeds 101–106, 150 students each, reported on 201–203:
bench/README.md, 2026-12-04, sixth session).
"""

import datetime as dt
import math
from dataclasses import dataclass, field

# P(absent), P(short day), P(ordinary day) in each regime; a short day is under SHORT_DAY of the usual work.
SHORT_DAY = 0.6
ENGAGED_DAYS = (0.08, 0.10, 0.82)  # ordinary classes: ~92% attendance, a short day now and then
DISENGAGED_DAYS = (0.50, 0.35, 0.15)  # absent every other day, and little done when present


@dataclass(frozen=True, slots=True)
class RegimeFilter:
    """A two-state (ordinary / struggling) HMM: ``prior`` on the first day, then per school day the chance
    to fall into the regime (``onset``) or out of it (``recovery``)."""

    prior: float
    onset: float
    recovery: float

    def run(self, log_ratios: list[float]) -> float:
        p = self.prior
        for llr in log_ratios:
            p = p * (1.0 - self.recovery) + (1.0 - p) * self.onset
            odds = p / (1.0 - p) * math.exp(llr)
            p = min(max(odds / (1.0 + odds), 1e-6), 1.0 - 1e-6)
        return p


# The disengagement filter's prior on a student's first school day: 0.02 (0.05 before). A disengaged spell
# begins after the first week (students start a term engaged); with 0.05 one absence on the first school day
# opened an entry (21 of the 88 never-struggling students ever flagged on the tuning seeds 101–103,
# 2026-12-04, sixth session); with 0.02 it takes two absences, or an absence and a short day.
DISENGAGED_PRIOR = 0.02
DISENGAGEMENT = RegimeFilter(prior=DISENGAGED_PRIOR, onset=0.02, recovery=0.10)
# Slowness is a trait, not a mood: one posterior over the window's competencies, each competency's evidence
# capped so that one hard competency (or one stuck on) cannot make a slow student by itself. Retuned on
# seeds 101–103 under the policy that practises before a check short of its carried answers
# (bench/README.md, 2026-12-04, fifth session): prior 0.10 (8% of the simulated class is slow) and a cap of
# 1.0 nat, so that one competency's evidence alone scores at most 0.232 (``one_competency_score``), below
# the thresholds; a lower floor is what lets the thresholds come down to where a second slow competency
# (or a blocked one) is seen a day sooner. Before: prior 0.20 and cap 0.8 (floor 0.357).
# Only the competency with the strongest "slow" evidence is held to COMPETENCY_LLR_CAP: that keeps one hard
# competency from making a slow student. Every other competency may say up to OTHER_COMPETENCY_LLR_CAP
# (2.0): a slow student's competencies show it by far more than an ordinary student's second-slowest one
# (on the tuning seeds, a mean of 4–8 nats against about 1), and capping each at 1.0 threw that away while
# competencies passed after a first wrong answer or two (known before, or lucky) pulled the sum down.
SLOW_PRIOR = 0.10
COMPETENCY_LLR_CAP = 1.0
OTHER_COMPETENCY_LLR_CAP = 2.0
# Prior over how a student learns one competency: at the expected rate, slowly, or not at all.
BLOCK_PRIOR = {"expected": 0.67, "slow": 0.30, "stuck": 0.03}
# A competency cannot be learnt while a prerequisite is not known (forgotten, or its check passed by luck):
# per review answer on a (direct) prerequisite of a competency being learnt, wrong ones less right ones, at
# least none, the odds that the student is stuck on it grow by e^PREREQUISITE_LLR. On the first days a
# run of wrong answers on a competency looks the same whether it is hard or cannot be learnt now; the
# prerequisite's reviews tell them apart (on the tuning seeds 91% of the days an ordinary student is
# stuck behind a prerequisite show a wrong review of one; 6% of ordinary students' other days do).
PREREQUISITE_LLR = 1.0


@dataclass(frozen=True, slots=True)
class DetectorModel:
    """The detector's free parameters in one place (the defaults above), so that the simulation's tuning
    (``engine.simulation.measure.tune``) can rescore the same inputs under other values."""

    slow_prior: float = SLOW_PRIOR
    competency_llr_cap: float = COMPETENCY_LLR_CAP
    block_prior: tuple[float, float, float] = (
        BLOCK_PRIOR["expected"],
        BLOCK_PRIOR["slow"],
        BLOCK_PRIOR["stuck"],
    )
    prerequisite_llr: float = PREREQUISITE_LLR
    other_competency_llr_cap: float = OTHER_COMPETENCY_LLR_CAP
    disengaged_prior: float = DISENGAGED_PRIOR


MODEL = DetectorModel()


# The thresholds' defaults (AttentionSettings; a school's own: SchoolThresholds), and how many school
# days of history the detector reads (about four school weeks). Chosen by ``bench/simulate_cohort.py
# --tune`` on seeds 101–106 together with the model above (engine.simulation.measure.tune: issue 15's
# goals with a margin, then the best recall in the first four weeks), reported on seeds 201–203
# (bench/README.md, 2026-12-04, sixth session). Before: 0.28 / 0.28 (fifth session), 0.36 / 0.36.
ENTER_SCORE = 0.26
EXIT_SCORE = 0.26
WINDOW_SCHOOL_DAYS = 20


@dataclass(frozen=True, slots=True)
class AnswerEvidence:
    """One answer and what BKT predicted for it, before it, from the student's earlier answers on the same
    competency: with the platform's parameters, with a slow learning rate, and with no learning at all."""

    competency_id: int
    correct: bool
    p_expected: float
    p_if_slow: float
    p_if_stuck: float
    check: bool = False  # a mastery check's question
    review: bool = False  # on a competency already mastered: counts as work done, not as learning evidence


@dataclass(frozen=True, slots=True)
class SchoolDay:
    on: dt.date
    answers: tuple[AnswerEvidence, ...] = ()  # none: the student did no work that day


@dataclass(frozen=True, slots=True)
class FailedCheck:
    competency_id: int
    on: dt.date


@dataclass(frozen=True, slots=True)
class AttentionInput:
    """What the detector reads: the recent school days (oldest first, up to today, only days the student
    had work to do), what a present day usually holds in the class, and the student's failed checks."""

    student_id: int
    days: tuple[SchoolDay, ...]
    usual_answers_per_day: float
    codes: dict[int, str] = field(default_factory=dict)
    mastered: frozenset[int] = frozenset()  # competencies certified now: nothing blocks on them any more
    failed_checks: tuple[FailedCheck, ...] = ()
    previously_flagged: bool = False  # the entry was open yesterday (hysteresis)
    # competency → the competencies that come before it (its direct prerequisites), where there are any
    prerequisites: dict[int, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AttentionSettings:
    """Per-school thresholds on the score: an entry opens at ``enter_score`` and stays open until the score
    falls below ``exit_score``. Defaults (0.26 and 0.26) chosen on simulated seeds 101–106, 150 students
    each, together with the detector's model (``bench/simulate_cohort.py --tune``: among the pairs meeting
    issue 15's goals with a margin — ``engine.simulation.measure.TUNE_MARGINS`` — and above what one
    competency alone can score, the best recall in the first four weeks), then reported on seeds 201–203
    (bench/README.md, 2026-12-04, sixth session)."""

    enter_score: float = ENTER_SCORE
    exit_score: float = EXIT_SCORE


@dataclass(frozen=True, slots=True)
class AttentionFinding:
    needs_attention: bool
    score: float
    kind: str  # the leading filter: "disengaged", "slow" or "blocked"
    subject_competency_id: int | None
    evidence: tuple[str, ...]
    suggested_action: str
    p_disengaged: float
    p_slow: float
    p_blocked: float


def one_competency_score(model: DetectorModel = MODEL) -> float:
    """The "slow" posterior from one competency's evidence alone (capped), with nothing else known: a
    threshold at or below it would flag an ordinary student whose only unproved competency is a hard one as
    slow. (The same competency may still open an entry as "blocked", with its own posterior of not being
    learnt at all: that is what the blocked filter is for.)"""
    return _sigmoid(_logit(model.slow_prior) + model.competency_llr_cap)


def _log_p(p: float, correct: bool) -> float:
    p = min(max(p, 1e-4), 1.0 - 1e-4)
    return math.log(p if correct else 1.0 - p)


def _day_kind(count: int, usual: float) -> int:
    if count == 0:
        return 0
    return 1 if count < SHORT_DAY * usual else 2


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-min(max(x, -30.0), 30.0)))


def _per_competency(
    data: AttentionInput, model: DetectorModel
) -> tuple[dict[int, float], dict[int, float], dict[int, int]]:
    """Per competency: P(stuck on it) if not mastered, the log-likelihood ratio "slow vs expected", and
    (where it weighs) the net wrong review answers on its prerequisites."""
    totals: dict[int, list[float]] = {}
    missed: set[int] = set()
    reviews: dict[int, int] = {}  # per competency reviewed: wrong less right review answers
    for day in data.days:
        for a in day.answers:
            if a.review:  # answers after mastery say nothing of how it was learnt
                reviews[a.competency_id] = reviews.get(a.competency_id, 0) + (-1 if a.correct else 1)
                continue
            if not a.correct:
                missed.add(a.competency_id)
            t = totals.setdefault(a.competency_id, [0.0, 0.0, 0.0])
            t[0] += _log_p(a.p_expected, a.correct)
            t[1] += _log_p(a.p_if_slow, a.correct)
            t[2] += _log_p(a.p_if_stuck, a.correct)
    stuck, slow, prerequisite_wrong = {}, {}, {}
    prior = [math.log(p) for p in model.block_prior]
    for competency_id, (expected, slowly, not_at_all) in totals.items():
        # How it was learnt counts once mastered, too; but a competency answered right every time says
        # nothing of how fast the student learns (mostly it was known before): no evidence either way.
        slow[competency_id] = slowly - expected if competency_id in missed else 0.0
        if competency_id in data.mastered:
            continue
        wrong = sum(reviews.get(p, 0) for p in data.prerequisites.get(competency_id, ()))
        if wrong > 0:
            prerequisite_wrong[competency_id] = wrong
        logs = [
            prior[0] + expected,
            prior[1] + slowly,
            prior[2] + not_at_all + model.prerequisite_llr * max(wrong, 0),
        ]
        top = max(logs)
        weights = [math.exp(x - top) for x in logs]
        stuck[competency_id] = weights[2] / sum(weights)
    return stuck, slow, prerequisite_wrong


@dataclass(frozen=True, slots=True)
class _Reading:
    """What the three filters read from one student's window: the posteriors and what each rests on."""

    counts: list[int]  # answers on each school day of the window
    usual: float  # the class's usual answers on a present day
    p_disengaged: float
    p_slow: float  # every competency's answers in the slow posterior
    worst: int | None  # the competency with the strongest "blocked" posterior
    p_blocked: float
    p_slow_elsewhere: float  # the slow posterior without ``worst``'s answers
    slow_competencies: list[int]  # those with "slow" evidence, strongest first
    prerequisite_wrong: dict[int, int]

    @property
    def p_either(self) -> float:
        """ "Slow or blocked": each competency's answers counted once (the blocked one's in p_blocked, the
        others' in the slow posterior), the two independent; with nothing else known, a competency's
        blocked posterior p scores 0.10 + 0.90·p."""
        return 1.0 - (1.0 - self.p_slow_elsewhere) * (1.0 - self.p_blocked)


def _read(data: AttentionInput, model: DetectorModel) -> _Reading:
    usual = max(data.usual_answers_per_day, 1.0)
    counts = [len(day.answers) for day in data.days]
    engagement_llrs = [
        math.log(DISENGAGED_DAYS[kind] / ENGAGED_DAYS[kind]) for kind in (_day_kind(c, usual) for c in counts)
    ]
    disengagement = RegimeFilter(model.disengaged_prior, DISENGAGEMENT.onset, DISENGAGEMENT.recovery)
    blocked, slow_by_competency, prerequisite_wrong = _per_competency(data, model)
    worst = max(blocked, key=lambda c: (blocked[c], -c)) if blocked else None
    others = {c: llr for c, llr in slow_by_competency.items() if c != worst}
    return _Reading(
        counts=counts,
        usual=usual,
        p_disengaged=disengagement.run(engagement_llrs),
        p_slow=_sigmoid(_logit(model.slow_prior) + _slow_evidence(slow_by_competency, model)),
        worst=worst,
        p_blocked=blocked[worst] if worst is not None else 0.0,
        p_slow_elsewhere=_sigmoid(_logit(model.slow_prior) + _slow_evidence(others, model)),
        slow_competencies=sorted(
            (c for c, llr in slow_by_competency.items() if llr > 0), key=lambda c: (-slow_by_competency[c], c)
        ),
        prerequisite_wrong=prerequisite_wrong,
    )


def needs_attention(
    data: AttentionInput, settings: AttentionSettings = AttentionSettings(), model: DetectorModel = MODEL
) -> AttentionFinding:
    """The student's entry today: the score, what leads it, the evidence in plain words, what to do."""
    reading = _read(data, model)
    if reading.p_disengaged >= max(reading.p_slow, reading.p_either):
        score, kind = reading.p_disengaged, "disengaged"
    elif reading.p_slow >= reading.p_either:
        score, kind = reading.p_slow, "slow"
    else:  # the blocked competency leads unless the others' slowness says more
        score, kind = reading.p_either, "blocked" if reading.p_blocked >= reading.p_slow_elsewhere else "slow"
    threshold = settings.exit_score if data.previously_flagged else settings.enter_score
    subject = reading.worst if kind == "blocked" else None
    return AttentionFinding(
        needs_attention=score >= threshold,
        score=round(score, 4),
        kind=kind,
        subject_competency_id=subject,
        evidence=_evidence(data, reading, settings.exit_score, model),
        suggested_action=_action(data, kind, subject),
        p_disengaged=round(reading.p_disengaged, 4),
        p_slow=round(reading.p_slow, 4),
        p_blocked=round(reading.p_blocked, 4),
    )


def _slow_evidence(slow_by_competency: dict[int, float], model: DetectorModel) -> float:
    """The "slow vs expected" log-likelihood ratios summed over competencies: the strongest one capped at
    ``competency_llr_cap`` (one hard competency is not a slow student), every other one at
    ``other_competency_llr_cap``, and evidence of learning as expected at ``competency_llr_cap``."""
    positive = sorted((llr for llr in slow_by_competency.values() if llr > 0), reverse=True)
    total = sum(max(llr, -model.competency_llr_cap) for llr in slow_by_competency.values() if llr < 0)
    if positive:
        total += min(positive[0], model.competency_llr_cap)
        total += sum(min(llr, model.other_competency_llr_cap) for llr in positive[1:])
    return total


def _code(data: AttentionInput, competency_id: int) -> str:
    return data.codes.get(competency_id, f"#{competency_id}")


def _evidence(data: AttentionInput, reading: _Reading, floor: float, model: DetectorModel) -> tuple[str, ...]:
    """Plain-language reasons, one per filter whose posterior could keep an entry open (≥ ``floor``); when
    "slow or blocked" could only together, both, each where its evidence is above its prior."""
    lines = []
    worst, p_slow, p_blocked = reading.worst, reading.p_slow, reading.p_blocked
    slow_competencies = reading.slow_competencies
    together = p_slow < floor and reading.p_either >= floor
    if together:  # the slowness shown on the other competencies, and the one not moving
        slow_competencies = [c for c in slow_competencies if c != worst]
    says_slow = p_slow >= floor or (
        together and reading.p_slow_elsewhere > model.slow_prior and bool(slow_competencies)
    )
    says_blocked = worst is not None and (p_blocked >= floor or together)
    recent = reading.counts[-5:]
    if recent and reading.p_disengaged >= floor:
        present = [c for c in recent if c]
        per_day = sum(present) / len(present) if present else 0
        lines.append(
            f"Worked on {len(present)} of the last {len(recent)} school days, {per_day:.0f} answers a day "
            f"when present (usual: {reading.usual:.0f})."
        )
    if says_slow:
        lines.append(_slow_sentence(data, slow_competencies))
    if says_slow and says_blocked and p_slow < floor and p_blocked < floor:
        lines.append(
            "Neither would be enough alone: slower learning across competencies and one that is not "
            "moving, together."
        )
    if says_blocked:
        lines.extend(_blocked_sentences(data, worst, reading.prerequisite_wrong))
    for check in data.failed_checks:
        if check.competency_id not in data.mastered:
            lines.append(f"Failed the {_code(data, check.competency_id)} mastery check on {check.on:%b %-d}.")
    return tuple(lines)


def _slow_sentence(data: AttentionInput, slow_competencies: list[int]) -> str:
    named = []
    for competency_id in slow_competencies[:3]:
        answers = _learning_answers(data, competency_id)
        right = sum(a.correct for a in answers)
        named.append(f"{len(answers)} answers on {_code(data, competency_id)}, {right} right")
    return (
        f"Across {len(slow_competencies)} competenc{'y' if len(slow_competencies) == 1 else 'ies'}, "
        "answers stay wrong longer than the model "
        f"expects ({'; '.join(named)}): learning more slowly than the class."
    )


def _blocked_sentences(data: AttentionInput, worst: int, prerequisite_wrong: dict[int, int]) -> list[str]:
    answers = _learning_answers(data, worst)
    right = sum(a.correct for a in answers)
    lines = [
        f"{len(answers)} answers on {_code(data, worst)} ({right} right) without the progress "
        "a slow learner would show."
    ]
    if worst in prerequisite_wrong:
        before = ", ".join(_code(data, p) for p in data.prerequisites.get(worst, ()))
        lines.append(
            f"Review answers on what comes before it ({before}) were wrong more often than right: "
            "it may be forgotten, and then it cannot be learnt yet."
        )
    return lines


def _learning_answers(data: AttentionInput, competency_id: int) -> list[AnswerEvidence]:
    return [a for day in data.days for a in day.answers if a.competency_id == competency_id and not a.review]


def _action(data: AttentionInput, kind: str, subject: int | None) -> str:
    if kind == "blocked" and subject is not None:
        return (
            f"Work through {_code(data, subject)} with the student: look at their wrong answers together "
            "or try another kind of item, and check what comes before it; more of the same practice is not "
            "working."
        )
    if kind == "slow":
        return (
            "Sit with the student this week: worked examples or a small group, and fewer new competencies at "
            "a time; their answers show slower learning across the board."
        )
    return "Talk with the student today: are they present, stuck, or lost? Agree on what to do this week."
