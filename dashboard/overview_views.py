"""The school overview (school and district admins) and the district overview (district admins)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from dashboard.overview_selectors import district_summaries
from dashboard.overview_selectors import school_overview as school_overview_rows
from plp.tenancy.decorators import school_roles_required
from schools.roles import DISTRICT_ADMIN, Role
from schools.selectors import district_schools


@require_safe
@school_roles_required(Role.SCHOOL_ADMIN, DISTRICT_ADMIN)
def school_overview(request, school_slug: str):
    rows = school_overview_rows(today=timezone.localdate())
    return render(request, "dashboard/overview.html", {"rows": rows, "district": False})


@require_safe
@school_roles_required(DISTRICT_ADMIN)
def district_overview(request, school_slug: str):
    """Every school of this school's organization."""
    schools = list(district_schools(school=request.school, roles=request.school_roles).order_by("name"))
    rows = district_summaries(schools=schools, today=timezone.localdate())
    return render(request, "dashboard/overview.html", {"rows": rows, "district": True})
