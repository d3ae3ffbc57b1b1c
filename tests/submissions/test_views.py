"""Handing a file in for a milestone and opening it: stored under a random name, checked before it is kept,
served as an attachment only to the student, the section's teachers, the student's mentors and the school's
admins; anyone else gets a 404."""

from pathlib import Path

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from playlists.projects.models import MilestoneSubmission
from plp.tenancy.context import school_scope
from schools.roles import Role
from submissions.models import SubmissionFile
from submissions.storage import file_storage
from tests.factories import (
    EnrollmentFactory,
    MembershipFactory,
    MentorAssignmentFactory,
    MilestoneFactory,
    UserFactory,
)
from tests.submissions import files


@pytest.fixture
def milestone(school_a):
    return MilestoneFactory(project__section=school_a.section, title="Survey results")


def submit_url(milestone):
    return reverse("playlists:milestone_submit", args=["alpha", milestone.project_id, milestone.pk])


def file_url(file, slug="alpha"):
    return reverse("submissions:file_download", args=[slug, file.public_id])


def blobs() -> list[Path]:
    """Every file in the (local, per-test) storage."""
    return [p for p in Path(file_storage().location).rglob("*") if p.is_file()]


def stored(world):
    with school_scope(world.school):
        return list(SubmissionFile.objects.order_by("uploaded_at", "pk"))


def test_a_student_hands_in_a_file_with_their_work_and_sees_it_on_the_project_page(
    client, school_a, milestone
):
    client.force_login(school_a.user(Role.STUDENT))
    response = client.post(
        submit_url(milestone),
        {"text": "Our survey", "links": "", "file": files.upload("Survey Results (final).pdf", files.PDF)},
    )
    assert response.status_code == 302
    (file,) = stored(school_a)
    assert file.original_name == "Survey Results (final).pdf"
    assert (file.kind, file.content_type, file.size) == ("pdf", "application/pdf", len(files.PDF))
    # The stored name carries neither the student's file name nor anything guessable.
    assert "Survey" not in file.blob and ".pdf" not in file.blob and len(file.blob.split("/")[-1]) >= 32
    with file_storage().open(file.blob, "rb") as handle:
        assert handle.read() == files.PDF
    page = client.get(response["Location"]).content.decode()
    assert file_url(file) in page and "Survey Results (final).pdf" in page and "Current file" in page


