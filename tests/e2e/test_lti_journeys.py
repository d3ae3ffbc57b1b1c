"""LTI 1.3 in a real browser, with the test LMS (tests/lti/platform.py) on another origin: a teacher places a
playlist by deep linking, a student opens it from the course and lands on it signed in, and their mastery
reaches the LMS gradebook. The launch is a real cross-site form POST, so the state cookie and the session
cookie behave as in a browser, and the page's CSP must let the deep-linking answer go to the LMS."""

import pytest
import requests
from playwright.sync_api import expect

from lti.grades import scores_pass_back
from mastery.services import mastery_override
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import CompetencyFactory, FrameworkFactory, PlaylistFactory, PlaylistItemFactory
from tests.lti.conftest import lms_registration
from tests.lti.platform import login_params, lti_platform  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser


def _open_from_course(page, platform, registration, live_server, **prepare):
    launch_url = f"{live_server.url}/lti/{registration.public_id}/launch/"
    login_hint = prepare.pop("login_hint")
    hint = platform.prepare(
        login_hint=login_hint, deployment_id="dep-alpha", target_link_uri=launch_url, **prepare
    )
    params = login_params(
        platform, client_id=registration.client_id, login_hint=login_hint, message_hint=hint,
        deployment_id="dep-alpha", target_link_uri=launch_url,
    )  # fmt: skip
    page.goto(platform.course_url(f"{live_server.url}/lti/{registration.public_id}/login/", params))


def test_a_teacher_deep_links_a_playlist_and_a_student_opens_it_and_is_graded(
    page,
    browser,
    live_server,
    lti_platform,  # noqa: F811
    school_a,
):
    platform = lti_platform
    platform.reset()
    platform.user_add("alpha-teacher", sub="lms-alpha-teacher", email="teacher@alpha.example.test")
    platform.user_add("alpha-student", sub="lms-alpha-student", email="student@alpha.example.test")
    registration = lms_registration(school_a, platform)
    jwks = requests.get(f"{live_server.url}/lti/{registration.public_id}/jwks/", timeout=10).json()
    platform.tool_jwks[registration.client_id] = jwks  # the LMS admin pasted PLP's JWKS address
    framework = FrameworkFactory(school=school_a.school)
    competency = CompetencyFactory(framework=framework, code="6.RP.1")
    playlist = PlaylistFactory(school=school_a.school, subject=framework.subject, title="Ratios week 1")
    PlaylistItemFactory(playlist=playlist).item.competencies.add(competency)

    # The teacher adds PLP to the course: the LMS launches a deep-linking request.
    _open_from_course(page, platform, registration, live_server, login_hint="alpha-teacher",
                      message_type="LtiDeepLinkingRequest")  # fmt: skip
    expect(page.get_by_role("heading", level=1)).to_have_text("Place PLP content in your course")
    page.get_by_label("Ratios week 1").check()
    page.get_by_role("button", name="Place it").click()
    page.get_by_role("button", name=f"Back to {registration.name}").click()
    expect(page.locator("body")).to_have_text("placed")
    (item,) = platform.placed
    assert item["custom"] == {"plp_playlist_id": str(playlist.pk)}

    # A student, in their own browser, opens the placed activity from the course.
    context = browser.new_context(base_url=live_server.url)
    student_page = context.new_page()
    lineitem = platform.lineitem_url("placed-1")
    _open_from_course(student_page, platform, registration, live_server, login_hint="alpha-student",
                      custom=item["custom"], lineitem=lineitem, resource_link_id="placed-1")  # fmt: skip
    expect(student_page).to_have_url(f"{live_server.url}/s/alpha/playlists/my-work/{playlist.pk}/")
    expect(student_page.locator("body")).to_contain_text("Ratios week 1")
    expect(student_page.get_by_role("button", name="Log out")).to_be_visible()
    # Signed in for the pages that follow too (the session cookie came with the cross-site launch).
    student_page.goto("/s/alpha/")
    expect(student_page.get_by_role("button", name="Log out")).to_be_visible()
    context.close()

    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        mastery_override(student=student, competency=competency, teacher=school_a.user(Role.TEACHER),
                         mastered=True, reason="Showed it")  # fmt: skip
        # With eager Celery the engine's recompute after the override has sent it already; with a broker
        # nobody consumes here, so the task's work is run here: either way, sent exactly once.
        scores_pass_back(student_ids=[student.pk])
        assert scores_pass_back(student_ids=[student.pk]) == 0
    assert platform.gradebook[lineitem]["lms-alpha-student"]["scoreGiven"] == 1.0
