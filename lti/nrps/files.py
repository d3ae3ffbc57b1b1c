"""The preview as OneRoster 1.1 delta files (users, and with a section: courses, classes, enrollments),
the input the school's roster import reads; sourcedIds stable from one apply to the next.
"""

import csv
import io

from django.utils import timezone

from lti.models import LtiContext, LtiRegistration
from lti.nrps.preview import RosterPreview, enrolment_key
from lti.nrps.reading import Member

USERS_COLUMNS = ("sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role",
                 "username", "userIds", "givenName", "familyName", "middleName", "identifier", "email", "sms",
                 "phone", "agentSourcedIds", "grades", "password")  # fmt: skip


MANIFEST = (
    "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.academicSessions,absent\n"
    "file.categories,absent\nfile.classes,absent\nfile.courses,absent\nfile.demographics,absent\n"
    "file.enrollments,absent\nfile.lineItems,absent\nfile.orgs,absent\nfile.resources,absent\n"
    "file.results,absent\nfile.users,delta\nsource.systemName,PLP LTI course roster\n"
)


def _sourced_id(*, registration: LtiRegistration, member: Member) -> str:
    """The roster's sourcedId when the LMS shares it, else one made from the LMS user id (stable)."""
    made = f"lti-{registration.public_id.hex[:8]}-{member.person.lms_user_id}"
    return member.person.sourced_id or made[:255]


def _csv(columns: tuple[str, ...], rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return buffer.getvalue().encode()


CLASSES_COLUMNS = ("sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId",
                   "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds", "subjects",
                   "subjectCodes", "periods")  # fmt: skip


COURSES_COLUMNS = ("sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode",
                   "grades", "orgSourcedId", "subjects", "subjectCodes")  # fmt: skip


ENROLLMENTS_COLUMNS = ("sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId",
                       "userSourcedId", "role", "primary", "beginDate", "endDate")  # fmt: skip


def _user_row(*, sourced_id: str, role: str, given: str, family: str, email: str, stamp: str) -> dict:
    return {"sourcedId": sourced_id, "status": "active", "dateLastModified": stamp, "enabledUser": "true",
            "role": role, "givenName": given, "familyName": family, "email": email}  # fmt: skip


def roster_files(
    *,
    registration: LtiRegistration,
    members: list[Member],
    context: LtiContext | None = None,
    preview: RosterPreview | None = None,
) -> dict[str, bytes]:
    """A OneRoster 1.1 delta file set: users.csv adding ``members`` and, given the course and its preview,
    the course's section (classes.csv, under the current term) and its enrolments (enrollments.csv) of
    every learner and instructor who can be added. What the roster import checks and, once the admin
    confirms its report, applies (in one transaction)."""
    stamp = timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    users, seats = [], []
    for member in members:
        given = member.given_name or member.name.split(" ")[0]
        family = member.family_name or member.name.rpartition(" ")[2]
        sourced_id = _sourced_id(registration=registration, member=member)
        users.append(_user_row(sourced_id=sourced_id, role=member.role, given=given, family=family,
                               email=member.person.email, stamp=stamp))  # fmt: skip
        seats.append((sourced_id, member.role))
    files = {"users.csv": _csv(USERS_COLUMNS, users)}
    manifest = MANIFEST
    if context is not None and preview is not None and preview.to_enrol:
        for member, match in preview.matched:
            if not member.active or not member.role:
                continue
            sourced_id = preview.sourced_ids.get(match.user.pk)
            if sourced_id is None:  # a person of the school the roster import does not know yet: their record
                sourced_id = _sourced_id(registration=registration, member=member)
                user = match.user
                users.append(_user_row(sourced_id=sourced_id, role=member.role, given=user.given_name,
                                       family=user.family_name, email=user.email, stamp=stamp))  # fmt: skip
            seats.append((sourced_id, member.role))
        files["users.csv"] = _csv(USERS_COLUMNS, users)
        key = preview.section_key
        term_id = preview.section.term.sourced_id if preview.section is not None else preview.term.sourced_id
        school_id = f"plp-school-{context.school_id}"
        title = (context.title or context.context_id)[:200]
        course_row = {"sourcedId": key, "status": "active", "dateLastModified": stamp, "title": title,
                      "orgSourcedId": school_id}  # fmt: skip
        class_row = {**course_row, "courseSourcedId": key, "classType": "scheduled",
                     "schoolSourcedId": school_id, "termSourcedIds": term_id}  # fmt: skip
        if preview.section is not None:  # found: keep the name the school may have given it
            class_row["title"], class_row["classCode"] = preview.section.name, preview.section.code
            class_row["subjects"] = preview.section.subject
        files["courses.csv"] = _csv(COURSES_COLUMNS, [course_row])
        files["classes.csv"] = _csv(CLASSES_COLUMNS, [class_row])
        files["enrollments.csv"] = _csv(ENROLLMENTS_COLUMNS, [
            {"sourcedId": enrolment_key(key, user_id), "status": "active", "dateLastModified": stamp,
             "classSourcedId": key, "schoolSourcedId": school_id, "userSourcedId": user_id, "role": role}
            for user_id, role in seats
        ])  # fmt: skip
        for kind in ("courses", "classes", "enrollments"):
            manifest = manifest.replace(f"file.{kind},absent", f"file.{kind},delta")
    files["manifest.csv"] = manifest.encode()
    return files
