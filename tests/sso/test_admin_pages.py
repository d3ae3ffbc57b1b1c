"""The admin's single sign-on pages: providers from presets, read from the real IdPs when saved, secrets
never shown back, the school's policy; forms keep what was typed; query counts do not grow."""

import pytest
from django.urls import reverse

from plp.tenancy.context import school_scope
from schools.roles import Role
from sso.crypto import secret_decrypt
from sso.models import SsoPolicy, SsoProvider
from tests.form_checks import assert_kept_with_error
from tests.sso.idps import idp_farm  # noqa: F401 - a fixture

BASE = "http://testserver"


@pytest.fixture
def admin(client, school_a):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    return client


def _new(preset):
    return reverse("sso:provider_new", kwargs={"school_slug": "alpha"}) + f"?preset={preset}"


@pytest.mark.parametrize(
    ("preset", "issuer"),
    [
        ("google", "https://accounts.google.com"),
        ("entra", "https://login.microsoftonline.com/&lt;tenant-id&gt;/v2.0"),
        ("clever", "https://clever.com"),
        ("classlink", "https://launchpad.classlink.com"),
    ],
)
def test_each_preset_fills_in_the_providers_real_issuer(admin, preset, issuer):
    body = admin.get(_new(preset)).content.decode()
    assert f'value="{issuer}"' in body


def test_an_oidc_provider_is_added_from_its_discovery_and_its_secret_never_shown(admin, idp_farm, school_a):  # noqa: F811
    idp = idp_farm.oidc(BASE)
    response = admin.post(
        _new("oidc"),
        {"name": "Alpha Accounts", "is_enabled": "on", "issuer": idp.url, "client_id": "plp-alpha",
         "client_secret": "the-secret-typed", "scopes": "openid email profile", "email_claim": "email",
         "username_claim": "preferred_username", "sourced_id_claim": ""},
    )  # fmt: skip
    assert response.status_code == 302
    with school_scope(school_a.school):
        provider = SsoProvider.objects.get(name="Alpha Accounts")
    assert provider.oidc_metadata["issuer"] == idp.url and provider.oidc_metadata["jwks_uri"]
    assert secret_decrypt(provider.client_secret_encrypted) == "the-secret-typed"
    page = admin.get(response["Location"]).content.decode()
    assert "the-secret-typed" not in page and provider.client_secret_encrypted not in page
    assert f"{BASE}/sso/oidc/{provider.public_id}/callback/" in page  # the redirect URI to register
    admin.post(
        response["Location"],
        {"name": "Alpha Accounts", "issuer": idp.url, "client_id": "plp-alpha", "client_secret": "",
         "scopes": "openid email", "email_claim": "email", "username_claim": "", "sourced_id_claim": ""},
    )  # fmt: skip
    provider.refresh_from_db()
    assert provider.scopes == "openid email" and not provider.is_enabled
    assert secret_decrypt(provider.client_secret_encrypted) == "the-secret-typed"  # blank kept it


def test_a_wrong_issuer_is_refused_and_the_form_keeps_what_was_typed(admin, idp_farm):  # noqa: F811
    idp = idp_farm.oidc(BASE)
    response = admin.post(
        _new("oidc"),
        {"name": "Typo", "issuer": f"{idp.url}/typo", "client_id": "abc", "client_secret": "s",
         "scopes": "openid", "email_claim": "email"},
    )  # fmt: skip
    assert response.status_code == 200
    assert_kept_with_error(response, name="issuer", typed=f"{idp.url}/typo", error="Could not read")
    assert "it answered HTTP 404; check the address." in response.content.decode()
    assert_kept_with_error(response, name="client_id", typed="abc")
    assert_kept_with_error(response, name="client_secret", typed="")  # a secret is never echoed


