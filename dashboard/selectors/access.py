"""Which sections' dashboards a user may open (``schools.access`` decides) and the 404 for an id no row
could have."""

from django.http import Http404

from schools.access import section_overseen_get, sections_overseen_by
from schools.models import Section


def object_id(value: int) -> int:
    """An id from the URL, or 404 when no database row could have it (past a 64-bit integer)."""
    if not 0 < value < 2**63:
        raise Http404("No such object.")
    return value


def dashboard_sections(*, user, roles: frozenset[str]):
    """Sections whose dashboard the user may open (``schools.access.sections_overseen_by``)."""
    return sections_overseen_by(user=user, roles=roles)


def dashboard_section_get(*, user, roles: frozenset[str], section_id: int) -> Section:
    """One section the user may see the dashboard of, or 404 (another teacher's, another school's)."""
    return section_overseen_get(user=user, roles=roles, section_id=section_id)
