"""Reads of handed-in files, and who may open one: the student who handed it in, the teachers of the
project's section, the student's mentors and the school's admins. Anyone else gets a 404, as if the file
did not exist (no oracle)."""

import uuid

from django.http import Http404

from audit.recorder import student_seen
from schools.access import is_mentor_of, is_school_wide, teaches_section
from schools.roles import Role
from submissions.models import SubmissionFile


def _may_open(*, user, roles: frozenset[str], file: SubmissionFile) -> bool:
    """The student who sent it, the school's admins, the teachers of the project's section and the
    student's mentors (``schools.access``)."""
    if Role.STUDENT in roles and file.student_id == user.pk:
        return True
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
