"""The mentoring card of the school home page (templates/schools/home.html)."""

from django import template
from django.utils import timezone

from mentoring.selectors import mentee_list

register = template.Library()


@register.inclusion_tag("mentoring/_home_mentees.html", takes_context=True)
def home_mentees(context) -> dict:
    """How many mentees, and how many are overdue for a check-in (one query)."""
    rows = mentee_list(mentor=context["request"].user, today=timezone.localdate())
    return {
        "school": context["school"],
        "mentees": len(rows),
        "overdue": sum(1 for row in rows if row.is_overdue),
    }
