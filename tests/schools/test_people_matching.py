"""Who of the school a person known elsewhere is (``schools.people_matching``): single sign-on and LTI
share the rule, so it is stated here once, for a whole roster at a time."""

import pytest

from plp.tenancy.context import school_scope
from schools.people_matching import BY_EMAIL, BY_SOURCED_ID, BY_USERNAME, account_ids_by_key, places_of
from schools.roles import DISTRICT_ADMIN, Role
from schools.rostering.models import RosterPerson
from tests.factories import MembershipFactory, UserFactory
from tests.support import add_student


def _roster(world, user, *, sourced_id, username=""):
    return RosterPerson.objects.create(
        school=world.school, user=user, sourced_id=sourced_id, username=username, role=Role.STUDENT
    )


def test_keys_lead_to_accounts_by_email_sourced_id_and_roster_username(school_a):
    ana = add_student(school_a, email="ana@alpha.example.test")
    _roster(school_a, ana, sourced_id="S-1", username="Ana.Lopez")
    with school_scope(school_a.school):
        assert account_ids_by_key(match_by=BY_EMAIL, keys=["ANA@alpha.example.test", "nobody@x.test"]) == {
            "ANA@alpha.example.test": ana.pk
        }
        assert account_ids_by_key(match_by=BY_SOURCED_ID, keys=["S-1", "S-404", ""]) == {"S-1": ana.pk}
        assert account_ids_by_key(match_by=BY_USERNAME, keys=["ana.lopez"]) == {"ana.lopez": ana.pk}


def test_a_roster_person_of_another_school_is_not_found(school_a, school_b):
    stranger = add_student(school_b)
    _roster(school_b, stranger, sourced_id="S-B")
    with school_scope(school_a.school):
        assert account_ids_by_key(match_by=BY_SOURCED_ID, keys=["S-B"]) == {}


def test_places_say_who_belongs_and_who_is_active(school_a, school_b):
    active = school_a.user(Role.STUDENT)
    left = UserFactory()
    MembershipFactory(school=school_a.school, user=left, role=Role.STUDENT, is_active=False)
    elsewhere = school_b.user(Role.STUDENT)
    district = school_a.user(DISTRICT_ADMIN)
    with school_scope(school_a.school):
        places = places_of(
            organization_id=school_a.school.organization_id,
            user_ids=[active.pk, left.pk, elsewhere.pk, district.pk],
        )
    assert (places[active.pk].belongs, places[active.pk].active) == (True, True)
    assert (places[left.pk].belongs, places[left.pk].active) == (True, False)
    assert (places[elsewhere.pk].belongs, places[elsewhere.pk].active) == (False, False)
    assert (places[district.pk].belongs, places[district.pk].active) == (True, True)


@pytest.mark.parametrize("size", [1, 40])
def test_a_whole_roster_is_matched_in_constant_queries(school_a, django_assert_max_num_queries, size):
    students = [add_student(school_a) for _ in range(size)]
    for number, student in enumerate(students):
        _roster(school_a, student, sourced_id=f"S-{number}")
    with school_scope(school_a.school), django_assert_max_num_queries(3):
        found = account_ids_by_key(match_by=BY_SOURCED_ID, keys=[f"S-{n}" for n in range(size)])
        places_of(organization_id=school_a.school.organization_id, user_ids=found.values())
    assert len(found) == size
