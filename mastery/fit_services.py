"""Fitting each competency's BKT parameters from a school's practice history (``fit_mastery_model``).

Split from services.py: this is the one write that reads the whole school's history. It runs weekly per
school from Celery beat (``mastery.tasks.fit_models_everywhere`` fans out chunks of competencies, one task
each: a chunk reads only its competencies' answers) and on demand (``manage.py fit_mastery_model``).

Wheel-spinning sequences are left out (mastery.fitting: a latent "stuck" class fitted beside BKT). Where
data is thin (fewer than ``MIN_STUDENTS`` students or ``MIN_ANSWERS`` answers), the competency keeps what it
has: the textbook defaults, or an earlier fit. The stored row records the fit's quality (students, answers,
held-out log-loss and AUC, when).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from mastery.fitting import fit_and_evaluate
from mastery.models import CompetencyModelParams, PracticeAnswer
from playlists.models import Competency

MIN_STUDENTS = 10
MIN_ANSWERS = 50


@dataclass(frozen=True)
class FitReport:
    competency: Competency
    students: int
    answers: int
    fitted: bool
    params: CompetencyModelParams | None = None
    log_loss: float | None = None
    auc: float | None = None
    rmse: float | None = None
    left_out: int = 0  # wheel-spinning students' sequences, not fitted
    note: str = ""


def _sequences_by_competency(competency_ids: list[int] | None) -> dict[int, dict[int, list[bool]]]:
    """The active school's practice answers (of ``competency_ids``, or all), grouped per competency and
    student, in time order."""
    grouped: dict[int, dict[int, list[bool]]] = {}
    answers = PracticeAnswer.objects.all()
    if competency_ids is not None:
        answers = answers.filter(competency_id__in=competency_ids)
    rows = (
        answers.order_by("competency_id", "student_id", "answered_at", "pk")
        .values_list("competency_id", "student_id", "is_correct")
        .iterator(chunk_size=5000)
    )
    for competency_id, student_id, correct in rows:
        grouped.setdefault(competency_id, {}).setdefault(student_id, []).append(correct)
    return grouped


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) else value


def school_model_fit(
    *,
    competency_ids: list[int] | None = None,
    min_students: int = MIN_STUDENTS,
    min_answers: int = MIN_ANSWERS,
) -> list[FitReport]:
    """Fit every competency of the active school (or those of ``competency_ids``, one chunk) that has enough
    history once wheel-spinning sequences are left out, score it on held-out students, and store the
    parameters. Competencies with too little data keep theirs (the defaults, or an earlier fit).
    ``students`` and ``answers`` on the stored row count everyone's history; ``FitReport.left_out`` says
    how many of them the fit judged wheel-spinning."""
    history = _sequences_by_competency(competency_ids)
    competencies = Competency.objects.order_by("code", "pk")
    if competency_ids is not None:
        competencies = competencies.filter(pk__in=competency_ids)
    reports = []
    for competency in competencies:
        by_student = history.get(competency.pk, {})
        answers = sum(len(seq) for seq in by_student.values())
        if len(by_student) < min_students or answers < min_answers:
            reports.append(
                FitReport(
                    competency, len(by_student), answers, False, note="too little history, parameters kept"
                )
            )
            continue
        evaluation = fit_and_evaluate(by_student)
        left_out = evaluation.left_out
        p = evaluation.fit.params
        with transaction.atomic():
            row, _ = CompetencyModelParams.objects.select_for_update().get_or_create(
                school_id=competency.school_id, competency=competency
            )
            row.p_init, row.p_learn, row.p_guess, row.p_slip = p.p_init, p.p_learn, p.p_guess, p.p_slip
            row.fitted_at, row.students, row.answers = timezone.now(), len(by_student), answers
            row.heldout_log_loss, row.heldout_auc = _finite(evaluation.log_loss), _finite(evaluation.auc)
            row.full_clean()
            row.save()
        reports.append(
            FitReport(
                competency,
                len(by_student),
                answers,
                True,
                row,
                row.heldout_log_loss,
                row.heldout_auc,
                _finite(evaluation.rmse),
                left_out,
                note=f"EM {evaluation.fit.iterations} iterations, "
                f"{evaluation.heldout_students} held-out students",
            )
        )
    return reports
