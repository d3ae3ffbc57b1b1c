"""The goal board: which weeks a student sees and may plan."""

import datetime as dt

from mentoring.selectors import goal_board
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import GoalFactory

THURSDAY, FRIDAY, SUNDAY = dt.date(2026, 11, 26), dt.date(2026, 11, 27), dt.date(2026, 11, 29)
NEXT_MONDAY = dt.date(2026, 11, 30)


def test_next_week_is_planned_from_friday_on(school_a):
    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        assert goal_board(student=student, today=THURSDAY)["plans_next_week"] is False
        for day in (FRIDAY, SUNDAY):
            board = goal_board(student=student, today=day)
            assert board["plans_next_week"] is True and board["next_monday"] == NEXT_MONDAY
            assert board["next_week"] == []


def test_next_weeks_goals_show_on_any_day_once_set_and_apart_from_this_weeks(school_a):
    student = school_a.user(Role.STUDENT)
    GoalFactory(school=school_a.school, student=student, week_of=NEXT_MONDAY, text="Plan ahead")
    GoalFactory(school=school_a.school, student=student, week_of=dt.date(2026, 11, 23), text="Now")
    with school_scope(school_a.school):
        board = goal_board(student=student, today=THURSDAY)
    assert board["plans_next_week"] is True
    assert [g.text for g in board["next_week"]] == ["Plan ahead"]
    assert [g.text for g in board["this_week"]] == ["Now"]
    assert board["past_weeks"] == []
