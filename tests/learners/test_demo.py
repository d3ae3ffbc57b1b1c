from io import StringIO

from django.core.management import call_command

from learners.models import Career, LearningPlan, PlanFocus, StudentProfile
from mentoring.models import CheckIn, Goal
from plp.tenancy.context import school_scope
from schools.models import MentorAssignment, School


def _counts():
    counts = {}
    for school in School.objects.order_by("slug"):
        with school_scope(school):
            counts[school.slug] = [
                m.objects.count()
                for m in (StudentProfile, Career, LearningPlan, PlanFocus, MentorAssignment, Goal, CheckIn)
            ]
    return counts


def test_seed_demo_adds_profiles_plans_goals_and_check_in_history_idempotently(db):
    call_command("seed_demo", "--students", "12", stdout=StringIO())
    first = _counts()
    call_command("seed_demo", "--students", "12", stdout=StringIO())
    assert _counts() == first
    cedar = School.objects.get(slug="cedar-ridge")
    with school_scope(cedar):
        assert StudentProfile.objects.count() == 12 and LearningPlan.objects.count() == 12
        mentors = set(MentorAssignment.objects.values_list("mentor__email", flat=True))
        assert mentors == {"mentor.cedar@demo.plp.test", "teacher.cedar@demo.plp.test"}
        assert CheckIn.objects.exclude(private_notes="").exists()
        assert Goal.objects.filter(kind="weekly").exclude(reflection="").exists()
        assert Career.objects.count() >= 6


def test_the_demo_plans_focus_on_standards_a_student_can_master_not_on_their_domains(db):
    """student001's mastery page said "Next level: master 6.RP … by passing its mastery check": their plan
    focused on the domain 6.RP, which made the domain one of their competencies, while Next up (rightly)
    pointed at a standard under it."""
    call_command("seed_demo", "--students", "30", stdout=StringIO())
    for school in School.objects.all():
        with school_scope(school):
            focused = PlanFocus.objects.filter(competency__isnull=False)
            assert focused.exists()
            assert not focused.filter(competency__children__isnull=False).exists()
