"""Signing in through a real OpenID Connect provider (oidc-provider, a subprocess) with Django's test
client: the provider's pages are walked over HTTP, its answers come back to our callback."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from plp.tenancy.context import school_scope
from schools.models import Membership
from schools.roles import Role
from sso.models import SsoPolicy
from tests.sso.idps import (  # noqa: F401 - idp_farm is a fixture
    CLIENT_ID,
    OIDC_PROVIDER_ID,
    idp_farm,
    oidc_idp_walk,
    oidc_provider_make,
)

BASE = "http://testserver"


@pytest.fixture
def oidc(idp_farm, school_a):  # noqa: F811
    idp = idp_farm.oidc(BASE)
    return oidc_provider_make(school=school_a.school, idp=idp), idp


def _start(client, school_slug="alpha", provider_id=OIDC_PROVIDER_ID):
    return client.get(reverse("sso:start", kwargs={"school": school_slug, "provider": provider_id}))


def _sign_in(client, account: str):
    start = _start(client)
    assert start.status_code == 302
    back = oidc_idp_walk(authorize_url=start["Location"], account=account, back_to=BASE)
    return back, client.get(back.removeprefix(BASE))


def _refusal(client, response) -> str:
    assert response.status_code == 302 and response["Location"] == reverse("sso:refused")
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


def test_the_authorization_request_uses_pkce_state_and_nonce(client, oidc):
    query = parse_qs(urlsplit(_start(client)["Location"]).query)
    assert query["client_id"] == [CLIENT_ID] and query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["scope"] == ["openid email profile"]


def test_a_student_signs_in_and_lands_on_their_school_home(client, oidc, school_a):
    _, response = _sign_in(client, "student")
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:home", kwargs={"school_slug": "alpha"})
    student = school_a.user(Role.STUDENT)
    assert int(client.session["_auth_user_id"]) == student.pk
    assert client.get(response["Location"]).status_code == 200
    student.refresh_from_db()
    assert student.last_login is not None  # the People page's "Last signed in" counts single sign-on


def test_the_same_answer_twice_is_refused_state_used_up(client, oidc, school_a):
    back, first = _sign_in(client, "student")
    assert first["Location"].startswith("/s/alpha/")
    client.logout()
    body = _refusal(client, client.get(back.removeprefix(BASE)))
    assert "This sign-in has expired or was already used" in body
    assert "_auth_user_id" not in client.session


def test_an_answer_for_another_browsers_sign_in_is_refused(client, oidc, school_a):
    from django.test import Client

    start = _start(client)  # this browser starts; another one receives the answer
    back = oidc_idp_walk(authorize_url=start["Location"], account="student", back_to=BASE)
    other = Client()
    body = _refusal(other, other.get(back.removeprefix(BASE)))
    assert "expired or was already used" in body and "_auth_user_id" not in other.session


def test_a_code_replayed_under_a_new_state_is_refused_by_the_provider(client, oidc):
    """An attacker's captured code with a fresh state of the victim's browser: the PKCE verifier of the new
    sign-in does not fit the code (and its nonce would not fit the ID token)."""
    first = _start(client)
    back = oidc_idp_walk(authorize_url=first["Location"], account="student", back_to=BASE)
    code = parse_qs(urlsplit(back).query)["code"][0]
    fresh_state = parse_qs(urlsplit(_start(client)["Location"]).query)["state"][0]
    path = reverse("sso:oidc_callback", kwargs={"provider": OIDC_PROVIDER_ID})
    body = _refusal(client, client.get(path, {"code": code, "state": fresh_state}))
    assert "Your sign-in service did not sign you in" in body
    assert "_auth_user_id" not in client.session


def test_an_inactive_membership_is_refused_with_a_clear_page(client, oidc, school_a):
    with school_scope(school_a.school):
        Membership.objects.filter(user=school_a.user(Role.STUDENT)).update(is_active=False)
    _, response = _sign_in(client, "student")
    body = _refusal(client, response)
    assert "Your account at Alpha Academy is not active" in body
    assert "_auth_user_id" not in client.session


def test_an_account_of_another_domain_is_refused(client, oidc, school_a):
    with school_scope(school_a.school):
        SsoPolicy.objects.create(school=school_a.school, allowed_domains="alpha.example.test")
    _, response = _sign_in(client, "outsider")
    body = _refusal(client, response)
    assert "That account is not one of Alpha Academy" in body
    assert "student@elsewhere.example.org" in body and "alpha.example.test" in body


def test_someone_not_in_the_roster_is_refused_unless_the_admin_allows_new_accounts(client, oidc, school_a):
    _, response = _sign_in(client, "newcomer")
    assert "We could not find you at Alpha Academy" in _refusal(client, response)
    with school_scope(school_a.school):
        SsoPolicy.objects.create(school=school_a.school, create_accounts=True)
    _, response = _sign_in(client, "newcomer")
    assert response["Location"] == "/s/alpha/"
    with school_scope(school_a.school):
        membership = Membership.objects.get(user__email="newcomer@alpha.example.test")
    assert membership.role == Role.STUDENT and not membership.user.has_usable_password()


def test_a_provider_of_school_b_cannot_start_a_sign_in_at_school_a(client, oidc, school_a, school_b):
    assert _start(client, school_slug="bravo").status_code == 404  # A's provider under B's address
    assert client.get(f"/sso/school/alpha/{OIDC_PROVIDER_ID.hex[:8]}/start/").status_code == 404


def test_an_id_token_from_another_issuer_than_configured_is_refused(client, oidc):
    """The ID token's ``iss`` must be the provider's issuer: here the stored discovery names another one
    between the start and the answer, so the real token no longer fits."""
    provider, _ = oidc
    start = _start(client)
    back = oidc_idp_walk(authorize_url=start["Location"], account="student", back_to=BASE)
    with school_scope(provider.school):
        provider.oidc_metadata = {**provider.oidc_metadata, "issuer": "https://someone-else.example"}
        provider.save(update_fields=["oidc_metadata"])
    body = _refusal(client, client.get(back.removeprefix(BASE)))
    assert "could not be trusted" in body and "_auth_user_id" not in client.session


def test_an_id_token_minted_for_another_sign_ins_nonce_is_refused(client, oidc):
    """The nonce this browser sent must come back in the ID token: here the browser's sign-in expects
    another nonce than the one the provider signed in (an ID token replayed from an earlier sign-in looks
    like this), so the real, well-signed token is refused and nobody is signed in."""
    start = _start(client)
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    back = oidc_idp_walk(authorize_url=start["Location"], account="student", back_to=BASE)
    session = client.session
    key = f"_state_sso-{OIDC_PROVIDER_ID}_{state}"
    assert session[key]["data"]["nonce"]  # Authlib keeps the nonce it sent with the state
    session[key]["data"]["nonce"] = "a-nonce-of-another-sign-in"
    session.save()
    body = _refusal(client, client.get(back.removeprefix(BASE)))
    assert "could not be trusted" in body and "_auth_user_id" not in client.session
