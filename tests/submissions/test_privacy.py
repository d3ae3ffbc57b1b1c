"""Handed-in files are the student's personal data: the export carries the files themselves, the erasure
deletes their stored bytes, and neither touches a classmate's files."""

import io
import json
import zipfile

from django.urls import reverse

from plp.tenancy.context import school_scope
from schools.roles import Role
from submissions.models import SubmissionFile
from submissions.storage import file_storage
from tests.factories import ContentItemFactory, MembershipFactory, MilestoneFactory, UserFactory
from tests.submissions import files


def _world(school_a):
    milestone = MilestoneFactory(project__section=school_a.section)
    student = school_a.user(Role.STUDENT)
    classmate = UserFactory(given_name="Classmate")
    MembershipFactory(school=school_a.school, user=classmate, role=Role.STUDENT)
    draft = files.hand_in(milestone=milestone, student=student, name="draft.pdf")
    final = files.hand_in(milestone=milestone, student=student, name="Final essay.txt", data=files.TEXT)
    theirs = files.hand_in(milestone=milestone, student=classmate, name="classmate.png", data=files.PNG)
    item = ContentItemFactory(school=school_a.school, kind="exercise")
    worksheet = files.hand_in_for_item(item=item, student=student, name="worksheet.png", data=files.PNG)
    return student, draft, final, theirs, worksheet


def test_the_export_holds_the_students_files_and_lists_them(client, school_a):
    student, draft, final, _classmates, worksheet = _world(school_a)
    file_storage().delete(draft.blob)  # lost from storage: listed as missing, the export still works
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    response = client.post(reverse("privacy:export", args=["alpha", student.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    rows = json.loads(archive.read("student.json"))["data"]["submitted_files"]
    assert sorted(row["original_name"] for row in rows) == ["Final essay.txt", "draft.pdf", "worksheet.png"]
    assert archive.read(f"files/submitted_files/{final.pk}-Final essay.txt") == files.TEXT
    assert archive.read(f"files/submitted_files/{worksheet.pk}-worksheet.png") == files.PNG  # an item's file
    assert f"files/submitted_files/{draft.pk}-draft.pdf.missing.txt" in archive.namelist()
    assert not [name for name in archive.namelist() if "classmate" in name]
    assert "csv/submitted_files.csv" in archive.namelist()


def test_erasure_deletes_the_students_files_and_their_stored_bytes_only(
    client, school_a, django_capture_on_commit_callbacks
):
    student, draft, final, theirs, worksheet = _world(school_a)
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    url = reverse("privacy:erase", args=["alpha", student.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "ERASE"})
    assert response.status_code == 302
    with school_scope(school_a.school):
        assert list(SubmissionFile.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert not any(file_storage().exists(f.blob) for f in (draft, final, worksheet))
    assert file_storage().exists(theirs.blob)
