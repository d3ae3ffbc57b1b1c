"""Signing in through a real SAML 2.0 IdP (pysaml2's own server, a subprocess) with Django's test client:
signed assertions, no unsolicited answers, replays refused, tampering refused, attributes mapped."""

import base64
import re

import pytest
from django.urls import reverse

from plp.tenancy.context import school_scope
from schools.models import Membership
from schools.roles import Role
from schools.rostering.models import RosterPerson
from sso.models import SsoPolicy
from tests.sso.idps import (  # noqa: F401 - idp_farm is a fixture
    SAML_PROVIDER_ID,
    idp_farm,
    saml_idp_walk,
    saml_provider_make,
    saml_sp_register,
)

BASE = "http://testserver"
ACS = reverse("sso:saml_acs", kwargs={"provider": SAML_PROVIDER_ID})


@pytest.fixture
def saml(idp_farm, school_a, client):  # noqa: F811
    idp = idp_farm.saml(BASE)
    provider = saml_provider_make(school=school_a.school, idp=idp)
    metadata = client.get(reverse("sso:saml_metadata", kwargs={"provider": SAML_PROVIDER_ID}))
    assert metadata.status_code == 200
    saml_sp_register(idp=idp, sp_metadata=metadata.content.decode())
    return provider, idp


def _answer(client, account: str) -> str:
    start = client.get(reverse("sso:start", kwargs={"school": "alpha", "provider": SAML_PROVIDER_ID}))
    assert start.status_code == 302
    action, saml_response = saml_idp_walk(sign_on_url=start["Location"], account=account)
    assert action == BASE + ACS
    return saml_response


def _refusal(client, response) -> str:
    assert response.status_code == 302 and response["Location"] == reverse("sso:refused")
    return client.get(response["Location"]).content.decode()


def test_sp_metadata_names_the_acs_and_wants_signed_assertions(client, saml):
    xml = client.get(reverse("sso:saml_metadata", kwargs={"provider": SAML_PROVIDER_ID})).content.decode()
    assert f'entityID="{BASE}/sso/saml/{SAML_PROVIDER_ID}/metadata/"' in xml
    assert f'Location="{BASE}{ACS}"' in xml and 'WantAssertionsSigned="true"' in xml


def test_a_student_signs_in_with_a_signed_assertion_and_lands_home(client, saml, school_a):
    response = client.post(ACS, {"SAMLResponse": _answer(client, "student")})
    assert response.status_code == 302 and response["Location"] == "/s/alpha/"
    assert int(client.session["_auth_user_id"]) == school_a.user(Role.STUDENT).pk


def test_the_same_assertion_posted_again_is_a_replay(client, saml):
    answer = _answer(client, "student")
    assert client.post(ACS, {"SAMLResponse": answer})["Location"] == "/s/alpha/"
    client.logout()
    body = _refusal(client, client.post(ACS, {"SAMLResponse": answer}))
    assert "This sign-in was already used" in body and "_auth_user_id" not in client.session


def test_a_tampered_assertion_is_refused(client, saml):
    xml = base64.b64decode(_answer(client, "outsider")).decode()
    forged = xml.replace("student@elsewhere.example.org", "student@alpha.example.test")
    assert forged != xml
    body = _refusal(client, client.post(ACS, {"SAMLResponse": base64.b64encode(forged.encode()).decode()}))
    assert "could not be trusted" in body and "_auth_user_id" not in client.session


def test_an_assertion_with_its_signature_removed_is_refused(client, saml):
    xml = base64.b64decode(_answer(client, "student")).decode()
    unsigned = re.sub(r"<(\w+:)?Signature\b.*?</\1Signature>", "", xml, flags=re.DOTALL)
    assert unsigned != xml
    body = _refusal(client, client.post(ACS, {"SAMLResponse": base64.b64encode(unsigned.encode()).decode()}))
    assert "could not be trusted" in body


def test_an_unsolicited_or_garbage_answer_is_refused(client, saml):
    assert "could not be trusted" in _refusal(client, client.post(ACS, {"SAMLResponse": "bm90IHhtbA=="}))
    assert "could not be trusted" in _refusal(client, client.post(ACS, {}))
    assert client.get(ACS).status_code == 405


def test_matching_by_roster_sourced_id_through_the_mapped_attribute(client, saml, school_a):
    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        RosterPerson.objects.create(
            school=school_a.school, user=student, sourced_id="stu-alpha-1", role="student"
        )
        SsoPolicy.objects.create(school=school_a.school, match_by="sourced_id")
    response = client.post(ACS, {"SAMLResponse": _answer(client, "student")})
    assert response["Location"] == "/s/alpha/" and int(client.session["_auth_user_id"]) == student.pk


def test_inactive_membership_and_wrong_domain_are_refused(client, saml, school_a):
    with school_scope(school_a.school):
        Membership.objects.filter(user=school_a.user(Role.STUDENT)).update(is_active=False)
    body = _refusal(client, client.post(ACS, {"SAMLResponse": _answer(client, "student")}))
    assert "is not active" in body
    with school_scope(school_a.school):
        SsoPolicy.objects.create(school=school_a.school, allowed_domains="alpha.example.test")
    body = _refusal(client, client.post(ACS, {"SAMLResponse": _answer(client, "outsider")}))
    assert "That account is not one of Alpha Academy" in body
