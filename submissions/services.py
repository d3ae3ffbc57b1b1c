"""Writes of handed-in files: vetting an upload (size, kind, content, within the upload time budget) and
attaching it to a student's milestone work or content item, superseding the file it replaces."""

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from plp.time_budget import OverTime, budget_check, time_budget
from submissions.filetypes import FileKind, FileRefused, check
from submissions.models import SubmissionFile
from submissions.storage import file_storage

NAME_MAX = 255


@dataclass(frozen=True)
class VettedFile:
    """An upload that passed :func:`file_vet`: only these are stored."""

    upload: UploadedFile
    kind: FileKind
    sha256: str
    name: str


def file_vet(*, upload: UploadedFile) -> VettedFile:
    """Check an upload against the deployment's limits (``SUBMISSION_MAX_BYTES``, ``SUBMISSION_FILE_TYPES``)
    and its content, within ``UPLOAD_PARSE_SECONDS``; a ValidationError says what is wrong with it."""
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[-NAME_MAX:] or "file"
    try:
        with time_budget(seconds=settings.UPLOAD_PARSE_SECONDS, what="file"):
            kind = check(
                name=name,
                stream=upload,
                size=upload.size or 0,
                max_bytes=settings.SUBMISSION_MAX_BYTES,
                allowed=settings.SUBMISSION_FILE_TYPES,
            )
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                budget_check()
                digest.update(chunk)
    except (FileRefused, OverTime) as exc:
        raise ValidationError(str(exc), code="file") from exc
    upload.seek(0)
    return VettedFile(upload=upload, kind=kind, sha256=digest.hexdigest(), name=name)


def milestone_file_attach(*, milestone, student, file: VettedFile) -> SubmissionFile:
    """Store ``file`` as the student's current file for ``milestone``. The previous one is kept, marked
    superseded (a teacher may have opened it; the history says what changed), never overwritten."""
    return _file_attach(school_id=milestone.school_id, student=student, file=file, milestone=milestone)


def item_file_attach(*, item, student, file: VettedFile) -> SubmissionFile:
    """Store ``file`` as the student's current file for the content item ``item`` (an exercise or an
    assignment handed in as a file), superseding the one before, as for a milestone. An external tool's
    item takes none: the tool sends its own result back."""
    if item.kind == "lti_tool":
        raise ValidationError("This item is done in its external tool; it takes no file.", code="kind")
    return _file_attach(school_id=item.school_id, student=student, file=file, item=item)


def _current_file_replace(
    *, school_id: int, student, file: VettedFile, blob: str, now, **target
) -> SubmissionFile:
    """Supersede the current file and store the new one. Two hand-ins of the same thing at once (two tabs,
    a double click): the second waits for the first's row, then its insert meets the one-current-file rule;
    retried once in a savepoint, it supersedes the file that just arrived (the last one handed in wins)
    instead of answering a 500."""
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                SubmissionFile.objects.filter(**target, student=student, superseded_at=None).update(
                    superseded_at=now
                )
                row = SubmissionFile(
                    school_id=school_id,
                    student=student,
                    blob=blob,
                    original_name=file.name,
                    kind=file.kind.key,
                    content_type=file.kind.content_type,
                    size=file.upload.size,
                    sha256=file.sha256,
                    uploaded_at=now,
                    **target,
                )
                row.full_clean()
                row.save()
                return row
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _file_attach(*, school_id: int, student, file: VettedFile, **target) -> SubmissionFile:
    """``target`` is ``milestone=…`` or ``item=…``: what the file is handed in for."""
    now = timezone.now()
    # The stored name says nothing about the student or the file: a random token under the school's folder.
    blob = file_storage().save(f"{school_id}/{secrets.token_urlsafe(24)}", file.upload)
    try:
        row = _current_file_replace(
            school_id=school_id, student=student, file=file, blob=blob, now=now, **target
        )
    except Exception:
        file_storage().delete(blob)
        raise
    return row
