"""The learners app's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py)."""

from learners.models import Career, LearningPlan, PlanFocus, ProfileChange, StudentProfile
from schools.roles import Role
from tests.conftest import SchoolWorld
from tests.factories import CareerFactory, LearningPlanFactory, PlanFocusFactory, StudentProfileFactory
from tests.support import SchoolRoute


def _b_student(b: SchoolWorld) -> int:
    student = b.user(Role.STUDENT)
    b.once("profile", lambda b: StudentProfileFactory(school=b.school, student=student, interests=["bravo"]))
    return student.pk


def _b_focus(b: SchoolWorld) -> int:
    plan = b.once(
        "plan", lambda b: LearningPlanFactory(school=b.school, student=b.user(Role.STUDENT), term=b.term)
    )
    return b.once("focus", lambda b: PlanFocusFactory(plan=plan, focus_area="bravo focus")).pk


SCHOOL_B_OBJECT = {
    "student_id": _b_student,
    "focus_id": _b_focus,
    "career_id": lambda b: b.once("career", lambda b: CareerFactory(school=b.school, name="Bravo career")).pk,
    "plan_id": lambda b: _b_focus(b) and b.made["plan"].pk,
}

SCHOOL_ROUTES = {
    "learners:student_list": SchoolRoute(),
    "learners:my_profile": SchoolRoute(),
    "learners:my_plan": SchoolRoute(),
    "learners:profile": SchoolRoute(),
    "learners:plan": SchoolRoute(),
    "learners:plan_focus_delete": SchoolRoute(),
    "learners:career_list": SchoolRoute(),
    "learners:career_detail": SchoolRoute(),
    "learners:career_toggle": SchoolRoute(),
    "learners:career_new": SchoolRoute(),
    "learners:career_edit": SchoolRoute(),
    "api:learner_profile_list": SchoolRoute(api=True),
    "api:learner_profile_detail": SchoolRoute(api=True),
    "api:learner_career_list": SchoolRoute(api=True),
    "api:learner_career_detail": SchoolRoute(api=True),
    "api:learner_plan_list": SchoolRoute(api=True),
    "api:learner_plan_detail": SchoolRoute(api=True),
}

ADMIN_OBJECT = {
    "career": lambda b: b.once("career", lambda b: CareerFactory(school=b.school, name="Bravo career")).pk,
    "learningplan": lambda b: _b_focus(b) and b.made["plan"].pk,
    "planfocus": _b_focus,
}


def snapshot(world: SchoolWorld):
    return (
        sorted(StudentProfile.objects.values_list("pk", "student_id", "interests", "updated_at")),
        sorted(ProfileChange.objects.values_list("pk", "field", "new_value")),
        sorted(Career.objects.values_list("pk", "name")),
        sorted(LearningPlan.objects.values_list("pk", "college_goal", "courses_to_take", "updated_at")),
        sorted(PlanFocus.objects.values_list("pk", "focus_area", "target_date")),
    )
