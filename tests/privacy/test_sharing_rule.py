"""The one consent rule every sender of a student's records asks (export, xAPI, LTI grade passback)."""

from plp.tenancy.context import school_scope
from privacy import services
from privacy.selectors import consent_standing, sharing_refusals
from schools.models import RosterPerson
from schools.roles import Role
from tests.factories import MembershipFactory, UserFactory


def _student(world, **fields):
    user = UserFactory(**fields)
    MembershipFactory(school=world.school, user=user, role=Role.STUDENT)
    return user


def test_sharing_refusals_agree_with_the_export_rule_in_two_queries(school_a, django_assert_max_num_queries):
    admin = school_a.user(Role.SCHOOL_ADMIN)
    with school_scope(school_a.school):
        granted, denied, pending, older, roster_child, roster_teen, unknown = (
            _student(school_a) for _ in range(7)
        )
        # denied after an earlier grant: the latest decision counts
        services.consent_record(student=denied, under_13=True, status="granted", note="", by=admin)
        for student, status, under_13 in [
            (granted, "granted", True),
            (denied, "denied", True),
            (pending, "pending", True),
            (older, "pending", False),
        ]:
            services.consent_record(student=student, under_13=under_13, status=status, note="", by=admin)
        for student, grade in [(roster_child, "KG"), (roster_teen, "09")]:
            RosterPerson.objects.create(
                school=school_a.school,
                user=student,
                sourced_id=f"S{student.pk}",
                role="student",
                grades=[grade],
            )
        everyone = [granted, denied, pending, older, roster_child, roster_teen, unknown]
        with django_assert_max_num_queries(2):
            refusals = sharing_refusals(student_ids=[s.pk for s in everyone])
        assert set(refusals) == {denied.pk, pending.pk, roster_child.pk}
        assert refusals[roster_child.pk] == "Under 13 and their parent's consent is not recorded."
        for student in everyone:  # the export asks the same rule
            assert bool(consent_standing(student=student).export_refusal) == (student.pk in refusals)
