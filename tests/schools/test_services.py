import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from plp.tenancy.context import NoActiveSchool, school_scope
from schools import services
from schools.models import Membership
from tests.factories import OrganizationFactory, UserFactory


def test_a_school_with_an_unknown_time_zone_is_refused_with_a_clear_message(db):
    with pytest.raises(ValidationError, match="not a known time zone"):
        services.school_upsert(
            organization=OrganizationFactory(), slug="x", name="X", timezone="Mars/Olympus"
        )


def test_a_school_slug_must_be_a_slug(db):
    with pytest.raises(ValidationError) as error:
        services.school_upsert(
            organization=OrganizationFactory(), slug="Not A Slug", name="X", timezone="UTC"
        )
    assert "slug" in error.value.message_dict


def test_granting_a_role_twice_keeps_one_membership_and_reactivates_it(school_a):
    user = UserFactory()
    with school_scope(school_a.school):
        first = services.membership_grant(user=user, role="mentor")
        Membership.objects.filter(pk=first.pk).update(is_active=False)
        again = services.membership_grant(user=user, role="mentor")
        assert again.pk == first.pk and again.is_active
        assert Membership.objects.filter(user=user).count() == 1


def test_tenant_writes_need_an_active_school(db):
    with pytest.raises(NoActiveSchool):
        services.term_upsert(name="T", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 6, 1))


def test_a_term_that_ends_before_it_starts_is_refused(school_a):
    with school_scope(school_a.school), pytest.raises(ValidationError, match="end before"):
        services.term_upsert(name="T", start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 1, 1))
