"""Names and Role Provisioning Services (NRPS 2.0): an LMS course's roster, read with the registration's
service token, shown as a preview of what the school's roster import would do, and applied through that
import (schools.rostering: a dry-run report per row, the admin confirms, one transaction).

The roster is read page by page (``Link: <…>; rel="next"``). pylti1p3 lower-cases the next page's address
when it parses the header, which breaks an LMS whose page cursor is case-sensitive: the header is read here
instead, and a next page on another origin is refused (the bearer token goes only to the LMS that issued
it). People are matched as a launch matches them (lti.matching), so the preview says who a launch would
sign in as.
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.db import transaction
from django.utils import timezone
from pylti1p3.exception import LtiException, LtiServiceException

from lti.claims import LaunchPerson
from lti.grades import PassbackFailed, registration_connector
from lti.matching import Match, people_match
from lti.models import LtiContext, LtiRegistration
from plp.tenancy.context import school_scope
from schools.models import Enrollment, Membership, Section, Term
from schools.roles import Role
from schools.rostering.models import RosterPerson
from schools.rostering.services import import_run_create

SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
MAX_PAGES = 50
MAX_MEMBERS = 5000
SCHOOL_ONLY_SHOWN = 50
_NEXT = re.compile(r'<([^>]*)>\s*;[^,]*\brel="?next"?', re.I)
LEARNER, INSTRUCTOR = "Learner", "Instructor"


class RosterUnavailable(Exception):
    """The LMS did not give the roster; the message says why, for the admin."""


@dataclass(frozen=True)
class Member:
    person: LaunchPerson
    given_name: str
    family_name: str
    role: str  # the PLP role the roster import would give: student, teacher, or "" (none)
    lms_roles: tuple[str, ...]
    active: bool  # the LMS's status (Inactive and Deleted members are not imported)

    @property
    def name(self) -> str:
        return self.person.name or " ".join(filter(None, (self.given_name, self.family_name)))


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _role_name(role: str) -> str:
    """``…/membership#Learner``, ``…/membership/Instructor#TeachingAssistant`` or ``Learner`` → its
    context role (the part after ``membership#``, or the short name)."""
    if "/membership#" in role:
        return role.rsplit("#", 1)[1]
    if "/membership/" in role:
        return role.split("/membership/", 1)[1].split("#", 1)[0]
    return role


def plp_role(lms_roles: tuple[str, ...]) -> str:
    names = {_role_name(role) for role in lms_roles}
    if INSTRUCTOR in names:
        return Role.TEACHER
    return Role.STUDENT if LEARNER in names else ""


def member_from(data) -> Member | None:
    """One NRPS member (pure); None without a user id."""
    if not isinstance(data, dict) or not _text(data.get("user_id")):
        return None
    roles = tuple(r for r in data.get("roles", []) if isinstance(r, str))[:20] if isinstance(
        data.get("roles"), list) else ()  # fmt: skip
    return Member(
        person=LaunchPerson(
            lms_user_id=_text(data["user_id"])[:255],
            email=_text(data.get("email")).lower()[:254],
            sourced_id=_text(data.get("lis_person_sourcedid"))[:255],
            name=_text(data.get("name"))[:150],
        ),
        given_name=_text(data.get("given_name"))[:150],
        family_name=_text(data.get("family_name"))[:150],
        role=plp_role(roles),
        lms_roles=roles,
        active=_text(data.get("status")) in ("", "Active"),
    )


def next_page(link_header: str, current: str) -> str | None:
    """The next page's address from a Link header, as written (case kept), resolved against ``current``."""
    for part in (link_header or "").split(","):
        match = _NEXT.search(part)
        if match:
            return urljoin(current, match.group(1).strip())
    return None


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


def memberships_read(*, context: LtiContext) -> list[Member]:
    """Every member of the course, all pages, or RosterUnavailable."""
    lms = context.registration.name
    try:
        connector = registration_connector(context.registration)
    except PassbackFailed as error:
        raise RosterUnavailable(f"PLP cannot sign its request to {lms}: {error}.") from error
    url, members, pages, seen = context.memberships_url, [], 0, set()
    while url:
        if _origin(url) != _origin(context.memberships_url) or url in seen:
            raise RosterUnavailable(f"{lms} sent the roster's next page to another address; PLP stopped.")
        if pages >= MAX_PAGES or len(members) >= MAX_MEMBERS:
            raise RosterUnavailable(f"The course has more than {MAX_MEMBERS} members or {MAX_PAGES} pages.")
        seen.add(url)
        try:
            response = connector.make_service_request(
                [SCOPE], url, accept=MEDIA_TYPE, case_insensitive_headers=True
            )
        except LtiServiceException as error:
            status = error.response.status_code
            if error.response.url.split("?")[0] == context.registration.auth_token_url.split("?")[0]:
                raise RosterUnavailable(
                    f"{lms} refused PLP's access token (HTTP {status}): check that the registration's "
                    "client id is right and that the LMS allows PLP to read course rosters."
                ) from error
            raise RosterUnavailable(f"{lms} did not give the roster (HTTP {status}).") from error
        except (LtiException, OSError, ValueError) as error:
            raise RosterUnavailable(f"{lms} could not be reached ({type(error).__name__}).") from error
        body = response.get("body") if isinstance(response.get("body"), dict) else {}
        page = body.get("members") if isinstance(body.get("members"), list) else []
        members.extend(m for m in map(member_from, page) if m is not None)
        url = next_page(response["headers"].get("Link", ""), url)
        pages += 1
    unique = {}
    for member in members:
        unique.setdefault(member.person.lms_user_id, member)
    return list(unique.values())


@dataclass
class RosterPreview:
    """What applying the course's roster would do at the school."""

    matched: list[tuple[Member, Match]] = field(default_factory=list)  # a PLP person of the school
    new: list[Member] = field(default_factory=list)  # the roster import would add them
    not_imported: list[tuple[Member, str]] = field(default_factory=list)  # why not
    school_only: list = field(default_factory=list)  # memberships of the school not in the course
    school_only_count: int = 0
    # The course's section in the current term (found by its source key, made from the LMS context id).
    term: Term | None = None
    section: Section | None = None
    section_key: str = ""
    sourced_ids: dict[int, str] = field(default_factory=dict)  # a matched account → its roster sourcedId
    # One row per member of the course: (member, "added" | "already there" | "refused", why).
    seats: list[tuple[Member, str, str]] = field(default_factory=list)
    left: list[Enrollment] = field(default_factory=list)  # enrolled in the section, no longer in the course

    @property
    def member_count(self) -> int:
        return len(self.matched) + len(self.new) + len(self.not_imported)

    def seats_with(self, outcome: str) -> list[tuple[Member, str, str]]:
        return [seat for seat in self.seats if seat[1] == outcome]

    @property
    def to_enrol(self) -> list[tuple[Member, str, str]]:
        return self.seats_with(ADDED)

    @property
    def already(self) -> list[tuple[Member, str, str]]:
        return self.seats_with(ALREADY)

    @property
    def refused(self) -> list[tuple[Member, str, str]]:
        return self.seats_with(REFUSED)


ADDED, ALREADY, REFUSED = "added", "already there", "refused"


def _digest(value: str, size: int) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:size]


