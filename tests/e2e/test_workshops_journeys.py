"""Workshop journey in a real browser: a teacher turns a small group on the dashboard into a workshop, an
invited student sees it first in Next up and in My week, another eligible student signs up, the teacher
records attendance, and the engine moves on (the invitation leaves Next up; attendance is evidence)."""

import datetime as dt

from playwright.sync_api import expect

from engine.models import StudentRecommendation
from engine.services import students_recompute
from mastery.models import EvidenceEvent, MasteryState
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.e2e.conftest import log_in
from tests.factories import (
    TEST_PASSWORD,
    CompetencyFactory,
    ContentItemFactory,
    PlaylistAssignmentFactory,
    PlaylistItemFactory,
)
from tests.workshops.conftest import add_block, add_student, next_weekday
from workshops.models import Seat, Workshop


def _class_with_a_stuck_group(world):
    competency = CompetencyFactory(framework__school=world.school, code="FR.1", title="Add fractions")
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
    invited = [world.user(Role.STUDENT), add_student(world, given_name="Grace", family_name="Hopper")]
    with school_scope(world.school):
        for student in invited:
            MasteryState.objects.create(
                school=world.school,
                student=student,
                competency=competency,
                status="practicing",
                p_mastered=0.25,
            )
    eligible = add_student(world, given_name="Alan", family_name="Turing", email="alan@alpha.example.test")
    return competency, invited, eligible


def _log_out(page):
    page.get_by_role("button", name="Log out").click()


def test_a_small_group_becomes_a_workshop_students_join_and_attendance_moves_the_engine_on(page, school_a):
    _competency, invited, eligible = _class_with_a_stuck_group(school_a)
    add_block(school_a, weekday=0, starts=dt.time(10), ends=dt.time(11, 30), label="PLT")
    monday = next_weekday(school_a, 0)
    teacher, student = school_a.user(Role.TEACHER), school_a.user(Role.STUDENT)

    # The teacher turns the dashboard's small group into a workshop.
    log_in(page, teacher.email, TEST_PASSWORD)
    page.goto(f"/s/alpha/dashboard/sections/{school_a.section.pk}/")
    page.get_by_role("link", name="Turn into a workshop on FR.1").click()
    expect(page.get_by_role("heading", name="Schedule a workshop")).to_be_visible()
    expect(page.get_by_label("Grace Hopper")).to_be_checked()
    expect(page.get_by_label("Alan Turing")).not_to_be_checked()
    page.get_by_label("Date").fill(monday.isoformat())
    page.get_by_label("Personalized-learning block").select_option(label="Monday 10:00–11:30 · PLT")
    page.get_by_label("Room or link").fill("Room 12")
    page.get_by_label("Seats").fill("3")
    page.get_by_role("button", name="Schedule and invite").click()
    expect(page.get_by_role("heading", name="Workshop on FR.1 Add fractions")).to_be_visible()
    expect(page.locator("section", has_text="Who is coming")).to_contain_text("Grace Hopper")
    _log_out(page)

    # An invited student sees it first in Next up, with the reason, and in My week.
    log_in(page, student.email, TEST_PASSWORD)
    page.goto("/s/alpha/agency/my-work/")
    next_up = page.locator("section.next-up")
    expect(next_up).to_contain_text("Workshop on FR.1 Add fractions")
    expect(next_up).to_contain_text("Invited because your practice on FR.1 is not landing yet (estimate 25%)")
    page.get_by_role("link", name="My week").click()
    page.goto(f"/s/alpha/workshops/week/?week={monday.isoformat()}")
    expect(page.locator("li.week-entry.workshop")).to_contain_text("Workshop: FR.1 Add fractions")
    expect(page.locator("li.week-entry.block")).to_contain_text("PLT")
    _log_out(page)

    # Another student at the right level signs up for the last seat.
    log_in(page, eligible.email, TEST_PASSWORD)
    page.goto("/s/alpha/workshops/")
    page.get_by_role("button", name="Sign up for FR.1").click()
    expect(page.get_by_text("You have a seat")).to_be_visible()
    _log_out(page)

    # The workshop happens (moved to now), and the teacher records attendance.
    with school_scope(school_a.school):
        workshop = Workshop.objects.get()
        start = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
        Workshop.objects.filter(pk=workshop.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=1))
        assert Seat.objects.filter(workshop=workshop, is_active=True).count() == 3
    log_in(page, teacher.email, TEST_PASSWORD)
    page.goto(f"/s/alpha/workshops/{workshop.pk}/")
    form = page.locator("form", has_text="Record attendance")
    for person in (student, *invited[1:], eligible):
        name = person.get_full_name()
        form.locator("fieldset", has_text=name).get_by_label("Present").check()
    form.get_by_label(f"Outcome for {student.get_full_name()}").fill("Adds unlike fractions on their own")
    form.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_text("Attendance recorded (3 changed)")).to_be_visible()
    expect(page.locator("section", has_text="Who is coming")).to_contain_text(
        "Present: Adds unlike fractions"
    )
    _log_out(page)

    # The engine moved on: the evidence is in the ledger, the student was recomputed, the invitation is gone.
    with school_scope(school_a.school):
        event = EvidenceEvent.objects.get(student=student, source="workshop")
        assert event.p_after > event.p_before
        students_recompute(student_ids=[student.pk])  # what the worker does (eager without a broker)
        assert StudentRecommendation.objects.filter(student=student).exists()
    log_in(page, student.email, TEST_PASSWORD)
    page.goto("/s/alpha/agency/my-work/")
    expect(page.locator("section.next-up")).not_to_contain_text("Workshop on FR.1")
    expect(page.locator("section.next-up")).to_contain_text("Fractions video")
