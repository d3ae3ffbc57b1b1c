import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from engine import services as engine_services
from engine.models import Flag, StudentEngineState
from mentoring import services
from mentoring.models import CheckIn, CheckInChange, CheckInGoalReview, Goal, GoalChange
from mentoring.selectors import week_start
from plp.tenancy.context import school_scope
from schools.access import student_access_get
from schools.roles import Role
from tests.factories import (
    CheckInFactory,
    CompetencyFactory,
    GoalFactory,
    LearningPlanFactory,
    MentorAssignmentFactory,
    PlanFocusFactory,
)
from tests.support import postgres_only, second_writer_outcome

MONDAY = dt.date(2026, 11, 16)


def _access(world, role, student):
    return student_access_get(user=world.user(role), roles=frozenset({role}), student_id=student.pk)


def test_a_week_has_one_to_three_goals(school_a):
    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        access = _access(school_a, Role.STUDENT, student)
        competency = CompetencyFactory(framework__school=school_a.school)
        plan = LearningPlanFactory(school=school_a.school, student=student, term=school_a.term)
        PlanFocusFactory(plan=plan, competency=competency)  # goals link the student's own competencies
        goals = services.weekly_goals_set(
            access=access,
            actor=student,
            week_of=MONDAY + dt.timedelta(days=2),
            texts=["Read", " "],
            today=MONDAY,
            competencies=[competency],
        )
        assert [(g.week_of, g.due_date) for g in goals] == [(MONDAY, MONDAY + dt.timedelta(days=6))]
        assert list(goals[0].competencies.all()) == [competency]
        services.weekly_goals_set(
            access=access, actor=student, week_of=MONDAY, texts=["Two", "Three"], today=MONDAY
        )
        with pytest.raises(ValidationError, match="already has 3"):
            services.weekly_goals_set(
                access=access, actor=student, week_of=MONDAY, texts=["Four"], today=MONDAY
            )
        with pytest.raises(ValidationError, match="at least one"):
            services.weekly_goals_set(
                access=access, actor=student, week_of=MONDAY + dt.timedelta(weeks=1), texts=[""], today=MONDAY
            )
        assert Goal.objects.count() == 3
        assert GoalChange.objects.filter(field="created").count() == 3


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_second_submission_waits_for_the_first_and_a_week_never_gets_more_than_three_goals(school_a):
    """Two requests at once for a week without goals yet: the second counts the first's goals."""
    student = school_a.user(Role.STUDENT)

    def set_goals(texts):
        access = _access(school_a, Role.STUDENT, student)
        services.weekly_goals_set(access=access, actor=student, week_of=MONDAY, texts=texts, today=MONDAY)

    second_outcome = second_writer_outcome(
        school=school_a.school, first=lambda: set_goals(["A", "B", "C"]), second=lambda: set_goals(["D", "E"])
    )
    assert second_outcome == ["A week has 1 to 3 goals; this week already has 3."]
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


@pytest.fixture
def recorded(school_a, mentee):
    """A check-in recorded by the student's mentor on MONDAY, with a follow-up a week later."""
    return CheckInFactory(
        school=school_a.school,
        student=mentee,
        mentor=school_a.user(Role.MENTOR),
        date=MONDAY,
        format="one_on_one",
        perseverance=2,
        shared_notes="Keep going with fractoins.",
        private_notes="Tired lately.",
        next_steps="Two items a day.",
        follow_up_date=MONDAY + dt.timedelta(days=7),
    )


def _correct(world, check_in, data, *, role=Role.MENTOR, actor=None):
    return services.check_in_update(
        access=_access(world, role, check_in.student),
        actor=actor or world.user(role),
        check_in=check_in,
        data=data,
    )


def _as_recorded(check_in) -> dict:
    return {name: getattr(check_in, name) for name in CheckIn.OWN_FIELDS}


def test_a_mentor_corrects_a_check_in_and_each_changed_field_is_kept_with_who_and_when(
    school_a, recorded, django_capture_on_commit_callbacks
):
    mentor = school_a.user(Role.MENTOR)
    with school_scope(school_a.school):
        data = {
            **_as_recorded(recorded),
            "format": "family_conference",
            "perseverance": 3,
            "collaboration": 4,
            "shared_notes": "Keep going with fractions.",
            "follow_up_date": MONDAY + dt.timedelta(days=14),
        }
        with django_capture_on_commit_callbacks() as callbacks:
            corrected = _correct(school_a, recorded, data)
        # the engine's recompute waits for the commit (beside the dashboard's version bumps, with Redis)
        assert [cb for cb in callbacks if "recompute_on_commit" in cb.__qualname__]
        assert StudentEngineState.objects.get(student=recorded.student).dirty_since is not None
        stored = CheckIn.objects.get(pk=recorded.pk)
        assert _as_recorded(stored) == _as_recorded(corrected) == data
        changes = CheckInChange.objects.filter(check_in=recorded)
        assert sorted(changes.values_list("field", "old_value", "new_value")) == [
            ("collaboration", "", "4"),
            ("follow_up_date", "2026-11-23", "2026-11-30"),
            ("format", "1:1", "Family conference"),
            ("perseverance", "2", "3"),
            ("shared_notes", "Keep going with fractoins.", "Keep going with fractions."),
        ]
        assert {(c.changed_by, c.school_id) for c in changes} == {(mentor, school_a.school.pk)}
        assert len({c.changed_at for c in changes}) == 1  # one edit, one time