def section_key(context: LtiContext) -> str:
    """The source key (Section.sourced_id) of the LMS course's section: made from the registration and the
    LMS context id, so every apply finds the section the first one made."""
    return f"lti-{context.registration.public_id.hex[:8]}-course-{_digest(context.context_id, 24)}"


def enrolment_key(section_sourced_id: str, user_sourced_id: str) -> str:
    return f"{section_sourced_id}-{_digest(user_sourced_id, 16)}"


def current_term() -> Term | None:
    """The active school's term today (the latest started), or None."""
    today = timezone.localdate()
    terms = Term.objects.filter(start_date__lte=today, end_date__gte=today)
    return terms.order_by("-start_date", "pk").first()


def _plan_seats(context: LtiContext, preview: "RosterPreview", matched_ids: set[int]) -> None:
    """Sort each member against the course's section (four queries whatever the roster's size)."""
    preview.term = current_term()
    preview.section_key = section_key(context)
    preview.section = Section.objects.filter(sourced_id=preview.section_key).select_related("term").first()
    records = RosterPerson.objects.filter(user_id__in=matched_ids).order_by("-pk")
    preview.sourced_ids = dict(records.values_list("user_id", "sourced_id"))
    enrolled = {}
    if preview.section is not None:
        enrolled = {
            e.user_id: e
            for e in Enrollment.objects.filter(section=preview.section).select_related("user").order_by("pk")
        }
    for member, match in preview.matched:
        seat = enrolled.get(match.user.pk)
        if not member.active:
            preview.seats.append((member, REFUSED, "inactive in the LMS"))
        elif not member.role:
            preview.seats.append((member, REFUSED, "neither learner nor instructor in the course"))
        elif preview.term is None and preview.section is None:
            preview.seats.append((member, REFUSED, "the school has no term today: add one first"))
        elif seat is not None and seat.is_active and seat.role == member.role:
            preview.seats.append((member, ALREADY, f"enrolled as a {member.role}"))
        else:
            preview.seats.append((member, ADDED, f"enrolled as a {member.role}"))
    for member in preview.new:
        if preview.term is None and preview.section is None:
            preview.seats.append((member, REFUSED, "the school has no term today: add one first"))
        else:
            preview.seats.append((member, ADDED, f"added to the school and enrolled as a {member.role}"))
    for member, why in preview.not_imported:
        preview.seats.append((member, REFUSED, why))
    preview.left = [e for user_id, e in enrolled.items() if e.is_active and user_id not in matched_ids]


