"""Helpers for tests (not fixtures)."""

import datetime as dt
import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

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


@dataclass(frozen=True)
class SchoolRoute:
    """A route under /s/<school_slug>/ in the cross-tenant matrix; ``api`` ones answer 401, not a redirect."""

    api: bool = False
