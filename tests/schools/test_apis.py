import pytest
from rest_framework.test import APIClient

from accounts.api_keys import key_hash
from accounts.services import api_token_issue
from schools.roles import DISTRICT_ADMIN
from tests.factories import TEST_PASSWORD, EnrollmentFactory, SectionFactory


@pytest.fixture
def api():
    return APIClient()


def test_a_token_is_issued_for_a_correct_email_and_password(api, school_a):
    response = api.post(
        "/api/v1/auth/token/",
        {"email": "TEACHER@alpha.example.test", "password": TEST_PASSWORD},
        format="json",
    )
    assert response.status_code == 200
    token = school_a.user("teacher").api_tokens.get()
    assert key_hash(response.json()["token"]) == token.key_hash  # only the hash is stored
    assert response.json()["client"] == "API client" and response.json()["school"] is None


def test_a_wrong_password_gets_a_field_error_not_a_token(api, school_a):
    response = api.post(
        "/api/v1/auth/token/",
        {"email": "teacher@alpha.example.test", "password": "wrong"},
        format="json",
    )
    assert response.status_code == 400
    assert "do not match" in response.json()["non_field_errors"][0]


def test_a_malformed_token_request_gets_field_errors(api, db):
    # "email" takes a username too (people without email), so a blank one is the malformed case now.
    response = api.post("/api/v1/auth/token/", {"email": ""}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_token_authentication_reaches_the_callers_school(api, school_a):
    _, key = api_token_issue(user=school_a.user("teacher"), client_name="tests")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get("/api/v1/s/alpha/")
    assert response.status_code == 200
    assert response.json() == {
        "school": {
            "id": school_a.school.pk,
            "slug": "alpha",
            "name": "Alpha Academy",
            "timezone": "America/Chicago",
            "organization": "Alpha Academy District",
        },
        "roles": ["teacher"],
    }


def test_anonymous_api_requests_get_401(api, school_a):
    assert api.get("/api/v1/s/alpha/sections/").status_code == 401
    assert api.get("/api/v1/me/schools/").status_code == 401


def test_a_bad_token_gets_401_not_a_school(api, school_a):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get("/api/v1/s/alpha/").status_code == 401


def test_my_schools_lists_only_the_callers_schools(api, school_a, school_b):
    api.force_authenticate(school_a.user(DISTRICT_ADMIN))
    body = api.get("/api/v1/me/schools/").json()
    assert [(item["school"]["slug"], item["roles"]) for item in body] == [("alpha", ["district_admin"])]


def test_a_teacher_lists_only_sections_they_teach(api, school_a):
    api.force_authenticate(school_a.user("teacher"))
    body = api.get("/api/v1/s/alpha/sections/").json()
    assert body["count"] == 1
    section = body["results"][0]
    assert section["name"] == "ALPHA-SECTION-ONE"
    assert section["student_count"] == 1
    assert [t["email"] for t in section["teachers"]] == ["teacher@alpha.example.test"]


def test_another_teachers_section_by_id_is_404(api, school_a):
    api.force_authenticate(school_a.user("teacher"))
    assert api.get(f"/api/v1/s/alpha/sections/{school_a.other_section.pk}/").status_code == 404


def test_a_student_gets_their_sections_teachers_but_no_classmates(api, school_a):
    EnrollmentFactory(section=school_a.section, role="student")
    api.force_authenticate(school_a.user("student"))
    body = api.get(f"/api/v1/s/alpha/sections/{school_a.section.pk}/").json()
    assert [e["person"]["email"] for e in body["teachers"]] == ["teacher@alpha.example.test"]
    assert body["students"] == []


def test_a_school_admin_gets_every_section_with_its_roster(api, school_a):
    api.force_authenticate(school_a.user("school_admin"))
    assert api.get("/api/v1/s/alpha/sections/").json()["count"] == 2
    body = api.get(f"/api/v1/s/alpha/sections/{school_a.section.pk}/").json()
    assert [e["person"]["email"] for e in body["students"]] == ["student@alpha.example.test"]


def test_terms_are_readable_by_every_member(api, school_a):
    api.force_authenticate(school_a.user("student"))
    body = api.get("/api/v1/s/alpha/terms/").json()
    assert [t["name"] for t in body["results"]] == ["ALPHA-TERM"]
    assert api.get(f"/api/v1/s/alpha/terms/{school_a.term.pk}/").status_code == 200


def test_the_api_is_read_only_for_now(api, school_a):
    api.force_authenticate(school_a.user("school_admin"))
    response = api.post("/api/v1/s/alpha/sections/", {"name": "New"}, format="json")
    assert response.status_code == 405


@pytest.mark.parametrize("sections", [1, 50])
def test_section_list_api_query_count_does_not_grow(api, school_a, sections, django_assert_max_num_queries):
    for _ in range(sections):
        section = SectionFactory(school=school_a.school, term=school_a.term)
        EnrollmentFactory(section=section, role="teacher")
        EnrollmentFactory(section=section, role="student")
    api.force_authenticate(school_a.user("school_admin"))
    with django_assert_max_num_queries(7):
        assert api.get("/api/v1/s/alpha/sections/").status_code == 200


def test_the_openapi_schema_describes_the_school_routes(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"] if response["Content-Type"].endswith("json") else None
    if paths is None:
        import yaml

        paths = yaml.safe_load(response.content)["paths"]
    assert "/api/v1/s/{school_slug}/sections/{section_id}/" in paths
    assert "/api/v1/auth/token/" in paths


def test_the_api_docs_page_serves_swagger_from_our_own_static_files(client, db):
    body = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in body
    assert "cdn" not in body.lower()


def test_the_openapi_schema_is_valid_and_generates_without_warnings(db):
    from io import StringIO

    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", stdout=StringIO())


@pytest.mark.parametrize("students", [1, 50])
def test_section_detail_api_query_count_does_not_grow(api, school_a, students, django_assert_max_num_queries):
    for _ in range(students):
        EnrollmentFactory(section=school_a.section, role="student")
    api.force_authenticate(school_a.user("teacher"))
    with django_assert_max_num_queries(6):
        assert api.get(f"/api/v1/s/alpha/sections/{school_a.section.pk}/").status_code == 200


@pytest.mark.parametrize("terms", [1, 50])
def test_term_list_api_query_count_does_not_grow(api, school_a, terms, django_assert_max_num_queries):
    from tests.factories import TermFactory

    TermFactory.create_batch(terms, school=school_a.school)
    api.force_authenticate(school_a.user("student"))
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/s/alpha/terms/").status_code == 200
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/me/schools/").status_code == 200
