"""Workshops shown on other apps' pages: the first one in a student's Next up (My work, home). (A class
dashboard's upcoming workshops: ``selectors.section_upcoming``, cached by the dashboard.)"""

from django import template
from django.utils import timezone

from workshops import selectors

register = template.Library()


ALSO = 3  # later workshops named under the first one in Next up


def _next_up(student) -> dict:
    """The student's earliest upcoming workshop seat, with why they are invited, and the next few after it
    (an invitation to a later workshop is in Next up too, not only in My week): one query."""
    seats = list(selectors.upcoming_seats(student_ids=[student.pk], now=timezone.now())[: ALSO + 1])
    return {"seat": seats[0] if seats else None, "also": seats[1:]}


@register.inclusion_tag("workshops/_next_up.html", takes_context=True)
def next_workshop(context) -> dict:
    return {**_next_up(context["request"].user), "school": context.get("school")}


@register.inclusion_tag("workshops/_next_up.html", takes_context=True)
def student_next_workshop(context, student) -> dict:
    """The same first step, on the adults' view of a student's Next up (the caller may see the student)."""
    return {**_next_up(student), "school": context.get("school"), "for_adult": True}
