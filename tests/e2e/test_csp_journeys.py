"""Under the strict Content-Security-Policy the pages still work in a real browser: htmx swaps, searches and
polls, and Chromium refuses nothing (the page fixture fails a journey on any CSP violation in the console)."""

from playwright.sync_api import expect

from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.e2e.conftest import log_in
from tests.factories import (
    TEST_PASSWORD,
    CompetencyFactory,
    MasteryPolicyFactory,
    PlaylistAssignmentFactory,
    PlaylistItemFactory,
    QuestionBankFactory,
    QuestionFactory,
)


def _competency_with_practice(world):
    competency = CompetencyFactory(framework__school=world.school, code="FR.1", title="Add fractions")
    bank = QuestionBankFactory(competency=competency)
    QuestionFactory(bank=bank, prompt="Which is right?", explanation="Because the second choice is right.")
    MasteryPolicyFactory(competency=competency)
    placement = PlaylistItemFactory(playlist__school=world.school, item__school=world.school, position=1)
    with school_scope(world.school):
        placement.item.competencies.set([competency])
    PlaylistAssignmentFactory(playlist=placement.playlist, section=world.section)
    return competency


def _assert_strict_policy(response):
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy + ";"


def test_my_work_and_practice_work_under_the_policy(page, school_a):
    competency = _competency_with_practice(school_a)
    log_in(page, school_a.user(Role.STUDENT).email, TEST_PASSWORD)

    _assert_strict_policy(page.goto("/s/alpha/agency/my-work/"))
    expect(page.get_by_role("heading", name="My work")).to_be_visible()

    _assert_strict_policy(page.goto(f"/s/alpha/mastery/competencies/{competency.pk}/practice/"))
    page.get_by_label("right", exact=True).check()
    with page.expect_response(lambda response: response.request.method == "POST") as answered:
        page.get_by_role("button", name="Check my answer").click()
    assert answered.value.request.headers.get("hx-request") == "true"  # htmx sent it and swapped the answer
    expect(page.get_by_text("✓ Correct.")).to_be_visible()
    assert page.csp_violations == []


def test_a_section_dashboard_polls_and_a_search_swaps_under_the_policy(page, school_a, settings):
    settings.DASHBOARD_POLL_SECONDS = 1
    log_in(page, school_a.user(Role.TEACHER).email, TEST_PASSWORD)

    dashboard = f"/s/alpha/dashboard/sections/{school_a.section.pk}/"
    with page.expect_response(lambda response: "hx-request" in response.request.headers) as polled:
        _assert_strict_policy(page.goto(dashboard))
    assert polled.value.status in {200, 204}  # the grid's poll, sent by htmx without eval

    _assert_strict_policy(page.goto("/s/alpha/sections/"))
    with page.expect_response(lambda response: "hx-request" in response.request.headers):
        page.get_by_role("searchbox").fill(school_a.other_section.name[:4])
    assert page.csp_violations == []


def test_the_api_docs_render_under_the_policy(page, school_a):
    """Swagger UI's inline styles are allowed on this page alone; its scripts come from our static files."""
    log_in(page, school_a.user(Role.TEACHER).email, TEST_PASSWORD)
    _assert_strict_policy(page.goto("/api/docs/"))
    expect(page.get_by_text("PLP API").first).to_be_visible()  # Swagger UI read the schema and drew it
    assert page.csp_violations == []
