import pytest

from schools.roles import Role
from tests.conftest import SchoolWorld
from tests.factories import EnrollmentFactory, MembershipFactory, MentorAssignmentFactory, UserFactory


@pytest.fixture
def mentee(school_a: SchoolWorld):
    """School A's student, mentored by school A's mentor."""
    student = school_a.user(Role.STUDENT)
    MentorAssignmentFactory(school=school_a.school, mentor=school_a.user(Role.MENTOR), student=student)
    return student


def add_student(world: SchoolWorld, *, section=None, **names):
    student = UserFactory(**names)
    MembershipFactory(school=world.school, user=student, role=Role.STUDENT)
    if section is not None:
        EnrollmentFactory(section=section, user=student, role="student")
    return student
