"""In a real browser: a form that meets an error keeps what was typed, the message beside its field."""

from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import TEST_PASSWORD, MilestoneFactory

WORK = "We surveyed 40 classmates about lunch prices."


def test_a_student_fixes_a_bad_link_in_a_milestone_without_retyping_the_work(page, school_a):
    milestone = MilestoneFactory(
        project__section=school_a.section, project__title="Fair lunch", title="Survey"
    )
    log_in(page, "student@alpha.example.test", TEST_PASSWORD)
    page.goto(f"/s/alpha/playlists/projects/{milestone.project_id}/")
    page.evaluate("window.__marker = 'same page'")
    page.get_by_label("Your work").fill(WORK)
    page.get_by_label("Links").fill("https://docs.example/survey\nnot a link")
    page.get_by_role("button", name="Submit Survey").click()

    links = page.get_by_label("Links")
    expect(links).to_have_attribute("aria-invalid", "true")
    expect(links).to_have_accessible_description(
        "One link per line (https://…). “not a link” is not an http(s) link."
    )
    expect(page.get_by_label("Your work")).to_have_value(WORK)
    assert page.evaluate("window.__marker") == "same page"  # htmx swapped the form in place

    links.fill("https://docs.example/survey")
    page.get_by_role("button", name="Submit Survey").click()
    expect(page.get_by_text("Your work for “Survey” is saved.")).to_be_visible()
    expect(page.get_by_text("✓ Submitted")).to_be_visible()
    expect(page.get_by_label("Your work")).to_have_value(WORK)  # the saved work, ready to revise
