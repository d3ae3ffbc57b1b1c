"""Writes for student data rights: settings, parental consent, the student data export, erasure and the
retention schedule. Each use case is one transaction."""

import csv
import datetime as dt
import io
import json
import secrets
import zipfile

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import sign_out_everywhere
from audit.csvcells import csv_cell
from audit.models import AuditEntry
from audit.selectors import audit_trail_of
from audit.services import audit_entry_record, audit_prune
from mastery.models import CheckAttempt, MasteryState, MasteryStatus, PracticeAnswer
from plp.saving import validated_save
from plp.tenancy.context import all_schools, current_school_id
from privacy import selectors
from privacy.models import Departure, Erasure, EvidenceAggregate, ParentalConsent, PrivacySettings
from privacy.registry import REGISTRY
from schools.models import Membership, OrganizationAdmin
from schools.roles import Role
from submissions.storage import file_storage

User = get_user_model()
ACCOUNT_FIELDS = (
    "id",
    "email",
    "username",
    "given_name",
    "family_name",
    "is_active",
    "date_joined",
    "last_login",
)


class ExportRefused(Exception):
    """The export may not go ahead (a student under 13 without their parent's granted consent)."""


def privacy_settings_update(
    *, audit_retention_days: int, erase_departed_after_days: int | None, evidence_on_erasure: str
) -> PrivacySettings:
    with transaction.atomic():
        settings = selectors.privacy_settings_get()
        settings.audit_retention_days = audit_retention_days
        settings.erase_departed_after_days = erase_departed_after_days
        settings.evidence_on_erasure = evidence_on_erasure
        settings.full_clean()
        settings.save()
        return settings


def consent_record(*, student, under_13: bool, status: str, note: str, by) -> ParentalConsent:
    """A new consent decision: the latest row is the status, the earlier rows its history."""
    consent = ParentalConsent(
        school_id=current_school_id(),
        student=student,
        under_13=under_13,
        status=status,
        note=note,
        recorded_by=by,
    )
    return validated_save(consent)


# --- the export -----------------------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def _rows_of(entry, student) -> list[dict]:
    model = entry.model_class
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in entry.omit]
    if entry.name == "audit_trail":
        rows = []
        for audit in audit_trail_of(student_id=student.pk):
            row = {name: _plain(getattr(audit, name)) for name in fields}
            row["reader"] = str(audit.actor) if audit.actor_id and audit.actor else ""
            rows.append(row)
        return rows
    queryset = model.objects.filter(**{entry.path: student}).order_by("pk").values(*fields)
    return [{name: _plain(value) for name, value in row.items()} for row in queryset]


