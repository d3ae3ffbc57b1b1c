"""The school navigation bar, rendered once per person, school, roles and page kind, then reused: every
school page shows it, and its dozen URL reversals cost about 2 ms a request."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

register = template.Library()

_RENDERED: dict[tuple, str] = {}
_MAX_ENTRIES = 4096  # schools × role sets × pages: a safety bound, not a tuning knob


@register.simple_tag(takes_context=True)
def school_nav(context) -> str:
    """What ``_school_nav.html`` renders for this person (a student's own links carry their id), school,
    roles and page (which link is the current one)."""
    request, school, user = context["request"], context["school"], context["user"]
    match = getattr(request, "resolver_match", None)
    key = (
        user.pk,
        school.pk,
        school.slug,
        school.name,
        context["school_roles"],
        getattr(match, "app_name", None),
        getattr(match, "url_name", None),
    )
    html = None if settings.DEBUG else _RENDERED.get(key)
    if html is None:
        html = render_to_string(
            "_school_nav.html",
            {"school": school, "school_roles": context["school_roles"], "request": request, "user": user},
        )
        if len(_RENDERED) >= _MAX_ENTRIES:
            _RENDERED.clear()
        _RENDERED[key] = html
    return mark_safe(html)
