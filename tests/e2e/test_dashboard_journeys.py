"""Dashboard journey in a real browser: a student fails checks repeatedly, the worker flags them, the
teacher's open dashboard shows the flag without a reload (htmx polling), and the teacher resolves it."""

import datetime as dt

from playwright.sync_api import expect

from engine.models import Flag
from engine.tasks import recompute_student
from mastery import services
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

WRONG = 0  # the factory's questions: choice 1 is right


def _section_with_a_competency(world):
    competency = CompetencyFactory(framework__school=world.school, code="FR.1", title="Add fractions")
    bank = QuestionBankFactory(competency=competency)
    for n in range(3):
        QuestionFactory(bank=bank, prompt=f"Fraction question {n}?")
    MasteryPolicyFactory(competency=competency, check_size=2, readiness_rule="teacher_unlock")
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
    return competency


def _fail_a_check(student, competency, teacher):
    services.check_unlock(student=student, competency=competency, teacher=teacher)
    attempt = services.check_request(student=student, competency=competency)
    for question in attempt.form:
        services.check_response_save(attempt=attempt, question_id=question["id"], response=WRONG)
    return services.check_submit(attempt=attempt)


def test_a_flag_raised_by_the_worker_appears_on_the_open_dashboard_and_the_teacher_resolves_it(
    page, school_a, settings
):
    settings.DASHBOARD_POLL_SECONDS = 1
    competency = _section_with_a_competency(school_a)
    student, teacher = school_a.user(Role.STUDENT), school_a.user(Role.TEACHER)
    log_in(page, teacher.email, TEST_PASSWORD)
    page.goto(f"/s/alpha/dashboard/sections/{school_a.section.pk}/")
    expect(page.get_by_role("heading", name=school_a.section.name)).to_be_visible()
    expect(page.get_by_text("Nobody needs you urgently")).to_be_visible()
    expect(page.locator("#grid th", has_text="FR.1")).to_be_visible()

    with school_scope(school_a.school):
        for _ in range(2):
            assert _fail_a_check(student, competency, teacher).passed is False
    recompute_student(school_id=school_a.school.pk, student_id=student.pk)  # the worker task, called directly
    with school_scope(school_a.school):
        flag = Flag.objects.get(student=student, kind="failed_checks")

    # No reload: the polled grid brings the student's row in (under Watch: two failed checks alone are
    # evidence the detector weighs, not yet a struggle), acted on in place like a needs-attention row.
    row = page.locator(f"#attention-{student.pk}")
    expect(row).to_contain_text("Repeated failed checks (FR.1)")
    expect(page.locator(f"#student-{student.pk} td.flags")).to_contain_text("⚑")
    # The flag's details open on demand.
    row.locator("summary", has_text="Details").click()
    expect(row.locator(f"#flag-{flag.pk}")).to_contain_text("failed mastery checks in a row on FR.1")

    # Resolved in place, from the row: a note is needed, and what was typed stays.
    in_row = row.locator(f"form.attention-actions:has(#attention-note-{flag.pk})")
    in_row.get_by_role("button", name="Resolve").click()
    expect(in_row.get_by_role("alert")).to_contain_text("Say how it was resolved")
    in_row.get_by_label("Note").fill("Went through the check together; retake on Friday.")
    in_row.get_by_role("button", name="Resolve").click()
    # Then the row, refreshed with the grid on the client event, keeps only the other flag.
    expect(page.locator(f"#attention-{student.pk}", has_text="Repeated failed checks")).to_have_count(0)
    with school_scope(school_a.school):
        flag.refresh_from_db()
    assert flag.status == "resolved" and flag.handled_by == teacher
    assert flag.note == "Went through the check together; retake on Friday."
