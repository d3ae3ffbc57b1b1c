"""Handing a file in for a content item of one's playlist (an exercise handed in as a worksheet): the same
vetting, storage and messages as a milestone's file; opened by the student, their teachers (of a section
they learn in), their mentors and the school's admins, from the student's drill-down; 404 for anyone else."""

import pytest
from django.urls import reverse

from plp.tenancy.context import school_scope
from schools.roles import Role
from submissions.models import SubmissionFile
from submissions.storage import file_storage
from tests.factories import (
    EnrollmentFactory,
    MembershipFactory,
    MentorAssignmentFactory,
    PlaylistAssignmentFactory,
    PlaylistItemFactory,
    UserFactory,
)
from tests.submissions import files
from tests.submissions.test_views import blobs, file_url, stored
from tests.support import postgres_only, second_writer_outcome


@pytest.fixture
def placement(school_a):
    """An exercise of a playlist assigned to the student's section."""
    placement = PlaylistItemFactory(
        playlist__school=school_a.school, item__school=school_a.school, item__kind="exercise",
        item__title="Ratio tables worksheet", item__asks_for_file=True,
    )  # fmt: skip
    PlaylistAssignmentFactory(playlist=placement.playlist, section=school_a.section)
    return placement


def item_url(placement, slug="alpha"):
    return reverse("playlists:student_item", args=[slug, placement.playlist_id, placement.item_id])


def upload_url(placement, slug="alpha"):
    return reverse("playlists:item_file_submit", args=[slug, placement.playlist_id, placement.item_id])


def test_a_student_hands_in_a_file_for_an_item_and_sees_it_on_the_item_page(client, school_a, placement):
    client.force_login(school_a.user(Role.STUDENT))
    page = client.get(item_url(placement)).content.decode()
    assert upload_url(placement) in page and 'enctype="multipart/form-data"' in page
    response = client.post(upload_url(placement), {"file": files.upload("Ratios (mine).pdf", files.PDF)})
    assert response.status_code == 302 and response["Location"] == item_url(placement)
    (file,) = stored(school_a)
    assert (file.item_id, file.milestone_id, file.student_id) == (
        placement.item_id,
        None,
        school_a.user(Role.STUDENT).pk,
    )
    assert (file.kind, file.original_name) == ("pdf", "Ratios (mine).pdf")
    with file_storage().open(file.blob, "rb") as handle:
        assert handle.read() == files.PDF
    page = client.get(response["Location"]).content.decode()
    assert "is handed in" in page
    assert file_url(file) in page and "Ratios (mine).pdf" in page and "Current file" in page
    assert "Replace the file" in page


def test_a_new_file_replaces_the_current_one_which_is_kept_and_marked_replaced(client, school_a, placement):
    client.force_login(school_a.user(Role.STUDENT))
    client.post(upload_url(placement), {"file": files.upload("first.pdf", files.PDF)})
    client.post(upload_url(placement), {"file": files.upload("second.png", files.PNG)})
    first, second = stored(school_a)
    assert first.superseded_at is not None and second.superseded_at is None
    assert len(blobs()) == 2
    page = client.get(item_url(placement)).content.decode()
    assert page.index("second.png") < page.index("first.pdf") and "Replaced" in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("essay.pdf", files.WINDOWS_PROGRAM, "named .pdf but it is a Windows program"),
        ("essay.pdf", files.WEB_PAGE, "named .pdf but it is a web page"),
        ("setup.exe", files.WINDOWS_PROGRAM, "Files of this type are not accepted"),
    ],
)
def test_a_refused_file_is_a_field_error_and_nothing_is_kept(
    client, school_a, placement, name, data, message
):
    client.force_login(school_a.user(Role.STUDENT))
    response = client.post(upload_url(placement), {"file": files.upload(name, data)})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and 'aria-invalid="true"' in body and 'id="id_item_file_file"' in body
    assert stored(school_a) == [] and blobs() == []


def test_no_file_and_too_large_a_file_say_so(client, school_a, placement, settings):
    client.force_login(school_a.user(Role.STUDENT))
    assert "Choose the file to hand in." in client.post(upload_url(placement), {}).content.decode()
    settings.SUBMISSION_MAX_BYTES = 64
    body = client.post(upload_url(placement), {"file": files.upload("essay.pdf", files.PDF)}).content.decode()
    assert "files may be at most 64 bytes" in body
    assert stored(school_a) == []


def test_the_upload_checks_the_csrf_token(school_a, placement):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(school_a.user(Role.STUDENT))
    response = client.post(upload_url(placement), {"file": files.upload("a.pdf", files.PDF)})
    assert response.status_code == 403 and stored(school_a) == []


def test_only_the_students_the_playlist_is_assigned_to_hand_in(client, school_a, school_b, placement):
    client.force_login(school_a.user(Role.TEACHER))  # no playlist of theirs: the same 404 as the page
    assert client.post(upload_url(placement), {"file": files.upload("a.pdf", files.PDF)}).status_code == 404
    client.force_login(school_b.user(Role.STUDENT))
    for slug in ("alpha", "bravo"):
        response = client.post(upload_url(placement, slug), {"file": files.upload("a.pdf", files.PDF)})
        assert response.status_code == 404
    assert client.get(upload_url(placement)).status_code == 404
    client.force_login(school_a.user(Role.STUDENT))
    assert client.get(upload_url(placement)).status_code == 405
    assert stored(school_a) == []


