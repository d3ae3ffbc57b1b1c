"""Celery tasks of the playlists app: thin wrappers around services."""

from playlists import services
from plp.celery import app
from plp.tenancy.tasks import SchoolTask


@app.task(base=SchoolTask, name="playlists.recompute_student")
def recompute_student(*, school_id: int, student_id: int) -> None:
    """Recompute one student's next item. Until the engine (the workers issue) replaces this body, it
    records the request durably, so the sweep finds the student dirty. Idempotent."""
    services.student_recompute_request(student_id=student_id)
