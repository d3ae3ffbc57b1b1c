"""A school's own thresholds read below the engine that stores them: asked here, answered by the engine.

The engine stores each school's flag thresholds (``engine.models.SchoolThresholds``, one row or none per
school). Apps below the engine read three of its columns, each inside its own query, so the pages agree
with the flags: the pace tolerance (``pace_margin``: an assignment's pace, ``playlists.selectors.progress``)
and the check-in cadence and grace (``check_in_days``, ``check_in_grace_days``: the mentee list,
``mentoring.selectors``). The engine registers here from its ``ready`` the rows of a school, given its id
or an ``OuterRef`` to it, as a queryset the caller puts in a ``Subquery`` (the SQL is the same as a
direct read). A dependency inversion, not a signal: one answer, and a call before it registered raises
instead of silently reading the defaults.
"""

from collections.abc import Callable

from django.db.models import QuerySet

from plp.ports import Port

_port: Port[Callable[..., QuerySet]] = Port("No school thresholds: is the engine app installed?")


def register(rows: Callable[..., QuerySet]) -> None:
    """The engine's ``ready``: ``rows(school_id=...)`` gives the school's thresholds rows (none or one)."""
    _port.register(rows)


def thresholds_of(*, school_id) -> QuerySet:
    """The thresholds row of the school ``school_id`` (an id or an ``OuterRef``), as a queryset: a school
    without its own row has none, and the caller falls back to the engine's defaults."""
    return _port.handler(school_id=school_id)
