import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mentoring.models import CheckIn, CheckInChange, Goal
from mentoring.selectors import week_start
from plp.tenancy.context import school_scope
from schools.roles import DISTRICT_ADMIN, Role
from tests.factories import (
    CheckInFactory,
    GoalFactory,
    MembershipFactory,
    MentorAssignmentFactory,
    UserFactory,
)
from tests.support import add_student

PRIVATE = "PRIVATE-API-note"


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def check_in(school_a, mentee):
    return CheckInFactory(
        school=school_a.school, student=mentee, mentor=school_a.user(Role.MENTOR), private_notes=PRIVATE
    )


def _detail(check_in):
    return reverse("api:mentoring_check_in_detail", args=["alpha", check_in.pk])


def test_a_student_reading_their_check_in_gets_no_private_notes_field(school_a, check_in):
    response = _client(school_a.user(Role.STUDENT)).get(_detail(check_in))
    assert response.status_code == 200
    assert "private_notes" not in response.json()
    assert PRIVATE not in response.content.decode()
    assert response.json()["shared_notes"] == check_in.shared_notes


def test_a_student_listing_check_ins_gets_no_private_text(school_a, check_in):
    response = _client(school_a.user(Role.STUDENT)).get(
        reverse("api:mentoring_check_in_list", args=["alpha"])
    )
    assert response.json()["count"] == 1
    assert PRIVATE not in response.content.decode()


def test_another_student_gets_404_for_the_check_in_by_id(school_a, check_in):
    other = add_student(school_a, section=school_a.section)
    response = _client(other).get(_detail(check_in))
    assert response.status_code == 404 and PRIVATE not in response.content.decode()
    listing = _client(other).get(reverse("api:mentoring_check_in_list", args=["alpha"]))
    assert listing.json()["count"] == 0


def test_teachers_get_check_ins_of_their_students_without_private_notes(school_a, check_in):
    client = _client(school_a.user(Role.TEACHER))
    assert "private_notes" not in client.get(_detail(check_in)).json()
    listing = client.get(reverse("api:mentoring_check_in_list", args=["alpha"]))
    assert listing.json()["count"] == 1 and PRIVATE not in listing.content.decode()


@pytest.mark.parametrize("role", [Role.MENTOR, Role.SCHOOL_ADMIN, DISTRICT_ADMIN])
def test_mentors_and_admins_get_private_notes(school_a, check_in, role):
    client = _client(school_a.user(role))
    assert client.get(_detail(check_in)).json()["private_notes"] == PRIVATE
    listing = client.get(reverse("api:mentoring_check_in_list", args=["alpha"]))
    assert listing.json()["results"][0]["private_notes"] == PRIVATE


