"""The Next up page and API: teachers pin and veto with a reason, mentors read, students and strangers 404."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from engine import services
from engine.models import ItemDirective, StudentRecommendation
from plp.tenancy.context import school_scope
from schools.roles import Role


@pytest.fixture
def page_url(learning_a):
    return reverse("engine:student_next_up", args=["alpha", learning_a.student.pk])


def client_for(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_a_teacher_sees_the_ranked_next_up_with_reasons(learning_a, school_a, page_url):
    with school_scope(learning_a.school):
        services.students_recompute(student_ids=[learning_a.student.pk])
    response = client_for(school_a.user(Role.TEACHER)).get(page_url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ratios intro" in body
    with school_scope(learning_a.school):
        first = StudentRecommendation.objects.filter(student=learning_a.student).order_by("rank").first()
    assert first.reason in body


def test_a_teacher_pins_an_item_and_the_engine_puts_it_first(
    learning_a, school_a, page_url, django_capture_on_commit_callbacks
):
    stats = learning_a.items[2]
    client = client_for(school_a.user(Role.TEACHER))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url, {"item": stats.pk, "kind": "pin", "reason": "Sports day on Friday"})
    assert response.status_code == 302
    with school_scope(learning_a.school):
        directive = ItemDirective.objects.get()
        services.students_recompute(student_ids=[learning_a.student.pk])
        first = StudentRecommendation.objects.filter(student=learning_a.student).order_by("rank").first()
    assert (directive.kind, directive.reason, directive.created_by) == (
        "pin",
        "Sports day on Friday",
        school_a.user(Role.TEACHER),
    )
    assert first.item == stats
    assert first.pinned
    assert "Sports day on Friday" in first.reason


def test_a_veto_needs_a_reason_and_the_form_keeps_what_was_chosen(learning_a, school_a, page_url):
    intro = learning_a.items[0]
    response = client_for(school_a.user(Role.TEACHER)).post(page_url, {"item": intro.pk, "kind": "veto"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert f'value="{intro.pk}" selected' in response.content.decode()
    with school_scope(learning_a.school):
        assert not ItemDirective.objects.exists()


def test_ending_a_veto_keeps_it_on_record(learning_a, school_a):
    teacher = school_a.user(Role.TEACHER)
    with school_scope(learning_a.school):
        directive = services.directive_add(
            student=learning_a.student,
            item=learning_a.items[0],
            kind="veto",
            reason="broken link",
            by=teacher,
        )
    url = reverse("engine:directive_end", args=["alpha", learning_a.student.pk, directive.pk])
    assert client_for(teacher).post(url).status_code == 302
    with school_scope(learning_a.school):
        directive.refresh_from_db()
    assert not directive.is_active
    assert directive.reason == "broken link"
    assert directive.ended_by == teacher


def test_an_item_outside_the_students_playlists_cannot_be_pinned(learning_a, school_a):
    from tests.factories import ContentItemFactory

    stray = ContentItemFactory(school=learning_a.school)
    with school_scope(learning_a.school), pytest.raises(Exception, match="not in any playlist"):
        services.directive_add(
            student=learning_a.student, item=stray, kind="pin", reason="x", by=school_a.user(Role.TEACHER)
        )


@pytest.mark.parametrize(
    ("who", "get", "post"),
    [
        ("teacher", 200, 302),
        ("school_admin", 200, 302),
        ("mentor", 404, 404),  # not this student's mentor
        ("other_teacher", 404, 404),  # does not teach the student
        ("student", 404, 404),  # the student's own view is My work
    ],
)
def test_who_may_read_and_who_may_pin(learning_a, school_a, page_url, who, get, post):
    client = client_for(school_a.user(who))
    assert client.get(page_url).status_code == get
    stats = learning_a.items[2]
    assert client.post(page_url, {"item": stats.pk, "kind": "pin", "reason": "r"}).status_code == post


def test_a_mentor_of_the_student_reads_but_does_not_pin(learning_a, school_a, page_url):
    from tests.factories import MentorAssignmentFactory

    mentor = school_a.user(Role.MENTOR)
    MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=learning_a.student)
    client = client_for(mentor)
    assert client.get(page_url).status_code == 200
    assert (
        client.post(page_url, {"item": learning_a.items[2].pk, "kind": "pin", "reason": "r"}).status_code
        == 404
    )


def test_the_api_serves_next_up_and_takes_pins(learning_a, school_a):
    teacher = client_for(school_a.user(Role.TEACHER))
    base = f"/api/v1/s/alpha/engine/students/{learning_a.student.pk}/"
    with school_scope(learning_a.school):
        services.students_recompute(student_ids=[learning_a.student.pk])
    body = teacher.get(base).json()
    assert body["recommendations"][0]["reason"]
    created = teacher.post(
        f"{base}directives/", {"item": learning_a.items[2].pk, "kind": "pin", "reason": "now"}
    )
    assert created.status_code == 201
    bad = teacher.post(f"{base}directives/", {"item": learning_a.items[2].pk, "kind": "pin", "reason": ""})
    assert bad.status_code == 400
    assert "reason" in bad.json()
    ended = teacher.post(f"{base}directives/{created.json()['id']}/end/")
    assert ended.json()["is_active"] is False
    assert client_for(school_a.user(Role.STUDENT)).get(base).status_code == 404


def test_the_page_keeps_a_constant_number_of_queries(
    learning_a, school_a, page_url, django_assert_max_num_queries
):
    teacher = client_for(school_a.user(Role.TEACHER))
    with django_assert_max_num_queries(22):
        assert teacher.get(page_url).status_code == 200
    with school_scope(learning_a.school):
        for item in learning_a.items:
            services.directive_add(
                student=learning_a.student, item=item, kind="veto", reason="r", by=school_a.user(Role.TEACHER)
            )
        services.students_recompute(student_ids=[learning_a.student.pk])
    with django_assert_max_num_queries(22):
        assert teacher.get(page_url).status_code == 200


def test_the_teachers_next_up_quotes_each_reason_as_what_the_student_sees(learning_a, school_a, page_url):
    """Reasons are written to the student ("Your next try opens at ..."): the teacher reads a quote."""
    from django.utils.html import escape

    with school_scope(learning_a.school):
        services.students_recompute(student_ids=[learning_a.student.pk])
        first = StudentRecommendation.objects.filter(student=learning_a.student).order_by("rank").first()
    body = client_for(school_a.user(Role.TEACHER)).get(page_url).content.decode()
    assert f"The student sees: “{escape(first.reason)}”" in body
