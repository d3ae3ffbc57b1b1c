import pytest
from django.http import Http404

from learners import selectors
from plp.tenancy.context import school_scope
from schools.roles import DISTRICT_ADMIN, Role
from tests.factories import MentorAssignmentFactory
from tests.support import add_student


def _access(world, role, student):
    user = world.user(role)
    roles = frozenset({role})
    with school_scope(world.school):
        return selectors.student_access_get(user=user, roles=roles, student_id=student.pk)


def test_a_student_sees_only_themselves(school_a):
    me = school_a.user(Role.STUDENT)
    classmate = add_student(school_a, section=school_a.section)
    assert _access(school_a, Role.STUDENT, me).is_self
    with pytest.raises(Http404):
        _access(school_a, Role.STUDENT, classmate)


def test_a_mentor_sees_mentees_only_and_their_private_notes(school_a, mentee):
    access = _access(school_a, Role.MENTOR, mentee)
    assert access.is_mentor and access.sees_private_notes
    with pytest.raises(Http404):
        _access(school_a, Role.MENTOR, add_student(school_a))


def test_an_ended_assignment_no_longer_opens_the_student(school_a):
    student = add_student(school_a)
    MentorAssignmentFactory(
        school=school_a.school, mentor=school_a.user(Role.MENTOR), student=student, is_active=False
    )
    with pytest.raises(Http404):
        _access(school_a, Role.MENTOR, student)


def test_a_teacher_sees_students_of_their_sections_but_no_private_notes(school_a):
    access = _access(school_a, Role.TEACHER, school_a.user(Role.STUDENT))
    assert access.is_teacher and access.sees_staff_fields and not access.sees_private_notes
    with pytest.raises(Http404):
        _access(school_a, Role.TEACHER, add_student(school_a, section=school_a.other_section))


@pytest.mark.parametrize("role", [Role.SCHOOL_ADMIN, DISTRICT_ADMIN])
def test_school_and_district_admins_see_every_student_and_private_notes(school_a, role):
    access = _access(school_a, role, add_student(school_a))
    assert access.is_school_wide and access.sees_private_notes


def test_a_student_of_another_school_is_not_found_even_for_admins(school_a, school_b):
    with pytest.raises(Http404):
        _access(school_a, Role.SCHOOL_ADMIN, school_b.user(Role.STUDENT))


def test_an_adult_who_is_not_a_student_here_is_not_found(school_a):
    with pytest.raises(Http404):
        _access(school_a, Role.SCHOOL_ADMIN, school_a.user(Role.TEACHER))


def test_student_list_by_role(school_a, mentee):
    loner = add_student(school_a)
    with school_scope(school_a.school):
        as_mentor = set(
            selectors.student_list(user=school_a.user(Role.MENTOR), roles=frozenset({Role.MENTOR}))
        )
        as_admin = set(
            selectors.student_list(
                user=school_a.user(Role.SCHOOL_ADMIN), roles=frozenset({Role.SCHOOL_ADMIN})
            )
        )
    assert as_mentor == {mentee}
    assert as_admin == {mentee, loner}
