"""Ask for a recompute after a learning event: mark the student dirty now, enqueue after commit.

The dirty mark is written in the caller's transaction, so it commits with the event. If the broker is
unreachable when the transaction commits, the enqueue is logged and dropped: the request that recorded
the event still succeeds, and the next sweep recomputes the student. Nothing is lost.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from engine import services
from plp.tenancy.context import current_school_id

logger = logging.getLogger(__name__)


def _send(school_id: int, student_id: int) -> None:
    from engine.tasks import recompute_student

    try:
        recompute_student.delay(school_id=school_id, student_id=student_id)
    except (BrokerError, RedisError, OSError) as error:
        logger.warning(
            "recompute of student %s not enqueued (%s); the sweep will pick it up", student_id, error
        )


def recompute_on_commit(*, student_id: int) -> None:
    school_id = current_school_id()
    services.students_mark_dirty(student_ids=[student_id])
    transaction.on_commit(lambda: _send(school_id, student_id))
