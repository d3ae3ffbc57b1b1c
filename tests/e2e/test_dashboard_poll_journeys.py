"""The open dashboard follows the class by the row: a student answers a practice question, and within one
poll the teacher's page shows the change in that student's row, while every other row (and the lists above
the grid) stays the very same DOM node: nothing else on the page was rebuilt."""

import datetime as dt

from playwright.sync_api import expect

from mastery import services
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.e2e.conftest import log_in
from tests.factories import (
    TEST_PASSWORD,
    CompetencyFactory,
    ContentItemFactory,
    EnrollmentFactory,
    MembershipFactory,
    PlaylistAssignmentFactory,
    PlaylistItemFactory,
    QuestionBankFactory,
    QuestionFactory,
    UserFactory,
)

WRONG = 0  # the factory's questions: choice 1 is right; a wrong answer keeps the student off the ready list


def _class_of_three(world):
    competency = CompetencyFactory(framework__school=world.school, code="FR.1", title="Add fractions")
    bank = QuestionBankFactory(competency=competency)
    question = QuestionFactory(bank=bank, prompt="Fraction question?")
    today = dt.date.today()
    assignment = PlaylistAssignmentFactory(
        playlist__school=world.school,
        section=world.section,
        start_date=today - dt.timedelta(days=7),
        target_date=today + dt.timedelta(days=21),
    )
    item = ContentItemFactory(school=world.school, title="Fractions video")
    with school_scope(world.school):
        item.competencies.add(competency)
    PlaylistItemFactory(playlist=assignment.playlist, item=item, position=1)
    others = []
    for name in ("Zoe", "Adam"):
        user = UserFactory(given_name=name, family_name="Pupil")
        MembershipFactory(school=world.school, user=user, role=Role.STUDENT)
        EnrollmentFactory(school=world.school, section=world.section, user=user, role="student")
        others.append(user)
    return question, others


# Remember the nodes as they are now (a property on window: the page's own scripts never see it).
MARK = """() => { window.plpBefore = {
    rows: Array.from(document.querySelectorAll('#grid tbody tr')),
    attention: document.getElementById('attention'),
    attentionText: document.getElementById('attention').innerText,
    ready: document.getElementById('ready'),
    grid: document.getElementById('grid'),
}; }"""
SAME = """(id) => {
    const before = window.plpBefore;
    const others = before.rows.filter(tr => tr.id !== id);
    return {
        othersKept: others.length > 0 && others.every(tr => tr.isConnected),
        rowReplaced: !before.rows.find(tr => tr.id === id).isConnected,
        // The attention list is swapped only when what it lists changed (here the answer's recompute may put
        // the student under Watch, behind pace): kept, or changed in what it says.
        listsKept: (before.attention.isConnected
                    || document.getElementById('attention').innerText !== before.attentionText)
                   && before.ready.isConnected && before.grid.isConnected,
    };
}"""


def test_a_students_answer_reaches_the_open_dashboard_in_that_row_alone(page, school_a, settings):
    settings.DASHBOARD_POLL_SECONDS = 1
    question, others = _class_of_three(school_a)
    student, teacher = school_a.user(Role.STUDENT), school_a.user(Role.TEACHER)
    log_in(page, teacher.email, TEST_PASSWORD)
    page.goto(f"/s/alpha/dashboard/sections/{school_a.section.pk}/")
    row = page.locator(f"#student-{student.pk}")
    expect(row).to_contain_text("never")  # not active yet
    expect(page.locator("#grid tbody tr")).to_have_count(3)
    before = row.inner_text()
    page.wait_for_timeout(1500)  # a poll or two with nothing new: 204, nothing swapped
    page.evaluate(MARK)

    with school_scope(school_a.school):  # the student answers, through the real service
        services.practice_answer_submit(student=student, question=question, response=WRONG)

    expect(row).not_to_have_text(before, timeout=5_000)  # within a poll (1 s here)
    expect(row).not_to_contain_text("never")
    kept = page.evaluate(SAME, f"student-{student.pk}")
    assert kept == {"othersKept": True, "rowReplaced": True, "listsKept": True}
    for other in others:  # and what they show is what they showed
        expect(page.locator(f"#student-{other.pk}")).to_contain_text("never")

    # The poller came back with the new digest and keeps polling: the next student's answer arrives too.
    zoe = others[0]
    zoe_row = page.locator(f"#student-{zoe.pk}")
    with school_scope(school_a.school):
        services.practice_answer_submit(student=zoe, question=question, response=WRONG)
    expect(zoe_row).not_to_contain_text("never", timeout=5_000)
    expect(page.locator("#grid-poll")).to_have_count(1)
