"""The active school of the current request or task, held in a context variable.

Everything tenant-owned is filtered by this value. It is set at the edge (URL → membership check, or a
Celery task's ``school_id`` argument) and reset in a ``finally``. There is deliberately no "no filter"
value: reading the active school when none is set raises :class:`NoActiveSchool` (django-scopes' trap, where
a scope of ``None`` disables filtering, cannot happen here).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any

_active_school_id: ContextVar[int | None] = ContextVar("plp_active_school_id", default=None)


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


def activate_school(school: Any) -> Token:
    """Make ``school`` active; pair with :func:`deactivate_school` in a ``finally``."""
    return _active_school_id.set(_as_school_id(school))


def deactivate_school(token: Token) -> None:
    _active_school_id.reset(token)


@contextmanager
def school_scope(school: Any) -> Iterator[int]:
    """Run a block inside one school's scope (nesting replaces the outer school until the block ends)."""
    token = activate_school(school)
    try:
        yield _active_school_id.get()
    finally:
        deactivate_school(token)
