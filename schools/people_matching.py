"""Who of the school a person known elsewhere is: an identity provider's sign-in (``sso``), an LMS launch
and an LMS course roster (``lti``). One rule for all of them, in bulk (a constant number of queries).

An account is found by the school's key (email, the roster's sourcedId, or the roster's username); then
its *place* says whether it belongs to this school at all (a membership, active or not, or an admin of
the school's district) and holds an active place there. An account of another school only is no match
here, and nobody learns that it exists. Call inside the school's scope: roster people and memberships
are read through the school-scoped managers.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from accounts.models import normalize_email_address, normalize_username
from schools.models import Membership, OrganizationAdmin
from schools.rostering.models import RosterPerson

BY_SOURCED_ID, BY_EMAIL, BY_USERNAME = "sourced_id", "email", "username"


@dataclass(frozen=True)
class Place:
    belongs: bool  # a membership of this school (active or not), or its district's admin
    active: bool  # an active place in this school


def account_ids_by_key(*, match_by: str, keys: Iterable[str]) -> dict[str, int]:
    """The account id each key (as given) leads to; keys that lead nowhere are left out. Email: the
    normalized address; sourcedId: the roster person's account; username: the roster's username (any
    case), else an account's own username. One query (two for usernames)."""
    keys = [key for key in keys if key]
    User = get_user_model()
    if match_by == BY_EMAIL:
        given = {normalize_email_address(key): key for key in keys}
        return {
            given[email]: user_id
            for user_id, email in User.objects.filter(email__in=list(given)).values_list("pk", "email")
        }
    if match_by == BY_SOURCED_ID:
        return dict(
            RosterPerson.objects.filter(sourced_id__in=keys, user__isnull=False).values_list(
                "sourced_id", "user_id"
            )
        )
    if match_by != BY_USERNAME:
        raise ValueError(f"Unknown matching key: {match_by!r}")
    lowered = {key.lower(): key for key in keys}
    found = {
        lowered[username.lower()]: user_id
        for username, user_id in RosterPerson.objects.annotate(lowered=Lower("username"))
        .filter(lowered__in=list(lowered), user__isnull=False)
        .values_list("username", "user_id")
    }
    own = {normalize_username(key): key for key in keys if key not in found and normalize_username(key)}
    for user_id, username in User.objects.filter(username__in=list(own)).values_list("pk", "username"):
        found[own[username]] = user_id
    return found


def places_of(*, organization_id: int, user_ids: Iterable[int]) -> dict[int, Place]:
    """Each account's place in the active school (two queries); every id given gets one."""
    user_ids = set(user_ids)
    memberships: dict[int, list[bool]] = {}
    for user_id, is_active in Membership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "is_active"
    ):
        memberships.setdefault(user_id, []).append(is_active)
    district = set(
        OrganizationAdmin.objects.filter(organization_id=organization_id, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
    return {
        user_id: Place(
            belongs=bool(memberships.get(user_id)) or user_id in district,
            active=any(memberships.get(user_id, ())) or user_id in district,
        )
        for user_id in user_ids
    }
