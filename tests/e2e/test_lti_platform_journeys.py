"""PLP as an LTI 1.3 platform in a real browser, with the suite's tool (tests/lti_platform/tool.py) on another
origin: a student opens the tool item of their playlist, PLP's login initiation and id_token take them to the
tool's page, "Submit 8/10" posts the score back through AGS (the tool's server to PLP's live server), and
the item is done, with the score in the student's evidence as their teacher sees it."""

import pytest
import requests
from playwright.sync_api import expect

from mastery.models import EvidenceEvent
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.e2e.conftest import log_in
from tests.factories import TEST_PASSWORD
from tests.lti_platform.conftest import registered
from tests.lti_platform.matrix_part import tool_item_make
from tests.lti_platform.tool import RequestsHttp, lti_tool  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser


def test_a_student_opens_an_external_tool_and_its_score_becomes_evidence(
    page,
    browser,
    live_server,
    lti_tool,  # noqa: F811
    school_a,
):
    tool = lti_tool
    tool.reset()
    tool.http = RequestsHttp()
    tool.fetch_jwks = lambda url: requests.get(url, timeout=10).json()
    registration = registered(school_a, tool, base=live_server.url)
    tool_item = tool_item_make(school_a, registration)
    with school_scope(school_a.school):
        placement = tool_item.item.placements.get()
    student = school_a.user(Role.STUDENT)

    log_in(page, student.email, TEST_PASSWORD)
    page.goto(f"/s/alpha/playlists/my-work/{placement.playlist_id}/items/{tool_item.item_id}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fraction lab")
    page.get_by_role("link", name="Open the tool").click()
    # PLP → the tool's login → PLP's authorization → the id_token form (posted by itself) → the tool's page.
    expect(page.get_by_role("button", name="Submit 8/10")).to_be_visible()
    assert page.url == tool.launch_url
    page.get_by_role("button", name="Submit 8/10").click()
    page.locator("#status").wait_for()
    assert tool.sent[-1][0] == 200, tool.sent
    expect(page.locator("#status")).to_have_text("200")

    with school_scope(school_a.school):
        event = EvidenceEvent.objects.get(student=student)
    assert (event.source, event.outcome) == ("tool_score", 0.8)

    page.goto(f"/s/alpha/playlists/my-work/{placement.playlist_id}/")
    expect(page.locator("body")).to_contain_text("Fraction lab")
    teacher = browser.new_context(base_url=live_server.url).new_page()
    log_in(teacher, school_a.user(Role.TEACHER).email, TEST_PASSWORD)
    teacher.goto(f"/s/alpha/dashboard/students/{student.pk}/")
    expect(teacher.locator("body")).to_contain_text("External tool score")
    teacher.context.close()
