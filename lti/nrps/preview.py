"""The preview of a course roster at the school: each member matched as a launch would match them, new,
or not imported (and why), their seat in the course's section of the current term, who left the course,
and the school's people not in it. A constant number of queries whatever the roster's size.
"""

import hashlib
from dataclasses import dataclass, field

from django.utils import timezone

from lti.matching import Match, people_match
from lti.models import LtiContext
from lti.nrps.reading import Member
from plp.tenancy.context import school_scope
from schools.models import Enrollment, Membership, Section, Term
from schools.roles import Role
from schools.rostering.models import RosterPerson

SCHOOL_ONLY_SHOWN = 50


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
