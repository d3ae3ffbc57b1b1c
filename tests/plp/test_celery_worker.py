"""A real Celery worker, in its own process, against Redis and PostgreSQL, runs school-scoped tasks."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from schools.tasks import school_census
from tests.support import postgres_only, redis_only

ROOT = Path(__file__).resolve().parents[2]


def _database_url_of_the_test_database() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_queue():
    """Start `celery worker` on a queue of its own; stop it after the test."""
    queue = f"plp-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _database_url_of_the_test_database()}
    # The worker acts as the app role too, under row-level security, like the tests (tests/conftest.py).
    if role := connection.settings_dict.get("OPTIONS", {}).get("assume_role"):
        env["PLP_DB_SET_ROLE"] = role
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "plp", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        yield queue
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        if "Traceback" in (output or ""):
            print(output)


@redis_only
@postgres_only
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_each_task_inside_the_school_it_names(worker_queue, school_a, school_b):
    from tests.factories import SectionFactory

    SectionFactory(school=school_b.school, term=school_b.term, name="BRAVO-SECTION-THREE")

    census_a = school_census.apply_async(kwargs={"school_id": school_a.school.pk}, queue=worker_queue)
    census_b = school_census.apply_async(kwargs={"school_id": school_b.school.pk}, queue=worker_queue)

    assert census_a.get(timeout=90)["sections"] == 2
    assert census_b.get(timeout=90)["sections"] == 3


@redis_only
@postgres_only
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_refuses_a_task_without_a_school(worker_queue, school_a):
    from plp.celery import app

    # send_task skips the caller-side signature check, as a hand-crafted or stale message would.
    result = app.send_task("schools.school_census", kwargs={}, queue=worker_queue)
    with pytest.raises(TypeError, match="school_id"):
        result.get(timeout=90)
