"""Who of the school an LMS person is: one matching for the launch (one person) and the course roster
preview (a whole course, in a constant number of queries).

The order is the launch's: the LMS user id linked at an earlier launch first; else the registration's rule
(email, or the roster sourcedId the school's OneRoster import recorded). Whether the account belongs to
this school (a membership, or a district admin of its organization) and holds an active place there is
said next to it: an account of another school only is no match here, and nobody learns that it exists.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from lti.claims import LaunchPerson
from lti.models import LtiRegistration, LtiUserLink
from schools.people_matching import BY_EMAIL, BY_SOURCED_ID, account_ids_by_key, places_of

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
    scope; five queries whatever the number of people. The key and the place are single sign-on's rule
    (``schools.people_matching``)."""
    ids = [p.lms_user_id for p in people if p.lms_user_id]
    links = {
        link.lms_user_id: link
        for link in LtiUserLink.objects.filter(registration=registration, lms_user_id__in=ids)
    }
    found: dict[str, tuple[int, str, LtiUserLink | None]] = {
        lms_id: (link.user_id, LINKED, link) for lms_id, link in links.items()
    }
    rest = [p for p in people if p.lms_user_id and p.lms_user_id not in found]
    by_email = registration.match_by == LtiRegistration.MatchBy.EMAIL
    key_of = {p.lms_user_id: (p.email if by_email else p.sourced_id) for p in rest}
    account_of = account_ids_by_key(
        match_by=BY_EMAIL if by_email else BY_SOURCED_ID, keys=[key for key in key_of.values() if key]
    )
    for lms_id, key in key_of.items():
        if key and key in account_of:
            found[lms_id] = (account_of[key], EMAIL if by_email else SOURCED_ID, None)
    if not found:
        return {}
    user_ids = {user_id for user_id, _, _ in found.values()}
    users = get_user_model().objects.in_bulk(list(user_ids))
    places = places_of(organization_id=registration.school.organization_id, user_ids=user_ids)
    return {
        lms_id: Match(
            user=users[user_id],
            how=how,
            link=link,
            belongs=places[user_id].belongs,
            active=places[user_id].active,
        )
        for lms_id, (user_id, how, link) in found.items()
        if user_id in users
    }
