"""The mentoring app's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py)."""

from mentoring.models import CheckIn, CheckInChange, CheckInGoalReview, Goal, GoalChange
from schools.models import MentorAssignment
from schools.roles import Role
from tests.conftest import SchoolWorld
from tests.factories import CheckInChangeFactory, CheckInFactory, GoalFactory
from tests.support import SchoolRoute


def _b_goal(b: SchoolWorld) -> int:
    return b.once(
        "goal", lambda b: GoalFactory(school=b.school, student=b.user(Role.STUDENT), text="bravo goal")
    ).pk


def _b_check_in_row(b: SchoolWorld) -> CheckIn:
    return b.once(
        "check_in",
        lambda b: CheckInFactory(
            school=b.school,
            student=b.user(Role.STUDENT),
            mentor=b.user(Role.MENTOR),
            shared_notes="bravo shared",
            private_notes="bravo private",
        ),
    )


def _b_check_in_change(b: SchoolWorld) -> int:
    return b.once(
        "check_in_change",
        lambda b: CheckInChangeFactory(
            check_in=_b_check_in_row(b),
            field="private_notes",
            old_value="bravo old private",
            new_value="bravo private",
            changed_by=b.user(Role.MENTOR),
        ),
    ).pk


def _b_check_in(b: SchoolWorld) -> int:
    _b_check_in_change(b)  # with a correction of its private notes: none may show outside school B
    return _b_check_in_row(b).pk


SCHOOL_B_OBJECT = {
    "goal_id": _b_goal,
    "check_in_id": _b_check_in,
}

SCHOOL_ROUTES = {
    "mentoring:mentee_list": SchoolRoute(),
    "mentoring:my_goals": SchoolRoute(),
    "mentoring:goal_reflect": SchoolRoute(),
    "mentoring:timeline": SchoolRoute(),
    "mentoring:goals": SchoolRoute(),
    "mentoring:brief": SchoolRoute(),
    "mentoring:check_in_new": SchoolRoute(),
    "mentoring:check_in_detail": SchoolRoute(),
    "mentoring:check_in_edit": SchoolRoute(),
    "api:mentoring_goal_list": SchoolRoute(api=True),
    "api:mentoring_goal_detail": SchoolRoute(api=True),
    "api:mentoring_check_in_list": SchoolRoute(api=True),
    "api:mentoring_check_in_detail": SchoolRoute(api=True),
}

ADMIN_OBJECT = {
    "goal": _b_goal,
    "checkin": _b_check_in,
    "checkinchange": _b_check_in_change,
}


def snapshot(world: SchoolWorld):
    return (
        sorted(Goal.objects.values_list("pk", "text", "status", "reflection", "updated_at")),
        sorted(GoalChange.objects.values_list("pk", "field", "new_value")),
        sorted(CheckIn.objects.values_list("pk", *CheckIn.OWN_FIELDS)),
        sorted(CheckInChange.objects.values_list("pk", "field", "old_value", "new_value")),
        sorted(CheckInGoalReview.objects.values_list("pk", "status")),
        sorted(MentorAssignment.objects.values_list("pk", "mentor_id", "student_id", "is_active")),
    )
