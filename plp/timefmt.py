"""How a person sees a time: in the school's time zone, one format per kind, defined here once.

Pages use the template filters ``|day`` and ``|moment`` (``plp/templatetags/plp_time.py``, built in to every
template); messages built in Python use :func:`format_day` and :func:`format_moment`. Both read the active
time zone, which the tenancy middleware sets to the school's (and the engine's recompute overrides to it), so
a student and a teacher of one school read the same time the same way. Pure rules return datetimes; only
these functions turn them into text. Machine-readable values (``<time datetime>``, CSV, JSON) stay ISO.
"""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat, timezone

DAY = "M j, Y"  # Dec 3, 2026
MOMENT = "M j, Y, H:i"  # Dec 3, 2026, 09:30 (24-hour clock, school time)


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def format_day(value: dt.date | dt.datetime | None) -> str:
    """A day ("Dec 3, 2026"); a datetime is first put in the school's time zone (its day there)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    return dateformat.format(value, DAY)


def format_moment(value: dt.datetime | None) -> str:
    """A day and a time of day in the school's time zone ("Dec 3, 2026, 09:30")."""
    if value is None:
        return ""
    return dateformat.format(_local(value), MOMENT)