def roster_preview(*, context: LtiContext, members: list[Member]) -> RosterPreview:
    """Sort the course's members against the school (a constant number of queries)."""
    registration = context.registration
    preview = RosterPreview()
    with school_scope(context.school_id):
        matches = people_match(registration=registration, people=[m.person for m in members])
        for member in sorted(members, key=lambda m: (m.family_name.lower(), m.name.lower())):
            match = matches.get(member.person.lms_user_id)
            if match is not None and match.belongs:
                preview.matched.append((member, match))
            elif not member.active:
                preview.not_imported.append((member, "inactive in the LMS"))
            elif not member.role:
                preview.not_imported.append((member, "neither learner nor instructor in the course"))
            elif not member.person.key(registration.match_by):
                what = registration.get_match_by_display().lower()
                preview.not_imported.append((member, f"the LMS does not share their {what}"))
            else:
                preview.new.append(member)
        in_course = {match.user.pk for _, match in preview.matched}
        _plan_seats(context, preview, in_course)
        others = (
            Membership.objects.filter(is_active=True, role__in=[Role.STUDENT, Role.TEACHER])
            .exclude(user_id__in=in_course)
            .select_related("user")
            .order_by("user__family_name", "user__given_name", "pk")
        )
        preview.school_only_count = others.count()
        preview.school_only = list(others[:SCHOOL_ONLY_SHOWN])
    return preview


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


def _term_keyed(term: Term) -> None:
    """The section's term needs a sourcedId for the roster files to name it: a term made by hand gets
    one of its own (``plp-term-<id>``), which no real roster uses."""
    if not term.sourced_id:
        term.sourced_id = f"plp-term-{term.pk}"
        term.save(update_fields=["sourced_id"])


def roster_apply(*, context: LtiContext, user):
    """Read the roster again and hand it to the school's roster import: its new people, and the course's
    section in the current term with every learner (student) and instructor (teacher) enrolled. An
    ImportRun with its dry-run report (row by row), waiting for the admin's confirmation
    (schools.rostering.services). RosterUnavailable when the LMS does not answer; ValueError when there
    is nothing to add (a re-apply of an applied roster). Nobody who left the course is removed."""
    preview = roster_preview(context=context, members=memberships_read(context=context))
    if not preview.new and not preview.to_enrol:
        raise ValueError(
            "Everyone in this course who can be added is already at the school and in its section."
        )
    with transaction.atomic(), school_scope(context.school_id):
        if preview.to_enrol:
            _term_keyed(preview.section.term if preview.section is not None else preview.term)
        files = roster_files(
            registration=context.registration, members=preview.new, context=context, preview=preview
        )
        return import_run_create(files=files, user=user, background=False)
