"""Who may enter which school, and with which roles. Resolved once per request, at the edge."""

import zoneinfo
from contextvars import Token
from dataclasses import dataclass

from django.db import connection
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


# Every role of a person in a school, in one round trip. Raw SQL on purpose: this runs on every school
# page, and the ORM's compiling of the equivalent queries cost more than the database (3-6 ms against
# about 1 ms, measured).
_ROLES_SQL = f"""
SELECT m.role FROM {Membership._meta.db_table} m WHERE m.school_id = %s AND m.user_id = %s AND m.is_active
UNION ALL
SELECT '{DISTRICT_ADMIN}' FROM {OrganizationAdmin._meta.db_table} o
    WHERE o.organization_id = %s AND o.user_id = %s
"""


def school_roles_of(*, user, school: School) -> frozenset[str]:
    """Every role ``user`` holds in ``school``: active memberships plus district admin of its organization."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    # No school is active yet (this check decides which may become active): the ids are explicit.
    with connection.cursor() as cursor:
        cursor.execute(_ROLES_SQL, [school.pk, user.pk, school.organization_id, user.pk])
        return frozenset(role for (role,) in cursor.fetchall())


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
    The same rule as :func:`school_roles_of`, read with the school in one query (every school page)."""
    if not user.is_authenticated or not user.is_active:
        raise Http404("No such school.")
    rows = list(School.objects.raw(_ACCESS_SQL, [user.pk, user.pk, school_slug]))
    roles = frozenset(row.held_role for row in rows if row.held_role)
    if not roles:
        raise Http404("No such school.")
    return SchoolAccess(school=rows[0], roles=roles)


def enter_school(request: HttpRequest, access: SchoolAccess) -> Token:
    """Make the school active for the rest of this request: the tenant scope, the school's time zone, and
    ``request.school`` / ``request.school_roles``. Pair with :func:`leave_school` in a ``finally``."""
    request.school, request.school_roles = access.school, access.roles
    timezone.activate(zoneinfo.ZoneInfo(access.school.timezone))
    return activate_school(access.school)


def leave_school(token: Token) -> None:
    deactivate_school(token)
    timezone.deactivate()
