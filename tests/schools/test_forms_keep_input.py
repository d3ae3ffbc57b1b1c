"""Every schools form (onboarding, sections, mentors) that meets an error shows it again with what was
typed or picked, the message next to its field."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools.roles import Role
from tests.factories import MembershipFactory, UserFactory
from tests.form_checks import assert_kept_with_error, assert_non_field_error, parse


def url(name, **kwargs):
    return reverse(f"schools:{name}", kwargs={"school_slug": "alpha", **kwargs})


def grade_boxes(response):
    root = parse(response.content.decode())
    return [e for e in root.walk() if e.tag == "input" and e.attrs.get("name") == "grade_levels"]


def test_school_details_with_a_term_ending_before_it_starts_keep_everything(client, school_a):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    data = {
        "name": "Alpha Academy North",
        "timezone": "America/Chicago",
        "grade_levels": ["06", "07"],
        "term_name": "2026–27",
        "term_start": "2026-09-01",
        "term_end": "2026-08-01",
    }
    response = client.post(url("onboarding"), data)
    assert response.status_code == 200
    assert_kept_with_error(response, name="name", typed="Alpha Academy North")
    assert_kept_with_error(response, name="timezone", typed="America/Chicago")
    assert_kept_with_error(response, name="term_name", typed="2026–27")
    ticked = [b.attrs["value"] for b in grade_boxes(response) if "checked" in b.attrs]
    assert ticked == ["06", "07"]
    assert_kept_with_error(
        response, name="term_end", typed="2026-08-01", error="A term cannot end before it starts."
    )


def test_school_details_half_a_term_keeps_it_and_says_what_is_missing(client, school_a):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    data = {"name": "Alpha", "timezone": "UTC", "term_name": "Spring"}
    response = client.post(url("onboarding"), data)
    assert_kept_with_error(response, name="term_name", typed="Spring")
    assert_non_field_error(response, error="To add a term, give its name, start date and end date.")


def test_a_roster_upload_without_files_says_so_next_to_the_field(client, school_a):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    response = client.post(url("roster_upload"), {})
    assert response.status_code == 200
    assert_kept_with_error(response, name="files", typed="", error="This field is required.")


def test_a_new_school_at_a_taken_address_keeps_the_rest(client, school_a):
    client.force_login(school_a.user("district_admin"))
    data = {
        "name": "Alpha West",
        "slug": "alpha",
        "timezone": "America/Denver",
        "admin_email": "head@west.example.test",
        "admin_given_name": "Ada",
        "admin_family_name": "West",
    }
    response = client.post(url("school_create"), data)
    assert response.status_code == 200
    assert_kept_with_error(response, name="name", typed="Alpha West")
    assert_kept_with_error(response, name="admin_email", typed="head@west.example.test")
    assert_kept_with_error(response, name="timezone", typed="America/Denver")
    assert_kept_with_error(
        response, name="slug", typed="alpha", error="Another school already uses this address."
    )


def test_a_section_renamed_to_a_taken_name_keeps_the_new_code(client, school_a):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    section = school_a.section
    data = {
        "name": school_a.other_section.name,
        "code": "NEW-CODE",
        "subject": "Math",
        "term": school_a.term.pk,
    }
    response = client.post(url("section_edit", section_id=section.pk), data)
    assert response.status_code == 200
    assert_kept_with_error(response, name="code", typed="NEW-CODE")
    assert_kept_with_error(response, name="name", typed=school_a.other_section.name, error="already")


def test_a_section_without_a_name_says_so_next_to_it(client, school_a):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    data = {"name": "", "code": "NEW-CODE", "subject": "Science", "term": school_a.term.pk}
    response = client.post(url("section_edit", section_id=school_a.section.pk), data)
    assert_kept_with_error(response, name="subject", typed="Science")
    assert_kept_with_error(response, name="name", typed="", error="This field is required.")


def _second_mentor(world):
    mentor = UserFactory(given_name="Morgan", family_name="Mentor")
    MembershipFactory(school=world.school, user=mentor, role=Role.MENTOR)
    return mentor


def test_assigning_a_mentor_without_ticking_a_student_keeps_the_mentor_picked(client, school_a):
    mentor = _second_mentor(school_a)
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    response = client.post(url("mentor_assign"), {"mentor": mentor.pk, "secondary": "1"})
    assert response.status_code == 200
    assert_kept_with_error(response, name="mentor", typed=str(mentor.pk))
    assert_kept_with_error(response, name="secondary", typed=True)
    assert_kept_with_error(response, name="students", typed=False, error="Tick at least one student.")


def test_assigning_without_a_mentor_keeps_the_ticked_students(client, school_a):
    student = school_a.user(Role.STUDENT)
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    response = client.post(url("mentor_assign"), {"mentor": "", "students": [student.pk]})
    assert response.status_code == 200
    box = assert_kept_with_error(response, name="students", typed=True)
    assert box.attrs["value"] == str(student.pk)
    assert_kept_with_error(response, name="mentor", typed="", error="Pick a mentor of this school.")


def test_a_mentor_csv_missing_keeps_the_skip_choice(client, school_a):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    response = client.post(url("mentor_csv"), {"skip_problem_rows": "on"})
    assert response.status_code == 200
    assert_kept_with_error(response, name="skip_problem_rows", typed=True)
    assert_kept_with_error(response, name="file", typed="", error="This field is required.")
    empty = SimpleUploadedFile("mentors.csv", b"", content_type="text/csv")
    response = client.post(url("mentor_csv"), {"file": empty})
    assert_kept_with_error(response, name="file", typed="", error="The submitted file is empty.")
