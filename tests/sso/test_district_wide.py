"""A district-wide provider: set up once at one school by a district admin, offered at every school of the
district, each school linking people by its own rules; never offered in another district."""

import pytest
from django.urls import reverse

from plp.tenancy.context import school_scope
from schools.roles import DISTRICT_ADMIN, Role
from sso.models import SsoPolicy
from sso.selectors import sign_in_provider_list, sso_required_for
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.sso.idps import OIDC_PROVIDER_ID, idp_farm, oidc_idp_walk, oidc_provider_make  # noqa: F401

BASE = "http://testserver"


@pytest.fixture
def district(idp_farm, school_a):  # noqa: F811
    """School A's provider, district-wide; a second school of A's district with its own newcomer."""
    provider = oidc_provider_make(school=school_a.school, idp=idp_farm.oidc(BASE), district_wide=True)
    second = SchoolFactory(organization=school_a.school.organization, name="Alpha Annex", slug="alpha-annex")
    newcomer = UserFactory(email="newcomer@alpha.example.test")
    MembershipFactory(school=second, user=newcomer, role=Role.STUDENT)
    return provider, second, newcomer


def _sign_in_at(client, school_slug: str, account: str):
    start = client.get(reverse("sso:start", kwargs={"school": school_slug, "provider": OIDC_PROVIDER_ID}))
    assert start.status_code == 302
    back = oidc_idp_walk(authorize_url=start["Location"], account=account, back_to=BASE)
    return client.get(back.removeprefix(BASE))


def test_a_district_wide_provider_signs_people_into_another_school_of_the_district(client, district):
    _, _, newcomer = district
    assert "Sign in with Alpha Accounts" in client.get("/sso/school/alpha-annex/").content.decode()
    response = _sign_in_at(client, "alpha-annex", "newcomer")
    assert response["Location"] == "/s/alpha-annex/"
    assert int(client.session["_auth_user_id"]) == newcomer.pk


def test_each_school_links_by_its_own_rules(client, district):
    _, second, _ = district
    with school_scope(second):
        SsoPolicy.objects.create(school=second, allowed_domains="annex.example.test")
    response = _sign_in_at(client, "alpha-annex", "newcomer")
    body = client.get(response["Location"]).content.decode()
    assert "That account is not one of Alpha Annex" in body
    with school_scope(second):
        SsoPolicy.objects.all().delete()
    response = _sign_in_at(client, "alpha-annex", "student")  # school A's student, not the annex's
    assert "We could not find you at Alpha Annex" in client.get(response["Location"]).content.decode()


def test_it_is_never_offered_in_another_district(client, district, school_b):
    assert sign_in_provider_list(school=school_b.school) == []
    start = reverse("sso:start", kwargs={"school": "bravo", "provider": OIDC_PROVIDER_ID})
    assert client.get(start).status_code == 404


def test_only_a_district_admin_may_make_a_provider_district_wide(client, district, school_a):
    provider, _, _ = district
    edit = reverse("sso:provider_edit", kwargs={"school_slug": "alpha", "sso_provider_id": provider.pk})
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    assert 'name="district_wide"' not in client.get(edit).content.decode()
    client.force_login(school_a.user(DISTRICT_ADMIN))
    assert 'name="district_wide"' in client.get(edit).content.decode()
    annex = client.get(reverse("sso:settings", kwargs={"school_slug": "alpha-annex"})).content.decode()
    assert "Also offered here by the district: Alpha Accounts" in annex


def test_sso_required_at_a_school_counts_the_districts_provider(district):
    _, second, newcomer = district
    with school_scope(second):
        SsoPolicy.objects.create(school=second, required_roles=["student"])
    required = sso_required_for(user=newcomer)
    assert required.school == second and required.providers == ["Alpha Accounts"]


def test_a_school_admin_cannot_change_or_remove_the_districts_provider(client, district, school_a):
    """It signs people into every school of the district: the district decides it, not one school. Its
    host school's admin reads it (the addresses, the name) but gets no form, and a POST is a 403."""
    provider, _, _ = district
    kwargs = {"school_slug": "alpha", "sso_provider_id": provider.pk}
    edit, delete = reverse("sso:provider_edit", kwargs=kwargs), reverse("sso:provider_delete", kwargs=kwargs)
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    page = client.get(edit)
    body = page.content.decode()
    assert page.status_code == 200 and "Only a district admin changes or removes it" in body
    assert 'name="client_id"' not in body and delete not in body
    assert "/sso/oidc/" in body  # the redirect URI is still shown
    assert client.post(edit, {"name": "Hijacked", "client_id": "x"}).status_code == 403
    assert client.post(delete).status_code == 403
    with school_scope(school_a.school):
        provider.refresh_from_db()
    assert provider.name == "Alpha Accounts" and provider.client_id != "x"
    client.force_login(school_a.user(DISTRICT_ADMIN))
    assert 'name="client_id"' in client.get(edit).content.decode()
    assert client.post(delete).status_code == 302
