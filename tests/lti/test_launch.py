"""LMS launches of PLP (LTI 1.3, PLP as the tool) from the test LMS of tests/lti/platform.py, which signs
real id_tokens and serves its JWKS over HTTP: who is signed in where, and every refusal."""

from urllib.parse import parse_qs, urlsplit

import requests
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from lti.models import LtiUserLink
from plp.tenancy.context import school_scope
from schools.models import Membership, RosterPerson
from schools.roles import Role
from tests.lti.conftest import BASE, lms_launch, refusal_page
from tests.lti.platform import auto_post_form, path_of


def _signed_in(client):
    return int(client.session["_auth_user_id"])


def test_the_login_initiation_asks_the_lms_for_an_id_token_with_state_and_nonce(client, lms):
    registration, platform = lms["a"], lms["platform"]
    response = client.get(
        reverse("lti:login", kwargs={"registration": registration.public_id}),
        {"iss": platform.issuer, "login_hint": "x", "client_id": registration.client_id},
    )
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["client_id"] == [registration.client_id] and query["response_mode"] == ["form_post"]
    assert query["redirect_uri"] == [f"{BASE}/lti/{registration.public_id}/launch/"]
    assert len(query["nonce"][0]) >= 32 and query["state"][0]
    assert response.cookies[f"lti1p3-{query['state'][0]}"].value == query["state"][0]


def test_a_student_launched_from_the_lms_is_signed_in_at_their_school_and_lands_on_the_target(
    client, lms, school_a
):
    target = f"{BASE}/s/alpha/playlists/"
    response, _ = lms_launch(client, lms["platform"], lms["a"], login_hint="alpha-student", target=target)
    assert response.status_code == 302 and response["Location"] == "/s/alpha/playlists/"
    student = school_a.user(Role.STUDENT)
    assert _signed_in(client) == student.pk
    assert client.get("/s/alpha/").status_code == 200
    with school_scope(school_a.school):
        link = LtiUserLink.objects.get()
    assert (link.user_id, link.lms_user_id, link.registration_id) == (
        student.pk,
        "lms-alpha-student",
        lms["a"].pk,
    )


def test_a_target_outside_the_school_lands_on_the_school_home(client, lms):
    response, _ = lms_launch(
        client, lms["platform"], lms["a"], login_hint="alpha-student", target="https://evil.example/s/alpha/"
    )
    assert response["Location"] == reverse("schools:home", kwargs={"school_slug": "alpha"})
    response, _ = lms_launch(
        client, lms["platform"], lms["a"], login_hint="alpha-student", target=f"{BASE}/s/bravo/"
    )
    assert response["Location"] == reverse("schools:home", kwargs={"school_slug": "alpha"})


def test_the_lms_user_id_linked_at_the_first_launch_finds_the_person_after_their_email_changed(
    client, lms, school_a
):
    platform = lms["platform"]
    lms_launch(client, platform, lms["a"], login_hint="alpha-teacher")
    client.logout()
    platform.user_add("alpha-teacher", sub="lms-alpha-teacher", email="renamed@alpha.example.test")
    response, _ = lms_launch(client, platform, lms["a"], login_hint="alpha-teacher")
    assert response.status_code == 302 and response["Location"] == "/s/alpha/"
    assert _signed_in(client) == school_a.user(Role.TEACHER).pk


def test_a_school_that_matches_by_roster_sourced_id_finds_the_person_by_lis_person_sourcedid(
    client, lms, school_a
):
    registration = lms["a"]
    registration.match_by = "sourced_id"
    registration.save()
    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        RosterPerson.objects.create(school=school_a.school, user=student, sourced_id="sis-42", role="student")
    lms["platform"].user_add(
        "sis-student",
        sub="lms-sis",
        email="another.address@example.org",
        **{"https://purl.imsglobal.org/spec/lti/claim/lis": {"person_sourcedid": "sis-42"}},
    )
    response, _ = lms_launch(client, lms["platform"], registration, login_hint="sis-student")
    assert response.status_code == 302 and _signed_in(client) == student.pk
    # Without a sourcedId in the launch nobody is found by email: the school chose the roster key.
    client.logout()
    response, _ = lms_launch(client, lms["platform"], registration, login_hint="alpha-teacher")
    assert "did not say who you are" in refusal_page(client, response)


def test_an_unknown_person_is_refused_and_no_account_is_made(client, lms):
    users = get_user_model().objects.count()
    response, _ = lms_launch(client, lms["platform"], lms["a"], login_hint="outsider")
    page = refusal_page(client, response)
    assert "We could not find you at Alpha Academy" in page and "nobody@elsewhere.example.org" in page
    assert get_user_model().objects.count() == users


