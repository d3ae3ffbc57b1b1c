"""Figures from the simulated class (this package): how each way of teaching does, and how well
the old flag rules and the "needs attention" detector find the students who truly struggle.

Flag measures count student-days under our policy (days after a student certified everything are not
counted). A 3-school-day window (school days 0–2, 3–5, …) is truly struggling when any of its days is, and
flagged when any of its days is. Delay: school days from a student's first truly struggling day to the first
flagged day on or after it (students never flagged after onset are counted apart, not as a delay).
"""

import dataclasses
import itertools
import random
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from engine.policy.attention import (
    MODEL,
    AttentionSettings,
    DetectorModel,
    needs_attention,
    one_competency_score,
)
from engine.simulation import (
    FIRST_WEEKS_DAYS,
    OLD_STRUGGLE_KINDS,
    REMEDIES,
    TEACHINGS,
    DayRecord,
    Kind,
    Learner,
    make_class,
    make_framework,
    run_term,
)

WINDOW = 3


@dataclass
class TeachingFigures:
    name: str
    students: int
    mastered_share: float  # certified the whole framework within the term
    median_days: float | None  # school days to certify everything, among those who did
    median_practice: float | None  # practice answers to certify everything
    median_slots: float | None  # answer slots (practice + check questions) to certify everything
    kept_share: float  # certified competencies still truly known at term end
    median_practice_on_known: float  # practice on competencies known and not yet certified, per student


def teaching_figures(name: str, learners: list[Learner]) -> TeachingFigures:
    done = [learner for learner in learners if learner.done_day is not None]
    certified = sum(len(learner.certified) for learner in learners)
    kept = sum(learner.known[c] for learner in learners for c in learner.certified)

    def median(values):
        values = list(values)
        return statistics.median(values) if values else None

    return TeachingFigures(
        name=name,
        students=len(learners),
        mastered_share=len(done) / len(learners) if learners else 0.0,
        median_days=median(learner.done_day + 1 for learner in done),
        median_practice=median(learner.practice_at_done for learner in done),
        median_slots=median(learner.slots_at_done for learner in done),
        kept_share=kept / certified if certified else 0.0,
        median_practice_on_known=statistics.median(learner.practice_on_known for learner in learners),
    )


@dataclass
class ClassRun:
    seed: int
    teachings: dict[str, TeachingFigures]
    records: list[DayRecord]


def run_class(
    *,
    students: int,
    competencies: int,
    seed: int,
    settings: AttentionSettings | None = None,
    remedies: bool = False,
) -> ClassRun:
    """The same students taught four ways (and, with ``remedies``, the policy with each remedy of issue 15);
    under our policy, the flags and the detector read every day."""
    rng = random.Random(seed)
    framework = make_framework(competencies, rng)
    profiles = make_class(students, framework, rng)
    records: list[DayRecord] = []
    figures = {}
    for name, make in (TEACHINGS | REMEDIES if remedies else TEACHINGS).items():
        learners = [
            run_term(
                profile, framework, make(), record=records if name == "policy" else None, settings=settings
            )
            for profile in profiles
        ]
        figures[name] = teaching_figures(name, learners)
    return ClassRun(seed, figures, records)


@dataclass
class Detection:
    label: str
    precision: float
    recall: float
    first_weeks_precision: float
    first_weeks_recall: float
    window_precision: float
    window_recall: float
    window_first_weeks_precision: float
    window_first_weeks_recall: float
    never_struggling_flagged: float  # share of never-struggling students flagged at least once
    false_flag_days_per_100: float  # flagged days per 100 student-days of never-struggling students
    class_flagged: float  # share of the class flagged on a school day of the first four weeks (median)
    delays: dict[str, float | None] = field(default_factory=dict)  # median per struggle kind
    missed: dict[str, int] = field(default_factory=dict)  # students of that kind never flagged after onset


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _pr(pairs: Iterable[tuple[bool, bool]]) -> tuple[float, float]:
    tp = fp = fn = 0
    for truth, flagged in pairs:
        tp += truth and flagged
        fp += flagged and not truth
        fn += truth and not flagged
    return _ratio(tp, tp + fp), _ratio(tp, tp + fn)


