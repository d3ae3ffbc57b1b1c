"""Roster import use cases: check an upload (dry run), confirm it, run it. Pages, API and command share
them."""

import hashlib
import io
import lzma
import zipfile
import zlib

from celery import signature
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from plp.tenancy.context import current_school_id
from plp.time_budget import OverTime, time_budget
from schools.rostering.models import ImportRun
from schools.rostering.plan import known_ids, roster_plan
from schools.rostering.reading import ERROR, Limits, Problem, TooLarge, files_from_zip
from schools.rostering.records import Roster
from schools.rostering.validation import parse_roster
from schools.rostering.writer import PlanChanged, roster_write

# The roster tasks (schools/rostering/tasks.py), sent by name: the tasks module imports this one.
ROSTER_CHECK = "schools.roster_check"
ROSTER_IMPORT = "schools.roster_import"

MAX_UPLOAD_BYTES = 100 * 1024 * 1024
# Uploads up to this size are checked within the request (a few seconds); larger ones by a task.
CHECK_IN_REQUEST_MAX_BYTES = 1024 * 1024


# What a damaged or unsupported zip raises while it is read (besides BadZipFile: ValueError, RuntimeError for
# an encrypted entry, NotImplementedError for an unknown compression, EOFError and the decompressors' errors).
UNREADABLE_ZIP = (zipfile.BadZipFile, ValueError, RuntimeError, NotImplementedError, EOFError, zlib.error)
UNREADABLE_ZIP += (lzma.LZMAError,)


def upload_limits() -> Limits:
    """How much a roster upload may unpack to: settings ROSTER_MAX_UNCOMPRESSED_BYTES and
    ROSTER_MAX_ZIP_ENTRIES (PLP_ROSTER_MAX_… in the environment)."""
    return Limits(total_bytes=settings.ROSTER_MAX_UNCOMPRESSED_BYTES, entries=settings.ROSTER_MAX_ZIP_ENTRIES)


def roster_check(*, files: dict[str, bytes], seconds: float | None = None) -> tuple[Roster, dict]:
    """Parse and validate ``files`` and build the dry-run plan for the active school (no writes). Reading
    stops with ``OverTime`` past ``seconds`` (plp/time_budget.py; unbounded when None)."""
    if seconds is None:
        roster = parse_roster(files, known=known_ids())
    else:
        with time_budget(seconds=seconds, what="roster"):
            roster = parse_roster(files, known=known_ids())
    plan = roster_plan(roster=roster)
    return roster, plan.counts


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    return buffer.getvalue()


def _check_in_background(files: dict[str, bytes]) -> bool:
    limit = getattr(settings, "ROSTER_CHECK_IN_REQUEST_MAX_BYTES", CHECK_IN_REQUEST_MAX_BYTES)
    return sum(len(data) for data in files.values()) > limit


