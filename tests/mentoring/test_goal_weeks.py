"""One rule for the weeks goals are set for (this week; next week from Friday on, or once it has goals): the
page offers those forms, and the service refuses any other week, so the API does too."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from mentoring import services
from mentoring.models import Goal
from mentoring.selectors import week_open_for_goals, week_start
from plp.tenancy.context import school_scope
from schools.access import student_access_get
from schools.roles import Role
from tests.support import school_today

MONDAY = dt.date(2026, 11, 16)
THURSDAY, FRIDAY, SUNDAY = (MONDAY + dt.timedelta(days=n) for n in (3, 4, 6))
NEXT_MONDAY = MONDAY + dt.timedelta(weeks=1)


@pytest.mark.parametrize(
    ("monday", "today", "goals_that_week", "open_"),
    [
        (MONDAY, MONDAY, 0, True),
        (MONDAY, SUNDAY, 3, True),
        (NEXT_MONDAY, THURSDAY, 0, False),
        (NEXT_MONDAY, THURSDAY, 1, True),  # planned already (on a Friday): its slots stay open
        (NEXT_MONDAY, FRIDAY, 0, True),
        (NEXT_MONDAY + dt.timedelta(weeks=1), SUNDAY, 0, False),
        (MONDAY - dt.timedelta(weeks=1), MONDAY, 1, False),
        (dt.date(1900, 1, 1), MONDAY, 0, False),
        (dt.date(2999, 12, 27), MONDAY, 0, False),
    ],
)
def test_the_weeks_open_for_goals(monday, today, goals_that_week, open_):
    assert week_open_for_goals(monday=monday, today=today, goals_that_week=goals_that_week) is open_


def test_the_service_refuses_a_week_the_page_does_not_offer_with_a_field_error(school_a):
    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        access = student_access_get(user=student, roles=frozenset({Role.STUDENT}), student_id=student.pk)
        with pytest.raises(ValidationError) as refused:
            services.weekly_goals_set(
                access=access, actor=student, week_of=NEXT_MONDAY, texts=["Plan"], today=THURSDAY
            )
        assert refused.value.message_dict == {
            "week_of": ["Goals are set for this week, or for next week from Friday on."]
        }
        goals = services.weekly_goals_set(
            access=access, actor=student, week_of=NEXT_MONDAY, texts=["Plan"], today=FRIDAY
        )
        assert [g.week_of for g in goals] == [NEXT_MONDAY]


@pytest.mark.parametrize("week_of", ["1900-01-01", "2999-12-27", "last week"])
def test_the_api_refuses_goals_for_a_week_the_page_does_not_offer(school_a, week_of):
    student = school_a.user(Role.STUDENT)
    if week_of == "last week":
        week_of = (week_start(school_today(school_a.school)) - dt.timedelta(weeks=1)).isoformat()
    api = APIClient()
    api.force_authenticate(student)
    response = api.post(
        "/api/v1/s/alpha/mentoring/goals/", {"week_of": week_of, "texts": ["Read"]}, format="json"
    )
    assert response.status_code == 400
    assert "week_of" in response.json()
    with school_scope(school_a.school):
        assert not Goal.objects.exists()


def test_the_api_sets_this_weeks_goals(school_a):
    api = APIClient()
    api.force_authenticate(school_a.user(Role.STUDENT))
    today = school_today(school_a.school)
    response = api.post(
        "/api/v1/s/alpha/mentoring/goals/", {"week_of": today.isoformat(), "texts": ["Read"]}, format="json"
    )
    assert response.status_code == 201
    assert response.json()[0]["week_of"] == week_start(today).isoformat()
