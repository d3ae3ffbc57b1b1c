"""Celery tasks of the schools app. Thin wrappers: the work is in selectors and services."""

from plp.celery import app
from plp.tenancy.tasks import SchoolTask
from schools import selectors


@app.task(base=SchoolTask, name="schools.school_census")
def school_census(*, school_id: int) -> dict[str, int]:
    """Counts of one school's people and sections, computed inside that school's scope. Used by
    ``manage.py school_census`` and by the worker round-trip test to prove a worker stays in its school."""
    return selectors.school_census()


from schools.rostering.tasks import roster_import_task  # noqa: E402, F401  (registered with the worker)