@transaction.atomic
def import_run_create(*, files: dict[str, bytes], user=None, background: bool | None = None) -> ImportRun:
    """Record an upload and check it: its report and dry-run counts, waiting for confirmation. A large
    upload is checked by a background task (the page polls) so the request stays short."""
    if not files:
        raise ValidationError("Upload the roster: a zip of OneRoster CSV files, or the CSV files themselves.")
    run = ImportRun(
        school_id=current_school_id(),
        created_by=user if user is not None and user.is_authenticated else None,
        archive=_zip(files),
        digests={name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
        status=ImportRun.Status.CHECKING,
    )
    run.full_clean()
    run.save()
    if background if background is not None else _check_in_background(files):
        check = signature(ROSTER_CHECK, kwargs={"school_id": run.school_id, "run_id": run.pk})
        transaction.on_commit(lambda: check.delay())
        return run
    return _record_check(run, files, seconds=settings.UPLOAD_PARSE_SECONDS)


def _record_check(run: ImportRun, files: dict[str, bytes], *, seconds: float) -> ImportRun:
    try:
        roster, counts = roster_check(files=files, seconds=seconds)
    except OverTime as exc:  # a pathological file: Blocked, with why, rather than a worker held for minutes
        run.blocking, run.counts, run.status = True, {}, ImportRun.Status.BLOCKED
        run.report = [Problem(ERROR, "", None, "", "", str(exc)).as_dict()]
        run.save(update_fields=["blocking", "counts", "report", "status"])
        return run
    run.version, run.modes, run.blocking, run.counts = roster.version, roster.modes, roster.blocking, counts
    run.report = [problem.as_dict() for problem in roster.problems]
    # A problem with a whole file (no manifest, not a CSV, a bad header) stops everything: the run is
    # Blocked, never "waiting for confirmation", and its empty plan is not a roster that "changes nothing".
    run.status = ImportRun.Status.BLOCKED if roster.blocking else ImportRun.Status.CHECKED
    run.save(update_fields=["version", "modes", "blocking", "counts", "report", "status"])
    return run


def import_run_check(*, run_id: int) -> ImportRun:
    """The background check of a large upload (idempotent: a checked run is left as it is)."""
    run = ImportRun.objects.get(pk=run_id)
    if run.status != ImportRun.Status.CHECKING:
        return run
    files = files_from_zip(bytes(run.archive), limits=upload_limits())
    return _record_check(run, files, seconds=settings.UPLOAD_PARSE_BACKGROUND_SECONDS)


def files_from_upload(uploads) -> dict[str, bytes]:
    """Uploaded files (a zip, or separate CSV files) by name, within :func:`upload_limits` once unpacked."""
    limits = upload_limits()
    files: dict[str, bytes] = {}
    total = unpacked = 0
    for upload in uploads:
        total += upload.size or 0
        if total > MAX_UPLOAD_BYTES:
            raise ValidationError("The upload is larger than 100 MB.")
        data = upload.read()
        name = (upload.name or "").rsplit("/", 1)[-1]
        if name.lower().endswith(".zip") or data[:4] == b"PK\x03\x04":
            try:
                found = files_from_zip(data, limits=limits, used=unpacked)
            except TooLarge as exc:
                raise ValidationError(str(exc)) from exc
            except UNREADABLE_ZIP as exc:
                raise ValidationError(f"{name} is not a readable zip file ({exc}).") from exc
        else:
            found = {name: data}
        unpacked += sum(len(content) for content in found.values())
        if unpacked > limits.total_bytes:
            raise ValidationError(str(TooLarge.unpacked(limits)))
        files.update(found)
    return files


def import_run_confirm(*, run: ImportRun, skip_problem_rows: bool) -> ImportRun:
    """The admin approved the dry run: queue the import (after commit) in the background."""
    if run.blocking:
        raise ValidationError("Some files have problems that stop the import: fix them and upload again.")
    if run.error_count and not skip_problem_rows:
        raise ValidationError(
            "Some rows have errors. Fix them and upload again, or confirm that those rows are skipped."
        )
    with transaction.atomic():
        locked = ImportRun.objects.select_for_update().only("status").get(pk=run.pk)  # queued once
        if locked.status == ImportRun.Status.CHECKING:
            raise ValidationError("The files are still being checked: wait for the report.")
        if locked.status != ImportRun.Status.CHECKED:
            raise ValidationError("This import has already been started.")
        run.status = ImportRun.Status.QUEUED
        run.skip_problem_rows = skip_problem_rows
        run.save(update_fields=["status", "skip_problem_rows"])
        start = signature(ROSTER_IMPORT, kwargs={"school_id": run.school_id, "run_id": run.pk})
        transaction.on_commit(lambda: start.delay())
    return run


def progress_key(run_id: int) -> str:
    return f"roster-import-progress:{run_id}"


def import_run_execute(*, run_id: int) -> ImportRun:
    """Run a confirmed import in the active school: exactly the approved plan, in one transaction."""
    run = ImportRun.objects.get(pk=run_id)
    if run.status not in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING):
        return run  # already done (a redelivered task): idempotent
    run.status, run.started_at, run.progress = ImportRun.Status.RUNNING, timezone.now(), 5
    run.save(update_fields=["status", "started_at", "progress"])

    def progress(pct: int) -> None:
        cache.set(progress_key(run.pk), pct, timeout=3600)

    try:
        files = files_from_zip(bytes(run.archive), limits=upload_limits())
        roster = parse_roster(files, known=known_ids())
        if roster.blocking or (roster.errors and not run.skip_problem_rows):
            raise ValidationError("The roster has problems that were not approved for skipping.")
        roster_write(roster=roster, approved_counts=run.counts, progress=progress)
    except (PlanChanged, ValidationError) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        return _finish(run, ImportRun.Status.FAILED, message)
    except (OperationalError, InterfaceError):
        raise  # the database blinked: the task retries (a RUNNING run is resumed), nothing was written
    except Exception as exc:
        _finish(
            run, ImportRun.Status.FAILED, f"The import failed and nothing was changed ({type(exc).__name__})."
        )
        raise
    return _finish(run, ImportRun.Status.SUCCEEDED, "")


def _finish(run: ImportRun, status: str, message: str) -> ImportRun:
    run.status, run.message, run.finished_at = status, message, timezone.now()
    run.progress = 100
    run.save(update_fields=["status", "message", "finished_at", "progress"])
    cache.delete(progress_key(run.pk))
    return run


def import_run_progress(*, run: ImportRun) -> int:
    if run.is_finished:
        return 100
    return max(run.progress, cache.get(progress_key(run.pk)) or 0)
