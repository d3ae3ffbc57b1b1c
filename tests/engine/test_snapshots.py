"""The snapshot loader on the real models: what the policy is told about a student, read in bulk."""

import datetime as dt
import zoneinfo

from django.utils import timezone

from engine.policy.snapshot import MasteryLevel, Progress
from engine.snapshots import RECENT_RESULTS, load_snapshots
from mastery.models import CheckAttempt, MasteryState, MasteryStatus, PracticeAnswer
from playlists.models import ItemProgress
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import MembershipFactory, UserFactory

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")  # the factories' school time zone


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """An instant in November 2026, given in UTC."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)


def snapshot(world, student=None, today=dt.date(2026, 11, 20)):
    student_id = (student or world.student).pk
    with school_scope(world.school), timezone.override(CHICAGO):
        return load_snapshots(student_ids=[student_id], today=today)[student_id]


def answers(world, competency, results, *, start, student=None, minutes=1):
    """Practice answers, one a ``minutes`` apart from ``start`` (the model stamps answered_at itself)."""
    with school_scope(world.school):
        for n, correct in enumerate(results):
            row = PracticeAnswer.objects.create(
                school=world.school,
                student=student or world.student,
                competency=competency,
                is_correct=correct,
                p_before=0.5,
                p_after=0.5,
            )
            moment = start + dt.timedelta(minutes=minutes * n)
            PracticeAnswer.objects.filter(pk=row.pk).update(answered_at=moment)


def test_recent_results_are_the_last_forty_answers_oldest_first_whatever_the_competency(learning_a):
    c1, c2, _ = learning_a.competencies
    pattern = [n % 3 != 0 for n in range(45)]
    answers(learning_a, c1, pattern[0::2], start=at(10, 15), minutes=2)
    answers(learning_a, c2, pattern[1::2], start=at(10, 15, 1), minutes=2)
    assert snapshot(learning_a).recent_results == tuple(pattern[-RECENT_RESULTS:])


def test_a_student_with_few_answers_gets_them_all_and_one_without_any_gets_none(learning_a):
    c1 = learning_a.competencies[0]
    answers(learning_a, c1, [True, False, False], start=at(10, 15))
    assert snapshot(learning_a).recent_results == (True, False, False)
    newcomer = UserFactory()
    MembershipFactory(school=learning_a.school, user=newcomer, role=Role.STUDENT)
    assert snapshot(learning_a, student=newcomer).recent_results == ()


def mastered(world, competency, *, when):
    with school_scope(world.school):
        MasteryState.objects.create(
            school=world.school,
            student=world.student,
            competency=competency,
            status=MasteryStatus.MASTERED,
            p_mastered=0.97,
            mastered_at=when,
        )


def test_answers_are_counted_per_unmastered_competency(learning_a):
    c1, c2, _ = learning_a.competencies
    answers(learning_a, c1, [True, False, True], start=at(10, 15))
    answers(learning_a, c2, [False] * 11, start=at(11, 15))
    views = snapshot(learning_a).competencies
    assert (views[c1.pk].practice_answers_unmastered, views[c1.pk].practice_correct_unmastered) == (3, 2)
    assert (views[c2.pk].practice_answers_unmastered, views[c2.pk].practice_correct_unmastered) == (11, 0)


def test_a_mastered_competency_was_last_reviewed_on_the_school_day_of_its_last_answer(learning_a):
    c1 = learning_a.competencies[0]
    mastered(learning_a, c1, when=at(2, 18))
    # 03:30 UTC on the 12th is still the evening of the 11th in Chicago.
    answers(learning_a, c1, [True, True], start=at(12, 3, 29))
    view = snapshot(learning_a).competencies[c1.pk]
    assert view.level is MasteryLevel.MASTERED
    assert view.mastered_on == dt.date(2026, 11, 2)
    assert view.last_reviewed_on == dt.date(2026, 11, 11)
    assert view.practice_answers_unmastered == 0  # mastered: its answers no longer count as spinning


def test_a_competency_mastered_late_in_the_evening_counts_on_that_local_day(learning_a):
    c1 = learning_a.competencies[0]
    mastered(learning_a, c1, when=at(3, 4))  # 22:00 on the 2nd in Chicago
    view = snapshot(learning_a).competencies[c1.pk]
    assert (view.mastered_on, view.last_reviewed_on) == (dt.date(2026, 11, 2), dt.date(2026, 11, 2))


def test_last_active_is_the_latest_local_day_of_progress_answers_and_checks(learning_a):
    intro, rates, _ = learning_a.items
    c1, c2, _ = learning_a.competencies
    with school_scope(learning_a.school):
        done = ItemProgress.objects.create(
            school=learning_a.school, student=learning_a.student, item=intro, status=ItemProgress.Status.DONE
        )
        ItemProgress.objects.filter(pk=done.pk).update(updated_at=at(5, 15))
        # A not-started row is no activity, however recent.
        idle = ItemProgress.objects.create(
            school=learning_a.school,
            student=learning_a.student,
            item=rates,
            status=ItemProgress.Status.NOT_STARTED,
        )
        ItemProgress.objects.filter(pk=idle.pk).update(updated_at=at(19, 15))
    answers(learning_a, c1, [True], start=at(7, 15))
    assert snapshot(learning_a).last_active_on == dt.date(2026, 11, 7)
    with school_scope(learning_a.school):
        CheckAttempt.objects.create(
            school=learning_a.school,
            student=learning_a.student,
            competency=c2,
            status=CheckAttempt.Status.GRADED,
            pass_threshold=0.8,
            submitted_at=at(9, 2),  # the evening of the 8th in Chicago
            passed=False,
        )
    got = snapshot(learning_a)
    assert got.last_active_on == dt.date(2026, 11, 8)
    items = {item.item_id: item.progress for playlist in got.playlists for item in playlist.items}
    assert items[intro.pk] is Progress.DONE
    assert items[rates.pk] is Progress.NOT_STARTED


def test_failed_checks_in_a_row_restart_after_a_pass(learning_a):
    c1, c2, _ = learning_a.competencies
    with school_scope(learning_a.school):
        for competency, day, passed in [
            (c1, 3, False),
            (c1, 4, True),
            (c1, 5, False),
            (c1, 6, False),
            (c2, 6, False),
        ]:
            CheckAttempt.objects.create(
                school=learning_a.school,
                student=learning_a.student,
                competency=competency,
                status=CheckAttempt.Status.GRADED,
                pass_threshold=0.8,
                submitted_at=at(day, 15),
                passed=passed,
            )
    views = snapshot(learning_a).competencies
    assert views[c1.pk].failed_checks_in_a_row == 2
    assert views[c2.pk].failed_checks_in_a_row == 1


def test_another_schools_student_gets_an_empty_snapshot_and_their_answers_stay_unread(learning_a, learning_b):
    c1 = learning_b.competencies[0]
    answers(learning_b, c1, [False] * 12, start=at(10, 15))
    stranger = snapshot(learning_a, student=learning_b.student)  # school A's scope, school B's student
    assert stranger.recent_results == ()
    assert stranger.playlists == ()
    assert stranger.competencies == {}
    assert stranger.last_active_on is None
    assert snapshot(learning_b).recent_results == (False,) * 12


def test_the_snapshot_knows_each_playlists_section_each_items_done_day_and_when_mentoring_began(
    learning_a, school_a
):
    from schools.models import MentorAssignment
    from tests.factories import MentorAssignmentFactory

    intro, rates, _ = learning_a.items
    with school_scope(learning_a.school):
        ItemProgress.objects.create(
            school=learning_a.school,
            student=learning_a.student,
            item=intro,
            status=ItemProgress.Status.DONE,
            completed_at=at(6, 18),  # noon on the 6th in Chicago
        )
        ItemProgress.objects.create(
            school=learning_a.school,
            student=learning_a.student,
            item=rates,
            status=ItemProgress.Status.IN_PROGRESS,
        )
        assignment = MentorAssignmentFactory(
            school=learning_a.school, mentor=school_a.user(Role.MENTOR), student=learning_a.student
        )
        MentorAssignment.objects.filter(pk=assignment.pk).update(created_at=at(2, 18))
    got = snapshot(learning_a)
    assert [p.section_id for p in got.playlists] == [school_a.section.pk]
    assert got.done_on == {intro.pk: dt.date(2026, 11, 6)}
    assert got.check_in.has_mentor
    assert got.check_in.mentored_since == dt.date(2026, 11, 2)
