"""Mastery journeys in a real browser: fail a check, practise, retake, pass, see "mastered"."""

import re

from playwright.sync_api import expect

from mastery.models import CheckResponse
from plp.tenancy.context import school_scope
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


def _competency(world):
    competency = CompetencyFactory(framework__school=world.school, code="FR.1", title="Add fractions")
    bank = QuestionBankFactory(competency=competency)
    for n in range(3):
        QuestionFactory(bank=bank, prompt=f"Fraction question {n}?")
    # Two questions per check, open at once, one practice answer before a retake, no cooldown.
    MasteryPolicyFactory(
        competency=competency,
        check_size=2,
        readiness_threshold=0.0,
        practice_before_retake=1,
        cooldown_minutes=0,
    )
    # FR.1 is the student's: an item of a playlist assigned to their section works on it.
    placement = PlaylistItemFactory(playlist__school=world.school, item__school=world.school, position=1)
    with school_scope(world.school):
        placement.item.competencies.set([competency])
    PlaylistAssignmentFactory(playlist=placement.playlist, section=world.section)
    return competency


def _answer_check(page, choice: str, questions: int, *, first: int = 1):
    """One question at a time: each answer counts as it is given, and the check ends once decided. ``first``:
    the number of the first question asked (after the practice answers the check carried)."""
    for n in range(first - 1, first - 1 + questions):
        expect(page.get_by_text(f"Question {n + 1} of 2")).to_be_visible()
        page.locator("form.check-form fieldset").get_by_label(choice, exact=True).check()
        page.get_by_role("button", name="Answer", exact=True).click()


def test_a_student_fails_a_check_practises_retakes_and_masters(page, school_a):
    competency = _competency(school_a)
    log_in(page, "student@alpha.example.test", TEST_PASSWORD)
    page.goto("/s/alpha/mastery/")
    expect(page.get_by_role("heading", name="Mathematics: level 0 of 1")).to_be_visible()
    page.get_by_role("link", name="FR.1 Add fractions").first.click()

    page.get_by_role("button", name="Ask for a mastery check").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mastery check")
    _answer_check(page, "wrong", 1)  # 2 of 2 needed: one wrong answer decides it
    expect(page.get_by_role("heading", name="Not yet: keep going")).to_be_visible()
    expect(page.get_by_text("1 wrong: not yet, practise FR.1.")).to_be_visible()
    with school_scope(school_a.school):  # the second question was never asked
        assert CheckResponse.objects.count() == 1
    expect(page.get_by_text("Answer 1 more practice question first.")).to_be_visible()

    page.get_by_role("link", name="Practise FR.1").first.click()
    page.get_by_label("right", exact=True).check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_text("✓ Correct.")).to_be_visible()
    expect(page.get_by_text("Because the second choice is right.")).to_be_visible()
    expect(page.get_by_text("You can ask for a mastery check now.")).to_be_visible()

    page.goto(f"/s/alpha/mastery/competencies/{competency.pk}/")
    note = (
        "Your last practice answer on FR.1 was right: it counts as the check's first question; 1 to go, "
        "and 1 more right passes it."
    )
    expect(page.get_by_text(note)).to_be_visible()  # told before asking
    page.get_by_role("button", name="Ask for a mastery check").click()
    expect(page.get_by_text(note)).to_be_visible()
    _answer_check(page, "right", 1, first=2)  # the right practice answer was the first of two
    expect(page.get_by_role("heading", name="★ Passed: mastered!")).to_be_visible()
    expect(page.get_by_text("2 of 2 right, the first from your practice: passed.")).to_be_visible()
    expect(page.get_by_text("Level up: FR.1 mastered, 1 of 1 Mathematics competencies.")).to_be_visible()
    expect(page.get_by_role("heading", name="What next")).to_be_visible()

    page.get_by_role("link", name="Mastery", exact=True).click()
    expect(page.get_by_role("heading", name="Mathematics: level 1 of 1")).to_be_visible()
    expect(page.get_by_text("★ Mastered")).to_be_visible()
    page.get_by_role("link", name="My checks").click()
    expect(page.get_by_role("cell", name=re.compile("★ passed"))).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("not yet"))).to_be_visible()


def test_a_teacher_requires_approval_approves_and_invalidates_with_a_reason(
    page, browser, live_server, school_a
):
    competency = _competency(school_a)
    student = school_a.user("student")
    log_in(page, "teacher@alpha.example.test", TEST_PASSWORD)
    page.goto("/s/alpha/mastery/students/")
    page.get_by_role("button", name="Require approval").first.click()
    expect(page.get_by_text("ALPHA-SECTION-ONE: approval required", exact=True)).to_be_visible()

    student_page = browser.new_context(base_url=live_server.url).new_page()
    log_in(student_page, "student@alpha.example.test", TEST_PASSWORD)
    student_page.goto(f"/s/alpha/mastery/competencies/{competency.pk}/")
    student_page.get_by_role("button", name="Ask for a mastery check").click()
    expect(student_page.get_by_text("waiting for a teacher's approval")).to_be_visible()

    page.goto("/s/alpha/mastery/students/")
    page.get_by_role("button", name="Approve").click()
    student_page.reload()
    _answer_check(student_page, "right", 2)
    expect(student_page.get_by_role("heading", name="★ Passed: mastered!")).to_be_visible()

    page.goto(f"/s/alpha/mastery/students/{student.pk}/")
    page.get_by_label("Reason to invalidate").fill("Worked with a neighbour")
    page.get_by_role("button", name="Invalidate").click()
    expect(page.get_by_text("The result is invalidated")).to_be_visible()
    student_page.reload()
    expect(
        student_page.get_by_text("A teacher invalidated this result: Worked with a neighbour")
    ).to_be_visible()
    student_page.context.close()
