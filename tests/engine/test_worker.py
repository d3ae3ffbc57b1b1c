"""The event path end to end: a learning event reaches a real worker; a broker outage loses nothing."""

import logging
import time

import pytest
from django.db import transaction

from engine import services
from engine.models import StudentEngineState, StudentRecommendation
from playlists.services import item_complete
from plp.celery import app
from plp.tenancy.context import school_scope
from tests.engine.conftest import build_learning_world
from tests.plp.test_celery_worker import worker_queue  # noqa: F401  (the fixture)
from tests.support import postgres_only, redis_only


@pytest.fixture
def default_queue(worker_queue):  # noqa: F811
    """Send this test's tasks to its private worker."""
    before = app.conf.task_default_queue
    app.conf.task_default_queue = worker_queue
    yield worker_queue
    app.conf.task_default_queue = before


@redis_only
@postgres_only
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_item_done_updates_next_up_through_a_real_worker(default_queue, school_a):
    world = build_learning_world(school_a)
    with school_scope(world.school):
        services.students_recompute(student_ids=[world.student.pk])
        intro = world.items[0]
        assert StudentRecommendation.objects.filter(student=world.student, item=intro).exists()
        with transaction.atomic():
            item_complete(student=world.student, item=intro)
    started = time.monotonic()
    while time.monotonic() - started < 60:
        with school_scope(world.school):
            if not StudentRecommendation.objects.filter(student=world.student, item=intro).exists():
                break
        time.sleep(0.05)
    with school_scope(world.school):
        titles = list(
            StudentRecommendation.objects.filter(student=world.student, kind="item").values_list(
                "item__title", flat=True
            )
        )
        assert StudentEngineState.objects.get(student=world.student).dirty_since is None
    print(f"event → next up in {time.monotonic() - started:.2f} s")
    # C1's item is done; C2's item still waits for C1's mastery check, so only C3's remains.
    assert titles == ["Sports stats"]


@pytest.fixture
def dead_broker():
    """The broker is down: publishing fails fast instead of retrying. The app's live connection pools are
    set aside (not closed) and put back afterwards."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_publish_retry")}
    pools = (app._pool, app.amqp._producer_pool)
    app.conf.update(broker_url="redis://127.0.0.1:9/0", task_always_eager=False, task_publish_retry=False)
    app._pool, app.amqp._producer_pool = None, None
    yield
    if app._pool is not None:
        app._pool.force_close_all()
    app.conf.update(saved)
    app._pool, app.amqp._producer_pool = pools


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_loses_no_event_the_sweep_recovers_it(dead_broker, school_a, caplog):
    world = build_learning_world(school_a)
    intro = world.items[0]
    logs = caplog.at_level(logging.WARNING, logger="engine.enqueue")
    with logs, school_scope(world.school), transaction.atomic():
        item_complete(student=world.student, item=intro)  # commits even though the enqueue fails
    assert "not enqueued" in caplog.text
    plan = services.sweep_plan(dirty_only=True, chunk_size=100)
    assert plan == [(world.school.pk, [world.student.pk])]
    from engine.tasks import recompute_students

    recompute_students(school_id=world.school.pk, student_ids=plan[0][1])  # what the sweep's chunk runs
    with school_scope(world.school):
        assert not StudentRecommendation.objects.filter(student=world.student, item=intro).exists()
        assert StudentEngineState.objects.get(student=world.student).dirty_since is None
    assert services.sweep_plan(dirty_only=True, chunk_size=100) == []
