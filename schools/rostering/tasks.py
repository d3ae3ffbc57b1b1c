"""Celery task of the roster import: a thin wrapper that runs the service inside the school's scope."""

from plp.celery import app
from plp.tenancy.tasks import SchoolTask


@app.task(base=SchoolTask, name="schools.roster_import", soft_time_limit=600, time_limit=660)
def roster_import_task(*, school_id: int, run_id: int) -> str:
    from schools.rostering.services import import_run_execute

    return import_run_execute(run_id=run_id).status


@app.task(base=SchoolTask, name="schools.roster_check", soft_time_limit=600, time_limit=660)
def roster_check_task(*, school_id: int, run_id: int) -> str:
    from schools.rostering.services import import_run_check

    return import_run_check(run_id=run_id).status
