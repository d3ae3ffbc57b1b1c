"""LTI Dynamic Registration and the course roster in a real browser, with the test LMS on another origin: an
LMS admin opens PLP's registration URL signed out, signs in and comes back, registers PLP for the school; a
teacher then opens PLP from the course through the new registration and previews the course's roster."""

from urllib.parse import urlencode

import pytest
import requests
from playwright.sync_api import expect

from lti.models import LtiRegistration
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import TEST_PASSWORD
from tests.lti.platform import login_params, lti_platform, nrps_member  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser


def test_an_admin_registers_plp_from_the_lms_and_a_teacher_previews_the_course_roster(
    page,
    browser,
    live_server,
    lti_platform,  # noqa: F811
    school_a,
):
    platform = lti_platform
    platform.reset()
    platform.user_add("alpha-teacher", sub="lms-alpha-teacher", email="teacher@alpha.example.test")
    platform.rosters["course-1"] = [
        nrps_member(
            "lms-alpha-teacher", "Instructor", email="teacher@alpha.example.test", name="Tess Teacher"
        ),
        nrps_member("lms-alpha-student", email="student@alpha.example.test", name="Sam Student"),
        nrps_member("lms-new", email="newcomer@alpha.example.test", name="Nico Newcomer"),
    ]

    # The LMS admin starts the registration: PLP asks them to sign in, then brings them back.
    page.goto(f"{live_server.url}/lti/register/?{urlencode(platform.registration_start())}")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?" + page.url.split("?", 1)[1])
    page.get_by_label("Email").fill(school_a.user(Role.SCHOOL_ADMIN).email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register PLP in your LMS")
    expect(page.get_by_label("Register this LMS for")).to_have_value("alpha")
    page.get_by_label("What the school calls this LMS").fill("Test LMS")
    page.get_by_role("button", name="Register PLP").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PLP is registered")
    [registered] = platform.registrations
    with school_scope(school_a.school):
        registration = LtiRegistration.objects.get(name="Test LMS")
    assert registration.client_id == registered["client_id"]

    # The LMS fetches PLP's keys from the address it was given; a teacher opens PLP from the course.
    platform.tool_jwks[registration.client_id] = requests.get(
        registered["config"]["jwks_uri"], timeout=10
    ).json()
    teacher = browser.new_context(base_url=live_server.url).new_page()
    launch_url = registered["config"]["redirect_uris"][0]
    hint = platform.prepare(
        login_hint="alpha-teacher", deployment_id=registered["deployment_id"], target_link_uri=launch_url,
        message_type="LtiDeepLinkingRequest",
    )  # fmt: skip
    params = login_params(
        platform, client_id=registration.client_id, login_hint="alpha-teacher", message_hint=hint,
        deployment_id=registered["deployment_id"], target_link_uri=launch_url,
    )  # fmt: skip
    teacher.goto(platform.course_url(registered["config"]["initiate_login_uri"], params))
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Place PLP content in your course")

    # From the picker, the teacher compares the course's roster with the school's people.
    teacher.get_by_role("link", name="Compare its roster with Alpha Academy's").click()
    teacher.get_by_role("link", name="Grade 6 Math").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Roster of Grade 6 Math")
    expect(teacher.get_by_role("heading", name="New to Alpha Academy (1)")).to_be_visible()
    expect(teacher.locator("body")).to_contain_text("newcomer@alpha.example.test")
    expect(teacher.get_by_role("heading", name="Already at Alpha Academy (2)")).to_be_visible()
    teacher.context.close()
