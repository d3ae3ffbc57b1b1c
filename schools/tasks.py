"""Celery tasks of the schools app. Thin wrappers: the work is in selectors and services."""

from plp.celery import app
from plp.tenancy.tasks import SchoolTask
from schools import selectors
from schools.invitations import invitations_send_pending as send


@app.task(base=SchoolTask, name="schools.school_census")
def school_census(*, school_id: int) -> dict[str, int]:
    """Counts of one school's people and sections, computed inside that school's scope. Used by
    ``manage.py school_census`` and by the worker round-trip test to prove a worker stays in its school."""
    return selectors.school_census()


from schools.rostering.tasks import roster_check_task, roster_import_task  # noqa: E402, F401  (registered)


@app.task(base=SchoolTask, name="schools.invitations_send_pending", soft_time_limit=600, time_limit=660)
def invitations_send_pending(*, school_id: int, sent_by_id: int | None, base_url: str) -> int:
    """Invite every person of the school who cannot log in yet (after a roster import)."""
    return send(sent_by_id=sent_by_id, base_url=base_url)
