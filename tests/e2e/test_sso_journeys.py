"""Single sign-on in a real browser, through real identity providers (oidc-provider and pysaml2's IdP
as subprocesses): from the login page to the school's home, and each refusal's clear page."""

import base64

import pytest
import requests
from playwright.sync_api import expect

from plp.tenancy.context import school_scope
from schools.models import Membership
from schools.roles import Role
from sso.models import SsoPolicy
from tests.sso.idps import (  # noqa: F401 - idp_farm is a fixture
    SAML_PROVIDER_ID,
    idp_farm,
    oidc_provider_make,
    saml_provider_make,
    saml_sp_register,
)


@pytest.fixture
def oidc(idp_farm, live_server, school_a):  # noqa: F811
    return oidc_provider_make(school=school_a.school, idp=idp_farm.oidc(live_server.url), name="Alpha Google")


@pytest.fixture
def saml(idp_farm, live_server, school_a):  # noqa: F811
    idp = idp_farm.saml(live_server.url)
    provider = saml_provider_make(school=school_a.school, idp=idp, name="Alpha District")
    metadata = requests.get(f"{live_server.url}/sso/saml/{SAML_PROVIDER_ID}/metadata/", timeout=10)
    saml_sp_register(idp=idp, sp_metadata=metadata.text)
    return provider


def _to_school_sign_in(page):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with your school account").click()
    page.get_by_label("Your school's name").fill("alpha")
    page.get_by_role("button", name="Find my school").click()
    page.get_by_role("link", name="Alpha Academy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Alpha Academy")


def _oidc_provider_sign_in(page, account: str):
    page.get_by_role("link", name="Sign in with Alpha Google").click()
    page.locator("input[name=login]").fill(account)  # the provider's own login page
    page.locator("input[name=password]").fill("whatever-the-provider-checks")
    page.locator("button[type=submit]").click()
    page.get_by_role("button", name="Continue").click()  # the provider's consent screen


def test_a_student_signs_in_with_the_schools_oidc_provider_and_lands_home(page, oidc, school_a):
    _to_school_sign_in(page)
    _oidc_provider_sign_in(page, "student")
    expect(page).to_have_url(f"{page.url.split('/s/')[0]}/s/alpha/")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Alpha Academy")


def test_a_replayed_oidc_answer_is_refused_with_a_clear_page(page, oidc, school_a):
    answers = []
    page.on(
        "request", lambda r: answers.append(r.url) if "/sso/oidc/" in r.url and "code=" in r.url else None
    )
    _to_school_sign_in(page)
    _oidc_provider_sign_in(page, "student")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    page.goto(answers[0])
    expect(page.get_by_role("heading", level=1)).to_have_text("This sign-in has expired or was already used")
    expect(page.get_by_role("link", name="Back to the sign-in page")).to_be_visible()


def test_an_inactive_student_is_refused_with_a_clear_page(page, oidc, school_a):
    with school_scope(school_a.school):
        Membership.objects.filter(user=school_a.user(Role.STUDENT)).update(is_active=False)
    _to_school_sign_in(page)
    _oidc_provider_sign_in(page, "student")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account at Alpha Academy is not active")
    expect(page.get_by_role("alert")).to_contain_text("Ask your school's office")


def test_an_account_of_another_domain_is_refused_with_a_clear_page(page, oidc, school_a):
    with school_scope(school_a.school):
        SsoPolicy.objects.create(school=school_a.school, allowed_domains="alpha.example.test")
    _to_school_sign_in(page)
    _oidc_provider_sign_in(page, "outsider")
    expect(page.get_by_role("heading", level=1)).to_have_text("That account is not one of Alpha Academy's")
    expect(page.get_by_role("alert")).to_contain_text("student@elsewhere.example.org")


def test_a_student_signs_in_through_the_saml_idp_and_lands_home(page, saml, school_a):
    _to_school_sign_in(page)
    page.get_by_role("link", name="Sign in with Alpha District").click()
    page.get_by_label("Account").select_option("student")  # the IdP's own page
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Continue to PLP").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert page.url.endswith("/s/alpha/")


