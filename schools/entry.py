"""Who may enter which school, and with which roles: the rule the tenancy edge asks on every school page
and API call (``plp.tenancy.access.school_access_for``; registered from ``SchoolsConfig.ready``, since the
tenancy core sits below the app that stores memberships)."""

from django.http import Http404

from plp.tenancy.access import SchoolAccess
from plp.tenancy.context import school_slug_scope
from schools.models import Membership, OrganizationAdmin, School
from schools.roles import DISTRICT_ADMIN

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
