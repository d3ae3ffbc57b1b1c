"""The active school of the current request or task, held in a context variable.

Everything tenant-owned is filtered by this value. It is set at the edge (URL → membership check, or a
Celery task's ``school_id`` argument) and reset in a ``finally``. There is deliberately no "no filter"
value: reading the active school when none is set raises :class:`NoActiveSchool` (django-scopes' trap, where
a scope of ``None`` disables filtering, cannot happen here).

Beside it, the *database scope*: what PostgreSQL's row-level security lets the connection see (the second
wall, plp.tenancy.rls). Entering a school sets both. The database scope can also be a district (a district
admin's overview), every school (platform staff, explicit cross-school reads: the database's ``unscoped()``)
or, while a request's membership is checked, the school named in its URL. Outside all of these the database
shows no tenant row at all. The database backend (plp.tenancy.postgresql) hands the scope to the session
before each query; on SQLite it has no effect.
"""

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any, NamedTuple

# The URL keyword that names the school (``/s/<school_slug>/...``, the same under ``/api/v1/``): the page
# middleware and the API's school mixin both read it from here.
SCHOOL_URL_KWARG = "school_slug"

_active_school_id: ContextVar[int | None] = ContextVar("plp_active_school_id", default=None)


@dataclass(frozen=True)
class DatabaseScope:
    """The tenant rows the database shows: one school, a district's schools, every school, or none."""

    school_id: int | None = None
    district_id: int | None = None  # an organization: every school of it, beside ``school_id``
    all_schools: bool = False
    school_slug: str | None = None  # the school named in the URL, while the request's membership is read


NO_SCOPE = DatabaseScope()
_database_scope: ContextVar[DatabaseScope] = ContextVar("plp_database_scope", default=NO_SCOPE)


class SchoolToken(NamedTuple):
    school: Token
    database: Token


class NoActiveSchool(RuntimeError):
    """A tenant-owned table was queried outside any school's scope."""


def _as_school_id(school: Any) -> int:
    school_id = getattr(school, "pk", school)
    if isinstance(school_id, bool) or not isinstance(school_id, int) or school_id <= 0:
        raise ValueError(f"A school scope needs a saved school or a positive id, not {school!r}.")
    return school_id


def current_school_id() -> int:
    """The active school's id; raises :class:`NoActiveSchool` when there is none (fail closed)."""
    school_id = _active_school_id.get()
    if school_id is None:
        raise NoActiveSchool(
            "No school is active. Enter one with plp.tenancy.context.school_scope(school), or use "
            "Model.objects.unscoped() where reading every school is intended."
        )
    return school_id


def active_school_id() -> int | None:
    """The active school's id or None, for code that must behave differently outside a school."""
    return _active_school_id.get()


def activate_school(school: Any) -> SchoolToken:
    """Make ``school`` active, in the ORM and in the database; pair with :func:`deactivate_school` in a
    ``finally``. Inside it the database shows this school's rows only, whatever scope was around it."""
    school_id = _as_school_id(school)
    return SchoolToken(
        school=_active_school_id.set(school_id),
        database=_database_scope.set(DatabaseScope(school_id=school_id)),
    )


def deactivate_school(token: SchoolToken) -> None:
    _database_scope.reset(token.database)
    _active_school_id.reset(token.school)


def database_scope() -> DatabaseScope:
    """What the database should show now (read by the backend before every query)."""
    return _database_scope.get()


def set_database_scope(scope: DatabaseScope) -> Token:
    """For edges that cannot use a ``with`` block (middleware); pair with :func:`reset_database_scope`."""
    return _database_scope.set(scope)


def reset_database_scope(token: Token) -> None:
    _database_scope.reset(token)


@contextmanager
def _database_scope_as(scope: DatabaseScope) -> Iterator[DatabaseScope]:
    token = _database_scope.set(scope)
    try:
        yield scope
    finally:
        _database_scope.reset(token)


def all_schools():
    """The database's ``unscoped()``: a block that may read every school's rows (platform staff in the
    Django admin, a person's own memberships before any school is chosen, a seeding command). The ORM
    still needs ``.unscoped()`` or a school scope; each use says why, like ``unscoped()``."""
    return _database_scope_as(DatabaseScope(all_schools=True))


def sees_all_schools(view):
    """A view that finds its school itself, from a secret or public id before anyone is signed in (a sign-in
    through a school's identity provider, a calendar feed's private address): the database shows it every
    school while it looks the id up; it then enters that school's ``school_scope`` for what it reads next."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with all_schools():
            return view(*args, **kwargs)

    return wrapped


def district_scope(organization: Any):
    """A block that may read the rows of every school of ``organization`` (a district admin's overview,
    already authorized), beside the active school's."""
    return _database_scope_as(
        DatabaseScope(school_id=_database_scope.get().school_id, district_id=_as_school_id(organization))
    )


def school_slug_scope(school_slug: str):
    """The school named in a URL, before its membership is checked (that check reads the school's
    memberships). The app refuses the request (404) when the person is no member; until then the database
    shows that one school at most."""
    return _database_scope_as(DatabaseScope(school_slug=school_slug))


@contextmanager
def no_scope() -> Iterator[None]:
    """A request or task starts here: no school in the ORM, no tenant row in the database, whatever the
    caller had (a test's client runs in the test's context)."""
    school = _active_school_id.set(None)
    database = _database_scope.set(NO_SCOPE)
    try:
        yield
    finally:
        _database_scope.reset(database)
        _active_school_id.reset(school)


@contextmanager
def school_scope(school: Any) -> Iterator[int]:
    """Run a block inside one school's scope (nesting replaces the outer school until the block ends)."""
    token = activate_school(school)
    try:
        yield _active_school_id.get()
    finally:
        deactivate_school(token)
