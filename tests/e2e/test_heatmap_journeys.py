"""The heatmap at the scale of its goal (200 students × 60 competencies) in headless Chromium: its first
paint, the header row and student column kept in view while scrolling, and the page at a phone's width.
The figures go to bench/README.md; the assertions are generous bounds (a shared box is noisy)."""

from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from dashboard.seeding import section_seed
from engine.models import Flag
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.factories import TEST_PASSWORD

STUDENTS, COMPETENCIES = 200, 60
FIRST_PAINT_BOUND_MS = 5000  # the goal is 1.5 s; the bound leaves room for a loaded box

_FIRST_CONTENTFUL_PAINT = """() => new Promise(resolve => {
  const seen = performance.getEntriesByName('first-contentful-paint');
  if (seen.length) { resolve(seen[0].startTime); return; }
  new PerformanceObserver(list => {
    const fcp = list.getEntriesByName('first-contentful-paint');
    if (fcp.length) resolve(fcp[0].startTime);
  }).observe({type: 'paint', buffered: true});
})"""
# The whole grid on screen: the navigation's load event, then the next frame painted.
_GRID_PAINTED = """() => new Promise(resolve => {
  const done = () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now())));
  if (document.readyState === 'complete') done(); else addEventListener('load', done);
})"""

# What sticks out of a 375 px page, outside the grid's own scrolling box (for the failure message).
_WIDER_THAN_THE_PHONE = """() => [...document.querySelectorAll('body *')]
  .filter(e => !e.closest('.heatmap-wrap') && e.getBoundingClientRect().right > 376)
  .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _big_section(world):
    with school_scope(world.school):
        section_seed(section=world.section, students=STUDENTS, competencies=COMPETENCIES, tag="HM")
    return f"/s/alpha/dashboard/sections/{world.section.pk}/"


def test_the_200_by_60_heatmap_paints_quickly_and_keeps_its_headers_in_view(page, school_a):
    url = _big_section(school_a)
    log_in(page, school_a.user(Role.TEACHER).email, TEST_PASSWORD)
    page.goto(url)  # once to fill the page cache: the figure is the browser's, not the build's
    response = page.goto(url)
    html = response.body()
    html_bytes = len(html)
    ARTIFACTS.mkdir(exist_ok=True)
    (Path(ARTIFACTS) / "heatmap-200x60.html").write_bytes(html)
    first_paint = page.evaluate(_FIRST_CONTENTFUL_PAINT)
    grid_painted = page.evaluate(_GRID_PAINTED)
    print(
        f"\nheatmap {STUDENTS}×{COMPETENCIES}: {html_bytes} bytes of HTML, first contentful paint "
        f"{first_paint:.0f} ms, whole grid painted {grid_painted:.0f} ms"
    )
    assert first_paint < FIRST_PAINT_BOUND_MS
    expect(page.locator("#grid tbody tr")).to_have_count(STUDENTS + 1)  # and the world's own student

    # Scrolled right and down inside the grid, the header row and the student column stay in view.
    wrap = page.locator(".heatmap-wrap")
    scrolled = wrap.evaluate(
        "el => { el.scrollTop = 2000; el.scrollLeft = 2000; return [el.scrollTop, el.scrollLeft]; }"
    )
    assert scrolled[0] > 0 and scrolled[1] > 0, "the grid scrolls in its own box, both ways"
    header = page.locator(".heatmap thead th").nth(10).bounding_box()
    box = wrap.bounding_box()
    assert abs(header["y"] - box["y"]) < 2, "the header row scrolled away"
    name = page.locator(".heatmap tbody th").nth(60).bounding_box()
    assert abs(name["x"] - box["x"]) < 2, "the student column scrolled away"


def test_every_estimate_is_text_in_its_cell_under_a_column_header(page, school_a):
    url = _big_section(school_a)
    log_in(page, school_a.user(Role.TEACHER).email, TEST_PASSWORD)
    page.goto(url)
    cell = page.locator(".heatmap tbody td.sm").first
    # The estimate is the cell's text (a screen reader reads it with the column's competency), not a hover.
    expect(cell).to_have_text("97")
    expect(cell).to_be_visible()
    # The grid is one tab stop that the arrow keys scroll, not 12,000.
    wrap = page.locator(".heatmap-wrap")
    wrap.focus()
    expect(wrap).to_be_focused()
    expect(wrap).to_have_attribute("role", "region")


def test_the_big_section_is_usable_at_a_phone_width(page, school_a):
    url = _big_section(school_a)
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, school_a.user(Role.TEACHER).email, TEST_PASSWORD)
    page.goto(url)
    ARTIFACTS.mkdir(exist_ok=True)
    # The page does not scroll sideways: only the grid does, inside its own box.
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(_WIDER_THAN_THE_PHONE)
    assert width <= 375, f"the page is {width} px wide: {wide}"
    page.locator("#attention").scroll_into_view_if_needed()
    page.screenshot(path=str(Path(ARTIFACTS) / "attention-375.png"))
    page.locator(".heatmap-wrap").evaluate(
        "el => { el.scrollIntoView(); el.scrollTop = 400; el.scrollLeft = 300; }"
    )
    page.screenshot(path=str(Path(ARTIFACTS) / "heatmap-375.png"))


def test_who_needs_me_the_ready_list_and_the_groups_are_above_the_fold_for_a_class_of_30(page, school_a):
    with school_scope(school_a.school):
        students = section_seed(section=school_a.section, students=30, competencies=20, tag="AF", seed=3)
        now = timezone.now()
        Flag.objects.bulk_create(  # a busy day: a quarter of the class flagged, as in the realistic demo
            Flag(
                school=school_a.school, student=student, kind="inactive", subject="", severity="high",
                summary="No activity for 4 school days", suggested_action="Check in with them today.",
                evidence={}, raised_at=now, updated_at=now,
            )
            for student in students[::4]
        )  # fmt: skip
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, school_a.user(Role.TEACHER).email, TEST_PASSWORD)
    page.goto(f"/s/alpha/dashboard/sections/{school_a.section.pk}/")
    expect(page.locator("#attention .attention-list li").first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(Path(ARTIFACTS) / "dashboard-30-1280x800.png"))
    for heading in ("#attention-heading", "#ready-heading", "#groups-heading"):
        box = page.locator(heading).bounding_box()
        assert box["y"] + box["height"] <= 800, f"{heading} is below the fold"
    # The grid comes after them.
    assert page.locator("#grid").bounding_box()["y"] > page.locator("#ready-heading").bounding_box()["y"]
