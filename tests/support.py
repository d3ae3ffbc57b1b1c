"""Helpers for tests (not fixtures)."""

import datetime as dt
import os
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from schools.roles import Role
from tests.factories import EnrollmentFactory, MembershipFactory, UserFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL=postgres://..."
)
redis_only = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL=redis://..."
)


def school_today(school) -> dt.date:
    """The school's date, as its pages count days and weeks. Not ``date.today()``: the server runs on
    UTC, a day ahead of an American school every evening."""
    return timezone.localdate(timezone=ZoneInfo(school.timezone))


def second_writer_outcome(*, school, first: Callable[[], object], second: Callable[[], object]) -> list[str]:
    """Two requests at once, in two real transactions (PostgreSQL, ``transaction=True`` tests): ``first``
    writes and keeps its transaction open while ``second`` starts. Asserts that ``second`` waits for the
    first to commit (its outcome is still unknown 0.3 s later), then returns that outcome: ``["saved"]`` or
    the messages of the ValidationError it raised. Both run in ``school``'s scope."""
    from plp.tenancy.context import school_scope

    first_in_progress, first_may_commit = threading.Event(), threading.Event()
    outcome: list[str] = []

    def run_first():
        try:
            with school_scope(school), transaction.atomic():
                first()
                first_in_progress.set()
                first_may_commit.wait(10)
        finally:
            connection.close()

    def run_second():
        first_in_progress.wait(10)
        try:
            with school_scope(school):
                second()
                outcome.append("saved")
        except ValidationError as error:
            outcome.extend(error.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    first_in_progress.wait(10)
    time.sleep(0.3)
    waited = outcome == []
    first_may_commit.set()
    for thread in threads:
        thread.join(10)
    assert waited, f"the second writer did not wait for the first: {outcome}"
    return outcome


@dataclass(frozen=True)
class SchoolRoute:
    """A route under /s/<school_slug>/ in the cross-tenant matrix; ``api`` ones answer 401, not a redirect."""

    api: bool = False


@contextmanager
def as_the_owner_role():
    """On PostgreSQL the suite acts as the app role (``SET ROLE``, row-level security on); a test of what
    only the owner may do (an audit prune, a legacy table made by raw SQL, a role made for a test) steps out
    of it for the block."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    role = connection.settings_dict.get("OPTIONS", {}).get("assume_role")
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    try:
        yield
    finally:
        if role:
            with connection.cursor() as cursor:
                cursor.execute(f'SET ROLE "{role}"')


def add_student(world, *, section=None, **names):
    """A new student of ``world``'s school (enrolled in ``section`` when given)."""
    student = UserFactory(**names)
    MembershipFactory(school=world.school, user=student, role=Role.STUDENT)
    if section is not None:
        EnrollmentFactory(section=section, user=student, role="student")
    return student
