"""``{{ value|day }}`` and ``{{ value|moment }}``: every time a page shows, in one format per kind (see
``plp.timefmt``). Built in to every template (``TEMPLATES`` ``builtins``), so no ``{% load %}`` is needed."""

import datetime as dt
import re

from django import template

from plp.timefmt import format_day, format_moment

register = template.Library()
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@register.filter(expects_localtime=False)
def day(value) -> str:
    return format_day(value) if value not in (None, "") else ""


@register.filter(expects_localtime=False)
def moment(value) -> str:
    return format_moment(value) if value not in (None, "") else ""


@register.filter
def shown(value):
    """A stored value (e.g. a flag's JSON evidence) as a person reads it: an ISO day in the one day format."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):  # reasons, one after another
        return " · ".join(value)
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        try:
            return format_day(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return value
