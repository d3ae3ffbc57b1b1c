"""The mentor's brief learns about workshops: the student's upcoming ones, and the ones since the last
check-in with the teacher's outcome. Registered as a brief part (mentoring/brief.py) when the app loads."""

import datetime as dt

from django.utils import timezone

from mentoring.brief import BriefInput, BriefPart, brief_part
from workshops import selectors
from workshops.models import Seat, Workshop

RECENT_DAYS = 28  # with no check-in yet, how far back the brief looks


@brief_part
def workshops_part(brief: BriefInput) -> BriefPart | None:
    now = timezone.now()
    student = brief.access.student
    upcoming = list(selectors.upcoming_seats(student_ids=[student.pk], now=now)[:5])
    since = brief.since or (brief.today - dt.timedelta(days=RECENT_DAYS))
    since_at = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    attended = list(
        Seat.objects.filter(
            student=student,
            workshop__status=Workshop.Status.SCHEDULED,
            workshop__starts_at__gte=since_at,
            workshop__starts_at__lte=now,
        )
        .exclude(attendance="")
        .select_related("workshop__competency")
        .order_by("-workshop__starts_at")[:5]
    )
    if not upcoming and not attended:
        return None
    return BriefPart(
        key="workshops",
        title="Workshops",
        template="workshops/_brief.html",
        context={"upcoming": upcoming, "attended": attended},
    )
