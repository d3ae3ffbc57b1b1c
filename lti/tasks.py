"""Celery tasks of LTI: thin wrappers, each inside the school it is given."""

import logging

from lti import grades
from lti.models import LtiUserLink
from plp.celery import app
from plp.tenancy.tasks import SchoolTask

logger = logging.getLogger(__name__)


@app.task(
    base=SchoolTask,
    name="lti.pass_back_scores",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=8,
    soft_time_limit=120,
    time_limit=150,
)
def pass_back_scores(self, *, school_id: int, student_ids: list[int]) -> int:
    """Send these students' changed mastery scores to their LMS gradebooks; retried with backoff while the
    LMS is unreachable (what was sent is recorded, so a retry sends only the rest)."""
    try:
        return grades.scores_pass_back(student_ids=student_ids)
    except grades.PassbackFailed as error:
        logger.warning("LTI score passback for school %s failed (%s); retrying", school_id, error)
        raise self.retry(exc=error, countdown=min(3600, 30 * 2**self.request.retries)) from error


def pass_back_after_recompute(*, school_id: int, student_ids: list[int]) -> bool:
    """Called by the engine after a recompute (inside the school): enqueue a passback when any of these
    students was ever launched from an LMS (one query otherwise, nothing sent)."""
    if not LtiUserLink.objects.filter(user_id__in=student_ids).exists():
        return False
    pass_back_scores.delay(school_id=school_id, student_ids=list(student_ids))
    return True
