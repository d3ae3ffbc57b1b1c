"""``{{ value|day }}`` and ``{{ value|moment }}``: every time a page shows, in one format per kind (see
``plp.timefmt``). Built in to every template (``TEMPLATES`` ``builtins``), so no ``{% load %}`` is needed."""

from django import template

from plp.timefmt import format_day, format_moment

register = template.Library()


@register.filter(expects_localtime=False)
def day(value) -> str:
    return format_day(value) if value not in (None, "") else ""


@register.filter(expects_localtime=False)
def moment(value) -> str:
    return format_moment(value) if value not in (None, "") else ""
