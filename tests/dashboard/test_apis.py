from django.urls import reverse

from schools.roles import Role


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
