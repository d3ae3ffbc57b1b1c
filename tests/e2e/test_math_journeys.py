"""Math notation in a real browser: TeX in a practice question, its explanation, a reading and the teacher's
authoring preview becomes KaTeX (from our static files), under the strict Content-Security-Policy (the page
fixture fails a journey on any CSP violation), while text that looks like HTML stays text."""

from playwright.sync_api import expect

from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.e2e.conftest import log_in
from tests.factories import (
    TEST_PASSWORD,
    CompetencyFactory,
    ContentItemFactory,
    MasteryPolicyFactory,
    PlaylistAssignmentFactory,
    PlaylistItemFactory,
    QuestionBankFactory,
    QuestionFactory,
)


def _math_competency(world):
    competency = CompetencyFactory(framework__school=world.school, code="6.RP.3", title="Ratio problems")
    bank = QuestionBankFactory(competency=competency)
    QuestionFactory(
        bank=bank,
        prompt=r"What is \(\frac{3}{4}\) of 12? (It costs $5 <b>not bold</b>)",
        choices=["8", "9", "10"],
        correct_choices=[1],
        explanation=r"\[\frac{3}{4} \times 12 = 9\]",
    )
    MasteryPolicyFactory(competency=competency)
    reading = ContentItemFactory(
        school=world.school,
        kind="reading",
        title="Unit rates",
        body="## Worked example\n\nA rate of \\(\\dfrac{6 \\text{ km}}{2 \\text{ h}} = 3\\) km per hour.",
    )
    placement = PlaylistItemFactory(playlist__school=world.school, item=reading, position=1)
    with school_scope(world.school):
        reading.competencies.set([competency])
    PlaylistAssignmentFactory(playlist=placement.playlist, section=world.section)
    return competency, bank, placement


def test_a_student_sees_rendered_math_in_a_reading_a_question_and_its_explanation(page, school_a):
    competency, _, placement = _math_competency(school_a)
    log_in(page, school_a.user(Role.STUDENT).email, TEST_PASSWORD)

    page.goto(f"/s/alpha/playlists/my-work/{placement.playlist.pk}/items/{placement.item.pk}/")
    expect(page.locator("article.content .katex").first).to_be_visible()

    page.goto(f"/s/alpha/mastery/competencies/{competency.pk}/practice/")
    question = page.locator("#practice fieldset legend")
    expect(question.locator(".katex")).to_have_count(1)
    expect(question).to_contain_text("It costs $5 <b>not bold</b>")  # money and markup stay text
    assert question.locator("b").count() == 0
    page.get_by_label("9", exact=True).check()
    page.get_by_role("button", name="Check my answer").click()  # htmx swaps the result in
    expect(page.get_by_text("✓ Correct.")).to_be_visible()
    expect(page.locator("#practice .explanation .katex-display")).to_have_count(1)
    expect(page.locator("#practice .practice-result p strong .katex")).to_have_count(1)
    assert page.csp_violations == []


def test_a_teacher_sees_math_in_the_bank_and_in_the_authoring_preview(page, school_a):
    _, bank, _ = _math_competency(school_a)
    log_in(page, school_a.user(Role.TEACHER).email, TEST_PASSWORD)

    page.goto(f"/s/alpha/mastery/banks/{bank.pk}/")
    expect(page.locator(".question-list .katex").first).to_be_visible()
    preview = page.locator("[data-math-preview]")
    expect(preview).to_be_visible()
    page.get_by_label("Prompt").fill(r"Solve \(x + 7 = 12\) for \(x\). <script>alert(1)</script>")
    page.get_by_label("Explanation").fill(r"Subtract 7: \(x = 5\).")
    expect(preview.locator(".katex")).to_have_count(3)
    expect(preview).to_contain_text("<script>alert(1)</script>")  # typed text is shown as text
    assert preview.locator("script").count() == 0
    assert page.csp_violations == []


def test_a_teacher_sees_the_reading_rendered_as_they_type_it(page, school_a):
    _, _, placement = _math_competency(school_a)
    log_in(page, school_a.user(Role.TEACHER).email, TEST_PASSWORD)

    page.goto(f"/s/alpha/playlists/items/{placement.item.pk}/edit/")
    preview = page.locator("#item-preview")
    expect(preview.locator(".katex")).to_have_count(1)  # the saved text, rendered on load
    page.get_by_label("Body").fill(
        "## Worked example\n\nSolve \\(x + 7 = 12\\): \\[x = 12 - 7 = 5\\] <script>alert(1)</script>"
    )  # the preview follows the typing (htmx, then math.js on the swapped part)
    expect(preview.locator("h3")).to_have_text("Worked example")
    expect(preview.locator(".katex-display")).to_have_count(1)
    expect(preview.locator(".katex")).to_have_count(2)
    expect(preview).to_contain_text("<script>alert(1)</script>")
    assert preview.locator("script").count() == 0
    assert page.csp_violations == []
