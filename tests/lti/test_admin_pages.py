"""The school admin's LTI pages: registering an LMS, the addresses to give it, rotating PLP's key."""

import pytest
from django.urls import reverse

from lti import keys
from lti.models import LtiDeployment, LtiRegistration, LtiToolKey
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.lti.matrix_part import registration_make

FORM = {
    "name": "Canvas",
    "issuer": "https://canvas.instructure.com",
    "client_id": "10000000000001",
    "deployment_ids": "1:abc\n\n 2:def \n1:abc",
    "auth_login_url": "https://sso.canvaslms.com/api/lti/authorize_redirect",
    "auth_token_url": "https://sso.canvaslms.com/login/oauth2/token",
    "key_set_url": "https://sso.canvaslms.com/api/lti/security/jwks",
    "auth_audience": "",
    "match_by": "email",
    "is_enabled": "on",
}


def test_an_admin_registers_an_lms_and_sees_the_addresses_to_give_it(client, school_a):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    response = client.post(reverse("lti:registration_new", kwargs={"school_slug": "alpha"}), FORM)
    assert response.status_code == 302
    with school_scope(school_a.school):
        registration = LtiRegistration.objects.get()
        assert sorted(LtiDeployment.objects.values_list("deployment_id", flat=True)) == ["1:abc", "2:def"]
        key = LtiToolKey.objects.get()
    assert registration.school_id == school_a.school.pk
    page = client.get(response["Location"]).content.decode()
    for name in ("login", "launch", "jwks"):
        url = "http://testserver" + reverse(f"lti:{name}", kwargs={"registration": registration.public_id})
        assert url in page
    assert keys.private_pem(key.private_key_encrypted).startswith("-----BEGIN PRIVATE KEY-----")
    assert key.private_key_encrypted not in page and "PRIVATE KEY" not in page
    settings_page = client.get(reverse("lti:settings", kwargs={"school_slug": "alpha"})).content.decode()
    assert "Canvas" in settings_page and str(registration.public_id) in settings_page


def test_bad_input_gets_field_errors_and_keeps_what_was_typed(client, school_a):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    bad = {**FORM, "issuer": "not a url at all", "deployment_ids": "  \n "}
    response = client.post(reverse("lti:registration_new", kwargs={"school_slug": "alpha"}), bad)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"issuer", "deployment_ids"}
    assert "10000000000001" in response.content.decode()
    assert not LtiRegistration.objects.unscoped().exists()  # unscoped: nothing was saved in any school


def test_editing_sets_exactly_the_deployment_ids_typed(client, school_a):
    registration = registration_make(school_a)
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    url = reverse(
        "lti:registration_edit", kwargs={"school_slug": "alpha", "lti_registration_id": registration.pk}
    )
    assert "dep-alpha" in client.get(url).content.decode()
    response = client.post(url, {**FORM, "deployment_ids": "dep-new"})
    assert response.status_code == 302
    with school_scope(school_a.school):
        assert list(LtiDeployment.objects.values_list("deployment_id", flat=True)) == ["dep-new"]


def test_rotating_the_key_publishes_the_new_one_and_keeps_only_the_previous(client, school_a):
    registration = registration_make(school_a)
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    rotate = reverse(
        "lti:registration_rotate_key", kwargs={"school_slug": "alpha", "lti_registration_id": registration.pk}
    )
    jwks = reverse("lti:jwks", kwargs={"registration": registration.public_id})
    first = client.get(jwks).json()["keys"][0]["kid"]
    assert client.get(rotate).status_code == 405
    client.post(rotate)
    second = [key["kid"] for key in client.get(jwks).json()["keys"]]
    assert len(second) == 2 and first in second
    client.post(rotate)
    third = [key["kid"] for key in client.get(jwks).json()["keys"]]
    assert len(third) == 2 and first not in third
    with school_scope(school_a.school):
        assert LtiToolKey.objects.filter(retired_at__isnull=False).count() == 1


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.MENTOR])
def test_only_admins_manage_registrations(client, school_a, role):
    registration = registration_make(school_a)
    client.force_login(school_a.user(role))
    assert client.get(reverse("lti:settings", kwargs={"school_slug": "alpha"})).status_code == 403
    edit = reverse(
        "lti:registration_edit", kwargs={"school_slug": "alpha", "lti_registration_id": registration.pk}
    )
    assert client.post(edit, FORM).status_code == 404


def test_the_settings_page_reads_a_constant_number_of_queries(
    client, school_a, django_assert_max_num_queries
):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    url = reverse("lti:settings", kwargs={"school_slug": "alpha"})
    registration_make(school_a)
    client.get(url)
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    for n in range(20):
        registration_make(school_a, name=f"LMS {n}", client_id=f"client-{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).content.decode().count("/jwks/") == 21