def test_a_mentor_records_a_check_in_through_the_api(school_a, mentee):
    goal = GoalFactory(school=school_a.school, student=mentee, week_of=week_start(timezone.localdate()))
    payload = {
        "student": mentee.pk,
        "date": timezone.localdate().isoformat(),
        "format": "small_group",
        "collaboration": 4,
        "shared_notes": "Nice teamwork",
        "private_notes": "Watch the group dynamics",
        "reviews": {str(goal.pk): "partly"},
    }
    response = _client(school_a.user(Role.MENTOR)).post(
        reverse("api:mentoring_check_in_list", args=["alpha"]), payload, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["goal_reviews"] == [{"goal": goal.pk, "status": "partly"}]
    with school_scope(school_a.school):
        assert Goal.objects.get().status == "partly"
    bad = _client(school_a.user(Role.MENTOR)).post(
        reverse("api:mentoring_check_in_list", args=["alpha"]), {**payload, "collaboration": 7}, format="json"
    )
    assert bad.status_code == 400


@pytest.mark.parametrize("role", [Role.TEACHER, Role.STUDENT])
def test_teachers_and_students_cannot_record_check_ins(school_a, role):
    response = _client(school_a.user(role)).post(
        reverse("api:mentoring_check_in_list", args=["alpha"]),
        {"student": school_a.user(Role.STUDENT).pk, "date": "2026-11-16"},
        format="json",
    )
    assert response.status_code == 403
    with school_scope(school_a.school):
        assert not CheckIn.objects.exists()


def test_the_weekly_loop_through_the_api(school_a, mentee):
    client = _client(mentee)
    url = reverse("api:mentoring_goal_list", args=["alpha"])
    created = client.post(url, {"texts": ["One", "Two"]}, format="json")
    assert created.status_code == 201 and len(created.json()) == 2
    too_many = client.post(url, {"texts": ["Three", "Four"]}, format="json")
    assert too_many.status_code == 400
    goal_id = created.json()[0]["id"]
    detail = reverse("api:mentoring_goal_detail", args=["alpha", goal_id])
    assert client.patch(detail, {"status": "met"}, format="json").status_code == 400
    reflected = client.patch(detail, {"status": "met", "reflection": "Did it."}, format="json")
    assert reflected.json()["status"] == "met"
    mentor_view = _client(school_a.user(Role.MENTOR)).get(url, {"student": mentee.pk}).json()
    assert {g["reflection"] for g in mentor_view["results"]} == {"Did it.", ""}
    assert (
        _client(school_a.user(Role.MENTOR)).patch(detail, {"status": "met", "reflection": "x"}).status_code
        == 403
    )


def test_bad_student_filter_is_a_400(school_a):
    response = _client(school_a.user(Role.MENTOR)).get(
        reverse("api:mentoring_goal_list", args=["alpha"]), {"student": "abc"}
    )
    assert response.status_code == 400


def test_check_in_list_query_count_is_constant(school_a, django_assert_max_num_queries):
    mentor = school_a.user(Role.MENTOR)
    client = _client(mentor)
    url = reverse("api:mentoring_check_in_list", args=["alpha"])

    def add(n):
        for _ in range(n):
            student = add_student(school_a)
            MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=student)
            check_in = CheckInFactory(school=school_a.school, student=student, mentor=mentor)
            goal = GoalFactory(school=school_a.school, student=student, week_of=dt.date(2026, 11, 16))
            with school_scope(school_a.school):
                check_in.goal_reviews.create(school=school_a.school, goal=goal, status="met")

    add(1)
    with django_assert_max_num_queries(10):
        assert client.get(url).json()["count"] == 1
    add(29)
    with django_assert_max_num_queries(10):
        assert len(client.get(url).json()["results"]) == 30


# PATCH: the student's mentors correct a check-in.


