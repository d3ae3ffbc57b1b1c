import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from learners.selectors import student_access_get
from mentoring import services
from mentoring.models import CheckInGoalReview, Goal, GoalChange
from mentoring.selectors import week_start
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import CompetencyFactory, GoalFactory
from tests.support import postgres_only

MONDAY = dt.date(2026, 11, 16)


def _access(world, role, student):
    return student_access_get(user=world.user(role), roles=frozenset({role}), student_id=student.pk)


def test_a_week_has_one_to_three_goals(school_a):
    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        access = _access(school_a, Role.STUDENT, student)
        competency = CompetencyFactory(framework__school=school_a.school)
        goals = services.weekly_goals_set(
            access=access,
            actor=student,
            week_of=MONDAY + dt.timedelta(days=2),
            texts=["Read", " "],
            competencies=[competency],
        )
        assert [(g.week_of, g.due_date) for g in goals] == [(MONDAY, MONDAY + dt.timedelta(days=6))]
        assert list(goals[0].competencies.all()) == [competency]
        services.weekly_goals_set(access=access, actor=student, week_of=MONDAY, texts=["Two", "Three"])
        with pytest.raises(ValidationError, match="already has 3"):
            services.weekly_goals_set(access=access, actor=student, week_of=MONDAY, texts=["Four"])
        with pytest.raises(ValidationError, match="at least one"):
            services.weekly_goals_set(
                access=access, actor=student, week_of=MONDAY + dt.timedelta(weeks=1), texts=[""]
            )
        assert Goal.objects.count() == 3
        assert GoalChange.objects.filter(field="created").count() == 3


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_second_submission_waits_for_the_first_and_a_week_never_gets_more_than_three_goals(school_a):
    """Two requests at once for a week without goals yet: the second counts the first's goals."""
    student = school_a.user(Role.STUDENT)
    first_in_progress, first_may_commit = threading.Event(), threading.Event()
    second_outcome: list[str] = []

    def first():
        try:
            with school_scope(school_a.school), transaction.atomic():
                access = _access(school_a, Role.STUDENT, student)
                services.weekly_goals_set(access=access, actor=student, week_of=MONDAY, texts=["A", "B", "C"])
                first_in_progress.set()
                first_may_commit.wait(10)
        finally:
            connection.close()

    def second():
        first_in_progress.wait(10)
        try:
            with school_scope(school_a.school):
                access = _access(school_a, Role.STUDENT, student)
                services.weekly_goals_set(access=access, actor=student, week_of=MONDAY, texts=["D", "E"])
                second_outcome.append("saved")
        except ValidationError as error:
            second_outcome.extend(error.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_in_progress.wait(10)
    time.sleep(0.3)
    assert second_outcome == []  # waiting for the first request's transaction
    first_may_commit.set()
    for thread in threads:
        thread.join(10)
    assert second_outcome == ["A week has one to 3 goals; this week already has 3."]
    with school_scope(school_a.school):
        assert Goal.objects.filter(student=student).count() == 3


def test_the_student_reflects_with_a_status_and_a_sentence(school_a, mentee):
    with school_scope(school_a.school):
        goal = GoalFactory(school=school_a.school, student=mentee, week_of=MONDAY)
        access = _access(school_a, Role.STUDENT, mentee)
        with pytest.raises(ValidationError, match="sentence"):
            services.goal_reflect(access=access, actor=mentee, goal=goal, status="met", reflection="  ")
        with pytest.raises(ValidationError):
            services.goal_reflect(access=access, actor=mentee, goal=goal, status="open", reflection="Done")
        with pytest.raises(PermissionDenied):
            services.goal_reflect(
                access=_access(school_a, Role.MENTOR, mentee),
                actor=mentee,
                goal=goal,
                status="met",
                reflection="x",
            )
        services.goal_reflect(
            access=access, actor=mentee, goal=goal, status="partly", reflection="Half the book."
        )
        goal.refresh_from_db()
        assert (goal.status, goal.reflection) == ("partly", "Half the book.")
        assert set(GoalChange.objects.values_list("field", "new_value", "changed_by")) == {
            ("status", "Partly met", mentee.pk),
            ("reflection", "Half the book.", mentee.pk),
        }


def test_a_check_in_reviews_goals_and_keeps_their_history(school_a, mentee):
    mentor = school_a.user(Role.MENTOR)
    with school_scope(school_a.school):
        goal = GoalFactory(school=school_a.school, student=mentee, week_of=MONDAY)
        kept = GoalFactory(school=school_a.school, student=mentee, week_of=MONDAY)
        check_in = services.check_in_record(
            access=_access(school_a, Role.MENTOR, mentee),
            actor=mentor,
            data={"date": MONDAY, "format": "one_on_one", "perseverance": 3, "shared_notes": "Well done"},
            reviews={goal.pk: "met", kept.pk: "open"},
        )
        goal.refresh_from_db()
        assert goal.status == "met"
        assert dict(CheckInGoalReview.objects.values_list("goal_id", "status")) == {
            goal.pk: "met",
            kept.pk: "open",
        }
        assert list(GoalChange.objects.values_list("goal_id", "old_value", "new_value", "changed_by")) == [
            (goal.pk, "Open", "Met", mentor.pk)
        ]
        assert check_in.mentor == mentor and check_in.perseverance == 3


def test_a_check_in_cannot_review_another_students_goal(school_a, mentee):
    other = GoalFactory(school=school_a.school, student=school_a.user(Role.TEACHER), week_of=MONDAY)
    with school_scope(school_a.school), pytest.raises(ValidationError, match="not this student"):
        services.check_in_record(
            access=_access(school_a, Role.MENTOR, mentee),
            actor=school_a.user(Role.MENTOR),
            data={"date": MONDAY},
            reviews={other.pk: "met"},
        )


@pytest.mark.parametrize("rating", [0, 5])
def test_habits_are_rated_one_to_four(school_a, mentee, rating):
    with school_scope(school_a.school), pytest.raises(ValidationError):
        services.check_in_record(
            access=_access(school_a, Role.MENTOR, mentee),
            actor=school_a.user(Role.MENTOR),
            data={"date": MONDAY, "collaboration": rating},
        )


def test_teachers_do_not_record_check_ins(school_a):
    with school_scope(school_a.school), pytest.raises(PermissionDenied):
        services.check_in_record(
            access=_access(school_a, Role.TEACHER, school_a.user(Role.STUDENT)),
            actor=school_a.user(Role.TEACHER),
            data={"date": MONDAY},
        )


def test_week_start_is_monday():
    assert week_start(dt.date(2026, 11, 22)) == MONDAY
    assert week_start(MONDAY) == MONDAY
