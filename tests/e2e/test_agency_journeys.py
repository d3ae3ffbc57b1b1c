"""Journeys in a real browser: a mentor reviews a guided student's evidence and promotes them, and the
student's My work turns from confirming the assigned item to choosing one of three."""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from agency.models import LevelDecision, StudentLevel
from mentoring.selectors import week_start
from playlists import services as playlist_services
from playlists.models import ItemProgress
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.agency.conftest import items_of, make_mentee, make_playlist, place
from tests.e2e.conftest import log_in
from tests.factories import TEST_PASSWORD, CheckInFactory, GoalFactory
from tests.support import school_today


def _a_strong_month(world, student, playlist):
    today = school_today(world.school)
    for k in range(4):
        monday = week_start(today) - dt.timedelta(weeks=k)
        if k % 2 == 0:
            CheckInFactory(school=world.school, student=student, mentor=world.user(Role.MENTOR), date=monday,
                           self_direction=4, perseverance=3, collaboration=3, organization=4)  # fmt: skip
        for _ in range(2):
            GoalFactory(school=world.school, student=student, kind="weekly", week_of=monday,
                        due_date=monday + dt.timedelta(days=6), status="met")  # fmt: skip
    with school_scope(world.school):
        for item in items_of(world, playlist)[:2]:
            playlist_services.item_complete(student=student, item=item)
        ItemProgress.objects.filter(student=student).update(
            completed_at=timezone.now() - dt.timedelta(days=7)
        )
        from engine.services import students_recompute

        students_recompute(student_ids=[student.pk])


def test_a_mentor_promotes_a_student_on_the_evidence_and_their_my_work_changes(page, school_a):
    mentee = make_mentee(school_a)
    playlist = make_playlist(school_a, mentee, items=8)  # enough work left for three choices
    _a_strong_month(school_a, mentee, playlist)
    place(school_a, mentee, 1, reason="Starts guided, as every new student.")

    log_in(page, "student@alpha.example.test", TEST_PASSWORD)
    page.get_by_role("link", name="My work").click()
    expect(page.get_by_role("heading", name="Your level: Guided")).to_be_visible()
    expect(page.get_by_role("heading", name="Next up: assigned to you")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Confirm and start"))).to_have_count(1)
    expect(page.get_by_role("link", name=re.compile("Choose this"))).to_have_count(0)
    page.get_by_role("link", name="What earns Choosing").click()
    expect(page.get_by_role("heading", name="What earns Choosing (last 4 weeks)")).to_be_visible()
    page.context.clear_cookies()

    log_in(page, "mentor@alpha.example.test", TEST_PASSWORD)
    page.get_by_role("link", name="My mentees").click()
    row = page.get_by_role("row", name=re.compile(mentee.get_full_name()))
    row.get_by_role("link", name="Guided", exact=True).click()
    suggestion = page.get_by_role("region", name="The evidence suggests")
    expect(suggestion).to_contain_text("Ready for Choosing")
    evidence = page.locator("table.evidence")
    expect(evidence.get_by_role("row", name=re.compile("Habits of success"))).to_contain_text("✓ Met")
    expect(evidence.get_by_role("row", name=re.compile("Goals met"))).to_contain_text(
        "100% of 8 weekly goals"
    )
    # No reason: refused, the choice kept.
    suggestion.get_by_role("button", name="Confirm: promote").click()
    expect(page.get_by_label("Move to level")).to_have_value("2")
    page.get_by_label("Why (the student reads this)").fill("Goals met four weeks running; strong habits.")
    page.get_by_role("button", name="Confirm: promote").click()
    expect(page.get_by_text("is now at Choosing")).to_be_visible()
    expect(page.get_by_role("region", name="History")).to_contain_text("Guided → Choosing")
    # The month that earned Choosing does not earn Self-directed too: the evidence starts afresh.
    expect(page.get_by_role("region", name="The evidence suggests")).to_contain_text("not enough evidence")
    expect(page.get_by_text("when the level last changed")).to_be_visible()
    with school_scope(school_a.school):
        assert StudentLevel.objects.get(student=mentee).rank == 2
        decision = LevelDecision.objects.get(student=mentee, kind="promoted")
        assert decision.followed_suggestion and decision.decided_by == school_a.user(Role.MENTOR)
    page.context.clear_cookies()

    log_in(page, "student@alpha.example.test", TEST_PASSWORD)
    page.get_by_role("link", name="My work").click()
    expect(page.get_by_role("heading", name="Your level: Choosing")).to_be_visible()
    expect(page.get_by_role("heading", name="Next up: pick one")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Choose this"))).to_have_count(3)
    page.get_by_role("link", name=re.compile("Choose this")).nth(2).click()
    expect(page.get_by_role("button", name="Mark as done")).to_be_visible()
