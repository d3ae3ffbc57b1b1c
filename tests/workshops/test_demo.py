"""``seed_demo`` gives each demo school Monday–Friday blocks, a week of workshops ahead that its teacher runs
for the students stuck on a competency, and one held on the last school day with its
attendance still to record (workshops/demo.py); seeding again adds nothing."""

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from mastery.models import MasteryState
from playlists.models import Competency
from plp.tenancy.context import school_scope
from schools.models import School
from workshops import selectors
from workshops.models import LearningBlock, Seat, Workshop
from workshops.policy import LOW_ESTIMATE


def test_seed_demo_shows_a_week_of_workshops_and_one_waiting_for_its_attendance(db):
    call_command("seed_demo", stdout=StringIO())
    cedar = School.objects.get(slug="cedar-ridge")
    now = timezone.now()
    with school_scope(cedar):
        assert sorted(LearningBlock.objects.values_list("weekday", flat=True)) == [0, 1, 2, 3, 4]
        teacher = User.objects.get(email="teacher.cedar@demo.plp.test")
        ahead = list(Workshop.objects.filter(teacher=teacher, starts_at__gt=now).order_by("starts_at"))
        days = [timezone.localtime(w.starts_at).date() for w in ahead]
        # One a school day for each learning target students are stuck on: three in the demo, whose stuck
        # students stay on the first link of a chain (they start nothing before its prerequisites).
        assert len(ahead) >= 3 and len(set(days)) == len(days)
        assert days[-1] - days[0] < dt.timedelta(days=7) + dt.timedelta(days=3)  # a school week (a weekend)
        assert all(w.seats.filter(kind=Seat.Kind.INVITED).exists() for w in ahead)
        assert not Competency.objects.filter(pk__in=[w.competency_id for w in ahead], children__isnull=False)
        # Invited: students stuck on it (practising, estimate under the small-group bar), nobody else.
        for workshop in ahead:
            for seat in workshop.seats.filter(kind=Seat.Kind.INVITED):
                state = MasteryState.objects.get(student=seat.student_id, competency=workshop.competency_id)
                assert state.status == "practicing" and state.p_mastered < LOW_ESTIMATE, seat.student
        waiting = selectors.attendance_to_record(teacher=teacher, now=now)
        assert len(waiting) == 1 and waiting[0].unrecorded > 0 and waiting[0].ends_at < now
        count = Workshop.objects.count()
    call_command("seed_demo", stdout=StringIO())
    with school_scope(cedar):
        assert Workshop.objects.count() == count