def struggle_kind(records: list[DayRecord]) -> str | None:
    """The kind of struggle a student's days show: their profile's, or "stuck behind a prerequisite" for an
    ordinary student blocked by a prerequisite passed by luck or forgotten."""
    if not any(r.truth for r in records):
        return None
    kind = records[0].kind
    return "prerequisite" if kind is Kind.ORDINARY else str(kind)


def detection(label: str, records: list[DayRecord], flags: list[bool]) -> Detection:
    """Per student-day, per 3-day window, in the whole term and its first four weeks; ``flags`` parallel to
    ``records``."""
    pairs = list(zip(records, flags, strict=True))
    by_student: dict[int, list[tuple[DayRecord, bool]]] = {}
    for record, flagged in pairs:
        by_student.setdefault(record.student_id, []).append((record, flagged))
    students = list(by_student.values())
    windows, first_windows = _window_pairs(students)
    never_flagged, false_flag_days = _never_struggling(students)
    delays, missed = _delays(students)
    precision, recall = _pr((r.truth, f) for r, f in pairs)
    first_precision, first_recall = _pr((r.truth, f) for r, f in pairs if r.day < FIRST_WEEKS_DAYS)
    window_precision, window_recall = _pr(windows)
    window_first_precision, window_first_recall = _pr(first_windows)
    return Detection(
        label=label,
        precision=precision,
        recall=recall,
        first_weeks_precision=first_precision,
        first_weeks_recall=first_recall,
        window_precision=window_precision,
        window_recall=window_recall,
        window_first_weeks_precision=window_first_precision,
        window_first_weeks_recall=window_first_recall,
        never_struggling_flagged=never_flagged,
        false_flag_days_per_100=false_flag_days,
        class_flagged=_class_flagged(pairs),
        delays=delays,
        missed=missed,
    )


