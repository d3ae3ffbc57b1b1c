"""Journeys in a real browser: a student's day on "My work", a teacher building a playlist and changing its
choice boards, and a competency's prerequisites fixed in place."""

import datetime as dt
import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import TEST_PASSWORD, ContentItemFactory
from tests.playlists.conftest import build_playlist, build_ratio_chain
from tests.playlists.test_case_import import REAL_CASE


def test_a_student_follows_next_up_marks_it_done_and_sees_the_progress_bar_move(page, school_a):
    world = build_playlist(school_a, title="Ratios", required=3)
    log_in(page, "student@alpha.example.test", TEST_PASSWORD)
    page.get_by_role("link", name="My work").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    bar = page.locator(f"#progress-{world.playlist.pk}")
    expect(bar).to_have_attribute("value", "0")
    expect(page.get_by_text("0 of 3 done (0%)")).to_be_visible()
    expect(page.get_by_text("Chosen by nearest deadline")).to_be_visible()

    page.get_by_role("link", name="Ratios item 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ratios item 1")
    page.evaluate("window.__marker = 'same page'")
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("✓ Done")).to_be_visible()
    assert page.evaluate("window.__marker") == "same page"  # htmx swapped the status in place

    page.get_by_role("link", name="Back to Ratios").first.click()
    expect(page.get_by_text("1 of 3 done (33%)")).to_be_visible()
    page.get_by_role("link", name="← My work").click()
    expect(page.locator(f"#progress-{world.playlist.pk}")).to_have_attribute("value", "1")
    expect(page.get_by_role("link", name="Ratios item 2")).to_be_visible()  # next up moved on


def test_my_work_fits_a_phone_screen(browser, live_server, school_a):
    build_playlist(school_a, title="Ratios", required=2, board_items=4)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    phone = context.new_page()
    try:
        log_in(phone, "student@alpha.example.test", TEST_PASSWORD)
        phone.goto("/s/alpha/agency/my-work/")
        expect(phone.get_by_text("choose 2 of 4")).to_be_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"My work scrolls sideways on a phone: {width}px"
    finally:
        context.close()


def test_a_teacher_builds_a_playlist_reorders_it_and_assigns_it(page, school_a):
    for title in ("Read: what is a ratio", "Watch: ratio tables"):
        ContentItemFactory(school=school_a.school, title=title)
    log_in(page, "teacher@alpha.example.test", TEST_PASSWORD)
    page.goto("/s/alpha/playlists/new/")
    page.get_by_label("Title").fill("Ratios from scratch")
    page.get_by_label("New subject").fill("Mathematics")
    page.get_by_role("button", name="Save playlist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ratios from scratch")

    for title in ("Read: what is a ratio", "Watch: ratio tables"):
        page.get_by_label("Content item").select_option(label=title)
        page.get_by_role("button", name="Add item").click()
        expect(page.locator(".placement-title", has_text=title)).to_be_visible()
    page.evaluate("window.__marker = 'same page'")
    page.get_by_role("button", name="Move up Watch: ratio tables").click()
    expect(page.locator(".placement-title").first).to_contain_text("Watch: ratio tables")
    assert page.evaluate("window.__marker") == "same page"

    page.get_by_role("link", name="Assign").click()
    page.get_by_label("Section").select_option(label="ALPHA-SECTION-ONE")
    page.get_by_label("Target date").fill((dt.date.today() + dt.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text(re.compile(r"ALPHA-SECTION-ONE: .* target"))).to_be_visible()


def test_a_school_admin_uploads_a_real_case_package_and_browses_its_tree(page, school_a):
    log_in(page, "school_admin@alpha.example.test", TEST_PASSWORD)
    page.get_by_role("link", name="Competencies").click()
    page.get_by_role("link", name=re.compile("Import a framework")).click()
    page.get_by_label("File").set_input_files(str(REAL_CASE))
    page.get_by_label("Subject").fill("Mathematics")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text(re.compile(r"Imported “What Standards Could Be”: 16 new"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("warning"))).to_be_visible()
    page.get_by_role("link", name="See the imported framework").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What Standards Could Be")
    expect(page.get_by_text("Requires: CCSS.Math.Content.6.RP.A.1")).to_be_visible()


def _settled(page) -> None:
    """htmx has processed what it swapped in: new content listens for events only once it has settled
    (about 20 ms later), so typing into it before then would not reach the server."""
    expect(page.locator(".htmx-added, .htmx-settling")).to_have_count(0)


def test_a_teacher_fixes_a_competencys_prerequisites_in_place(page, school_a):
    chain = build_ratio_chain(school_a)
    log_in(page, "teacher@alpha.example.test", TEST_PASSWORD)
    page.goto(f"/s/alpha/playlists/frameworks/{chain.rp1.framework_id}/")
    page.get_by_role("link", name="RP.1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("RP.1")
    page.evaluate("window.__marker = 'same page'")

    choice = page.get_by_label("RP.1 requires")
    page.get_by_label("Find by code or title").fill("RP.3")
    expect(choice.locator("option")).to_have_count(2)  # the prompt and RP.3: the search narrowed it
    choice.select_option(label="RP.3 — Proportions")
    page.get_by_role("button", name="Add prerequisite").click()
    expect(page.get_by_role("alert")).to_have_text(
        "This prerequisite would close a cycle: RP.3 → RP.1 → RP.2 → RP.3."
    )
    _settled(page)

    page.get_by_label("Find by code or title").fill("Claims")
    expect(choice.locator("option")).to_have_count(2)
    choice.select_option(label="E.1 — Claims")
    page.get_by_role("button", name="Add prerequisite").click()
    expect(page.get_by_role("status")).to_have_text("RP.1 now requires E.1.")
    expect(page.locator("#prerequisites li", has_text="E.1")).to_contain_text("(Writing)")
    _settled(page)

    page.get_by_role("button", name="Remove E.1 from what RP.1 requires").click()
    expect(page.get_by_role("status")).to_have_text("RP.1 no longer requires E.1.")
    expect(page.get_by_text("Nothing: students may work on RP.1 at any time.")).to_be_visible()
    assert page.evaluate("window.__marker") == "same page"  # htmx swapped the part each time


def test_a_teacher_changes_a_boards_k_then_deletes_it_after_reading_what_happens(page, school_a):
    world = build_playlist(school_a, title="Ratios", required=1, board_items=3, choose=1)
    log_in(page, "teacher@alpha.example.test", TEST_PASSWORD)
    page.goto(f"/s/alpha/playlists/{world.playlist.pk}/")
    page.evaluate("window.__marker = 'same page'")

    page.get_by_label("Students choose on Ratios board").fill("2")
    page.get_by_role("button", name="Save choice board Ratios board").click()
    expect(page.get_by_text("students choose 2 of 3 items")).to_be_visible()
    _settled(page)

    page.get_by_text("Delete “Ratios board”…").click()
    expect(page.get_by_text(re.compile("Its 3 items will stay in the playlist, in place"))).to_be_visible()
    page.get_by_role("button", name="Delete “Ratios board”").click()
    expect(page.get_by_role("status")).to_have_text(
        "Deleted the choice board “Ratios board”: its 3 items stay as ordinary items."
    )
    expect(page.locator(".placement-title")).to_have_count(4)
    expect(page.get_by_text("choice: Ratios board")).to_have_count(0)
    assert page.evaluate("window.__marker") == "same page"
