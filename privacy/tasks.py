"""Celery tasks of student data rights: the daily retention schedule. Thin wrappers over services."""

from plp.celery import app
from plp.tenancy.tasks import SchoolTask
from privacy import services
from schools.models import School


@app.task(name="privacy.retention_sweep")
def retention_sweep() -> int:
    """Beat, daily: one retention run per active school (fanned out, each in its own school's scope)."""
    school_ids = list(School.objects.filter(is_active=True).values_list("pk", flat=True))
    for school_id in school_ids:
        retention_run_task.delay(school_id=school_id)
    return len(school_ids)


@app.task(base=SchoolTask, name="privacy.retention_run", acks_late=True, soft_time_limit=600, time_limit=660)
def retention_run_task(*, school_id: int) -> dict[str, int]:
    """Note departures, erase students past the school's retention, prune the audit log past its
    retention. The prune deletes from the append-only log: it runs on ``settings.AUDIT_PRUNE_DATABASE``, the
    table owner's connection in production (the app role cannot delete there)."""
    return services.retention_run()