def test_an_external_tools_item_takes_no_file(client, school_a):
    placement = PlaylistItemFactory(
        playlist__school=school_a.school, item__school=school_a.school, item__kind="lti_tool"
    )
    PlaylistAssignmentFactory(playlist=placement.playlist, section=school_a.section)
    client.force_login(school_a.user(Role.STUDENT))
    assert "Hand in a file" not in client.get(item_url(placement)).content.decode()
    response = client.post(upload_url(placement), {"file": files.upload("a.pdf", files.PDF)}, follow=True)
    assert "does not ask for a file" in response.content.decode() and stored(school_a) == []


def test_a_file_row_is_for_a_milestone_or_an_item_never_both_nor_neither(school_a, placement):
    from django.db import IntegrityError, transaction

    file = files.hand_in_for_item(item=placement.item, student=school_a.user(Role.STUDENT))
    with school_scope(school_a.school):
        with pytest.raises(IntegrityError), transaction.atomic():
            SubmissionFile.objects.filter(pk=file.pk).update(item=None)
        with pytest.raises(IntegrityError), transaction.atomic():  # two current files for one item
            SubmissionFile.objects.create(
                school=school_a.school, student=file.student, item=placement.item, blob="x/other",
                original_name="b.pdf", kind="pdf", content_type="application/pdf", size=1, sha256="0" * 64,
                uploaded_at=file.uploaded_at,
            )  # fmt: skip


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
        (lambda w: w.user(Role.TEACHER), 200),  # teaches a section the student learns in
        (_mentor_of_the_student, 200),
        (lambda w: w.user(Role.SCHOOL_ADMIN), 200),
        (_another_student, 404),
        (lambda w: w.user("other_teacher"), 404),  # teaches another section of the school
        (lambda w: w.user(Role.MENTOR), 404),  # a mentor, but not this student's
    ],
    ids=["the student", "their teacher", "their mentor", "school admin", "classmate", "other teacher",
         "other mentor"],
)  # fmt: skip
def test_who_may_open_an_items_file(client, school_a, placement, who, status):
    file = files.hand_in_for_item(item=placement.item, student=school_a.user(Role.STUDENT))
    client.force_login(who(school_a))
    assert client.get(file_url(file)).status_code == status


def test_another_schools_admin_gets_a_404_for_an_items_file(client, school_a, school_b, placement):
    file = files.hand_in_for_item(item=placement.item, student=school_a.user(Role.STUDENT))
    client.force_login(school_b.user(Role.SCHOOL_ADMIN))
    assert client.get(file_url(file, slug="bravo")).status_code == 404
    assert client.get(file_url(file, slug="alpha")).status_code == 404


def test_the_teacher_finds_the_file_on_the_students_drill_down(client, school_a, placement):
    student = school_a.user(Role.STUDENT)
    file = files.hand_in_for_item(item=placement.item, student=student, name="worksheet.pdf")
    client.force_login(school_a.user(Role.TEACHER))
    page = client.get(reverse("dashboard:student", args=["alpha", student.pk])).content.decode()
    assert "Ratio tables worksheet" in page and "worksheet.pdf" in page and file_url(file) in page
    response = client.get(file_url(file))
    assert response.status_code == 200 and b"".join(response.streaming_content) == files.PDF


def test_deleting_the_item_deletes_the_stored_file(school_a, placement, django_capture_on_commit_callbacks):
    file = files.hand_in_for_item(item=placement.item, student=school_a.user(Role.STUDENT))
    with school_scope(school_a.school), django_capture_on_commit_callbacks(execute=True):
        placement.delete()  # an item in a playlist is protected; out of all playlists it may go
        placement.item.delete()
    assert not file_storage().exists(file.blob)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_hand_ins_at_once_keep_the_last_and_answer_no_error(school_a, placement):
    """Two tabs, or a double click: the second hand-in waits for the first, then supersedes it (no 500)."""
    student, item = school_a.user(Role.STUDENT), placement.item
    outcome = second_writer_outcome(
        school=school_a.school,
        first=lambda: files.hand_in_for_item(item=item, student=student, name="first.pdf"),
        second=lambda: files.hand_in_for_item(item=item, student=student, name="second.pdf"),
    )
    assert outcome == ["saved"]
    with school_scope(school_a.school):
        rows = list(SubmissionFile.objects.filter(item=item, student=student).order_by("pk"))
    assert [(row.original_name, row.superseded_at is None) for row in rows] == [
        ("first.pdf", False),
        ("second.pdf", True),
    ]


def test_handing_in_reads_a_constant_number_of_queries(
    client, school_a, placement, django_assert_max_num_queries
):
    """The same ceiling for a first file and for the twelfth (eleven replaced files behind it)."""
    client.force_login(school_a.user(Role.STUDENT))
    # 36: the upload itself, and the item's rules as its page applies them (lock, level, starting it)
    with django_assert_max_num_queries(36) as first:
        assert (
            client.post(upload_url(placement), {"file": files.upload("a.pdf", files.PDF)}).status_code == 302
        )
    for n in range(10):
        files.hand_in_for_item(item=placement.item, student=school_a.user(Role.STUDENT), name=f"{n}.pdf")
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert (
            client.post(upload_url(placement), {"file": files.upload("b.pdf", files.PDF)}).status_code == 302
        )
