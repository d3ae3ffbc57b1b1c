"""Mentor assignment by school admins: pick a mentor and tick students, or a CSV ``mentor_email,
student_sourcedId``. A student has at most one active primary mentor: a new primary assignment ends the
previous one (``is_active=False``, ``ended_at``), which stays as history."""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from plp.safe_csv import csv_rows
from plp.tenancy.context import current_school_id
from schools.models import Membership, MentorAssignment
from schools.roles import SCHOOL_WIDE_ROLES, Role
from schools.rostering.models import RosterPerson
from schools.rostering.reading import Problems, decode

CSV_COLUMNS = ("mentor_email", "student_sourcedId")


def mentors() -> QuerySet:
    """People who hold an active mentor role in the active school."""
    ids = Membership.objects.filter(role=Role.MENTOR, is_active=True).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("family_name", "given_name", "email")


def students(*, search: str = "") -> QuerySet:
    ids = Membership.objects.filter(role=Role.STUDENT, is_active=True).values("user_id")
    found = get_user_model().objects.filter(pk__in=ids)
    if search:
        from django.db.models import Q

        found = found.filter(
            Q(given_name__icontains=search) | Q(family_name__icontains=search) | Q(email__icontains=search)
        )
    return found.order_by("family_name", "given_name", "email")


def assignment_list(*, roles: frozenset[str]) -> QuerySet[MentorAssignment]:
    if roles.isdisjoint(SCHOOL_WIDE_ROLES):
        return MentorAssignment.objects.none()
    return MentorAssignment.objects.filter(is_active=True).select_related("mentor", "student")


def assignment_get(*, roles: frozenset[str], assignment_id: int) -> MentorAssignment:
    assignment = assignment_list(roles=roles).filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404("No such assignment.")
    return assignment


@dataclass
class AssignResult:
    created: int = 0
    made_primary: int = 0
    unchanged: int = 0
    ended: int = 0


@transaction.atomic
def mentor_assign_bulk(*, pairs: list[tuple[int, int]], assigned_by, is_primary: bool = True) -> AssignResult:
    """Assign each (mentor_id, student_id) pair (both already checked to be in this school). Bulk writes:
    one read of the current assignments, one update, one insert."""
    result = AssignResult()
    school_id = current_school_id()
    student_ids = {student for _, student in pairs}
    current = list(MentorAssignment.objects.filter(student_id__in=student_ids, is_active=True))
    by_pair = {(a.mentor_id, a.student_id): a for a in current}
    primary_of = {a.student_id: a for a in current if a.is_primary}
    now = timezone.now()
    to_end, to_promote, to_create = [], [], []
    for mentor_id, student_id in dict.fromkeys(pairs):
        existing = by_pair.get((mentor_id, student_id))
        if existing is not None and (existing.is_primary or not is_primary):
            result.unchanged += 1
            continue
        if is_primary:
            previous = primary_of.get(student_id)
            if previous is not None and previous is not existing:
                previous.is_active, previous.ended_at = False, now
                to_end.append(previous)
                result.ended += 1
            primary_of[student_id] = existing
        if existing is not None:
            existing.is_primary = True
            to_promote.append(existing)
            result.made_primary += 1
        else:
            to_create.append(
                MentorAssignment(
                    school_id=school_id,
                    mentor_id=mentor_id,
                    student_id=student_id,
                    is_primary=is_primary,
                    assigned_by=assigned_by,
                )
            )
            result.created += 1
    MentorAssignment.objects.bulk_update(to_end, ["is_active", "ended_at"])
    MentorAssignment.objects.bulk_update(to_promote, ["is_primary"])
    MentorAssignment.objects.bulk_create(to_create)
    return result


def mentor_assignment_end(*, assignment: MentorAssignment) -> MentorAssignment:
    assignment.is_active, assignment.ended_at = False, timezone.now()
    assignment.save(update_fields=["is_active", "ended_at"])
    return assignment


@dataclass
class CsvCheck:
    pairs: list[tuple[int, int]] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    blocking: bool = False

    @property
    def errors(self) -> list:
        return [p for p in self.problems if p.severity == "error"]


def mentor_csv_check(*, name: str, data: bytes) -> CsvCheck:
    """Check a ``mentor_email,student_sourcedId`` CSV against the school: same report as roster imports.

    Long on purpose: header, then rows in one pass sharing the school's lookups and the report, as the
    roster checks do."""
    check = CsvCheck()
    problems = check.problems
    text = decode(name, data, problems)
    rows = csv_rows(csv.reader(io.StringIO(text, newline="")))
    _, first, why = next(rows, (1, None, ""))
    if first is None:
        problems.error(
            name,
            1 if why else None,
            "",
            "",
            f"The header row cannot be read: {why}."
            if why
            else "The file is empty: it needs the header mentor_email,student_sourcedId.",
        )
        check.blocking = True
        return check
    header = [h.strip().lower() for h in first]
    positions = {}
    for column in CSV_COLUMNS:
        if column.lower() not in header:
            problems.error(name, 1, column, "", f"The required column “{column}” is missing from the header.")
            check.blocking = True
        else:
            positions[column] = header.index(column.lower())
    if check.blocking:
        return check
    mentor_ids = {u.email: u.pk for u in mentors()}
    student_ids = dict(
        RosterPerson.objects.filter(role="student", is_active=True).values_list("sourced_id", "user_id")
    )
    seen: dict[str, int] = {}
    for line, fields, why in rows:
        if why:
            # What follows an unreadable row (an unclosed quote) may be read out of step: never apply it.
            problems.error(
                name, line, "", "", f"This row cannot be read ({why}); the rest of the file is skipped."
            )
            check.blocking = True
            break
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            problems.error(
                name, line, "", ",".join(fields), f"This row has {len(fields)} values, not {len(header)}."
            )
            continue
        email = fields[positions["mentor_email"]].strip().lower()
        sourced_id = fields[positions["student_sourcedId"]].strip()
        ok = True
        if email not in mentor_ids:
            problems.error(name, line, "mentor_email", email, "Nobody with this email is a mentor here.")
            ok = False
        if sourced_id not in student_ids:
            problems.error(
                name, line, "student_sourcedId", sourced_id, "No active student has this sourcedId here."
            )
            ok = False
        elif sourced_id in seen:
            problems.error(
                name,
                line,
                "student_sourcedId",
                sourced_id,
                f"The student already gets a mentor on line {seen[sourced_id]}: "
                "a student has one primary mentor.",
            )
            ok = False
        if ok:
            seen[sourced_id] = line
            check.pairs.append((mentor_ids[email], student_ids[sourced_id]))
    return check
