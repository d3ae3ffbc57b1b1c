"""The test LMS (tests/lti/platform.py) for every test here, and school A's and B's registrations of it."""

import pytest
import requests
from django.urls import reverse

from lti.models import LtiRegistration
from tests.lti.matrix_part import registration_make
from tests.lti.platform import auto_post_form, login_params, lti_platform, path_of  # noqa: F401

BASE = "http://testserver"


def lms_registration(world, platform, **fields) -> LtiRegistration:
    """The world's school's registration of the running test LMS (client id ``plp-<slug>``)."""
    return registration_make(
        world,
        issuer=platform.issuer,
        auth_login_url=platform.auth_login_url,
        auth_token_url=platform.auth_token_url,
        key_set_url=platform.key_set_url,
        **fields,
    )


@pytest.fixture
def lms(lti_platform, school_a, school_b):  # noqa: F811
    """The LMS as both schools registered it; its people are school A's and B's students and an outsider."""
    lti_platform.reset()
    lti_platform.user_add("alpha-student", sub="lms-alpha-student", email="student@alpha.example.test")
    lti_platform.user_add("alpha-teacher", sub="lms-alpha-teacher", email="teacher@alpha.example.test")
    lti_platform.user_add("bravo-student", sub="lms-bravo-student", email="student@bravo.example.test")
    lti_platform.user_add("outsider", sub="lms-outsider", email="nobody@elsewhere.example.org")
    return {
        "platform": lti_platform,
        "a": lms_registration(school_a, lti_platform),
        "b": lms_registration(school_b, lti_platform),
    }


def lms_launch(client, platform, registration, *, login_hint, deployment_id=None, target=None, **prepare):
    """A whole launch as a browser goes through it: the LMS's login initiation to PLP, PLP's redirect to the
    LMS's authorization endpoint (real HTTP), and the LMS's auto-posted form back to PLP's launch URL.
    Returns PLP's answer to that POST and the form's fields (to replay them)."""
    deployment_id = deployment_id or f"dep-{registration.school.slug}"
    target = target or f"{BASE}/s/{registration.school.slug}/"
    hint = platform.prepare(
        login_hint=login_hint, deployment_id=deployment_id, target_link_uri=target, **prepare
    )
    login = client.post(
        reverse("lti:login", kwargs={"registration": registration.public_id}),
        login_params(
            platform,
            client_id=registration.client_id,
            login_hint=login_hint,
            message_hint=hint,
            deployment_id=deployment_id,
            target_link_uri=target,
        ),
    )
    assert login.status_code == 302, login.content[:500]
    assert login["Location"].startswith(platform.auth_login_url)
    page = requests.get(login["Location"], timeout=10)
    assert page.status_code == 200, page.text
    action, fields = auto_post_form(page.text)
    return client.post(path_of(action), fields), fields


def refusal_page(client, response) -> str:
    assert response.status_code == 302, response.status_code
    assert response["Location"] == reverse("lti:refused")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session
    return page.content.decode()
