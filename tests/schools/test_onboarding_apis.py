"""The onboarding API: import runs (upload, status, confirm, report), people, enrollments, mentors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from plp.tenancy.context import school_scope
from schools.models import MentorAssignment
from schools.rostering.models import RosterPerson
from schools.rostering.tasks import roster_import_task
from schools.rostering.validation import parse_roster
from schools.rostering.writer import roster_write
from tests.factories import MembershipFactory
from tests.schools.roster_files import USERS, as_zip, roster

BASE = "/api/v1/s/alpha"


@pytest.fixture
def admin_api(school_a):
    client = APIClient()
    client.force_authenticate(school_a.user("school_admin"))
    return client


def test_upload_status_report_confirm_through_the_api(
    admin_api, school_a, django_capture_on_commit_callbacks
):
    files = roster(users=USERS.replace("student,sam", "pupil,sam"))
    upload = SimpleUploadedFile("roster.zip", as_zip(files), content_type="application/zip")
    created = admin_api.post(f"{BASE}/imports/", {"files": [upload]}, format="multipart")
    assert created.status_code == 201, created.content
    run = created.json()
    assert run["status"] == "checked" and run["error_count"] == 3
    assert run["counts"]["students"]["create"] == 1  # Sam's row has an error
    report = admin_api.get(f"{BASE}/imports/{run['id']}/report/").json()
    assert {
        "severity": "error",
        "file": "users.csv",
        "line": 3,
        "column": "role",
        "value": "pupil",
    }.items() <= (report[0].items())
    refused = admin_api.post(f"{BASE}/imports/{run['id']}/confirm/", {}, format="json")
    assert refused.status_code == 400 and "Some rows have errors" in str(refused.json())
    with django_capture_on_commit_callbacks(execute=False):
        accepted = admin_api.post(
            f"{BASE}/imports/{run['id']}/confirm/", {"skip_problem_rows": True}, format="json"
        )
    assert accepted.status_code == 202
    roster_import_task.apply(kwargs={"school_id": school_a.school.pk, "run_id": run["id"]})
    status = admin_api.get(f"{BASE}/imports/{run['id']}/").json()
    assert status["status"] == "succeeded" and status["progress"] == 100
    with school_scope(school_a.school):
        assert set(RosterPerson.objects.values_list("sourced_id", flat=True)) == {"t-1", "s-2"}


def test_an_empty_upload_is_a_field_error(admin_api):
    response = admin_api.post(f"{BASE}/imports/", {}, format="multipart")
    assert response.status_code == 400 and "files" in response.json()


def test_people_and_enrollments_are_listed_and_filtered(admin_api, school_a):
    with school_scope(school_a.school):
        roster_write(roster=parse_roster(roster()))
    people = admin_api.get(f"{BASE}/people/", {"role": "student", "grade": "09"}).json()
    assert {p["email"] for p in people["results"]} == {"sam@roster.example.test", "sue@roster.example.test"}
    enrollments = admin_api.get(f"{BASE}/enrollments/", {"section": school_a.section.pk}).json()
    assert {e["role"] for e in enrollments["results"]} == {"teacher", "student"}
    assert admin_api.get(f"{BASE}/enrollments/", {"section": "x"}).status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_the_people_api_query_count_does_not_grow(admin_api, school_a, rows, django_assert_max_num_queries):
    for _ in range(rows):
        MembershipFactory(school=school_a.school, role="student")
    with django_assert_max_num_queries(8):
        assert admin_api.get(f"{BASE}/people/").status_code == 200


def test_mentor_assignments_are_made_and_ended_through_the_api(admin_api, school_a, school_b):
    mentor, student = school_a.user("mentor"), school_a.user("student")
    bad = admin_api.post(
        f"{BASE}/mentor-assignments/",
        {"mentor_id": mentor.pk, "student_ids": [school_b.user("student").pk]},
        format="json",
    )
    assert bad.status_code == 400
    made = admin_api.post(
        f"{BASE}/mentor-assignments/", {"mentor_id": mentor.pk, "student_ids": [student.pk]}, format="json"
    )
    assert made.status_code == 201 and made.json()["created"] == 1
    (listed,) = admin_api.get(f"{BASE}/mentor-assignments/").json()["results"]
    assert admin_api.delete(f"{BASE}/mentor-assignments/{listed['id']}/").status_code == 204
    with school_scope(school_a.school):
        assert MentorAssignment.objects.get(pk=listed["id"]).is_active is False


@pytest.mark.parametrize("role", ["student", "teacher", "mentor"])
def test_other_roles_are_refused_lists_and_do_not_find_objects(school_a, role):
    client = APIClient()
    client.force_authenticate(school_a.user(role))
    assert client.get(f"{BASE}/people/").status_code == 403
    assert client.get(f"{BASE}/imports/").status_code == 403
    with school_scope(school_a.school):
        from schools.rostering.models import ImportRun

        run = ImportRun.objects.create(school=school_a.school, archive=b"", report=[], counts={})
    assert client.get(f"{BASE}/imports/{run.pk}/").status_code == 404
    assert client.post(f"{BASE}/imports/{run.pk}/confirm/").status_code == 404


def test_a_district_admin_lists_and_opens_schools_through_the_api(school_a, school_b):
    from schools.models import School

    client = APIClient()
    client.force_authenticate(school_a.user("district_admin"))
    listed = client.get(f"{BASE}/district/schools/").json()["results"]
    assert [s["slug"] for s in listed] == ["alpha"]
    made = client.post(
        f"{BASE}/district/schools/",
        {
            "name": "Alpha Annex",
            "slug": "annex",
            "timezone": "America/Chicago",
            "admin_email": "head@annex.test",
            "admin_given_name": "H",
            "admin_family_name": "A",
        },
        format="json",
    )
    assert made.status_code == 201
    assert School.objects.get(slug="annex").organization_id == school_a.school.organization_id
    bad = client.post(
        f"{BASE}/district/schools/",
        {
            "name": "X",
            "slug": "bravo",
            "timezone": "Nowhere/Zone",
            "admin_email": "a@b.test",
            "admin_given_name": "A",
            "admin_family_name": "B",
        },
        format="json",
    )
    assert bad.status_code == 400
    admin = APIClient()
    admin.force_authenticate(school_a.user("school_admin"))
    assert admin.get(f"{BASE}/district/schools/").status_code == 403
