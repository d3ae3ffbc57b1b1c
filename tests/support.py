"""Helpers for tests (not fixtures)."""

import os
from dataclasses import dataclass

import pytest
from django.db import connection

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL=postgres://..."
)
redis_only = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL=redis://..."
)


@dataclass(frozen=True)
class SchoolRoute:
    """A route under /s/<school_slug>/ in the cross-tenant matrix; ``api`` ones answer 401, not a redirect."""

    api: bool = False
