"""Workshops shown on other apps' pages: the first one in a student's Next up (My work, home). (A class
dashboard's upcoming workshops: ``selectors.section_upcoming``, cached by the dashboard.)"""

from django import template
from django.utils import timezone

from workshops import selectors

register = template.Library()


@register.inclusion_tag("workshops/_next_up.html", takes_context=True)
def next_workshop(context) -> dict:
    """The student's earliest upcoming workshop seat (one query), with why they are invited."""
    request = context["request"]
    seat = selectors.next_invitation(student=request.user, now=timezone.now())
    return {"seat": seat, "school": context.get("school")}


@register.inclusion_tag("workshops/_next_up.html", takes_context=True)
def student_next_workshop(context, student) -> dict:
    """The same first step, on the adults' view of a student's Next up (the caller may see the student)."""
    seat = selectors.next_invitation(student=student, now=timezone.now())
    return {"seat": seat, "school": context.get("school"), "for_adult": True}
