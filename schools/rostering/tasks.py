"""Celery task of the roster import: a thin wrapper that runs the service inside the school's scope."""

from plp.celery import app
from plp.tenancy.tasks import SchoolTask
from schools.rostering.services import ROSTER_CHECK, ROSTER_IMPORT, import_run_check, import_run_execute


@app.task(base=SchoolTask, name=ROSTER_IMPORT, soft_time_limit=600, time_limit=660)
def roster_import_task(*, school_id: int, run_id: int) -> str:
    return import_run_execute(run_id=run_id).status


@app.task(base=SchoolTask, name=ROSTER_CHECK, soft_time_limit=600, time_limit=660)
def roster_check_task(*, school_id: int, run_id: int) -> str:
    return import_run_check(run_id=run_id).status