def _csv_bytes(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    if rows:
        writer = csv.writer(buffer)
        header = list(rows[0])
        writer.writerow(header)
        for row in rows:
            writer.writerow(
                [csv_cell(json.dumps(v) if isinstance(v, dict | list) else v) for v in row.values()]
            )
    return buffer.getvalue().encode("utf-8")


def student_export(*, student, by) -> tuple[str, bytes]:
    """Everything PLP holds about ``student`` in the active school, as ``(file name, zip bytes)``: one JSON
    document and one CSV per kind of data (the registry), the audit trail of who read the record included.

    Refused (:class:`ExportRefused`) for a student under 13 whose parent's consent is not granted: the
    school exports a child's record only on a recorded consent. Private mentor notes are included: the
    school is the data controller and the export is its answer to an access request; it decides what to
    hand over. Other students' data never is: each kind is read through the student's own key.
    """
    standing = selectors.consent_standing(student=student)
    if standing.export_refusal:
        raise ExportRefused(standing.export_refusal)
    account = {name: _plain(getattr(student, name)) for name in ACCOUNT_FIELDS}
    data = {"account": [account]}
    for entry in REGISTRY:
        data[entry.name] = _rows_of(entry, student)
    generated = timezone.now()
    document = {
        "generated_at": generated.isoformat(),
        "school_id": current_school_id(),
        "student_id": student.pk,
        "exported_by": by.pk,
        "kinds": {entry.name: entry.about for entry in REGISTRY},
        "data": data,
    }
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("student.json", json.dumps(document, indent=2, default=str))
        for name, rows in data.items():
            zf.writestr(f"csv/{name}.csv", _csv_bytes(rows))
        for entry in REGISTRY:
            if entry.blob:
                _write_blobs(zf, entry, data[entry.name])
        zf.writestr(
            "README.txt",
            "Everything PLP holds about one student in one school, exported by a school admin.\n"
            "student.json: all of it in one document; csv/: one file per kind of data.\n"
            "audit_trail: every recorded read or export of this student's record by an adult.\n"
            "files/: the files the student handed in, as <kind>/<id>-<their file name>.\n",
        )
    return f"student-{student.pk}-{generated:%Y%m%d}.zip", archive.getvalue()


def _write_blobs(zf: zipfile.ZipFile, entry, rows: list[dict]) -> None:
    """The stored files themselves, beside their rows; a file missing from storage is listed as missing."""
    storage = file_storage()
    for row in rows:
        safe = "".join(c if c.isalnum() or c in "._- " else "_" for c in str(row.get("original_name", "")))
        path = f"files/{entry.name}/{row['id']}-{safe or 'file'}"
        try:
            with storage.open(row[entry.blob], "rb") as handle:
                zf.writestr(path, handle.read())
        except (FileNotFoundError, OSError):
            zf.writestr(f"{path}.missing.txt", "This file was listed but is no longer in storage.\n")


# --- erasure --------------------------------------------------------------------------------------------


def _aggregate_evidence(student) -> None:
    """Add the student's evidence to the school's anonymous per-competency totals (before it is deleted)."""
    totals: dict[int, dict[str, int]] = {}

    def add(rows, **names):
        for row in rows:
            bucket = totals.setdefault(row["competency_id"], {})
            for field, key in names.items():
                bucket[field] = bucket.get(field, 0) + row[key]

    add(
        PracticeAnswer.objects.filter(student=student)
        .values("competency_id")
        .annotate(n=Count("pk"), ok=Count("pk", filter=Q(is_correct=True))),
        practice_answers="n",
        practice_correct="ok",
    )
    add(
        CheckAttempt.objects.filter(student=student, status=CheckAttempt.Status.GRADED)
        .values("competency_id")
        .annotate(n=Count("pk"), ok=Count("pk", filter=Q(passed=True, invalidated_at=None))),
        checks="n",
        checks_passed="ok",
    )
    add(
        MasteryState.objects.filter(student=student, status=MasteryStatus.MASTERED)
        .values("competency_id")
        .annotate(n=Count("pk")),
        mastered="n",
    )
    school_id = current_school_id()
    for competency_id, bucket in totals.items():
        aggregate, _ = EvidenceAggregate.objects.get_or_create(
            school_id=school_id, competency_id=competency_id
        )
        EvidenceAggregate.objects.filter(pk=aggregate.pk).update(
            students=F("students") + 1, **{field: F(field) + n for field, n in bucket.items()}
        )


def _belongs_elsewhere(student) -> bool:
    # The database must show every school here: row-level security would hide the others, and the account
    # would then be erased for all of them.
    with all_schools():
        # unscoped: whether the account is used by any other school decides if it may be pseudonymized.
        other_school = (
            Membership.objects.unscoped().filter(user=student).exclude(school_id=current_school_id())
        )
        return (
            other_school.exists()
            or OrganizationAdmin.objects.filter(user=student).exists()
            or student.is_staff
        )


def _pseudonymize_account(student, pseudonym_key: str) -> None:
    sign_out_everywhere(user=student, reason="erased")  # every session ends, every token is revoked
    student.email = f"erased-{student.pk}-{pseudonym_key.lower()}@erased.invalid"
    student.username = None
    student.given_name = ""
    student.family_name = ""
    student.is_active = False
    student.set_unusable_password()
    student.save(update_fields=["email", "username", "given_name", "family_name", "is_active", "password"])
    ApiToken.objects.filter(user=student).delete()


def student_erase(
    *, student, by=None, reason: str = Erasure.Reason.ADMIN, roles: str = "", ip: str = ""
) -> Erasure:
    """Erase ``student`` from the active school, atomically.

    Removed: every row of the registry (profile and its history, plans, goals, check-ins and their notes,
    enrolments, memberships, roster identity with the sourcedId, invitations, consent); learning evidence
    too, after adding it to the school's anonymous per-competency totals when the school chose
    ``aggregate``; handed-in files go with their stored bytes (deleted from storage once this commits).
    The account (name, email, username) is pseudonymized and can no longer sign in, unless
    the person still belongs to another school (then only this school's data goes). Kept: the audit log
    (append-only), whose entries about the student now point at the pseudonymized account, one more entry
    for the erasure itself, and an :class:`Erasure` row under a pseudonym.
    """
    with transaction.atomic():
        if not Membership.objects.filter(user=student, role=Role.STUDENT).exists():
            raise ValidationError("This person is not a student of this school.")
        settings = selectors.privacy_settings_get()
        counts = selectors.student_data_counts(student=student)
        if settings.evidence_on_erasure == PrivacySettings.Evidence.AGGREGATE:
            _aggregate_evidence(student)
        for entry in REGISTRY:
            if entry.erase and entry.direct:
                entry.model_class.objects.filter(**{entry.path: student}).delete()
        key = secrets.token_hex(3).upper()
        keeps_account = _belongs_elsewhere(student)
        if not keeps_account:
            _pseudonymize_account(student, key)
        erasure = Erasure.objects.create(
            school_id=current_school_id(),
            student_id=student.pk,
            pseudonym=f"Erased student {key}",
            reason=reason,
            evidence=settings.evidence_on_erasure,
            erased_by=by,
            account_pseudonymized=not keeps_account,
            removed={name: n for name, n in counts.items() if n and name != "audit_trail"},
        )
        audit_entry_record(
            school_id=current_school_id(),
            kind=AuditEntry.Kind.ERASURE,
            student_id=student.pk,
            actor_id=by.pk if by else None,
            roles=roles,
            ip=ip,
            object_type="erasure",
            object_id=str(erasure.pk),
        )
        return erasure


# --- the retention schedule ------------------------------------------------------------------------------


def departures_note(*, now: dt.datetime) -> tuple[int, int]:
    """Note students with no active membership left (and forget those who came back): (noted, forgotten)."""
    with transaction.atomic():
        active = Membership.objects.filter(is_active=True).values("user_id")
        departed = set(
            Membership.objects.filter(role=Role.STUDENT)
            .exclude(user_id__in=active)
            .values_list("user_id", flat=True)
        )
        known = set(Departure.objects.values_list("student_id", flat=True))
        school_id = current_school_id()
        Departure.objects.bulk_create(
            [
                Departure(school_id=school_id, student_id=sid, noticed_at=now)
                for sid in sorted(departed - known)
            ]
        )
        forgotten, _ = Departure.objects.filter(student_id__in=known - departed).delete()
        return len(departed - known), forgotten


def retention_run(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The active school's daily retention: note departures, erase the students due, prune the audit log."""
    now = now or timezone.now()
    noted, forgotten = departures_note(now=now)
    erased = 0
    for student in User.objects.filter(pk__in=selectors.retention_due_ids(now=now)):
        student_erase(student=student, reason=Erasure.Reason.RETENTION)
        erased += 1
    pruned = audit_prune(
        school_id=current_school_id(),
        retention_days=selectors.privacy_settings_get().audit_retention_days,
        now=now,
    )
    return {"noted": noted, "forgotten": forgotten, "erased": erased, "pruned": pruned}
