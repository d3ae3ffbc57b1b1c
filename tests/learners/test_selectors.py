from learners import selectors
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.support import add_student


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
