"""The workshop that comes first in a student's Next up (My work and the home page)."""

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
