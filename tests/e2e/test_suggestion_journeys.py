"""A student follows every kind of suggestion My work makes, and each one lands on a working page: the
pinned item, a spaced review, an open mastery check, and after failing it the way back, with one retry time
that the result page, My work and the competency page all state alike; then practice, the check again, a pass.
"""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from engine import services as engine_services
from mastery import services as mastery_services
from mastery.models import MasteryState
from plp.tenancy.context import school_scope
from tests.e2e.conftest import log_in
from tests.engine.conftest import build_learning_world
from tests.factories import TEST_PASSWORD, MasteryPolicyFactory

RETRY = re.compile(r"Your next try opens at (\w{3} \d{1,2}, \d{4}, \d{2}:\d{2})\.")


def _world(school_a):
    """C1 open for a check (a one-question check, one answer and 30 minutes before a retake), its item
    "Ratios intro" pinned by the teacher, C3 mastered a month ago (a spaced review is due). (The pin was on
    C3's "Sports stats": an item on competencies all mastered counts as done now, and its pin is refused.)"""
    world = build_learning_world(school_a)
    c1, _, c3 = world.competencies
    MasteryPolicyFactory(
        competency=c1, check_size=1, readiness_threshold=0.0, practice_before_retake=1, cooldown_minutes=30
    )
    student, teacher = world.student, school_a.user("teacher")
    with school_scope(school_a.school):
        question = world.questions[c1.pk]
        mastery_services.practice_answer_submit(student=student, question=question, response="1")
        mastery_services.mastery_override(
            student=student, competency=c3, teacher=teacher, mastered=True, reason="Shown in class"
        )
        MasteryState.objects.filter(student=student, competency=c3).update(
            mastered_at=timezone.now() - dt.timedelta(days=30)
        )
        engine_services.directive_add(
            student=student, item=world.items[0], kind="pin", reason="Before Friday's seminar", by=teacher
        )
        engine_services.students_recompute(student_ids=[student.pk])
    return world


def _the_worker_recomputes(world):
    """What the engine's worker does after the evidence commits (CI runs Celery on Redis with no worker
    for the live server, so the journey runs the task's body itself; eager mode has already run it)."""
    with school_scope(world.school):
        engine_services.students_recompute(student_ids=[world.student.pk])


def _my_work(page):
    page.goto("/s/alpha/agency/my-work/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")


def _teacher_sees_what_the_student_sees(page, live_server, school_a, student, retry):
    """The teacher, in a browser of their own, opens the student's drill-down from the class dashboard: the
    rule is quoted as the student reads it, with the same retry time."""
    context = page.context.browser.new_context(base_url=live_server.url)
    teacher = context.new_page()
    try:
        log_in(teacher, "teacher@alpha.example.test", TEST_PASSWORD)
        teacher.goto("/s/alpha/dashboard/")
        teacher.get_by_role("link", name=school_a.section.name).first.click()
        teacher.get_by_role("link", name=student.get_full_name()).first.click()
        expect(teacher.get_by_role("heading", level=1)).to_have_text(student.get_full_name())
        quote = teacher.locator("#next-heading + ol li").filter(has_text="Mastery check")
        expect(quote).to_contain_text("The student sees: “")
        expect(quote).to_contain_text(f"Your next try opens at {retry}.”")
    finally:
        context.close()


def test_a_student_follows_every_kind_of_suggestion_to_a_working_page(page, school_a, live_server):
    world = _world(school_a)
    c1, _, c3 = world.competencies
    log_in(page, "student@alpha.example.test", TEST_PASSWORD)

    # The pinned item is next up, with the teacher's reason.
    _my_work(page)
    expect(page.get_by_text("Before Friday's seminar")).to_be_visible()
    page.get_by_role("link", name="Ratios intro").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ratios intro")

    # A spaced review opens practice.
    _my_work(page)
    page.get_by_role("link", name=f"Review {c3.code}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Practice: {c3.code}")

    # The open check: the suggestion leads to the competency page and its start button (no 405).
    _my_work(page)
    open_check = page.locator(".suggestion").filter(has_text=f"{c1.code} mastery check")
    expect(open_check).to_contain_text("The mastery check is open now.")
    assert open_check.inner_text().count(c1.code) == 1  # the link names it; the reason does not repeat it
    page.get_by_role("link", name=f"{c1.code} mastery check").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(c1.code)
    page.get_by_role("button", name="Ask for a mastery check").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mastery check")
    page.locator("form.check-form fieldset").first.get_by_label("wrong", exact=True).check()
    page.get_by_role("button", name="Answer", exact=True).click()
    expect(page.get_by_role("heading", name="Not yet: keep going")).to_be_visible()

    # One retry time, in school time, said alike on the result page, My work and the competency page.
    result = page.locator("main").inner_text()
    times = RETRY.findall(result)
    assert len(times) == 1, result
    retry = times[0]
    _the_worker_recomputes(world)
    _my_work(page)
    suggestion = page.locator(".suggestion").filter(has_text=f"{c1.code} mastery check")
    expect(suggestion).to_contain_text("Answer 1 more practice question first.")
    expect(suggestion).to_contain_text(f"Your next try opens at {retry}.")
    assert suggestion.inner_text().count(c1.code) == 1
    assert "look ready" not in page.locator("main").inner_text()
    suggestion.get_by_role("link").click()
    expect(page.get_by_text(f"Your next try opens at {retry}.")).to_be_visible()
    expect(page.get_by_role("button", name="Ask for a mastery check")).to_have_count(0)
    assert "{#" not in page.locator("main").inner_text()  # no template comment printed on the page
    _teacher_sees_what_the_student_sees(page, live_server, school_a, world.student, retry)

    # Half an hour later (the clock moved on the server), one practice answer opens the retry; it passes.
    with school_scope(school_a.school):
        MasteryState.objects.filter(student=world.student, competency=c1).update(
            last_failed_check_at=timezone.now() - dt.timedelta(minutes=31)
        )
    page.locator(".respawn").get_by_role("link", name=re.compile(c1.code)).click()  # "Practise C1 ..."
    page.get_by_label("right", exact=True).check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_text("You can ask for a mastery check now.")).to_be_visible()
    page.goto(f"/s/alpha/mastery/competencies/{c1.pk}/")
    page.get_by_role("button", name="Ask for a mastery check").click()
    page.locator("form.check-form fieldset").first.get_by_label("right", exact=True).check()
    page.get_by_role("button", name="Answer", exact=True).click()
    expect(page.get_by_role("heading", name="★ Passed: mastered!")).to_be_visible()
    _the_worker_recomputes(world)

    # My work moves on: no check suggestion for a mastered competency.
    _my_work(page)
    expect(page.locator(".suggestion").filter(has_text=f"{c1.code} mastery check")).to_have_count(0)