def test_a_person_of_another_school_is_never_signed_in_through_this_schools_registration(client, lms):
    response, _ = lms_launch(client, lms["platform"], lms["a"], login_hint="bravo-student")
    assert "We could not find you at Alpha Academy" in refusal_page(client, response)
    assert not LtiUserLink.objects.unscoped().exists()  # unscoped: the test checks that no school got one


def test_a_launch_from_another_schools_deployment_is_refused(client, lms):
    response, _ = lms_launch(
        client, lms["platform"], lms["a"], login_hint="alpha-student", deployment_id="dep-bravo"
    )
    page = refusal_page(client, response)
    assert "PLP is not set up for this course" in page and "dep-bravo" in page


def test_an_id_token_signed_with_a_key_not_in_the_lms_jwks_is_refused(client, lms):
    response, _ = lms_launch(client, lms["platform"], lms["a"], login_hint="alpha-student", rogue_key=True)
    page = refusal_page(client, response)
    assert "could not be trusted" in page and "Signature verification failed" in page


def test_an_id_token_for_another_audience_is_refused(client, lms):
    response, _ = lms_launch(
        client, lms["platform"], lms["a"], login_hint="alpha-student", overrides={"aud": "plp-bravo"}
    )
    assert "could not be trusted" in refusal_page(client, response)
    # One audience among several is only ours when the LMS says it is for us (azp).
    response, _ = lms_launch(
        client,
        lms["platform"],
        lms["a"],
        login_hint="alpha-student",
        overrides={"aud": ["plp-alpha", "someone-else"], "azp": "someone-else"},
    )
    assert "azp" in refusal_page(client, response)


def test_an_expired_id_token_is_refused(client, lms):
    response, _ = lms_launch(
        client, lms["platform"], lms["a"], login_hint="alpha-student", overrides={"exp": 1_000_000_000}
    )
    assert "This launch has expired" in refusal_page(client, response)


def test_an_id_token_without_iat_is_refused(client, lms):
    response, _ = lms_launch(
        client, lms["platform"], lms["a"], login_hint="alpha-student", overrides={"iat": None}
    )
    assert "could not be trusted" in refusal_page(client, response)


def test_a_replayed_id_token_is_refused_even_in_the_browser_it_came_from(client, lms):
    response, fields = lms_launch(client, lms["platform"], lms["a"], login_hint="alpha-student")
    assert response.status_code == 302 and response["Location"] == "/s/alpha/"
    client.logout()
    again = client.post(reverse("lti:launch", kwargs={"registration": lms["a"].public_id}), fields)
    assert "This launch was already used" in refusal_page(client, again)


def test_a_launch_posted_from_a_browser_that_did_not_start_it_is_refused(client, lms):
    """The LMS's answer to this browser's login, posted by another browser (no state cookie there)."""
    registration, platform = lms["a"], lms["platform"]
    hint = platform.prepare(login_hint="alpha-student", deployment_id="dep-alpha", target_link_uri=BASE)
    login = client.get(
        reverse("lti:login", kwargs={"registration": registration.public_id}),
        {"iss": platform.issuer, "login_hint": "alpha-student", "lti_message_hint": hint},
    )
    action, fields = auto_post_form(requests.get(login["Location"], timeout=10).text)
    other_browser = Client()
    response = other_browser.post(path_of(action), fields)
    assert "did not start in this browser" in refusal_page(other_browser, response)
    # The browser that started it still can (the refusal took nothing of it).
    assert client.post(path_of(action), fields)["Location"].endswith("/s/alpha/")


def test_a_switched_off_registration_launches_nobody(client, lms):
    registration = lms["a"]
    registration.is_enabled = False
    registration.save()
    response = client.get(
        reverse("lti:login", kwargs={"registration": registration.public_id}),
        {"iss": lms["platform"].issuer, "login_hint": "alpha-student"},
    )
    assert "is switched off at Alpha Academy" in refusal_page(client, response)


def test_an_inactive_member_is_refused(client, lms, school_a):
    with school_scope(school_a.school):
        Membership.objects.filter(user=school_a.user(Role.STUDENT)).update(is_active=False)
    response, _ = lms_launch(client, lms["platform"], lms["a"], login_hint="alpha-student")
    assert "is not active" in refusal_page(client, response)


def test_the_jwks_is_public_and_holds_no_private_key(client, lms):
    response = client.get(reverse("lti:jwks", kwargs={"registration": lms["a"].public_id}))
    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["kid"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)


def test_the_lms_fetches_the_jwks_over_http(lms):
    before = lms["platform"].jwks_requests
    assert (
        requests.get(lms["platform"].key_set_url, timeout=5).json()["keys"][0]["kid"] == lms["platform"].kid
    )
    assert lms["platform"].jwks_requests == before + 1
