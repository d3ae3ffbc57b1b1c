"""Celery tasks of xAPI: the beat's sweep finds schools with statements due, one drain per school, each in
its own school's scope (so one school's rows can only ever go to that school's LRS)."""

from django.utils import timezone

from plp.celery import app
from plp.tenancy.tasks import SchoolTask
from xapi import services


@app.task(name="xapi.drain_everywhere")
def drain_everywhere() -> int:
    """Beat, every minute by default: one drain per school that has statements due and sends them."""
    school_ids = services.schools_with_statements_due(now=timezone.now())
    for school_id in school_ids:
        drain.delay(school_id=school_id)
    return len(school_ids)


@app.task(base=SchoolTask, name="xapi.drain", acks_late=True, soft_time_limit=300, time_limit=330)
def drain(*, school_id: int) -> dict:
    """Send one school's due statements to its LRS (xapi.services.outbox_drain). An LRS that is down is
    not an error of the task: the rows stay queued with their next attempt, and the error is shown to the
    school's admins."""
    result = services.outbox_drain()
    return {
        "sent": result.sent,
        "rejected": result.rejected,
        "failed": result.failed,
        "withheld": result.withheld,
        "error": result.error,
    }
