"""Pins in a real browser: from a student's drill-down the teacher reaches the pin/veto page, a pin on a
locked item is refused with what it needs first (the reason typed is kept), and a pin on an open item is
listed as in effect on the drill-down."""

from playwright.sync_api import expect

from schools.roles import Role
from tests.e2e.conftest import log_in
from tests.engine.conftest import build_learning_world
from tests.factories import TEST_PASSWORD


def test_a_teacher_pins_from_the_drilldown_and_a_locked_item_is_refused_with_its_reason(page, school_a):
    world = build_learning_world(school_a)
    log_in(page, school_a.user(Role.TEACHER).email, TEST_PASSWORD)
    page.goto(f"/s/alpha/dashboard/students/{world.student.pk}/")
    pins = page.locator("section", has=page.get_by_role("heading", name="Pins and vetoes"))
    expect(pins).to_contain_text("No pins or vetoes")
    pins.get_by_role("link", name="Pin or veto an item").click()

    page.get_by_label("Item", exact=True).select_option(
        label="Unit rates (Ratios) — locked, needs ALPHA.1 first"
    )
    page.get_by_label("Why", exact=True).fill("Practise for Friday")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("locked, needs ALPHA.1 first")
    expect(page.get_by_label("Why", exact=True)).to_have_value("Practise for Friday")

    page.get_by_label("Item", exact=True).select_option(label="Sports stats (Ratios)")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("section", has=page.get_by_role("heading", name="Pins and vetoes"))).to_contain_text(
        "In effect"
    )

    page.goto(f"/s/alpha/dashboard/students/{world.student.pk}/")
    expect(pins).to_contain_text("Sports stats")
    expect(pins).to_contain_text("Practise for Friday")
    expect(pins).to_contain_text("In effect")