def test_a_mentor_corrects_a_check_in_through_the_api_and_each_change_is_listed(school_a, check_in):
    mentor = school_a.user(Role.MENTOR)
    response = _client(mentor).patch(
        _detail(check_in),
        {"shared_notes": "Corrected shared note", "perseverance": 4, "follow_up_date": "2026-11-30"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["shared_notes"], body["perseverance"], body["follow_up_date"]) == (
        "Corrected shared note",
        4,
        "2026-11-30",
    )
    assert body["private_notes"] == PRIVATE  # unchanged, and the mentor reads it
    assert [(c["field"], c["old_value"], c["new_value"]) for c in body["changes"]] == [
        ("perseverance", "", "4"),
        ("shared_notes", check_in.shared_notes, "Corrected shared note"),
        ("follow_up_date", "", "2026-11-30"),
    ]
    assert {c["changed_by"]["id"] for c in body["changes"]} == {mentor.pk}
    assert _client(mentor).get(_detail(check_in)).json()["changes"] == body["changes"]


def test_a_patch_on_a_version_read_before_another_correction_is_a_409_with_the_current_version(
    school_a, check_in
):
    mentor = _client(school_a.user(Role.MENTOR))
    read = mentor.get(_detail(check_in)).json()["version"]
    first = mentor.patch(_detail(check_in), {"next_steps": "First", "version": read}, format="json")
    assert first.status_code == 200
    late = mentor.patch(_detail(check_in), {"next_steps": "Second", "version": read}, format="json")
    assert late.status_code == 409
    current = mentor.get(_detail(check_in)).json()
    assert current["next_steps"] == "First" and late.json()["version"] == current["version"] != read
    assert "changed this check-in at" in late.json()["detail"]
    assert _client(check_in.student).get(_detail(check_in)).json().get("version") is None  # mentors' only


def test_a_patch_that_changes_nothing_records_nothing(school_a, check_in):
    response = _client(school_a.user(Role.MENTOR)).patch(
        _detail(check_in), {"shared_notes": check_in.shared_notes, "date": "2026-11-16"}, format="json"
    )
    assert response.status_code == 200 and response.json()["changes"] == []
    with school_scope(school_a.school):
        assert not CheckInChange.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"collaboration": 7}, "collaboration"),
        ({"organization": 0}, "organization"),
        ({"follow_up_date": "2026-11-15"}, "follow_up_date"),  # before the check-in
        ({"date": None}, "date"),
        ({"date": "not a date"}, "date"),
        ({"format": "by_carrier_pigeon"}, "format"),
        ({"shared_notes": "x" * 5001}, "shared_notes"),
        ({"shared_notes": "nul\x00byte"}, "shared_notes"),
        ({"reviews": {"1": "met"}}, "reviews"),  # goal reviews are not corrected here
        ({"student": 1}, "student"),
    ],
)
def test_an_invalid_correction_is_a_400_naming_the_field_and_changes_nothing(
    school_a, check_in, payload, field
):
    response = _client(school_a.user(Role.MENTOR)).patch(_detail(check_in), payload, format="json")
    assert response.status_code == 400 and field in response.json()
    with school_scope(school_a.school):
        stored = CheckIn.objects.get(pk=check_in.pk)
        assert (stored.shared_notes, stored.date, stored.follow_up_date) == (
            check_in.shared_notes,
            check_in.date,
            check_in.follow_up_date,
        )
        assert not CheckInChange.objects.exists()


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.SCHOOL_ADMIN, DISTRICT_ADMIN])
def test_those_who_read_the_check_in_but_do_not_mentor_the_student_get_403(school_a, check_in, role):
    client = _client(school_a.user(role))
    assert client.get(_detail(check_in)).status_code == 200
    for payload in ({"shared_notes": "Rewritten"}, {"collaboration": 7}):  # 403 before input is read
        assert client.patch(_detail(check_in), payload, format="json").status_code == 403
    with school_scope(school_a.school):
        assert not CheckInChange.objects.exists()


def test_those_who_cannot_read_the_check_in_get_404_for_a_patch(school_a, check_in):
    other_mentor = UserFactory()
    MembershipFactory(school=school_a.school, user=other_mentor, role=Role.MENTOR)
    MentorAssignmentFactory(school=school_a.school, mentor=other_mentor, student=add_student(school_a))
    other_student = add_student(school_a, section=school_a.section)
    for user in (other_mentor, other_student):
        response = _client(user).patch(_detail(check_in), {"shared_notes": "Rewritten"}, format="json")
        assert response.status_code == 404 and PRIVATE not in response.content.decode()
    with school_scope(school_a.school):
        assert CheckIn.objects.get(pk=check_in.pk).shared_notes == check_in.shared_notes


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER])
def test_changes_of_private_notes_are_not_in_the_api_for_the_student_or_teachers(school_a, check_in, role):
    corrections = {"shared_notes": "Corrected", "private_notes": "PRIVATE-API-rewritten"}
    _client(school_a.user(Role.MENTOR)).patch(_detail(check_in), corrections, format="json")
    response = _client(school_a.user(role)).get(_detail(check_in))
    assert [c["field"] for c in response.json()["changes"]] == ["shared_notes"]
    assert "PRIVATE-API" not in response.content.decode() and "private_notes" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.MENTOR, Role.SCHOOL_ADMIN, DISTRICT_ADMIN])
def test_mentors_and_admins_get_the_changes_of_private_notes(school_a, check_in, role):
    _client(school_a.user(Role.MENTOR)).patch(
        _detail(check_in), {"private_notes": "PRIVATE-API-rewritten"}, format="json"
    )
    changes = _client(school_a.user(role)).get(_detail(check_in)).json()["changes"]
    assert [(c["field"], c["old_value"], c["new_value"]) for c in changes] == [
        ("private_notes", PRIVATE, "PRIVATE-API-rewritten")
    ]
