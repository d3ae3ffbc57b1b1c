"""``seed_demo`` places students at every level, each by their mentor with a reason, and one mentee of each
demo mentor has the evidence for a promotion (agency/demo.py); seeding again changes nothing."""

from io import StringIO

from django.core.management import call_command

from accounts.models import User
from agency.models import LevelDecision, StudentLevel
from agency.policy import Direction
from agency.selectors import evidence_for, levels_of
from plp.tenancy.context import school_scope
from schools.models import MentorAssignment, School


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


def test_the_demo_mentors_list_marks_the_mentee_a_promotion_is_suggested_for(client, db):
    """mentor.cedar's mentee list says "Promotion suggested" beside student009 (and nobody else); a declined
    suggestion loses the marker. The level history says where a first placement put the student, not
    "Guided → Guided"."""
    from django.urls import reverse

    from agency import services
    from schools.access import student_access_get
    from schools.roles import Role

    call_command("seed_demo", stdout=StringIO())
    cedar = School.objects.get(slug="cedar-ridge")
    mentor = User.objects.get(email="mentor.cedar@demo.plp.test")
    student009 = User.objects.get(email="student009.cedar@demo.plp.test")
    client.force_login(mentor)
    url = reverse("mentoring:mentee_list", args=["cedar-ridge"])
    page = client.get(url)
    marked = [row.student.email for row in page.context["page"].object_list if row.promotion_suggested]
    assert marked == [student009.email]
    assert page.content.decode().count("Promotion suggested</span>") == 1

    level_page = client.get(reverse("agency:student_level", args=["cedar-ridge", student009.pk])).content
    assert "Placed at Guided" in level_page.decode() and "Guided → Guided" not in level_page.decode()

    with school_scope(cedar):
        access = student_access_get(user=mentor, roles=frozenset({Role.MENTOR}), student_id=student009.pk)
        services.suggestion_decline(access=access, actor=mentor, reason="Another week first.")
    assert "Promotion suggested</span>" not in client.get(url).content.decode()
