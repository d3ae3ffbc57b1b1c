"""Celery tasks of the mastery app: the weekly refit of each school's BKT parameters. Thin wrappers."""

import logging

from celery import shared_task

from mastery.fit_services import school_model_fit
from playlists.models import Competency
from plp.celery import app
from plp.tenancy.context import school_scope
from plp.tenancy.tasks import SchoolTask
from schools.models import School

logger = logging.getLogger(__name__)

# Competencies per task: a chunk reads only its competencies' answers, so a big school's refit is many
# short tasks spread over the workers rather than one long one that outlives the time limit.
FIT_CHUNK = 20


@app.task(base=SchoolTask, name="mastery.fit_models", soft_time_limit=900, time_limit=960)
def fit_models(*, school_id: int, competency_ids: list[int]) -> dict:
    """Fit one chunk of a school's competencies (mastery.fit_services.school_model_fit). Idempotent."""
    reports = school_model_fit(competency_ids=competency_ids)
    return {
        "competencies": len(reports),
        "fitted": sum(r.fitted for r in reports),
        "left_out": sum(r.left_out for r in reports),
    }


def fit_plan(*, chunk_size: int = FIT_CHUNK) -> list[tuple[int, list[int]]]:
    """(school id, competency ids) chunks over every active school, each read in its own scope."""
    plan = []
    for school in School.objects.filter(is_active=True).order_by("pk"):
        with school_scope(school):
            ids = list(Competency.objects.order_by("pk").values_list("pk", flat=True))
        plan += [(school.pk, ids[start : start + chunk_size]) for start in range(0, len(ids), chunk_size)]
    return plan


@shared_task(name="mastery.fit_models_everywhere", acks_late=True)
def fit_models_everywhere(*, chunk_size: int = FIT_CHUNK) -> dict:
    """Beat's weekly refit (settings.CELERY_BEAT_SCHEDULE): one task per chunk of a school's competencies."""
    plan = fit_plan(chunk_size=chunk_size)
    for school_id, chunk in plan:
        fit_models.delay(school_id=school_id, competency_ids=chunk)
    logger.info("model refit: %d chunks", len(plan))
    return {"chunks": len(plan), "competencies": sum(len(chunk) for _, chunk in plan)}
