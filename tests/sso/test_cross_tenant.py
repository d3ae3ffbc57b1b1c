"""School B's single sign-on is never readable or usable from school A: its provider cannot start a
sign-in at A, an answer meant for one provider is refused at another, and A's admins never see B's setup."""

import uuid

from django.urls import reverse

from plp.tenancy.context import school_scope
from schools.roles import DISTRICT_ADMIN, Role
from sso.models import SsoProvider
from tests.sso.idps import (  # noqa: F401 - idp_farm is a fixture
    OIDC_PROVIDER_ID,
    SAML_PROVIDER_ID,
    idp_farm,
    oidc_idp_walk,
    oidc_provider_make,
    saml_idp_walk,
    saml_provider_make,
    saml_sp_register,
)

BASE = "http://testserver"


def _copy_to(provider: SsoProvider, school) -> SsoProvider:
    """School B's provider with the same settings as A's (same IdP, same client): only the school differs."""
    with school_scope(provider.school):
        copy = SsoProvider.objects.get(pk=provider.pk)
    copy.pk, copy.public_id, copy.school = None, uuid.uuid4(), school
    with school_scope(school):
        copy.save()
    return copy


def test_school_bs_provider_cannot_start_a_sign_in_at_school_a(client, idp_farm, school_a, school_b):  # noqa: F811
    bravo = _copy_to(oidc_provider_make(school=school_a.school, idp=idp_farm.oidc(BASE)), school_b.school)
    url = reverse("sso:start", kwargs={"school": "alpha", "provider": bravo.public_id})
    assert client.get(url).status_code == 404
    assert "Bravo" not in client.get(reverse("sso:school", kwargs={"school": "alpha"})).content.decode()


def test_an_oidc_answer_for_school_as_provider_is_refused_at_school_bs(client, idp_farm, school_a, school_b):  # noqa: F811
    alpha = oidc_provider_make(school=school_a.school, idp=idp_farm.oidc(BASE))
    bravo = _copy_to(alpha, school_b.school)
    start = client.get(reverse("sso:start", kwargs={"school": "alpha", "provider": alpha.public_id}))
    back = oidc_idp_walk(authorize_url=start["Location"], account="student", back_to=BASE)
    query = back.split("?", 1)[1]
    response = client.get(reverse("sso:oidc_callback", kwargs={"provider": bravo.public_id}) + "?" + query)
    assert response["Location"] == reverse("sso:refused") and "_auth_user_id" not in client.session


def test_a_saml_answer_for_school_as_provider_is_refused_at_school_bs(client, idp_farm, school_a, school_b):  # noqa: F811
    idp = idp_farm.saml(BASE)
    alpha = saml_provider_make(school=school_a.school, idp=idp)
    bravo = _copy_to(alpha, school_b.school)
    metadata = client.get(reverse("sso:saml_metadata", kwargs={"provider": SAML_PROVIDER_ID}))
    saml_sp_register(idp=idp, sp_metadata=metadata.content.decode())
    start = client.get(reverse("sso:start", kwargs={"school": "alpha", "provider": alpha.public_id}))
    _, answer = saml_idp_walk(sign_on_url=start["Location"], account="student")
    response = client.post(
        reverse("sso:saml_acs", kwargs={"provider": bravo.public_id}), {"SAMLResponse": answer}
    )
    assert response["Location"] == reverse("sso:refused") and "_auth_user_id" not in client.session


def test_school_as_admins_never_see_school_bs_providers(client, school_a, school_b):
    with school_scope(school_b.school):
        SsoProvider.objects.create(school=school_b.school, kind="saml", preset="saml", name="Bravo IdP")
    for role in (Role.SCHOOL_ADMIN, DISTRICT_ADMIN):
        client.force_login(school_a.user(role))
        page = client.get(reverse("sso:settings", kwargs={"school_slug": "alpha"}))
        assert page.status_code == 200 and "Bravo" not in page.content.decode()
