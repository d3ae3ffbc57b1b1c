"""Who may enter which school, and with which roles. Resolved once per request, at the edge."""

import zoneinfo
from contextvars import Token
from dataclasses import dataclass

from django.http import Http404, HttpRequest
from django.utils import timezone

from plp.tenancy.context import activate_school, deactivate_school
from schools.models import Membership, OrganizationAdmin, School
from schools.roles import DISTRICT_ADMIN


@dataclass(frozen=True)
class SchoolAccess:
    school: School
    roles: frozenset[str]

    def has_any(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)


def school_roles_of(*, user, school: School) -> frozenset[str]:
    """Every role ``user`` holds in ``school``: active memberships plus district admin of its organization."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    # unscoped: this check decides which school may become active, so no school is active yet.
    roles = set(
        Membership.objects.unscoped()
        .filter(user=user, school=school, is_active=True)
        .values_list("role", flat=True)
    )
    if OrganizationAdmin.objects.filter(user=user, organization_id=school.organization_id).exists():
        roles.add(DISTRICT_ADMIN)
    return frozenset(roles)


def school_access_for(*, user, school_slug: str) -> SchoolAccess:
    """The school named in the URL, if ``user`` belongs to it; 404 otherwise (never 403: no oracle)."""
    school = School.objects.filter(slug=school_slug, is_active=True).first()
    if school is None:
        raise Http404("No such school.")
    roles = school_roles_of(user=user, school=school)
    if not roles:
        raise Http404("No such school.")
    return SchoolAccess(school=school, roles=roles)


def enter_school(request: HttpRequest, access: SchoolAccess) -> Token:
    """Make the school active for the rest of this request: the tenant scope, the school's time zone, and
    ``request.school`` / ``request.school_roles``. Pair with :func:`leave_school` in a ``finally``."""
    request.school, request.school_roles = access.school, access.roles
    timezone.activate(zoneinfo.ZoneInfo(access.school.timezone))
    return activate_school(access.school)


def leave_school(token: Token) -> None:
    deactivate_school(token)
    timezone.deactivate()
