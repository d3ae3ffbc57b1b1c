"""The school overview (school and district admins) and the district overview (district admins)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from dashboard.selectors import overview as overviews
from dashboard.selectors.overview import DISTRICT_NOTE
from plp.tenancy.decorators import school_roles_required
from schools.roles import DISTRICT_ADMIN, Role
from schools.selectors import district_schools


@require_safe
@school_roles_required(Role.SCHOOL_ADMIN, DISTRICT_ADMIN)
def school_overview(request, school_slug: str):
    overview = overviews.school_overview(today=timezone.localdate())
    return render(request, "dashboard/overview.html", {"overview": overview, "district": False})


@require_safe
@school_roles_required(DISTRICT_ADMIN)
def district_overview(request, school_slug: str):
    """Every school of this school's organization."""
    schools = list(district_schools(school=request.school, roles=request.school_roles).order_by("name"))
    overview = overviews.district_overview(schools=schools, today=timezone.localdate())
    context = {"overview": overview, "district": True, "district_note": DISTRICT_NOTE}
    return render(request, "dashboard/overview.html", context)
