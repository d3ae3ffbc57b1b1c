import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import CareerFactory, LearningPlanFactory, PlanFocusFactory, StudentProfileFactory
from tests.support import add_student


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def profile(school_a):
    return StudentProfileFactory(
        school=school_a.school, student=school_a.user(Role.STUDENT), accommodations="ACCOMMODATION-text"
    )


def _url(world):
    return reverse("api:learner_profile_detail", args=["alpha", world.user(Role.STUDENT).pk])


def test_students_never_get_accommodations(school_a, profile):
    client = _client(school_a.user(Role.STUDENT))
    for url in (_url(school_a), reverse("api:learner_profile_list", args=["alpha"])):
        response = client.get(url)
        assert response.status_code == 200 and "ACCOMMODATION" not in response.content.decode()


def test_teachers_of_the_student_get_accommodations(school_a, profile):
    assert (
        _client(school_a.user(Role.TEACHER)).get(_url(school_a)).json()["accommodations"]
        == "ACCOMMODATION-text"
    )


def test_field_level_rights_through_patch(school_a, profile):
    student = _client(school_a.user(Role.STUDENT))
    assert student.patch(_url(school_a), {"interests": ["Chess"]}, format="json").json()["interests"] == [
        "chess"
    ]
    assert student.patch(_url(school_a), {"strengths": ["x"]}, format="json").status_code == 403
    teacher = _client(school_a.user(Role.TEACHER))
    assert teacher.patch(_url(school_a), {"interests": ["x"]}, format="json").status_code == 403
    assert teacher.patch(_url(school_a), {"strengths": ["focus"]}, format="json").json()["strengths"] == [
        "focus"
    ]


def test_another_student_profile_is_not_found(school_a, profile):
    other = add_student(school_a, section=school_a.section)
    assert _client(other).get(_url(school_a)).status_code == 404
    assert _client(other).patch(_url(school_a), {"interests": ["x"]}, format="json").status_code == 404


def test_careers_and_plans(school_a):
    career = CareerFactory(school=school_a.school, name="Nurse")
    plan = LearningPlanFactory(
        school=school_a.school, student=school_a.user(Role.STUDENT), term=school_a.term
    )
    PlanFocusFactory(plan=plan, focus_area="Anatomy")
    student = _client(school_a.user(Role.STUDENT))
    assert (
        student.get(reverse("api:learner_career_detail", args=["alpha", career.pk])).json()["name"] == "Nurse"
    )
    plans = student.get(reverse("api:learner_plan_list", args=["alpha"])).json()
    assert plans["results"][0]["focuses"][0]["focus_area"] == "Anatomy"
    other = add_student(school_a)
    assert _client(other).get(reverse("api:learner_plan_detail", args=["alpha", plan.pk])).status_code == 404
    assert _client(other).get(reverse("api:learner_plan_list", args=["alpha"])).json()["count"] == 0


def test_profile_list_query_count_is_constant(school_a, django_assert_max_num_queries):
    client = _client(school_a.user(Role.SCHOOL_ADMIN))
    url = reverse("api:learner_profile_list", args=["alpha"])
    career = CareerFactory(school=school_a.school)

    def add(n):
        for _ in range(n):
            p = StudentProfileFactory(school=school_a.school, student=add_student(school_a))
            with school_scope(school_a.school):
                p.aspiration_careers.add(career)

    add(1)
    with django_assert_max_num_queries(8):
        assert client.get(url).json()["count"] == 1
    add(29)
    with django_assert_max_num_queries(8):
        assert client.get(url).json()["count"] == 30
