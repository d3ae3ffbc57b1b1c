"""Who may see whom (``schools.access``): each relation rule once, stated for every role.

Every rule is a queryset (never ``None`` for "everyone") or a 404 for one object: an empty result is the
default, so a role the rule does not name sees nobody."""

import pytest
from django.http import Http404

from plp.tenancy.context import school_scope
from schools import access
from schools.models import Membership
from schools.roles import DISTRICT_ADMIN, Role
from tests.factories import EnrollmentFactory, MentorAssignmentFactory
from tests.support import add_student

ADULT_ROLES = (Role.TEACHER, Role.MENTOR, Role.SCHOOL_ADMIN, DISTRICT_ADMIN)


def _access(world, role, student):
    user = world.user(role)
    roles = frozenset({role})
    with school_scope(world.school):
        return access.student_access_get(user=user, roles=roles, student_id=student.pk)


def test_a_student_sees_only_themselves(school_a):
    me = school_a.user(Role.STUDENT)
    classmate = add_student(school_a, section=school_a.section)
    assert _access(school_a, Role.STUDENT, me).is_self
    with pytest.raises(Http404):
        _access(school_a, Role.STUDENT, classmate)


def test_a_mentor_sees_mentees_only_and_their_private_notes(school_a, mentee):
    seen = _access(school_a, Role.MENTOR, mentee)
    assert seen.is_mentor and seen.sees_private_notes
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
    seen = _access(school_a, Role.TEACHER, school_a.user(Role.STUDENT))
    assert seen.is_teacher and seen.sees_staff_fields and not seen.sees_private_notes
    with pytest.raises(Http404):
        _access(school_a, Role.TEACHER, add_student(school_a, section=school_a.other_section))


@pytest.mark.parametrize("role", [Role.SCHOOL_ADMIN, DISTRICT_ADMIN])
def test_school_and_district_admins_see_every_student_and_private_notes(school_a, role):
    seen = _access(school_a, role, add_student(school_a))
    assert seen.is_school_wide and seen.sees_private_notes


def test_a_student_of_another_school_is_not_found_even_for_admins(school_a, school_b):
    with pytest.raises(Http404):
        _access(school_a, Role.SCHOOL_ADMIN, school_b.user(Role.STUDENT))


def test_an_adult_who_is_not_a_student_here_is_not_found(school_a):
    with pytest.raises(Http404):
        _access(school_a, Role.SCHOOL_ADMIN, school_a.user(Role.TEACHER))


def _as(world, role, rule, **kwargs):
    with school_scope(world.school):
        return set(rule(user=world.user(role), roles=frozenset({role}), **kwargs))


def test_students_visible_to_each_role(school_a, mentee):
    taught = add_student(school_a, section=school_a.section)
    elsewhere = add_student(school_a, section=school_a.other_section)
    everyone = {mentee, taught, elsewhere}
    assert _as(school_a, Role.STUDENT, access.students_visible_to) == {mentee}
    assert _as(school_a, Role.TEACHER, access.students_visible_to) == {mentee, taught}
    assert _as(school_a, Role.MENTOR, access.students_visible_to) == {mentee}
    assert _as(school_a, Role.SCHOOL_ADMIN, access.students_visible_to) == everyone
    assert _as(school_a, DISTRICT_ADMIN, access.students_visible_to) == everyone


def test_students_in_care_of_leaves_out_a_students_own_view(school_a, mentee):
    assert _as(school_a, Role.STUDENT, access.students_in_care_of) == set()
    assert _as(school_a, Role.MENTOR, access.students_in_care_of) == {mentee}
    with school_scope(school_a.school), pytest.raises(Http404):
        access.student_in_care_get(user=mentee, roles=frozenset({Role.STUDENT}), student_id=mentee.pk)


def test_students_assessed_by_teachers_and_admins_only(school_a, mentee):
    elsewhere = add_student(school_a, section=school_a.other_section)
    assert _as(school_a, Role.TEACHER, access.students_assessed_by) == {mentee}
    assert _as(school_a, Role.MENTOR, access.students_assessed_by) == set()
    assert _as(school_a, Role.STUDENT, access.students_assessed_by) == set()
    assert _as(school_a, Role.SCHOOL_ADMIN, access.students_assessed_by) == {mentee, elsewhere}


def test_private_notes_are_shared_with_mentors_and_school_wide_roles(school_a, mentee):
    other = add_student(school_a, section=school_a.section)
    assert _as(school_a, Role.MENTOR, access.students_sharing_private_notes_with) == {mentee}
    assert _as(school_a, Role.TEACHER, access.students_sharing_private_notes_with) == set()
    assert _as(school_a, DISTRICT_ADMIN, access.students_sharing_private_notes_with) == {mentee, other}


def test_an_inactive_enrolment_or_membership_no_longer_counts(school_a):
    dropped = add_student(school_a)
    EnrollmentFactory(section=school_a.section, user=dropped, role="student", is_active=False)
    left = add_student(school_a, section=school_a.section)
    Membership.objects.unscoped().filter(user=left).update(is_active=False)
    with school_scope(school_a.school):
        taught = set(access.students_taught_by(user=school_a.user(Role.TEACHER)))
        visible = set(
            access.students_visible_to(user=school_a.user(Role.TEACHER), roles=frozenset({Role.TEACHER}))
        )
    assert taught == visible == {school_a.user(Role.STUDENT)}


def test_sections_by_role(school_a):
    both = {school_a.section, school_a.other_section}
    assert _as(school_a, Role.TEACHER, access.sections_overseen_by) == {school_a.section}
    assert _as(school_a, Role.STUDENT, access.sections_overseen_by) == set()
    assert _as(school_a, Role.MENTOR, access.sections_overseen_by) == set()
    assert _as(school_a, Role.SCHOOL_ADMIN, access.sections_overseen_by) == both
    assert _as(school_a, Role.STUDENT, access.sections_visible_to) == {school_a.section}
    assert _as(school_a, Role.MENTOR, access.sections_visible_to) == set()
    assert _as(school_a, DISTRICT_ADMIN, access.sections_visible_to) == both
    with school_scope(school_a.school):
        assert set(access.sections_taught(user=school_a.user(Role.SCHOOL_ADMIN))) == set()


@pytest.mark.parametrize("role", ADULT_ROLES)
def test_another_schools_people_and_sections_never_appear(school_a, school_b, role):
    for rule in (access.students_visible_to, access.students_assessed_by, access.sections_visible_to):
        found = _as(school_a, role, rule)
        assert not found & {school_b.user(Role.STUDENT), school_b.section, school_b.other_section}


def test_an_id_past_a_database_integer_is_not_found(school_a):
    with school_scope(school_a.school), pytest.raises(Http404):
        access.student_access_get(
            user=school_a.user(Role.SCHOOL_ADMIN), roles=frozenset({Role.SCHOOL_ADMIN}), student_id=2**63
        )
