import gzip
import json

import pytest
from django.urls import reverse

from dashboard.seeding import section_seed
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import EnrollmentFactory, SectionFactory


def api_url(name, world, **kwargs):
    return reverse(f"api:dashboard_{name}", kwargs={"school_slug": world.school.slug, **kwargs})


def test_section_summary_for_the_teacher(client, school_a, classroom):
    client.force_login(school_a.user(Role.TEACHER))
    data = client.get(api_url("section_summary", school_a, section_id=school_a.section.pk)).json()
    assert [c["code"] for c in data["competencies"]] == ["RP.1", "RP.2", "RP.3"]
    assert len(data["students"]) == 3
    first = next(s for s in data["students"] if s["id"] == classroom.students[0].pk)
    assert first["cells"][0] == {
        "competency": classroom.competencies[0].pk,
        "status": "mastered",
        "p_mastered": 0.97,
    }
    assert data["ready"] == [
        {"student": classroom.students[0].pk, "competency": classroom.competencies[1].pk, "p_mastered": 0.85}
    ]
    assert [f["id"] for f in data["flags"]] == [classroom.flag.pk]
    assert data["groups"][0]["competency"] == classroom.competencies[1].pk


def test_section_summary_is_404_for_another_teachers_section_and_students(client, school_a):
    client.force_login(school_a.user(Role.TEACHER))
    assert (
        client.get(api_url("section_summary", school_a, section_id=school_a.other_section.pk)).status_code
        == 404
    )
    client.force_login(school_a.user(Role.STUDENT))
    assert client.get(api_url("section_summary", school_a, section_id=school_a.section.pk)).status_code == 404


def test_student_summary_has_shared_check_ins_only(client, school_a, classroom):
    from tests.factories import CheckInFactory

    CheckInFactory(school=school_a.school, student=classroom.students[1], mentor=school_a.user(Role.MENTOR))
    client.force_login(school_a.user(Role.TEACHER))
    response = client.get(api_url("student_summary", school_a, student_id=classroom.students[1].pk))
    assert response.status_code == 200
    data = response.json()
    assert (
        data["check_ins"][0]["shared_notes"].startswith("Shared")
        and "PRIVATE" not in response.content.decode()
    )
    assert data["flags"][0]["evidence"] == {"failed_in_a_row": 3}
    assert (
        client.get(api_url("student_summary", school_a, student_id=school_a.user(Role.MENTOR).pk)).status_code
        == 404
    )


def test_the_compact_shape_says_the_same_as_the_full_one_and_fields_pick_parts(client, school_a, classroom):
    client.force_login(school_a.user(Role.TEACHER))
    target = api_url("section_summary", school_a, section_id=school_a.section.pk)
    full = client.get(target).json()
    compact = client.get(target, {"shape": "compact"}).json()
    assert (full["shape"], compact["shape"]) == ("full", "compact")
    students = compact["students"]
    statuses = ["not_started", "practicing", "ready", "mastered"]
    for i, row in enumerate(full["students"]):
        assert students["id"][i] == row["id"] and students["name"][i] == row["name"]
        assert [statuses[s] for s in students["status"][i]] == [c["status"] for c in row["cells"]]
        assert students["p_mastered"][i] == [c["p_mastered"] for c in row["cells"]]
    assert compact["ready"] == full["ready"] and compact["flags"] == full["flags"]
    only = client.get(target, {"shape": "compact", "fields": "students,competencies"}).json()
    assert set(only) == {"section", "name", "digest", "shape", "students", "competencies"}
    assert client.get(target, {"shape": "wide"}).status_code == 400
    assert client.get(target, {"fields": "students,secrets"}).status_code == 400


@pytest.fixture(params=[(5, 3), (100, 60)], ids=["5x3", "100x60"])
def seeded(request, school_a):
    students, competencies = request.param
    section = SectionFactory(school=school_a.school, term=school_a.term, name=f"Big {students}")
    EnrollmentFactory(
        school=school_a.school, section=section, user=school_a.user(Role.TEACHER), role="teacher"
    )
    with school_scope(school_a.school):
        section_seed(section=section, students=students, competencies=competencies, tag=f"S{students}")
    return section, students, competencies


# Session, user, school, roles (the request); the section, its roster; the frame (plans, tolerance); the
# stale rows (enrollments, progress, states, flags).
API_BUDGET = 13


@pytest.mark.parametrize("shape", ["full", "compact"])
def test_the_section_summary_costs_a_constant_number_of_queries_and_compact_is_small(
    client, school_a, seeded, shape, django_assert_max_num_queries
):
    section, students, _competencies = seeded
    client.force_login(school_a.user(Role.TEACHER))
    target = api_url("section_summary", school_a, section_id=section.pk)
    client.get(api_url("section_summary", school_a, section_id=school_a.section.pk))  # warm the session
    with django_assert_max_num_queries(API_BUDGET):  # cold: every row built
        cold = client.get(target, {"shape": shape}, HTTP_ACCEPT_ENCODING="gzip")
    with django_assert_max_num_queries(API_BUDGET - 6):  # warm: the rows read from the cache
        warm = client.get(target, {"shape": shape}, HTTP_ACCEPT_ENCODING="gzip")
    assert cold["Content-Encoding"] == warm["Content-Encoding"] == "gzip"
    data = json.loads(gzip.decompress(warm.content))
    assert len(data["students"]["id"] if shape == "compact" else data["students"]) == students
    if shape == "compact" and students == 100:
        raw = len(client.get(target, {"shape": shape}).content)
        assert raw <= 170_000  # half of Kolibri's class summary for 100 learners (349 KB)
