"""An admin compares the home page, the district, school and section numbers in a real browser: they agree,
each page says what its numbers mean, and a section's pace cell says why."""

from playwright.sync_api import expect

from schools.roles import DISTRICT_ADMIN
from tests.dashboard.test_numbers_add_up import district  # noqa: F401  (the fixture)
from tests.e2e.conftest import log_in
from tests.factories import TEST_PASSWORD


def test_a_district_admin_follows_the_numbers_from_home_to_a_section(page, district):  # noqa: F811
    world, _sibling = district
    log_in(page, world.user(DISTRICT_ADMIN).email, TEST_PASSWORD)
    page.goto("/s/alpha/")
    expect(page.locator("dl.stats div", has_text="Students").locator("dd")).to_have_text("3")
    expect(page.get_by_text("2 more with a student role are in no section")).to_be_visible()

    page.goto("/s/alpha/dashboard/")
    page.get_by_role("link", name="District overview").click()
    alpha = page.locator("tbody tr", has_text=world.school.name)
    expect(alpha.locator("td").first).to_have_text("3")
    expect(page.locator("tfoot tr td").first).to_have_text("4")  # Alpha's 3 + the sibling's 1
    expect(page.get_by_role("heading", name="What the numbers mean")).to_be_visible()

    alpha.get_by_role("link", name=world.school.name).click()
    expect(page.get_by_role("heading", name="School overview")).to_be_visible()
    expect(page.locator("tfoot tr td").first).to_have_text("3")  # the union, as on the district page
    expect(page.locator("tbody tr", has_text="Art 7")).to_contain_text("no competencies assigned")

    page.get_by_role("link", name=world.section.name).click()
    expect(page.locator("#grid p.muted").first).to_contain_text("2 of 2 students")
    first = page.locator(f"#student-{world.user('student').pk} td.pace")
    expect(first).to_contain_text("Behind")
    first.hover()
    expect(first.locator("i")).to_be_visible()
    # 1 of 3: the fixture's playlists have an item on a competency the student mastered, counted done
    expect(first.locator("i")).to_contain_text("1 of 3 required items done; about 2 expected by now")
