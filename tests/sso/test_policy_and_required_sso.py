"""The matching rules (pure and against the database) and "this role must use single sign-on"."""

import pytest
from django.urls import reverse

from plp.tenancy.context import school_scope
from schools.models import Membership
from schools.roles import Role
from schools.rostering.models import RosterPerson
from sso import policy
from sso.crypto import secret_decrypt, secret_encrypt
from sso.models import SsoPolicy, SsoProvider
from sso.refusals import SsoRefused
from sso.selectors import sso_required_for
from sso.services import sso_sign_in_match
from tests.factories import TEST_PASSWORD


def test_domains_are_parsed_and_matched_exactly():
    domains = policy.parse_domains("Cedar.k12.us, @students.cedar.k12.us;")
    assert domains == ["cedar.k12.us", "students.cedar.k12.us"]
    assert policy.domain_allowed(email="a@cedar.k12.us", domains=domains)
    assert not policy.domain_allowed(email="a@evil.cedar.k12.us", domains=domains)
    assert not policy.domain_allowed(email="no-at-sign", domains=domains)
    assert policy.domain_allowed(email="", domains=[])


def test_an_unverified_email_claim_is_not_an_email():
    identity = policy.identity_from_claims(
        {"email": "a@x.test", "email_verified": False, "preferred_username": "Ann"},
        subject="1",
        email_claim="email",
        username_claim="preferred_username",
        sourced_id_claim="",
    )
    assert identity.email == "" and identity.username == "ann"


@pytest.mark.parametrize(
    ("claims", "email"),
    [
        ({"email": "ann@cedar.k12.us", "hd": "cedar.k12.us"}, "ann@cedar.k12.us"),
        ({"email": "ann@cedar.k12.us"}, ""),  # a personal Google account made on the school's address
        ({"email": "ann@cedar.k12.us", "hd": "evil.example"}, ""),
        ({"email": "ann@gmail.com"}, ""),
    ],
)
def test_from_google_an_email_counts_only_with_its_workspace_domain(claims, email):
    identity = policy.identity_from_claims(
        claims,
        subject="1",
        email_claim="email",
        username_claim="",
        sourced_id_claim="",
        issuer="https://accounts.google.com",
    )
    assert identity.email == email
    domains = policy.parse_domains("cedar.k12.us")
    assert policy.domain_allowed(email=identity.email, domains=domains) is bool(email)


def test_other_providers_need_no_hosted_domain():
    identity = policy.identity_from_claims(
        {"email": "ann@cedar.k12.us"},
        subject="1",
        email_claim="email",
        username_claim="",
        sourced_id_claim="",
        issuer="https://login.microsoftonline.com/tenant/v2.0",
    )
    assert identity.email == "ann@cedar.k12.us"


def test_client_secrets_are_stored_encrypted():
    stored = secret_encrypt("s3cret")
    assert "s3cret" not in stored and secret_decrypt(stored) == "s3cret"
    assert secret_decrypt("garbage") is None


def _identity(**values):
    return policy.Identity(subject="sub-1", **values)


@pytest.mark.parametrize(
    ("match_by", "identity"),
    [
        ("email", _identity(email="student@alpha.example.test")),
        ("username", _identity(username="alpha.student")),
        ("sourced_id", _identity(sourced_id="stu-1")),
    ],
)
def test_each_matching_rule_finds_the_roster_person(school_a, match_by, identity):
    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        RosterPerson.objects.create(
            school=school_a.school, user=student, sourced_id="stu-1", role="student", username="alpha.student"
        )
        SsoPolicy.objects.create(school=school_a.school, match_by=match_by)
    assert sso_sign_in_match(school=school_a.school, identity=identity) == student


def test_the_rule_is_the_schools_choice_an_email_does_not_match_under_sourced_id(school_a):
    with school_scope(school_a.school):
        SsoPolicy.objects.create(school=school_a.school, match_by="sourced_id")
    with pytest.raises(SsoRefused) as refused:
        sso_sign_in_match(school=school_a.school, identity=_identity(email="student@alpha.example.test"))
    assert refused.value.reason == "no_identity"


def test_a_person_of_another_school_is_no_match_and_gets_no_account_here(school_a, school_b):
    with school_scope(school_a.school):
        SsoPolicy.objects.create(school=school_a.school, create_accounts=True)
    with pytest.raises(SsoRefused) as refused:
        sso_sign_in_match(school=school_a.school, identity=_identity(email="student@bravo.example.test"))
    assert refused.value.reason == "no_match"
    with school_scope(school_a.school):
        assert not Membership.objects.filter(user=school_b.user(Role.STUDENT)).exists()