def test_a_replayed_saml_assertion_is_refused_with_a_clear_page(page, saml, school_a):
    """The IdP's answer posted again (a captured assertion, or the browser's Back and re-post) after the
    student signed out: refused, nobody signed in."""
    _to_school_sign_in(page)
    page.get_by_role("link", name="Sign in with Alpha District").click()
    page.get_by_label("Account").select_option("student")
    page.get_by_role("button", name="Sign in").click()
    answer = page.content()  # the IdP's auto-post page, with the signed assertion in it
    page.get_by_role("button", name="Continue to PLP").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    page.set_content(answer)  # the same page again, posting to PLP's ACS
    page.get_by_role("button", name="Continue to PLP").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This sign-in was already used")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_a_tampered_saml_assertion_is_refused_with_a_clear_page(page, saml, school_a):
    _to_school_sign_in(page)
    page.get_by_role("link", name="Sign in with Alpha District").click()
    page.get_by_label("Account").select_option("outsider")
    page.get_by_role("button", name="Sign in").click()
    field = page.locator("input[name=SAMLResponse]")
    xml = base64.b64decode(field.get_attribute("value")).decode()
    forged = xml.replace("student@elsewhere.example.org", "student@alpha.example.test")
    assert forged != xml
    field.evaluate("(input, value) => { input.value = value; }", base64.b64encode(forged.encode()).decode())
    page.get_by_role("button", name="Continue to PLP").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The answer from your sign-in service could not be trusted"
    )
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_an_admin_sets_up_sso_and_a_student_who_must_use_it_is_sent_to_its_button(
    page,
    idp_farm,  # noqa: F811
    live_server,
    school_a,
):
    from tests.e2e.conftest import log_in
    from tests.factories import TEST_PASSWORD
    from tests.sso.idps import CLIENT_ID, CLIENT_SECRET

    idp = idp_farm.oidc(live_server.url)
    log_in(page, "school_admin@alpha.example.test", TEST_PASSWORD)
    page.goto("/s/alpha/")
    page.get_by_role("navigation", name="Alpha Academy").get_by_role("link", name="Single sign-on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Single sign-on")
    page.get_by_role("link", name="Other OpenID Connect provider").click()
    redirect_uri = page.locator("dd code").first.inner_text()  # to register before the provider gives an id
    assert redirect_uri.startswith(live_server.url + "/sso/oidc/") and redirect_uri.endswith("/callback/")
    card, shown = page.locator("section.card").bounding_box(), page.locator("dd code").first.bounding_box()
    assert shown["x"] + shown["width"] <= card["x"] + card["width"]  # a long address wraps inside the card
    page.get_by_label("Name on the button").fill("Alpha Accounts")
    page.get_by_label("Issuer").fill(idp.url)
    page.get_by_label("Client ID").fill(CLIENT_ID)
    page.get_by_label("Client secret").fill(CLIENT_SECRET)
    page.get_by_role("button", name="Add Other OpenID Connect provider").click()
    expect(page.get_by_role("status")).to_contain_text("Alpha Accounts added")
    expect(page.locator("body")).to_contain_text(redirect_uri)  # the same address, now the provider's
    expect(page.get_by_label("Client secret")).to_have_value("")  # never shown back
    page.get_by_role("link", name="Back to single sign-on").click()
    page.get_by_role("group", name="Must sign in with single sign-on").get_by_label("Student").check()
    page.get_by_role("button", name="Save these settings").click()
    expect(page.get_by_role("status")).to_contain_text("Single sign-on settings saved.")
    page.get_by_role("button", name="Log out").click()

    log_in(page, "student@alpha.example.test", TEST_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text(
        "Alpha Academy signs in every student with their school account"
    )
    page.get_by_role("link", name="Go to Alpha Academy's sign-in page").click()
    expect(page.get_by_role("link", name="Sign in with Alpha Accounts")).to_be_visible()
