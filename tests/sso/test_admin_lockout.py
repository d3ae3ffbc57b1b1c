"""The school's policy can never make every admin sign in with single sign-on only: with the provider down,
nobody could sign in to undo it. Such a change is refused with a clear form error; one admin (or a district
admin) left on the password login is enough."""

from django.urls import reverse
from django.utils.html import escape

from plp.tenancy.context import school_scope
from schools.models import OrganizationAdmin
from schools.roles import Role
from sso import services
from sso.models import SsoPolicy
from sso.selectors import sso_policy_get
from tests.factories import MembershipFactory, UserFactory

URL = reverse("sso:settings", kwargs={"school_slug": "alpha"})


def _post(client, world, roles):
    client.force_login(world.user(Role.SCHOOL_ADMIN))
    return client.post(URL, {"match_by": "email", "allowed_domains": "", "required_roles": roles})


def _saved(world):
    with school_scope(world.school):
        return list(SsoPolicy.objects.values_list("required_roles", flat=True))


def _no_district_admin(world):
    OrganizationAdmin.objects.filter(organization=world.school.organization).delete()


def test_making_every_admin_sso_only_is_refused_with_a_form_error(client, school_a):
    _no_district_admin(school_a)
    response = _post(client, school_a, ["school_admin", "teacher"])
    body = response.content.decode()
    assert response.status_code == 400
    assert escape("no admin who can sign in with a password") in body
    assert "checked" in body  # what was ticked is kept
    assert _saved(school_a) == []


def test_a_role_every_admin_also_holds_locks_them_out_too(client, school_a):
    _no_district_admin(school_a)
    MembershipFactory(school=school_a.school, user=school_a.user(Role.SCHOOL_ADMIN), role=Role.TEACHER)
    assert _post(client, school_a, ["teacher"]).status_code == 400
    assert _saved(school_a) == []


def test_one_admin_left_on_the_password_login_is_enough(client, school_a):
    _no_district_admin(school_a)
    MembershipFactory(school=school_a.school, user=school_a.user(Role.SCHOOL_ADMIN), role=Role.TEACHER)
    MembershipFactory(school=school_a.school, user=UserFactory(), role=Role.SCHOOL_ADMIN)  # not a teacher
    assert _post(client, school_a, ["teacher"]).status_code == 302
    assert _saved(school_a) == [["teacher"]]


def test_the_districts_admin_is_the_way_back_in(client, school_a):
    assert _post(client, school_a, ["school_admin"]).status_code == 302  # the world's district admin
    assert _saved(school_a) == [["school_admin"]]


def test_an_inactive_account_or_membership_is_no_way_back_in(school_a):
    import pytest
    from django.core.exceptions import ValidationError

    _no_district_admin(school_a)
    spare = UserFactory(is_active=False)
    MembershipFactory(school=school_a.school, user=spare, role=Role.SCHOOL_ADMIN)
    with school_scope(school_a.school):
        policy = sso_policy_get(school=school_a.school)
        policy.required_roles = ["school_admin"]
        with pytest.raises(ValidationError) as refused:
            services.sso_policy_save(sso_policy=policy)
    assert "required_roles" in refused.value.message_dict