def test_a_correction_that_changes_nothing_writes_nothing(
    school_a, recorded, django_capture_on_commit_callbacks
):
    with school_scope(school_a.school):
        with django_capture_on_commit_callbacks() as callbacks:
            _correct(school_a, recorded, _as_recorded(recorded))
        assert callbacks == []
        assert not CheckInChange.objects.exists()
        assert not StudentEngineState.objects.filter(student=recorded.student).exists()


def test_another_mentor_of_the_student_corrects_and_is_named_as_the_one_who_changed_it(school_a, recorded):
    co_mentor = school_a.user(Role.TEACHER)  # also the student's secondary mentor
    MentorAssignmentFactory(
        school=school_a.school, mentor=co_mentor, student=recorded.student, is_primary=False
    )
    with school_scope(school_a.school):
        access = student_access_get(
            user=co_mentor, roles=frozenset({Role.TEACHER, Role.MENTOR}), student_id=recorded.student.pk
        )
        services.check_in_update(
            access=access, actor=co_mentor, check_in=recorded, data={"next_steps": "One item a day."}
        )
        change = CheckInChange.objects.get()
        assert (change.field, change.changed_by) == ("next_steps", co_mentor)
        assert CheckIn.objects.get(pk=recorded.pk).mentor == school_a.user(Role.MENTOR)  # still its author


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"follow_up_date": MONDAY - dt.timedelta(days=1)}, "follow_up_date"),
        ({"date": MONDAY + dt.timedelta(days=8)}, "follow_up_date"),  # now after its follow-up
        ({"collaboration": 5}, "collaboration"),
        ({"organization": 0}, "organization"),
        ({"format": "by_carrier_pigeon"}, "format"),
        ({"date": None}, "date"),
    ],
)
def test_a_correction_is_validated_like_a_recording_and_an_invalid_one_changes_nothing(
    school_a, recorded, data, field
):
    with school_scope(school_a.school):
        before = _as_recorded(CheckIn.objects.get(pk=recorded.pk))
        with pytest.raises(ValidationError) as refused:
            _correct(school_a, recorded, {**before, **data})
        assert field in refused.value.message_dict
        assert _as_recorded(CheckIn.objects.get(pk=recorded.pk)) == before
        assert not CheckInChange.objects.exists()


def test_goal_reviews_and_authorship_are_not_corrected_here(school_a, recorded):
    with school_scope(school_a.school), pytest.raises(ValidationError) as refused:
        _correct(school_a, recorded, {"mentor": school_a.user(Role.TEACHER), "shared_notes": "New"})
    assert set(refused.value.message_dict) == {"mentor"}


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.SCHOOL_ADMIN])
def test_only_the_students_mentors_correct_check_ins(school_a, recorded, role):
    with school_scope(school_a.school):
        with pytest.raises(PermissionDenied):
            _correct(school_a, recorded, {"shared_notes": "Rewritten"}, role=role)
        assert CheckIn.objects.get(pk=recorded.pk).shared_notes == "Keep going with fractoins."


def test_a_corrected_follow_up_date_reaches_the_engines_missed_check_in_flag(school_a, recorded):
    today = MONDAY + dt.timedelta(days=11)  # four days past the recorded follow-up: beyond the grace
    student_ids = [recorded.student.pk]
    with school_scope(school_a.school):
        engine_services.students_recompute(student_ids=student_ids, today=today)
        flag = Flag.objects.get(student=recorded.student, kind="missed_check_in")
        assert flag.status == "open" and "4 days ago" in flag.summary
        _correct(school_a, recorded, {"follow_up_date": today + dt.timedelta(days=4)})
        assert StudentEngineState.objects.get(student=recorded.student).dirty_since is not None
        engine_services.students_recompute(student_ids=student_ids, today=today)
        assert Flag.objects.get(pk=flag.pk).status == "cleared"


def test_week_start_is_monday():
    assert week_start(dt.date(2026, 11, 22)) == MONDAY
    assert week_start(MONDAY) == MONDAY


def test_a_correction_opened_before_another_mentors_is_refused_and_names_it(school_a, recorded):
    co_mentor = school_a.user(Role.TEACHER)
    MentorAssignmentFactory(
        school=school_a.school, mentor=co_mentor, student=recorded.student, is_primary=False
    )
    with school_scope(school_a.school):
        opened_on = recorded.version  # both mentors open the edit form on this version
        services.check_in_update(
            access=student_access_get(
                user=co_mentor, roles=frozenset({Role.TEACHER, Role.MENTOR}), student_id=recorded.student.pk
            ),
            actor=co_mentor,
            check_in=recorded,
            data={"next_steps": "One item a day."},
            expected_version=opened_on,
        )
        with pytest.raises(services.CheckInChangedMeanwhile) as refused:
            services.check_in_update(
                access=_access(school_a, Role.MENTOR, recorded.student),
                actor=school_a.user(Role.MENTOR),
                check_in=recorded,
                data={"next_steps": "Three items a day."},
                expected_version=opened_on,
            )
        assert f"{co_mentor} changed this check-in at" in refused.value.messages[0]
        assert "(next steps) after you opened it" in refused.value.messages[0]
        stored = CheckIn.objects.get(pk=recorded.pk)
        assert stored.next_steps == "One item a day." and refused.value.current_version == stored.version
        assert CheckInChange.objects.count() == 1
        # Having looked, the mentor saves on the current version: their text replaces the other.
        services.check_in_update(
            access=_access(school_a, Role.MENTOR, recorded.student),
            actor=school_a.user(Role.MENTOR),
            check_in=recorded,
            data={"next_steps": "Three items a day."},
            expected_version=refused.value.current_version,
        )
        assert CheckIn.objects.get(pk=recorded.pk).next_steps == "Three items a day."