def test_a_file_alone_is_enough_work_for_a_milestone(client, school_a, milestone):
    client.force_login(school_a.user(Role.STUDENT))
    response = client.post(submit_url(milestone), {"text": "", "file": files.upload("photo.png", files.PNG)})
    assert response.status_code == 302
    with school_scope(school_a.school):
        assert MilestoneSubmission.objects.get().text == ""
    assert [f.kind for f in stored(school_a)] == ["png"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("essay.pdf", files.WINDOWS_PROGRAM, "named .pdf but it is a Windows program"),
        ("essay.pdf", files.WEB_PAGE, "named .pdf but it is a web page"),
        ("essay.pdf", files.PNG, "named .pdf but its content is a PNG image"),
        ("setup.exe", files.WINDOWS_PROGRAM, "Files of this type are not accepted"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_a_field_error_and_nothing_is_kept(
    client, school_a, milestone, name, data, message
):
    client.force_login(school_a.user(Role.STUDENT))
    response = client.post(submit_url(milestone), {"text": "kept as typed", "file": files.upload(name, data)})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and "kept as typed" in body
    assert stored(school_a) == [] and blobs() == []
    with school_scope(school_a.school):
        assert not MilestoneSubmission.objects.exists()  # the whole submission waits for a good file


def test_the_htmx_form_comes_back_with_the_file_error_next_to_the_field(client, school_a, milestone):
    client.force_login(school_a.user(Role.STUDENT))
    response = client.post(
        submit_url(milestone),
        {"file": files.upload("essay.pdf", files.WEB_PAGE)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<form") and "it is a web page" in body
    assert 'aria-invalid="true"' in body and f'id="id_milestone_{milestone.pk}_file"' in body


def test_the_size_limit_and_the_allowed_kinds_are_the_deployments(client, school_a, milestone, settings):
    client.force_login(school_a.user(Role.STUDENT))
    settings.SUBMISSION_MAX_BYTES = 64
    response = client.post(submit_url(milestone), {"file": files.upload("essay.pdf", files.PDF)})
    assert "files may be at most 64 bytes" in response.content.decode()
    settings.SUBMISSION_MAX_BYTES = 1024 * 1024
    settings.SUBMISSION_FILE_TYPES = ("pdf",)
    response = client.post(submit_url(milestone), {"file": files.upload("photo.png", files.PNG)})
    body = response.content.decode()
    assert "Files of this type are not accepted. Accepted: .pdf." in body
    assert ".pdf; at most 1 MB" in body  # the help text says what this deployment takes
    assert stored(school_a) == []


def test_reading_a_file_past_the_upload_time_budget_is_refused_with_a_message(
    client, school_a, milestone, settings
):
    settings.UPLOAD_PARSE_SECONDS = 0
    client.force_login(school_a.user(Role.STUDENT))
    big = files.PDF + b"0" * (3 * 1024 * 1024)  # several chunks: the budget is checked between them
    response = client.post(submit_url(milestone), {"file": files.upload("essay.pdf", big)})
    assert response.status_code == 200
    assert "Reading the file took longer than 0 seconds" in response.content.decode()
    assert stored(school_a) == []


def test_a_new_file_supersedes_the_old_one_which_is_kept_and_marked_replaced(client, school_a, milestone):
    student = school_a.user(Role.STUDENT)
    first = files.hand_in(milestone=milestone, student=student, name="draft.pdf")
    client.force_login(student)
    client.post(submit_url(milestone), {"text": "final", "file": files.upload("final.docx", files.DOCX)})
    old, new = stored(school_a)
    assert old.pk == first.pk and old.superseded_at is not None and new.superseded_at is None
    assert file_storage().exists(old.blob) and file_storage().exists(new.blob)
    page = client.get(
        reverse("playlists:project_detail", args=["alpha", milestone.project_id])
    ).content.decode()
    assert page.index("final.docx") < page.index("draft.pdf") and "Replaced" in page


def test_the_file_is_served_as_an_attachment_of_its_sniffed_type(client, school_a, milestone):
    student = school_a.user(Role.STUDENT)
    file = files.hand_in(milestone=milestone, student=student, name="notes.txt", data=files.TEXT)
    client.force_login(student)
    response = client.get(file_url(file))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.TEXT
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    assert client.post(file_url(file)).status_code == 405


def _mentor_of_the_student(world):
    with school_scope(world.school):
        MentorAssignmentFactory(
            school=world.school, mentor=world.user(Role.MENTOR), student=world.user(Role.STUDENT)
        )
    return world.user(Role.MENTOR)


def _another_student(world):
    other = UserFactory(email="classmate@alpha.example.test")
    MembershipFactory(school=world.school, user=other, role=Role.STUDENT)
    EnrollmentFactory(section=world.section, user=other, role="student")
    return other


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (lambda w: w.user(Role.STUDENT), 200),
        (lambda w: w.user(Role.TEACHER), 200),  # teaches the project's section
        (_mentor_of_the_student, 200),
        (lambda w: w.user(Role.SCHOOL_ADMIN), 200),
        (_another_student, 404),  # a classmate in the same section
        (lambda w: w.user("other_teacher"), 404),  # teaches another section of the school
        (lambda w: w.user(Role.MENTOR), 404),  # a mentor, but not this student's
    ],
    ids=[
        "the student",
        "their teacher",
        "their mentor",
        "school admin",
        "classmate",
        "other teacher",
        "other mentor",
    ],
)
def test_who_may_open_a_file(client, school_a, milestone, who, status):
    file = files.hand_in(milestone=milestone, student=school_a.user(Role.STUDENT))
    client.force_login(who(school_a))
    assert client.get(file_url(file)).status_code == status


def test_another_schools_admin_gets_a_404_for_the_file_under_either_school(
    client, school_a, school_b, milestone
):
    file = files.hand_in(milestone=milestone, student=school_a.user(Role.STUDENT))
    client.force_login(school_b.user(Role.SCHOOL_ADMIN))
    assert client.get(file_url(file, slug="bravo")).status_code == 404
    assert client.get(file_url(file, slug="alpha")).status_code == 404


def test_the_teacher_opens_the_file_from_the_scoring_page_and_the_read_is_audited(
    client, school_a, milestone
):
    file = files.hand_in(milestone=milestone, student=school_a.user(Role.STUDENT), name="essay.pdf")
    client.force_login(school_a.user(Role.TEACHER))
    score = reverse(
        "playlists:project_score", args=["alpha", milestone.project_id, school_a.user(Role.STUDENT).pk]
    )
    page = client.get(score).content.decode()
    assert file_url(file) in page and "essay.pdf" in page
    assert client.get(file_url(file)).status_code == 200
    with school_scope(school_a.school):
        entry = AuditEntry.objects.get(object_type="submission_file")
    assert (entry.kind, entry.student_id, entry.object_id) == (
        AuditEntry.Kind.PROJECT_WORK,
        school_a.user(Role.STUDENT).pk,
        str(file.public_id),
    )


def test_a_file_whose_bytes_are_gone_is_a_404_not_an_error(client, school_a, milestone):
    file = files.hand_in(milestone=milestone, student=school_a.user(Role.STUDENT))
    file_storage().delete(file.blob)
    client.force_login(school_a.user(Role.STUDENT))
    assert client.get(file_url(file)).status_code == 404


def test_deleting_the_milestone_deletes_the_stored_files(
    school_a, milestone, django_capture_on_commit_callbacks
):
    file = files.hand_in(milestone=milestone, student=school_a.user(Role.STUDENT))
    with school_scope(school_a.school), django_capture_on_commit_callbacks(execute=True):
        milestone.project.delete()
    assert not file_storage().exists(file.blob)
