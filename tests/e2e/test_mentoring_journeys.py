"""Journeys in a real browser: the weekly goal loop, a check-in whose private note stays private, and a
check-in corrected afterwards whose private correction stays private too."""

import datetime as dt
import re

from playwright.sync_api import expect

from plp.tenancy.context import school_scope
from schools.models import MentorAssignment
from schools.roles import Role
from tests.e2e.conftest import log_in
from tests.factories import TEST_PASSWORD, CheckInFactory, MentorAssignmentFactory
from tests.support import school_today


def test_a_student_sets_weekly_goals_and_reflects_on_one(page, school_a):
    log_in(page, "student@alpha.example.test", TEST_PASSWORD)
    page.get_by_role("link", name="My goals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My goals")

    page.get_by_label("Goal 1", exact=True).fill("Finish the fractions playlist")
    page.get_by_label("Goal 2", exact=True).fill("Read twenty minutes a day")
    page.get_by_role("button", name="Set goals").click()

    expect(page.get_by_text("Goals set for the week.")).to_be_visible()
    this_week = page.get_by_role("region", name=re.compile("This week"))
    expect(this_week.get_by_text("Finish the fractions playlist", exact=True)).to_be_visible()
    expect(this_week.get_by_text("Read twenty minutes a day", exact=True)).to_be_visible()

    # A reflection without its sentence is refused and keeps the choice made; with it, it is saved.
    this_week.get_by_text("Reflect on this goal").first.click()
    form = this_week.locator("form[id^=reflect-]").first
    form.get_by_label("Partly met").check()
    form.get_by_role("button", name="Save reflection").click()
    expect(this_week.get_by_role("alert").first).to_contain_text("required")
    form = this_week.locator("form[id^=reflect-]").first
    form.get_by_label("One sentence about it").fill("Half of it: the quiz took longer.")
    form.get_by_role("button", name="Save reflection").click()
    expect(page.get_by_text("Reflection saved.")).to_be_visible()
    expect(page.get_by_text("Half of it: the quiz took longer.")).to_be_visible()


def test_a_mentor_records_a_check_in_and_the_student_sees_only_the_shared_note(page, school_a):
    student = school_a.user(Role.STUDENT)
    assignment = MentorAssignmentFactory(
        school=school_a.school, mentor=school_a.user(Role.MENTOR), student=student
    )
    with school_scope(school_a.school):  # mentored for a month: a first check-in is long due
        MentorAssignment.objects.filter(pk=assignment.pk).update(
            created_at=assignment.created_at - dt.timedelta(days=30)
        )

    log_in(page, "mentor@alpha.example.test", TEST_PASSWORD)
    page.get_by_role("link", name="My mentees").click()
    row = page.get_by_role("row", name=re.compile(student.get_full_name()))
    expect(row.get_by_text("Overdue")).to_be_visible()  # never checked in in a month
    row.get_by_role("link", name="Record check-in").click()

    page.get_by_label("Format").select_option(label="Family conference")
    page.get_by_label("Perseverance (1–4)").select_option("3")
    page.get_by_label("Notes shared with the student").fill("Proud of your reading streak.")
    page.get_by_label("Private notes (mentors and school admins only)").fill(
        "Family asked about tutoring costs."
    )
    page.get_by_label("Next steps").fill("Pick two playlist items for next week.")
    page.get_by_role("button", name="Save check-in").click()

    expect(page.get_by_text("Check-in saved.")).to_be_visible()
    expect(page.get_by_text("Family asked about tutoring costs.")).to_be_visible()
    page.get_by_role("button", name=re.compile("Log out")).click()

    log_in(page, "student@alpha.example.test", TEST_PASSWORD)
    page.get_by_role("link", name="My check-ins").click()
    expect(page.get_by_text("Proud of your reading streak.")).to_be_visible()
    expect(page.get_by_text("Pick two playlist items for next week.")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("tutoring costs")
    expect(page.locator("body")).not_to_contain_text("Private notes")


def test_a_mentor_corrects_a_shared_note_and_the_student_sees_the_correction_only(page, school_a):
    student = school_a.user(Role.STUDENT)
    mentor = school_a.user(Role.MENTOR)
    MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=student)
    CheckInFactory(
        school=school_a.school,
        student=student,
        mentor=mentor,
        date=school_today(school_a.school) - dt.timedelta(days=3),
        shared_notes="Proud of your raeding streak.",
        private_notes="Family asked about tutoring costs.",
    )

    log_in(page, "mentor@alpha.example.test", TEST_PASSWORD)
    page.get_by_role("link", name="My mentees").click()
    page.get_by_role("link", name=student.get_full_name()).click()
    page.get_by_role("link", name=re.compile("1:1")).click()
    page.get_by_role("link", name="Edit check-in").click()

    expect(page.get_by_text("are not edited here")).to_be_visible()
    page.get_by_label("Notes shared with the student").fill("Proud of your reading streak.")
    private = page.get_by_label("Private notes (mentors and school admins only)")
    private.fill("Family asked about free tutoring.")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_text("Check-in updated.")).to_be_visible()
    edited = re.compile(f"Edited .* by {mentor.get_full_name()}")
    expect(page.get_by_text(edited)).to_be_visible()
    changes = page.get_by_role("region", name="Changes")
    expect(changes.get_by_role("row")).to_have_count(3)  # the header, shared notes, private notes
    expect(changes).to_contain_text("Family asked about free tutoring.")
    page.get_by_role("button", name=re.compile("Log out")).click()

    log_in(page, "student@alpha.example.test", TEST_PASSWORD)
    page.get_by_role("link", name="My check-ins").click()
    expect(page.get_by_text("Proud of your reading streak.")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("raeding")
    page.get_by_role("link", name=re.compile("1:1")).click()
    expect(page.get_by_text(edited)).to_be_visible()
    changes = page.get_by_role("region", name="Changes")
    expect(changes).to_contain_text("Proud of your raeding streak.")  # the shared note's own history
    expect(changes.get_by_role("row")).to_have_count(2)  # the header and the shared note: nothing private
    expect(page.locator("body")).not_to_contain_text("tutoring")
    expect(page.locator("body")).not_to_contain_text("Private notes")
    expect(page.get_by_role("link", name="Edit check-in")).to_have_count(0)
