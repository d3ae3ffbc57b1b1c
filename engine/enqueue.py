"""Ask for a recompute after a learning event: mark the student dirty now, enqueue after commit.

The dirty mark is written in the caller's transaction, so it commits with the event. If the broker is
unreachable when the transaction commits, the enqueue is logged and dropped: the request that recorded
the event still succeeds, and the next sweep recomputes the student. Nothing is lost.

A leaf: every app that records a learning event calls it (through plp.recompute, where the engine
registers it), and it imports no service of theirs or of the engine. The task is sent by its registered
name, so the engine's tasks (which import the whole pipeline) are not loaded here.
"""

import datetime as dt
import logging
from collections.abc import Iterable

from celery import signature
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from engine.models import StudentEngineState
from plp.tenancy.context import current_school_id
from plp.versions import students_touch

logger = logging.getLogger(__name__)

RECOMPUTE_STUDENT = "engine.recompute_student"  # engine.tasks.recompute_student's registered name


def students_mark_dirty(*, student_ids: Iterable[int], at: dt.datetime | None = None) -> None:
    """Mark students for recompute, in the caller's transaction: the event and the mark commit together,
    so if the broker is down the sweep still finds them."""
    at = at or timezone.now()
    school_id = current_school_id()
    student_ids = sorted(set(student_ids))
    states = {s.student_id: s for s in StudentEngineState.objects.filter(student_id__in=student_ids)}
    missing = [
        StudentEngineState(school_id=school_id, student_id=i, dirty_since=at)
        for i in student_ids
        if i not in states
    ]
    StudentEngineState.objects.bulk_create(missing, ignore_conflicts=True)
    # A learning event, or a plan that changed what these students must do: their dashboard rows go.
    students_touch(student_ids=student_ids)
    StudentEngineState.objects.filter(student_id__in=list(states), dirty_since__isnull=True).update(
        dirty_since=at
    )


def _send(school_id: int, student_id: int) -> None:
    try:
        signature(RECOMPUTE_STUDENT, kwargs={"school_id": school_id, "student_id": student_id}).delay()
    except (BrokerError, RedisError, OSError) as error:
        logger.warning(
            "recompute of student %s not enqueued (%s); the sweep will pick it up", student_id, error
        )


def recompute_on_commit(*, student_id: int) -> None:
    school_id = current_school_id()
    students_mark_dirty(student_ids=[student_id])
    transaction.on_commit(lambda: _send(school_id, student_id))
