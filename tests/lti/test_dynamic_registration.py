"""LTI Dynamic Registration against the test LMS: its OpenID configuration and registration endpoint over
HTTP, the admin's choice of school, the registration stored, and a launch through it; and refusals."""

from urllib.parse import parse_qs, urlencode

import pytest
from django.urls import reverse

from lti.models import LtiDeployment, LtiRegistration
from lti.registration import AGS_SCOPES, TOOL_CONFIGURATION
from plp.tenancy.context import school_scope
from schools.roles import DISTRICT_ADMIN, Role
from tests.factories import TEST_PASSWORD, SchoolFactory
from tests.lti.conftest import lms_launch
from tests.lti.platform import NRPS_SCOPE

URL = reverse("lti:dynamic_registration")


def _start(platform) -> tuple[str, dict]:
    params = platform.registration_start()
    return f"{URL}?{urlencode(params)}", params


def _registrations(world) -> list[LtiRegistration]:
    with school_scope(world.school):
        return list(LtiRegistration.objects.exclude(name__endswith=" LMS"))  # the fixture's are "… LMS"


def test_someone_signed_out_is_sent_to_sign_in_and_back(client, lms, school_a):
    url, _ = _start(lms["platform"])
    response = client.get(url)
    assert response.status_code == 302
    login, _, query = response["Location"].partition("?")
    assert login == reverse("accounts:login") and parse_qs(query)["next"] == [url]
    signed_in = client.post(
        response["Location"], {"username": school_a.user(Role.SCHOOL_ADMIN).email, "password": TEST_PASSWORD}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == url
    assert client.get(url).context["form"].fields["school"].choices == [("alpha", "Alpha Academy")]


def test_an_admin_registers_plp_and_the_lms_launches_it(client, lms, school_a, school_b):
    platform = lms["platform"]
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    url, params = _start(platform)
    page = client.get(url)
    assert page.status_code == 200
    assert [slug for slug, _ in page.context["form"].fields["school"].choices] == ["alpha"]
    assert "Bravo" not in page.content.decode()
    assert f"frame-ancestors {platform.issuer}" in page["Content-Security-Policy"]
    assert "X-Frame-Options" not in page
    done = client.post(url, {"school": "alpha", "name": "", **params})
    assert done.status_code == 200, done.content[:800]
    [registration] = _registrations(school_a)
    [registered] = platform.registrations
    assert registration.client_id == registered["client_id"]
    assert registration.issuer == platform.issuer
    assert registration.auth_login_url == platform.auth_login_url
    assert registration.auth_token_url == platform.auth_token_url
    assert registration.key_set_url == platform.key_set_url
    assert registration.name == "plp-test-lms"
    with school_scope(school_a.school):
        assert list(
            LtiDeployment.objects.filter(registration=registration).values_list("deployment_id", flat=True)
        ) == [registered["deployment_id"]]
    assert _registrations(school_b) == []
    # What PLP told the LMS: its addresses for this registration, its key set, AGS and NRPS, deep linking.
    config = registered["config"]
    launch = "http://testserver" + reverse("lti:launch", kwargs={"registration": registration.public_id})
    jwks = "http://testserver" + reverse("lti:jwks", kwargs={"registration": registration.public_id})
    assert config["redirect_uris"] == [launch]
    assert config["initiate_login_uri"] == "http://testserver" + reverse(
        "lti:login", kwargs={"registration": registration.public_id}
    )
    assert config["jwks_uri"] == jwks
    assert set(config["scope"].split()) == {*AGS_SCOPES, NRPS_SCOPE}
    tool = config[TOOL_CONFIGURATION]
    assert tool["target_link_uri"] == launch
    assert [m["type"] for m in tool["messages"]] == ["LtiDeepLinkingRequest"]
    assert "lti-registration-done.js" in done.content.decode()
    # The LMS fetches PLP's keys from the address it was given, and launches PLP with the new client id.
    platform.tool_jwks[registration.client_id] = client.get(jwks.removeprefix("http://testserver")).json()
    assert platform.tool_jwks[registration.client_id]["keys"]
    client.logout()
    response, _ = lms_launch(
        client, platform, registration, login_hint="alpha-teacher", deployment_id=registered["deployment_id"]
    )
    assert response.status_code == 302 and response["Location"] == "/s/alpha/"
    assert int(client.session["_auth_user_id"]) == school_a.user(Role.TEACHER).pk


def test_an_issuer_that_is_not_the_configurations_origin_is_refused(client, lms, school_a):
    platform = lms["platform"]
    platform.openid_issuer = "https://lms.elsewhere.example.test"
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    url, params = _start(platform)
    page = client.post(url, {"school": "alpha", **params})
    assert "PLP registers only with the LMS the configuration is from" in page.context["error"]
    assert platform.registrations == [] and _registrations(school_a) == []


def test_an_lms_on_an_internal_address_is_never_fetched(client, lms, school_a, settings):
    """The configuration address comes from whoever opened the page: PLP screens it as every outbound
    request (plp/outbound.py), so an admin cannot make the server read its own network."""
    settings.ALLOW_PRIVATE_OUTBOUND = False
    platform = lms["platform"]
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    url, params = _start(platform)  # the test LMS listens on 127.0.0.1
    page = client.post(url, {"school": "alpha", **params})
    assert "127.0.0.1" in page.context["error"] or "internal" in page.context["error"].lower()
    assert platform.registrations == [] and _registrations(school_a) == []


def test_a_registration_endpoint_error_stores_nothing(client, lms, school_a):
    platform = lms["platform"]
    refusal = {"error": "invalid_client_metadata", "error_description": "redirect_uris not allowed"}
    platform.registration_error = ("400 Bad Request", refusal)
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    url, params = _start(platform)
    page = client.post(url, {"school": "alpha", **params})
    assert page.context["error"] == (
        "The LMS refused PLP's registration (HTTP 400): redirect_uris not allowed."
    )
    assert _registrations(school_a) == []


def test_a_registration_token_works_once(client, lms, school_a):
    platform = lms["platform"]
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    url, params = _start(platform)
    assert client.post(url, {"school": "alpha", **params}).status_code == 200
    again = client.post(url, {"school": "alpha", **params})
    assert again.context["error"].startswith("The LMS refused PLP's registration (HTTP 401)")
    assert len(_registrations(school_a)) == 1


@pytest.mark.parametrize("role", [Role.TEACHER, Role.STUDENT, Role.MENTOR])
def test_only_an_admin_can_register_and_only_for_their_school(client, lms, school_a, school_b, role):
    platform = lms["platform"]
    client.force_login(school_a.user(role))
    url, params = _start(platform)
    page = client.get(url)
    assert "Only a school admin can register PLP" in page.content.decode()
    client.post(url, {"school": "alpha", **params})
    assert platform.registrations == [] and _registrations(school_a) == []


def test_an_admin_cannot_register_for_another_school(client, lms, school_a, school_b):
    platform = lms["platform"]
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    url, params = _start(platform)
    page = client.post(url, {"school": "bravo", **params})
    assert "school" in page.context["form"].errors
    assert platform.registrations == [] and _registrations(school_b) == []


def test_a_district_admin_chooses_among_the_districts_schools(client, lms, school_a):
    client.force_login(school_a.user(DISTRICT_ADMIN))
    url, _ = _start(lms["platform"])
    choices = client.get(url).context["form"].fields["school"].choices
    assert [slug for slug, _ in choices] == ["alpha"]


def test_without_a_configuration_address_nothing_is_asked(client, school_a):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    page = client.get(URL)
    assert page.status_code == 200 and "Open this page from your LMS" in page.content.decode()


def test_the_registration_page_reads_a_constant_number_of_queries(
    client, lms, school_a, django_assert_max_num_queries
):
    """A district admin's choice of school: the same queries with one school or six in the district."""
    client.force_login(school_a.user(DISTRICT_ADMIN))
    url, _ = _start(lms["platform"])
    with django_assert_max_num_queries(10) as one:
        assert client.get(url).status_code == 200
    for n in range(5):
        SchoolFactory(organization=school_a.school.organization, slug=f"more-{n}", name=f"More {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert len(page.context["form"].fields["school"].choices) == 6
