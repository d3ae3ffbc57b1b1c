"""Reads of handed-in files, and who may open one: the student who handed it in, the teachers of the
project's section, the student's mentors and the school's admins. Anyone else gets a 404, as if the file
did not exist (no oracle)."""

import uuid

from django.http import Http404

from audit.recorder import student_seen
from mentoring.models import MentorAssignment
from schools.models import Enrollment
from schools.roles import Role
from submissions.models import SubmissionFile


def _may_open(*, user, roles: frozenset[str], file: SubmissionFile) -> bool:
    if Role.STUDENT in roles and file.student_id == user.pk:
        return True
    if Role.SCHOOL_ADMIN in roles:
        return True
    if Role.TEACHER in roles and (
        Enrollment.objects.filter(
            user=user,
            section_id=file.milestone.project.section_id,
            role=Enrollment.SectionRole.TEACHER,
            is_active=True,
        ).exists()
    ):
        return True
    return (
        Role.MENTOR in roles
        and MentorAssignment.objects.filter(mentor=user, student_id=file.student_id, is_active=True).exists()
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
