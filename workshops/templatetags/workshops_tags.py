"""Workshops shown on other apps' pages: the first one in a student's Next up (My work, home), and each
student's upcoming workshops on a class dashboard."""

from django import template
from django.utils import timezone

from schools.models import Enrollment
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


@register.inclusion_tag("workshops/_section_upcoming.html", takes_context=True)
def section_workshops(context, section_id: int) -> dict:
    """Upcoming workshops of the section's students (one query, whatever the class size). Rendered per
    request beside the cached dashboard body: a new sign-up shows at once, without touching its stamp.
    The caller has already been allowed to see the section (its dashboard was built first)."""
    students = Enrollment.objects.filter(
        section_id=section_id, role=Enrollment.SectionRole.STUDENT, is_active=True
    ).values("user_id")
    seats = list(
        selectors.upcoming_seats(student_ids=students, now=timezone.now()).select_related("student")[:200]
    )
    by_student: dict[int, list] = {}
    for seat in seats:
        by_student.setdefault(seat.student_id, []).append(seat)
    rows = sorted(by_student.values(), key=lambda s: (s[0].student.family_name, s[0].student.given_name))
    return {"rows": rows, "school": context.get("school")}
