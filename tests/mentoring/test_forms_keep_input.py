"""Every mentoring form that meets an error shows it again with what was typed, the message next to its
field, with htmx (just the form) and without."""

import pytest
from django.urls import reverse

from mentoring.selectors import week_start
from schools.roles import Role
from tests.factories import CheckInFactory, GoalFactory
from tests.form_checks import assert_kept_with_error, assert_non_field_error
from tests.support import school_today

HTMX = [pytest.param({"HTTP_HX_REQUEST": "true"}, id="htmx"), pytest.param({}, id="plain")]
NOTES = "Talked about fractions; she wants to try the challenge playlist."


def url(name, *args):
    return reverse(f"mentoring:{name}", args=["alpha", *args])


@pytest.mark.parametrize("headers", HTMX)
def test_a_weekly_goal_too_long_keeps_the_others(client, school_a, headers):
    client.force_login(school_a.user(Role.STUDENT))
    data = {"action": "weekly", "goal_1": "x" * 301, "goal_2": "Finish RP.1 practice"}
    response = client.post(url("my_goals"), data, **headers)
    assert response.status_code == 200
    assert_kept_with_error(response, name="goal_2", typed="Finish RP.1 practice")
    assert_kept_with_error(response, name="goal_1", typed="x" * 301, error="at most 300 characters")


@pytest.mark.parametrize("headers", HTMX)
def test_no_weekly_goal_at_all_says_so_in_the_form(client, school_a, headers):
    client.force_login(school_a.user(Role.STUDENT))
    response = client.post(url("my_goals"), {"action": "weekly", "goal_1": " "}, **headers)
    assert response.status_code == 200
    assert_non_field_error(response, error="Write 1 to 3 goals for the week.")


@pytest.mark.parametrize("headers", HTMX)
def test_a_long_range_goal_without_text_keeps_its_date(client, school_a, headers):
    client.force_login(school_a.user(Role.STUDENT))
    data = {"action": "long_range", "text": "", "due_date": "2027-06-01"}
    response = client.post(url("my_goals"), data, **headers)
    assert response.status_code == 200
    assert_kept_with_error(response, name="due_date", typed="2027-06-01")
    assert_kept_with_error(response, name="text", typed="", error="This field is required.")


@pytest.mark.parametrize("headers", HTMX)
def test_a_reflection_without_a_status_keeps_the_sentence(client, school_a, headers):
    student = school_a.user(Role.STUDENT)
    goal = GoalFactory(
        school=school_a.school, student=student, week_of=week_start(school_today(school_a.school))
    )
    client.force_login(student)
    response = client.post(url("goal_reflect", goal.pk), {"reflection": "Three days of five."}, **headers)
    assert response.status_code == 200
    assert_kept_with_error(response, name="status", typed=False, error="This field is required.")
    response = client.post(url("goal_reflect", goal.pk), {"status": "partly", "reflection": ""}, **headers)
    assert_kept_with_error(response, name="status", typed=True)  # the ticked one stays ticked
    assert_kept_with_error(response, name="reflection", typed="", error="This field is required.")


@pytest.mark.parametrize("headers", HTMX)
def test_a_check_in_without_a_date_keeps_the_notes(client, school_a, mentee, headers):
    client.force_login(school_a.user(Role.MENTOR))
    data = {"date": "", "format": "in_person", "shared_notes": NOTES, "perseverance": "3"}
    response = client.post(url("check_in_new", mentee.pk), data, **headers)
    assert response.status_code == 200
    assert_kept_with_error(response, name="shared_notes", typed=NOTES)
    assert_kept_with_error(response, name="perseverance", typed="3")
    assert_kept_with_error(response, name="date", typed="", error="This field is required.")


def test_correcting_a_check_in_into_an_error_keeps_the_correction(client, school_a, mentee):
    check_in = CheckInFactory(school=school_a.school, student=mentee, mentor=school_a.user(Role.MENTOR))
    client.force_login(school_a.user(Role.MENTOR))
    data = {"date": "not a date", "format": "in_person", "shared_notes": NOTES, "version": check_in.version}
    response = client.post(url("check_in_edit", check_in.pk), data)
    assert response.status_code == 200
    assert_kept_with_error(response, name="shared_notes", typed=NOTES)
    assert_kept_with_error(response, name="date", typed="not a date", error="Enter a valid date.")
