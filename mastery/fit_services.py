"""Fitting each competency's BKT parameters from a school's practice history (``fit_mastery_model``).

Split from services.py: this is the one write that reads the whole school's history.
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
    note: str = ""


def _sequences_by_competency() -> dict[int, dict[int, list[bool]]]:
    """Every practice answer of the active school, grouped per competency and student, in time order."""
    grouped: dict[int, dict[int, list[bool]]] = {}
    rows = (
        PracticeAnswer.objects.order_by("competency_id", "student_id", "answered_at", "pk")
        .values_list("competency_id", "student_id", "is_correct")
        .iterator(chunk_size=5000)
    )
    for competency_id, student_id, correct in rows:
        grouped.setdefault(competency_id, {}).setdefault(student_id, []).append(correct)
    return grouped


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) else value


def school_model_fit(*, min_students: int = MIN_STUDENTS, min_answers: int = MIN_ANSWERS) -> list[FitReport]:
    """Fit every competency of the active school that has enough history, score it on held-out students,
    and store the parameters. Competencies with too little data keep theirs (the defaults)."""
    history = _sequences_by_competency()
    reports = []
    for competency in Competency.objects.order_by("code", "pk"):
        by_student = history.get(competency.pk, {})
        answers = sum(len(seq) for seq in by_student.values())
        if len(by_student) < min_students or answers < min_answers:
            reports.append(
                FitReport(
                    competency, len(by_student), answers, False, note="too little history, defaults kept"
                )
            )
            continue
        evaluation = fit_and_evaluate(by_student)
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
                note=f"EM {evaluation.fit.iterations} iterations, "
                f"{evaluation.heldout_students} held-out students",
            )
        )
    return reports
