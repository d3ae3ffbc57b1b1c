"""Reads of handed-in files, and who may open one: the student who handed it in, the teachers of the
project's section (for a milestone) or of the student's sections (for a content item), the student's
mentors and the school's admins. Anyone else gets a 404, as if the file did not exist (no oracle)."""

import uuid

from django.http import Http404

from audit.recorder import student_seen
from schools.access import is_mentor_of, is_school_wide, students_visible_to, teaches_section
from schools.roles import Role
from submissions.models import SubmissionFile


def _may_open(*, user, roles: frozenset[str], file: SubmissionFile) -> bool:
    """The student who sent it, the school's admins, the student's mentors, and the teachers of the
    project's section (a milestone's file) or of a section the student learns in (an item's file), all as
    ``schools.access`` says."""
    if Role.STUDENT in roles and file.student_id == user.pk:
        return True
    if file.milestone_id is None:
        # An item's file: whoever sees the student as an adult (their teachers, mentors, the admins).
        adult_roles = frozenset(roles) - {Role.STUDENT}
        return students_visible_to(user=user, roles=adult_roles).filter(pk=file.student_id).exists()
    return (
        is_school_wide(roles)
        or teaches_section(user=user, roles=roles, section_id=file.milestone.project.section_id)
        or is_mentor_of(user=user, roles=roles, student_id=file.student_id)
    )


def file_for_viewer(*, user, roles: frozenset[str], file_id: uuid.UUID) -> SubmissionFile:
    """The file ``file_id`` of the active school if the caller may open it, else 404; an adult's opening
    is recorded in the read-access audit log."""
    file = SubmissionFile.objects.select_related("milestone__project").filter(public_id=file_id).first()
    if file is None or not _may_open(user=user, roles=roles, file=file):
        raise Http404("No such file.")
    student_seen(student_id=file.student_id, object_type="submission_file", object_id=file.public_id)
    return file


def files_by_milestone(*, project, student) -> dict[int, list[SubmissionFile]]:
    """``student``'s files for ``project``'s milestones, newest first per milestone (one query)."""
    files: dict[int, list[SubmissionFile]] = {}
    for file in SubmissionFile.objects.filter(milestone__project=project, student=student).order_by(
        "milestone_id", "-uploaded_at", "-pk"
    ):
        files.setdefault(file.milestone_id, []).append(file)
    return files


def files_of_item(*, item, student) -> list[SubmissionFile]:
    """``student``'s files for the content item ``item``, newest (the current one) first."""
    return list(SubmissionFile.objects.filter(item=item, student=student).order_by("-uploaded_at", "-pk"))


def item_files_of_student(*, student, limit: int = 25) -> list[SubmissionFile]:
    """``student``'s current files for content items, newest first, with their items (one query)."""
    return list(
        SubmissionFile.objects.filter(student=student, item__isnull=False, superseded_at=None)
        .select_related("item")
        .order_by("-uploaded_at", "-pk")[:limit]
    )
