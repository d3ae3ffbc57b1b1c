"""``seed_demo`` places students at every level, each by their mentor with a reason, and one mentee of each
demo mentor has the evidence for a promotion (agency/demo.py); seeding again changes nothing."""

from io import StringIO

from django.core.management import call_command

from accounts.models import User
from agency.models import LevelDecision, StudentLevel
from agency.policy import Direction
from agency.selectors import evidence_for, levels_of
from mentoring.models import MentorAssignment
from plp.tenancy.context import school_scope
from schools.models import School


def test_seed_demo_shows_students_at_each_level_and_one_ready_for_promotion(db):
    call_command("seed_demo", stdout=StringIO())
    cedar = School.objects.get(slug="cedar-ridge")
    with school_scope(cedar):
        students = [User.objects.get(email=f"student00{n}.cedar@demo.plp.test") for n in range(1, 5)]
        levels = levels_of(student_ids=[s.pk for s in students])
        assert [levels[s.pk].name for s in students] == ["Self-directed", "Choosing", "Guided", "Guided"]
        assert all(d.decided_by and d.reason for d in LevelDecision.objects.all())
        ready = evidence_for(student=students[3]).suggestion
        assert ready.direction is Direction.PROMOTE and ready.to_rank == 2
        # The mentor login has one too: every demo mentor finds a promotion to review.
        student009 = User.objects.get(email="student009.cedar@demo.plp.test")
        mentor = MentorAssignment.objects.get(student=student009, is_primary=True, is_active=True).mentor
        assert mentor.email == "mentor.cedar@demo.plp.test"
        assert evidence_for(student=student009).suggestion.direction is Direction.PROMOTE
        counts = (StudentLevel.objects.count(), LevelDecision.objects.count())
    call_command("seed_demo", stdout=StringIO())
    with school_scope(cedar):
        assert (StudentLevel.objects.count(), LevelDecision.objects.count()) == counts
