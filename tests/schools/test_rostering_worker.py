"""The roster import through a real Celery worker on Redis and PostgreSQL (CI runs it)."""

import pytest

from plp.tenancy.context import school_scope
from schools.models import Enrollment
from schools.rostering.models import ImportRun, RosterPerson
from schools.rostering.services import import_run_create
from schools.rostering.tasks import roster_import_task
from tests.plp.test_celery_worker import worker_queue  # noqa: F401  (the fixture)
from tests.schools.roster_files import roster
from tests.support import postgres_only, redis_only


@redis_only
@postgres_only
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_a_confirmed_roster_into_its_school_only(worker_queue, school_a, school_b):  # noqa: F811
    with school_scope(school_a.school):
        run = import_run_create(files=roster())
        run.status = ImportRun.Status.QUEUED
        run.save(update_fields=["status"])
    result = roster_import_task.apply_async(
        kwargs={"school_id": school_a.school.pk, "run_id": run.pk}, queue=worker_queue
    )
    assert result.get(timeout=120) == "succeeded"
    with school_scope(school_a.school):
        assert RosterPerson.objects.count() == 3
        assert Enrollment.objects.exclude(sourced_id="").count() == 4
        run.refresh_from_db()
        assert run.status == "succeeded" and run.finished_at is not None
    with school_scope(school_b.school):
        assert not RosterPerson.objects.exists()
