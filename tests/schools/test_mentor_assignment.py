import pytest
from django.core.exceptions import ValidationError

from plp.tenancy.context import school_scope
from schools.models import MentorAssignment
from schools.roles import Role
from tests.factories import MentorAssignmentFactory, UserFactory


def test_a_student_has_at_most_one_active_primary_mentor(school_a):
    student = school_a.user(Role.STUDENT)
    MentorAssignmentFactory(school=school_a.school, mentor=school_a.user(Role.MENTOR), student=student)
    second = MentorAssignment(
        school=school_a.school, mentor=school_a.user(Role.TEACHER), student=student, is_primary=True
    )
    with pytest.raises(ValidationError, match="already has a primary mentor"):
        second.full_clean()
    second.is_primary = False
    second.full_clean()  # a secondary mentor is fine


def test_an_ended_assignment_frees_the_primary_slot(school_a):
    student = school_a.user(Role.STUDENT)
    MentorAssignmentFactory(
        school=school_a.school, mentor=school_a.user(Role.MENTOR), student=student, is_active=False
    )
    MentorAssignment(school=school_a.school, mentor=UserFactory(), student=student).full_clean()


def test_the_same_student_may_have_a_primary_mentor_in_each_school(school_a, school_b):
    student = school_a.user(Role.STUDENT)
    MentorAssignmentFactory(school=school_a.school, mentor=school_a.user(Role.MENTOR), student=student)
    in_b = MentorAssignmentFactory(school=school_b.school, mentor=school_b.user(Role.MENTOR), student=student)
    with school_scope(school_a.school):
        assert MentorAssignment.objects.get().mentor == school_a.user(Role.MENTOR)
    assert in_b.pk


def test_nobody_mentors_themselves(school_a):
    student = school_a.user(Role.STUDENT)
    with pytest.raises(ValidationError, match="cannot mentor themselves"):
        MentorAssignment(school=school_a.school, mentor=student, student=student).full_clean()
