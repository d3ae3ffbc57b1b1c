"""Who may enter which school, and with which roles. Resolved once per request, at the edge."""

import zoneinfo
from dataclasses import dataclass

from django.http import Http404, HttpRequest
from django.utils import timezone

from plp.tenancy.context import SchoolToken, activate_school, deactivate_school, school_slug_scope
from schools.models import Membership, OrganizationAdmin, School
from schools.roles import DISTRICT_ADMIN


@dataclass(frozen=True)
class SchoolAccess:
    school: School
    roles: frozenset[str]

    def has_any(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)


# The school named in a URL with every role the person holds in it, in one round trip: one row per role
# (a row with no role when they hold none). Filtered by the person's id explicitly: no school is active yet.
_ACCESS_SQL = f"""
SELECT s.*, r.role AS held_role FROM {School._meta.db_table} s
LEFT JOIN (
    SELECT m.school_id, m.role FROM {Membership._meta.db_table} m WHERE m.user_id = %s AND m.is_active
    UNION ALL
    SELECT d.id, '{DISTRICT_ADMIN}' FROM {School._meta.db_table} d
        JOIN {OrganizationAdmin._meta.db_table} o ON o.organization_id = d.organization_id
        WHERE o.user_id = %s
) r ON r.school_id = s.id
WHERE s.slug = %s AND s.is_active
"""


def school_access_for(*, user, school_slug: str) -> SchoolAccess:
    """The school named in the URL, if ``user`` belongs to it; 404 otherwise (never 403: no oracle).
    Its roles: active memberships, plus district admin of its organization; read with the school in one
    raw query, because this runs on every school page and the ORM's compiling cost more than the database."""
    if not user.is_authenticated or not user.is_active:
        raise Http404("No such school.")
    # The database shows the memberships of the school named in the URL, and no other, while they are read.
    with school_slug_scope(school_slug):
        rows = list(School.objects.raw(_ACCESS_SQL, [user.pk, user.pk, school_slug]))
    roles = frozenset(row.held_role for row in rows if row.held_role)
    if not roles:
        raise Http404("No such school.")
    return SchoolAccess(school=rows[0], roles=roles)


def enter_school(request: HttpRequest, access: SchoolAccess) -> SchoolToken:
    """Make the school active for the rest of this request: the tenant scope, the school's time zone, and
    ``request.school`` / ``request.school_roles``. Pair with :func:`leave_school` in a ``finally``."""
    request.school, request.school_roles = access.school, access.roles
    timezone.activate(zoneinfo.ZoneInfo(access.school.timezone))
    return activate_school(access.school)


def leave_school(token: SchoolToken) -> None:
    deactivate_school(token)
    timezone.deactivate()
