"""Journeys across apps: a student goes from an exercise item to its practice and keeps the link to it."""

from playwright.sync_api import expect

from playlists.models import ContentItem
from plp.tenancy.context import school_scope
from tests.e2e.conftest import log_in
from tests.factories import (
    TEST_PASSWORD,
    CompetencyFactory,
    ContentItemFactory,
    PlaylistAssignmentFactory,
    PlaylistItemFactory,
    QuestionBankFactory,
    QuestionFactory,
)


def test_a_student_practises_from_an_exercise_and_every_next_question_stays_on_it(page, school_a):
    school = school_a.school
    competency = CompetencyFactory(framework__school=school, code="ALPHA.FRAC.1", title="Add fractions")
    bank = QuestionBankFactory(competency=competency)
    for _ in range(2):
        QuestionFactory(bank=bank)
    item = ContentItemFactory(school=school, title="Fraction drills", kind=ContentItem.Kind.EXERCISE, body="")
    with school_scope(school):
        item.competencies.set([competency])
    placement = PlaylistItemFactory(playlist__school=school, item=item, position=1)
    PlaylistAssignmentFactory(playlist=placement.playlist, section=school_a.section)

    log_in(page, "student@alpha.example.test", TEST_PASSWORD)
    page.goto(f"/s/alpha/playlists/my-work/{placement.playlist_id}/items/{item.pk}/")
    page.get_by_role("link", name="Practise ALPHA.FRAC.1").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Practice: ALPHA.FRAC.1")
    page.get_by_label("right", exact=True).check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_text("✓ Correct.")).to_be_visible()
    page.get_by_role("link", name="Next question").click()  # htmx swaps in the next question
    expect(page.get_by_role("button", name="Check my answer")).to_be_visible()
    expect(page.locator('input[name="item_id"]')).to_have_value(str(item.pk))
