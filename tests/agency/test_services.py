"""Levels govern what a student may pick, who sets their goals and how their check requests go; every
change is recorded with who, why and the evidence."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agency import selectors, services
from agency.models import LadderSettings, LevelDecision, StudentLevel
from agency.policy import Direction
from mentoring import services as mentoring_services
from mentoring.selectors import week_start
from playlists import services as playlist_services
from playlists.models import ItemProgress
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.agency.conftest import access_of, items_of, place
from tests.factories import CheckInFactory, GoalFactory


def test_a_student_never_placed_stands_at_the_top_until_the_school_adopts_a_start(school_a, mentee):
    with school_scope(school_a.school):
        assert selectors.level_of(student=mentee).rung.name == "Self-directed"
        LadderSettings.objects.create(school=school_a.school, start_rank=1)
        assert selectors.level_of(student=mentee).rung.name == "Guided"
        assert selectors.levels_of(student_ids=[mentee.pk])[mentee.pk].rank == 1


def test_guided_student_may_start_only_the_assigned_item(school_a, mentee, playlist):
    place(school_a, mentee, 1)
    first, second, *_ = items_of(school_a, playlist)
    with school_scope(school_a.school):
        with pytest.raises(PermissionDenied) as refused:
            playlist_services.item_start(student=mentee, item=second)
        assert "At Guided, the platform assigns your next item: confirm “Ratio item 1”" in str(refused.value)
        with pytest.raises(PermissionDenied):
            playlist_services.item_complete(student=mentee, item=second)
        assert not ItemProgress.objects.filter(student=mentee, item=second).exists()
        assert playlist_services.item_start(student=mentee, item=first).status == "in_progress"


def test_work_already_started_stays_open_at_any_level(school_a, mentee, playlist):
    *_, last = items_of(school_a, playlist)
    with school_scope(school_a.school):
        playlist_services.item_start(student=mentee, item=last)  # self-directed: free order
    place(school_a, mentee, 1)
    with school_scope(school_a.school):
        assert playlist_services.item_complete(student=mentee, item=last).status == "done"


def test_choosing_student_picks_from_the_top_three(school_a, mentee, playlist):
    place(school_a, mentee, 2)
    items = items_of(school_a, playlist)
    with school_scope(school_a.school):
        with pytest.raises(PermissionDenied) as refused:
            playlist_services.item_start(student=mentee, item=items[3])
        assert "At Choosing, you pick your next item from the top 3" in str(refused.value)
        assert playlist_services.item_start(student=mentee, item=items[2]).status == "in_progress"


def test_self_directed_student_works_in_any_order(school_a, mentee, playlist):
    place(school_a, mentee, 3)
    with school_scope(school_a.school):
        assert playlist_services.item_start(student=mentee, item=items_of(school_a, playlist)[4])


def test_goals_follow_the_level(school_a, mentee):
    today = dt.date(2026, 11, 20)  # a Friday: next week is open for planning
    this_week, next_week = week_start(today), week_start(today) + dt.timedelta(weeks=1)
    place(school_a, mentee, 1)
    with school_scope(school_a.school):
        own = access_of(school_a, Role.STUDENT, mentee)
        with pytest.raises(ValidationError, match="your mentor sets the week's goals"):
            mentoring_services.weekly_goals_set(
                access=own, actor=mentee, week_of=this_week, texts=["Read"], today=today
            )
        mentoring_services.weekly_goals_set(  # the mentor sets them at any level
            access=access_of(school_a, Role.MENTOR, mentee), actor=school_a.user(Role.MENTOR),
            week_of=this_week, texts=["Read"], today=today,
        )  # fmt: skip
    place(school_a, mentee, 2)
    with school_scope(school_a.school):
        mentoring_services.weekly_goals_set(
            access=own, actor=mentee, week_of=this_week, texts=["Two"], today=today
        )
        with pytest.raises(ValidationError, match="next week's goals you set with your mentor"):
            mentoring_services.weekly_goals_set(
                access=own, actor=mentee, week_of=next_week, texts=["Plan"], today=today
            )
        with pytest.raises(ValidationError, match="long-range goals"):
            mentoring_services.long_range_goal_create(access=own, actor=mentee, text="College")
    place(school_a, mentee, 3)
    with school_scope(school_a.school):
        mentoring_services.weekly_goals_set(
            access=own, actor=mentee, week_of=next_week, texts=["Plan"], today=today
        )
        mentoring_services.long_range_goal_create(access=own, actor=mentee, text="College")


def test_check_requests_wait_for_a_teacher_below_self_directed(school_a, mentee):
    with school_scope(school_a.school):
        assert services.check_needs_approval(student=mentee) is False
    place(school_a, mentee, 2)
    with school_scope(school_a.school):
        assert services.check_needs_approval(student=mentee) is True


def test_a_change_is_recorded_with_who_why_and_the_evidence(school_a, mentee):
    place(school_a, mentee, 1, reason="Starts guided.")
    decision = place(school_a, mentee, 2, by=Role.TEACHER, reason="Ready to choose.")
    with school_scope(school_a.school):
        assert decision.kind == LevelDecision.Kind.PROMOTED
        assert (decision.from_name, decision.to_name, decision.decided_by) == (
            "Guided", "Choosing", school_a.user(Role.TEACHER),
        )  # fmt: skip
        assert decision.reason == "Ready to choose."
        assert [f["key"] for f in decision.evidence] == ["habits", "goals", "pace", "checks"]
        assert decision.suggested == Direction.STAY and not decision.followed_suggestion
        assert StudentLevel.objects.get(student=mentee).rank == 2
        assert [d.kind for d in selectors.decisions_of(student=mentee)] == ["promoted", "placed"]


def test_a_reason_is_required_and_the_same_level_is_refused(school_a, mentee):
    place(school_a, mentee, 2)
    with school_scope(school_a.school):
        access = access_of(school_a, Role.MENTOR, mentee)
        with pytest.raises(ValidationError, match="Say why"):
            services.level_change(access=access, actor=school_a.user(Role.MENTOR), to_rank=3, reason="  ")
        with pytest.raises(ValidationError, match="at Choosing already"):
            services.level_change(access=access, actor=school_a.user(Role.MENTOR), to_rank=2, reason="x")
        with pytest.raises(ValidationError, match="Choose a level"):
            services.level_change(access=access, actor=school_a.user(Role.MENTOR), to_rank=4, reason="x")


def test_the_student_cannot_change_their_own_level(school_a, mentee):
    with school_scope(school_a.school), pytest.raises(PermissionDenied):
        services.level_change(
            access=access_of(school_a, Role.STUDENT, mentee), actor=mentee, to_rank=1, reason="x"
        )


def _strong_month(world, student, today):
    """Four weeks of good habits, goals met and a first check passed (pace: nothing assigned)."""
    for k in range(4):
        monday = week_start(today) - dt.timedelta(weeks=k)
        if k % 2 == 0:
            CheckInFactory(school=world.school, student=student, mentor=world.user(Role.MENTOR), date=monday,
                           self_direction=4, perseverance=3, collaboration=3, organization=3)  # fmt: skip
        for _ in range(2):
            GoalFactory(school=world.school, student=student, kind="weekly", week_of=monday,
                        due_date=monday + dt.timedelta(days=6), status="met")  # fmt: skip


def test_the_evidence_reads_check_ins_goals_and_suggests_promotion(school_a, mentee, playlist):
    today = dt.date.today()
    _strong_month(school_a, mentee, today)
    items = items_of(school_a, playlist)
    with school_scope(school_a.school):
        for item in items[:3]:  # on pace: three of five done on the plan's first day
            playlist_services.item_complete(student=mentee, item=item)
        ItemProgress.objects.filter(student=mentee).update(completed_at=timezone.now() - dt.timedelta(days=7))
    place(school_a, mentee, 1)
    with school_scope(school_a.school):
        evidence = selectors.evidence_for(student=mentee, today=today)
        found = {f.key: f for f in evidence.suggestion.findings}
        assert found["habits"].value == 3.25 and "2 check-ins" in found["habits"].evidence
        assert found["goals"].value == 1.0 and "8 weekly goals" in found["goals"].evidence
        assert found["pace"].value == 1.0
        assert evidence.suggestion.direction is Direction.PROMOTE and evidence.suggestion.to_rank == 2
    decision = place(school_a, mentee, 2, reason="The evidence is clear.")
    assert decision.followed_suggestion


def test_a_promotion_starts_the_evidence_afresh_so_one_month_never_earns_two_levels(
    school_a, mentee, playlist
):
    today = dt.date.today()
    _strong_month(school_a, mentee, today)
    with school_scope(school_a.school):
        for item in items_of(school_a, playlist)[:3]:
            playlist_services.item_complete(student=mentee, item=item)
        ItemProgress.objects.filter(student=mentee).update(completed_at=timezone.now() - dt.timedelta(days=7))
    place(school_a, mentee, 1)  # a first placement does not reset the evidence
    with school_scope(school_a.school):
        assert selectors.evidence_for(student=mentee, today=today).suggestion.direction is Direction.PROMOTE
    place(school_a, mentee, 2, reason="A strong month.")
    with school_scope(school_a.school):
        evidence = selectors.evidence_for(student=mentee, today=today)
        assert evidence.counted_from == timezone.localdate()
        assert evidence.suggestion.direction is Direction.STAY  # not "Ready for Self-directed" at once
        assert "not enough evidence" in evidence.suggestion.summary
        later = selectors.evidence_for(student=mentee, today=today + dt.timedelta(weeks=5))
        assert later.counted_from == timezone.localdate()  # the window still starts at the change


def test_a_declined_suggestion_is_kept_and_shown_as_declined(school_a, mentee, playlist):
    _strong_month(school_a, mentee, dt.date.today())
    with school_scope(school_a.school):
        for item in items_of(school_a, playlist)[:3]:
            playlist_services.item_complete(student=mentee, item=item)
        ItemProgress.objects.filter(student=mentee).update(completed_at=timezone.now() - dt.timedelta(days=7))
    place(school_a, mentee, 1)
    with school_scope(school_a.school):
        access = access_of(school_a, Role.MENTOR, mentee)
        decision = services.suggestion_decline(
            access=access, actor=school_a.user(Role.MENTOR), reason="After the project."
        )
        assert decision.kind == "declined" and decision.suggested == "promote"
        assert selectors.evidence_for(student=mentee).declined


def test_declining_when_nothing_is_suggested_is_refused(school_a, mentee):
    with school_scope(school_a.school), pytest.raises(ValidationError, match="no suggestion"):
        services.suggestion_decline(
            access=access_of(school_a, Role.MENTOR, mentee), actor=school_a.user(Role.MENTOR), reason="x"
        )


def test_only_a_self_directed_student_sets_their_own_pace_target(school_a, mentee):
    place(school_a, mentee, 2)
    with school_scope(school_a.school):
        own = access_of(school_a, Role.STUDENT, mentee)
        with pytest.raises(ValidationError, match="You set your own at Self-directed"):
            services.pace_target_set(access=own, actor=mentee, items_per_week=5)
    place(school_a, mentee, 3)
    with school_scope(school_a.school):
        assert services.pace_target_set(access=own, actor=mentee, items_per_week=5).pace_target == 5
        assert selectors.level_of(student=mentee).pace_target == 5
        with pytest.raises(ValidationError):
            services.pace_target_set(access=own, actor=mentee, items_per_week="many")


def test_a_check_request_below_self_directed_waits_for_a_teacher_and_the_page_says_why(
    client, school_a, mentee
):
    from mastery import services as mastery_services
    from tests.factories import CompetencyFactory, MasteryPolicyFactory, QuestionBankFactory, QuestionFactory

    competency = CompetencyFactory(framework__school=school_a.school, code="ALPHA.LVL.1")
    bank = QuestionBankFactory(competency=competency)
    for _ in range(5):
        QuestionFactory(bank=bank)
    MasteryPolicyFactory(competency=competency, check_size=3, readiness_rule="teacher_unlock")
    place(school_a, mentee, 2)
    with school_scope(school_a.school):
        mastery_services.check_unlock(
            student=mentee, competency=competency, teacher=school_a.user(Role.TEACHER)
        )
    client.force_login(mentee)
    page = client.get(f"/s/alpha/mastery/competencies/{competency.pk}/").content.decode()
    assert "At Choosing, a teacher approves your request before the check opens." in page
    with school_scope(school_a.school):
        attempt = mastery_services.check_request(student=mentee, competency=competency)
        assert attempt.status == "awaiting_approval"
    place(school_a, mentee, 3)
    with school_scope(school_a.school):
        mastery_services.check_decline(attempt=attempt, teacher=school_a.user(Role.TEACHER))
        mastery_services.check_unlock(
            student=mentee, competency=competency, teacher=school_a.user(Role.TEACHER)
        )
        assert mastery_services.check_request(student=mentee, competency=competency).status == "in_progress"