def _window_pairs(students: list[list[tuple[DayRecord, bool]]]) -> tuple[list, list]:
    """Each student's 3-school-day windows as (truly struggling, flagged): all of them, and those that
    start in the first four weeks."""
    windows, first_windows = [], []
    for rows in students:
        grouped: dict[int, list[tuple[bool, bool]]] = {}
        for r, f in rows:
            grouped.setdefault(r.day // WINDOW, []).append((r.truth, f))
        for index, group in grouped.items():
            pair = (any(t for t, _ in group), any(f for _, f in group))
            windows.append(pair)
            if index * WINDOW < FIRST_WEEKS_DAYS:
                first_windows.append(pair)
    return windows, first_windows


def _never_struggling(students: list[list[tuple[DayRecord, bool]]]) -> tuple[float, float]:
    """Among the students who never truly struggle: the share flagged at least once, and their flagged
    days per 100 of their days."""
    never, never_flagged, never_days, never_flag_days = 0, 0, 0, 0
    for rows in students:
        if struggle_kind([r for r, _ in rows]) is not None:
            continue
        never += 1
        never_flagged += any(f for _, f in rows)
        never_days += len(rows)
        never_flag_days += sum(f for _, f in rows)
    return _ratio(never_flagged, never), 100 * _ratio(never_flag_days, never_days)


def _delays(students: list[list[tuple[DayRecord, bool]]]) -> tuple[dict[str, float | None], dict[str, int]]:
    """Per struggle kind: the median school days from a student's onset to the first flag on or after it
    (``None`` when no student of that kind was flagged after onset), and how many never were."""
    delays: dict[str, list[int]] = {}
    missed: dict[str, int] = {}
    for rows in students:
        kind = struggle_kind([r for r, _ in rows])
        if kind is None:
            continue
        onset = next(r.day for r, _ in rows if r.truth)
        found = next((r.day for r, f in rows if f and r.day >= onset), None)
        if found is None:
            missed[kind] = missed.get(kind, 0) + 1
        else:
            delays.setdefault(kind, []).append(found - onset)
        missed.setdefault(kind, 0)
    medians = {kind: statistics.median(values) for kind, values in delays.items()}
    return medians | {kind: None for kind in missed if kind not in delays}, missed


def _class_flagged(pairs: list[tuple[DayRecord, bool]]) -> float:
    """The share of the class flagged on a school day of the first four weeks (median over those days)."""
    per_day: dict[int, list[bool]] = {}
    for r, f in pairs:
        if r.day < FIRST_WEEKS_DAYS:  # later, the students who finished early are no longer counted
            per_day.setdefault(r.day, []).append(f)
    return statistics.median(sum(fs) / len(fs) for fs in per_day.values()) if per_day else 0.0


def attention_flags(records: list[DayRecord], *, enter: float, exit: float) -> list[bool]:
    """The detector's entry per student-day for given thresholds, replayed from its scores (the score does
    not depend on the thresholds; the entry does, through the hysteresis)."""
    flags, open_for = [], {}
    for record in records:
        was = open_for.get(record.student_id, False)
        now = record.score >= (exit if was else enter)
        open_for[record.student_id] = now
        flags.append(now)
    return flags


def old_flags(records: list[DayRecord], kind: str | None = None) -> list[bool]:
    """The old rules' flags per student-day: one kind, or any struggle-type kind."""
    if kind is None:
        return [bool(r.old_kinds) for r in records]
    return [kind in r.old_kinds for r in records]


def all_detections(records: list[DayRecord], settings: AttentionSettings) -> list[Detection]:
    found = [
        detection(
            "needs attention",
            records,
            attention_flags(records, enter=settings.enter_score, exit=settings.exit_score),
        ),
        detection("old rules, any", records, old_flags(records)),
    ]
    found += [detection(f"old: {kind}", records, old_flags(records, kind)) for kind in OLD_STRUGGLE_KINDS]
    return found


# What ``tune`` asks of thresholds on the tuning seeds: issue 15's goals with a margin, so that they still
# hold on seeds it has not seen (medians over the seeds): per-day precision and recall, the first weeks'
# precision, the never-struggling students flagged, their false flag-days, and the median delay per kind.
TUNE_MARGINS = {
    "precision": 0.87,  # goal 0.85
    "recall": 0.92,  # goal 0.90
    "first_weeks_precision": 0.60,  # goal 0.55
    "never_struggling_flagged": 0.32,  # goal at most 0.35
    "false_flag_days_per_100": 9.0,  # goal at most 10
    "delay": 2.0,  # goal at most 2 school days for each struggle kind
}
DELAY_KINDS = ("slow", "disengaged", "blocked")


def _meets_margins(found: list[Detection]) -> bool:
    def m(attribute):
        return statistics.median(getattr(d, attribute) for d in found)

    if m("precision") < TUNE_MARGINS["precision"] or m("recall") < TUNE_MARGINS["recall"]:
        return False
    if m("first_weeks_precision") < TUNE_MARGINS["first_weeks_precision"]:
        return False
    if m("never_struggling_flagged") > TUNE_MARGINS["never_struggling_flagged"]:
        return False
    if m("false_flag_days_per_100") > TUNE_MARGINS["false_flag_days_per_100"]:
        return False
    for kind in DELAY_KINDS:
        delays = [d.delays[kind] for d in found if d.delays.get(kind) is not None]
        if not delays or statistics.median(delays) > TUNE_MARGINS["delay"]:
            return False
    return True


# The detector's models ``tune`` chooses among, with the thresholds: the slow prior, the cap on every
# competency's say but the slowest one's, and the disengagement filter's prior (engine/policy/attention.py).
# The cap on the slowest competency (1.0), the prerequisite weight (1.0) and the blocked filter's prior were
# scanned before and kept (bench/README.md, 2026-12-04, fifth and sixth sessions).
TUNE_MODELS = tuple(
    dataclasses.replace(MODEL, slow_prior=prior, other_competency_llr_cap=other, disengaged_prior=disengaged)
    for prior, other, disengaged in itertools.product((0.10, 0.15), (1.0, 2.0), (0.02, 0.05))
)


def rescored(records: list[DayRecord], model: DetectorModel) -> list[DayRecord]:
    """The same student-days with the detector's score under another model (from the input it read)."""
    if model == MODEL:
        return records
    out = []
    for r in records:
        finding = needs_attention(r.attention_input, model=model)
        out.append(dataclasses.replace(r, score=finding.score, attention_kind=finding.kind))
    return out


def tune(
    runs: list[list[DayRecord]], models: Iterable[DetectorModel] = (MODEL,)
) -> tuple[DetectorModel, float, float, list[Detection]]:
    """The detector's model and thresholds out of sample: on these (tuning) seeds, for each model, the
    thresholds that one competency's evidence alone cannot reach (``one_competency_score`` of that model)
    and that meet every goal of issue 15 part 2 with the margins of ``TUNE_MARGINS`` except the first weeks'
    recall (which none reaches: see bench/README.md); among all of them, the best median first-weeks recall
    (to 0.01), then per-day precision."""
    best: tuple[tuple[float, float], DetectorModel, float, float, list[Detection]] | None = None
    for model in models:
        scored = [rescored(records, model) for records in runs]
        floor = one_competency_score(model)
        for enter in [round(0.20 + 0.02 * n, 2) for n in range(36)]:
            for exit in [round(enter - 0.04 * n, 2) for n in range(0, 3)]:
                if exit <= floor:
                    continue
                found = [detection("tune", r, attention_flags(r, enter=enter, exit=exit)) for r in scored]
                if not _meets_margins(found):
                    continue
                key = (
                    round(statistics.median(d.first_weeks_recall for d in found), 2),
                    statistics.median(d.precision for d in found),
                )
                if best is None or key > best[0]:
                    best = (key, model, enter, exit, found)
    if best is None:
        raise ValueError("no thresholds meet the goals with their margins")
    return best[1], best[2], best[3], best[4]


def first_weeks_recall_bound(records: list[DayRecord]) -> float:
    """The first weeks' per-day recall of a detector that knows the truth but needs one school day to see
    it: it flags every truly struggling day but the first of each spell. Onset days are about a tenth of the
    first weeks' struggling days (slow students struggle from day 0, by definition), so no detector that
    reads evidence reaches much above this."""
    flags, before = [], {}
    for r in records:
        flags.append(r.truth and before.get(r.student_id, False))
        before[r.student_id] = r.truth
    return detection("bound", records, flags).first_weeks_recall


# The breakdown of missed struggling days: by school days since the spell began, and by the day's work.
SINCE_BUCKETS = ((0, "0"), (1, "1"), (2, "2"), (5, "3–5"), (10, "6–10"), (10**6, "> 10"))
CAUSES = ("slow", "disengaged", "blocked", "prerequisite")


def _work(answers: int) -> str:
    """The day's work against an ordinary present day (``SLOTS_PER_DAY`` answers)."""
    if answers == 0:
        return "no answers"
    return "under 8 answers" if answers < 8 else "8 or more answers"


def missed_days(records: list[DayRecord], flags: list[bool]) -> dict[tuple[str, str, str], list[int]]:
    """Where an entry misses truly struggling days: ``{(view, cause, bucket): [struggling days, missed]}``
    for the views "since" (school days since the spell began; a spell is a run of counted struggling days)
    and "work" (what the student did that day); ``flags`` parallel to ``records``, each record's ``cause``
    from ``Learner.struggle_cause``."""
    table: dict[tuple[str, str, str], list[int]] = {}
    began: dict[int, int | None] = {}
    for record, flagged in zip(records, flags, strict=True):
        if not record.truth:
            began[record.student_id] = None
            continue
        if began.get(record.student_id) is None:
            began[record.student_id] = record.day
        since = record.day - began[record.student_id]
        bucket = next(label for top, label in SINCE_BUCKETS if since <= top)
        for key in (("since", record.cause, bucket), ("work", record.cause, _work(record.answers))):
            counts = table.setdefault(key, [0, 0])
            counts[0] += 1
            counts[1] += not flagged
    return table


Median = Callable[[Iterable[float]], float]
