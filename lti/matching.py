"""Who of the school an LMS person is: one matching for the launch (one person) and the course roster
preview (a whole course, in a constant number of queries).

The order is the launch's: the LMS user id linked at an earlier launch first; else the registration's rule
(email, or the roster sourcedId the school's OneRoster import recorded). Whether the account belongs to
this school (a membership, or a district admin of its organization) and holds an active place there is
said next to it: an account of another school only is no match here, and nobody learns that it exists.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from accounts.models import normalize_email_address
from lti.claims import LaunchPerson
from lti.models import LtiRegistration, LtiUserLink
from schools.models import Membership, OrganizationAdmin
from schools.rostering.models import RosterPerson

LINKED, EMAIL, SOURCED_ID = "LMS user id", "email", "roster sourcedId"


@dataclass(frozen=True)
class Match:
    user: object  # the account (accounts.User)
    how: str  # LINKED, EMAIL or SOURCED_ID
    link: LtiUserLink | None  # the link that matched, when it was the LMS user id
    belongs: bool  # a membership of this school (active or not), or its district's admin
    active: bool  # an active place in this school


def people_match(*, registration: LtiRegistration, people: list[LaunchPerson]) -> dict[str, Match]:
    """Each matched person's Match by LMS user id; unmatched people are left out. Inside the school's
    scope; five queries whatever the number of people."""
    User = get_user_model()
    ids = [p.lms_user_id for p in people if p.lms_user_id]
    links = {
        link.lms_user_id: link
        for link in LtiUserLink.objects.filter(registration=registration, lms_user_id__in=ids)
    }
    found: dict[str, tuple[int, str, LtiUserLink | None]] = {
        lms_id: (link.user_id, LINKED, link) for lms_id, link in links.items()
    }
    rest = [p for p in people if p.lms_user_id and p.lms_user_id not in found]
    if registration.match_by == LtiRegistration.MatchBy.EMAIL:
        emails = {normalize_email_address(p.email): p.lms_user_id for p in rest if p.email}
        for user_id, email in User.objects.filter(email__in=list(emails)).values_list("pk", "email"):
            found[emails[email]] = (user_id, EMAIL, None)
    else:
        keys = {p.sourced_id: p.lms_user_id for p in rest if p.sourced_id}
        for user_id, key in RosterPerson.objects.filter(sourced_id__in=list(keys)).values_list(
            "user_id", "sourced_id"
        ):
            found[keys[key]] = (user_id, SOURCED_ID, None)
    if not found:
        return {}
    user_ids = {user_id for user_id, _, _ in found.values()}
    users = User.objects.in_bulk(list(user_ids))
    places: dict[int, list[bool]] = {}
    for user_id, is_active in Membership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "is_active"
    ):
        places.setdefault(user_id, []).append(is_active)
    district = set(
        OrganizationAdmin.objects.filter(
            organization_id=registration.school.organization_id, user_id__in=user_ids
        ).values_list("user_id", flat=True)
    )
    matches = {}
    for lms_id, (user_id, how, link) in found.items():
        if user_id not in users:
            continue
        on_staff = user_id in district
        matches[lms_id] = Match(
            user=users[user_id],
            how=how,
            link=link,
            belongs=bool(places.get(user_id)) or on_staff,
            active=any(places.get(user_id, ())) or on_staff,
        )
    return matches