def test_a_district_admin_of_the_school_matches_without_a_membership(school_a):
    admin = school_a.user("district_admin")
    assert sso_sign_in_match(school=school_a.school, identity=_identity(email=admin.email)) == admin


def _require(school, roles, *, provider=True):
    with school_scope(school):
        SsoPolicy.objects.create(school=school, required_roles=roles)
        if provider:
            SsoProvider.objects.create(school=school, kind="oidc", preset="google", name="Google")


def test_the_password_login_refuses_a_role_that_must_use_sso_and_points_to_the_school(client, school_a):
    _require(school_a.school, ["student"])
    response = client.post(
        reverse("accounts:login"), {"username": "student@alpha.example.test", "password": TEST_PASSWORD}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "Alpha Academy signs in every student with their school account" in body
    assert "Sign in with Google" in body and reverse("sso:school", kwargs={"school": "alpha"}) in body
    assert 'value="student@alpha.example.test"' in body  # the form keeps what was typed


def test_staff_may_still_use_a_password_and_a_wrong_password_says_nothing_of_sso(client, school_a):
    _require(school_a.school, ["student"])
    teacher = client.post(
        reverse("accounts:login"), {"username": "teacher@alpha.example.test", "password": TEST_PASSWORD}
    )
    assert teacher.status_code == 302
    client.logout()
    wrong = client.post(
        reverse("accounts:login"), {"username": "student@alpha.example.test", "password": "x"}
    )
    assert "signs in every student" not in wrong.content.decode()


def test_a_school_without_an_enabled_provider_locks_nobody_out(school_a):
    _require(school_a.school, ["student"], provider=False)
    assert sso_required_for(user=school_a.user(Role.STUDENT)) is None


def test_the_api_token_endpoint_refuses_a_password_where_sso_is_required(client, school_a):
    _require(school_a.school, ["student"])
    response = client.post(
        reverse("api:token"),
        {"email": "student@alpha.example.test", "password": TEST_PASSWORD, "client": "sso test"},
    )
    assert response.status_code == 403


def test_required_sso_check_is_two_queries_or_so_whatever_the_memberships(
    school_a, django_assert_max_num_queries
):
    _require(school_a.school, ["teacher"])
    with django_assert_max_num_queries(3):
        assert sso_required_for(user=school_a.user(Role.STUDENT)) is None
    with django_assert_max_num_queries(3):
        assert sso_required_for(user=school_a.user(Role.TEACHER)).providers == ["Google"]


def test_the_production_image_and_ci_install_xmlsec1_which_saml_needs():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    assert "xmlsec1" in (root / "Dockerfile").read_text()
    assert "xmlsec1" in (root / ".ci" / "run").read_text()


@pytest.mark.parametrize("kind", ["oidc", "saml"])
def test_a_provider_set_up_wrong_ends_on_a_clear_page_not_a_500(client, school_a, kind):
    with school_scope(school_a.school):
        provider = SsoProvider.objects.create(
            school=school_a.school, kind=kind, preset=kind, name="Broken", oidc_metadata={"issuer": "x"}
        )
    response = client.get(reverse("sso:start", kwargs={"school": "alpha", "provider": provider.public_id}))
    assert response.status_code == 302 and response["Location"] == reverse("sso:refused")
    page = client.get(response["Location"]).content.decode()
    assert "Signing in with this service is not set up correctly" in page


def test_a_password_reset_does_not_sign_in_a_role_that_must_use_sso(client, school_a, mailoutbox):
    """The reset link sets the password, but where the role must use single sign-on it signs nobody in:
    the person lands on the school's sign-in buttons, told why."""
    import re

    _require(school_a.school, ["student"])
    client.post(reverse("accounts:password_reset"), {"email": "student@alpha.example.test"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mailoutbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    new = "a-brand-new-passphrase-42"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"] == reverse("sso:school", kwargs={"school": "alpha"})
    page = client.get(response["Location"]).content.decode()
    assert "Alpha Academy signs in every student with their school account" in page
    school_a.user(Role.STUDENT).refresh_from_db()
    assert school_a.user(Role.STUDENT).check_password(new)
