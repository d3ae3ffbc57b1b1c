"""Celery tasks of the engine: thin wrappers. Every recompute runs inside one school; the sweep fans out."""

import logging

from celery import shared_task

from engine import services
from engine.sandbox import SANDBOX_REPLAY, sandbox_run_execute
from lti.tasks import pass_back_after_recompute
from plp.celery import app
from plp.tenancy.tasks import SchoolTask

logger = logging.getLogger(__name__)

SWEEP_CHUNK = 500


@app.task(base=SchoolTask, name="engine.recompute_student")
def recompute_student(*, school_id: int, student_id: int) -> dict:
    """After a learning event: one student's next items and flags. Idempotent."""
    result = services.students_recompute(student_ids=[student_id])
    _after_recompute(school_id, [student_id])
    return result


@app.task(base=SchoolTask, name="engine.recompute_students")
def recompute_students(*, school_id: int, student_ids: list[int]) -> dict:
    """One chunk of a sweep: the same work in bulk (a constant number of queries per chunk)."""
    result = services.students_recompute(student_ids=student_ids)
    _after_recompute(school_id, student_ids)
    return result


def _after_recompute(school_id: int, student_ids: list[int]) -> None:
    """What follows a recompute elsewhere: mastery sent to LMS gradebooks (LTI AGS), in its own task."""
    try:
        pass_back_after_recompute(school_id=school_id, student_ids=student_ids)
    except Exception:  # an LMS (eager mode) or the broker down must not undo the recompute
        logger.exception("LTI score passback not started for school %s", school_id)


@shared_task(name="engine.sweep", acks_late=True)
def sweep(*, dirty_only: bool = True, chunk_size: int = SWEEP_CHUNK) -> dict:
    """Fan out recompute chunks for every active school: dirty students (every few minutes) or everyone
    (nightly). Events whose enqueue was lost while the broker was down are picked up here."""
    plan = services.sweep_plan(dirty_only=dirty_only, chunk_size=chunk_size)
    for school_id, chunk in plan:
        recompute_students.delay(school_id=school_id, student_ids=chunk)
    logger.info("engine sweep: %d chunks (dirty_only=%s)", len(plan), dirty_only)
    return {"chunks": len(plan), "students": sum(len(chunk) for _, chunk in plan)}


@app.task(base=SchoolTask, name=SANDBOX_REPLAY)
def sandbox_replay(*, school_id: int, run_id: int) -> dict:
    """A policy sandbox what-if, replayed in the school's scope, chunk by chunk (progress stored)."""
    run = sandbox_run_execute(run_id=run_id)
    return {"run": run.pk, "status": run.status, "students": run.students_total}