@pytest.mark.parametrize("preset", ["oidc", "saml"])
def test_an_unreachable_provider_is_named_in_plain_words(admin, preset):
    """Not the HTTP library's text ("HTTPConnectionPool(host=…): Max retries exceeded…")."""
    from tests.sso.idps import free_port

    url = f"http://127.0.0.1:{free_port()}/nobody-here"
    oidc = {"issuer": url, "client_id": "abc", "client_secret": "s"}
    response = admin.post(
        _new(preset), {"name": "Gone", **(oidc if preset == "oidc" else {"idp_metadata_url": url})}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "the server could not be reached (check the address" in body
    assert "HTTPConnectionPool" not in body and "Max retries" not in body


def test_entras_issuer_needs_the_tenant_id(admin):
    response = admin.post(
        _new("entra"),
        {"name": "Microsoft", "issuer": "https://login.microsoftonline.com/<tenant-id>/v2.0",
         "client_id": "abc", "client_secret": "s", "scopes": "openid"},
    )  # fmt: skip
    assert "Replace &lt;tenant-id&gt; with your Entra directory (tenant) id." in response.content.decode()


def test_a_saml_provider_is_added_from_the_idp_metadata_url(admin, idp_farm, school_a):  # noqa: F811
    idp = idp_farm.saml(BASE)
    response = admin.post(
        _new("saml"),
        {"name": "District SAML", "is_enabled": "on", "idp_metadata_url": f"{idp.url}/metadata",
         "idp_metadata_xml": "", "email_claim": "mail", "username_claim": "uid", "sourced_id_claim": ""},
    )  # fmt: skip
    assert response.status_code == 302
    with school_scope(school_a.school):
        provider = SsoProvider.objects.get(name="District SAML")
    assert provider.idp_entity_id == f"{idp.url}/metadata" and "X509Certificate" in provider.idp_metadata_xml
    page = admin.get(response["Location"]).content.decode()
    assert f"{BASE}/sso/saml/{provider.public_id}/metadata/" in page


def test_saml_metadata_that_is_not_metadata_is_refused(admin):
    response = admin.post(
        _new("saml"), {"name": "Bad", "idp_metadata_url": "", "idp_metadata_xml": "<not-metadata/>"}
    )
    assert_kept_with_error(response, name="idp_metadata_xml", typed="<not-metadata/>", error="")
    assert "identity provider" in response.content.decode()


def test_the_policy_is_saved(admin, school_a):
    response = admin.post(
        reverse("sso:settings", kwargs={"school_slug": "alpha"}),
        {"match_by": "sourced_id", "allowed_domains": "alpha.example.test", "required_roles": ["student"]},
    )
    assert response.status_code == 302
    with school_scope(school_a.school):
        saved = SsoPolicy.objects.get()
    assert saved.match_by == "sourced_id" and saved.domains == ["alpha.example.test"]
    assert saved.required_roles == ["student"] and not saved.create_accounts


def test_teachers_and_students_cannot_open_the_settings(client, school_a):
    for role in (Role.TEACHER, Role.STUDENT):
        client.force_login(school_a.user(role))
        assert client.get(reverse("sso:settings", kwargs={"school_slug": "alpha"})).status_code == 403


@pytest.mark.parametrize("count", [1, 12])
def test_the_settings_and_sign_in_pages_cost_the_same_queries_however_many_providers(
    admin, school_a, count, django_assert_max_num_queries
):
    with school_scope(school_a.school):
        for n in range(count):
            SsoProvider.objects.create(school=school_a.school, kind="saml", preset="saml", name=f"IdP {n}")
    with django_assert_max_num_queries(12):
        assert admin.get(reverse("sso:settings", kwargs={"school_slug": "alpha"})).status_code == 200
    with django_assert_max_num_queries(6):
        assert admin.get(reverse("sso:school", kwargs={"school": "alpha"})).status_code == 200


def test_in_production_only_https_addresses_are_fetched(admin, settings):
    settings.PRODUCTION = True
    response = admin.post(
        _new("oidc"),
        {"name": "Plain", "issuer": "http://idp.example.test", "client_id": "abc", "client_secret": "s",
         "scopes": "openid"},
    )  # fmt: skip
    assert_kept_with_error(
        response, name="issuer", typed="http://idp.example.test", error="Use the provider's https:// address."
    )


@pytest.mark.parametrize(("preset", "address"), [("google", "/callback/"), ("saml", "/metadata/")])
def test_the_addresses_to_register_are_shown_before_the_provider_is_added(
    admin,
    idp_farm,  # noqa: F811
    school_a,
    preset,
    address,
):
    """Google, Clever or an IdP ask for PLP's redirect URI (or SP entity id) before they hand out the client
    id and secret (or metadata) the form needs: the new provider's page shows them first, and they stay
    the provider's once added; the id rides the form signed, so an admin cannot choose one."""
    import re

    page = admin.get(_new(preset)).content.decode()
    shown = re.search(rf"{BASE}/sso/(?:oidc|saml)/([0-9a-f-]{{36}}){address}", page)
    assert shown, "the address to register is on the page before saving"
    token = re.search(r'name="public_id_token" value="([^"]+)"', page).group(1)
    if preset == "google":
        idp = idp_farm.oidc(BASE)
        data = {"name": "Alpha Google", "issuer": idp.url, "client_id": "plp-alpha", "client_secret": "s",
                "scopes": "openid email profile", "email_claim": "email"}  # fmt: skip
    else:
        idp = idp_farm.saml(BASE)
        data = {"name": "Alpha SAML", "idp_metadata_url": f"{idp.url}/metadata", "email_claim": "mail"}
    again = admin.post(_new(preset), {**data, "name": "", "public_id_token": token})  # an error: same id
    assert shown.group(0) in again.content.decode()
    response = admin.post(_new(preset), {**data, "public_id_token": token})
    assert response.status_code == 302
    with school_scope(school_a.school):
        provider = SsoProvider.objects.get(name=data["name"])
    assert str(provider.public_id) == shown.group(1)
    assert shown.group(0) in admin.get(response["Location"]).content.decode()
    forged = admin.post(_new(preset), {**data, "name": "Other", "public_id_token": token + "x"})
    assert forged.status_code == 302  # a bad token gets a fresh id, not an error
    with school_scope(school_a.school):
        assert str(SsoProvider.objects.get(name="Other").public_id) != shown.group(1)
    reused = admin.post(_new(preset), {**data, "name": "Third", "public_id_token": token})
    assert reused.status_code == 302  # the id is taken now: a fresh one
    with school_scope(school_a.school):
        assert SsoProvider.objects.get(name="Third").public_id not in (provider.public_id,)
