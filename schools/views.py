"""Pages: the school picker, each school's role-aware home, and its sections."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from plp.ids import id_or_none
from plp.search import pager_query, search_term
from schools import selectors
from schools.models import Term
from schools.roles import SCHOOL_WIDE_ROLES, STAFF_ROLES, Role

SECTIONS_PER_PAGE = 25


@require_safe
@login_required
def school_picker(request):
    """A user in one school goes straight in; a user in several chooses; a user in none is told so."""
    choices = selectors.schools_for_user(user=request.user)
    if len(choices) == 1 and not request.GET.get("choose"):
        return redirect("schools:home", school_slug=choices[0].school.slug)
    return render(request, "schools/picker.html", {"choices": choices})


@require_safe
def school_home(request, school_slug: str):
    """What this person can do in this school, by role."""
    roles = request.school_roles
    sections = list(selectors.section_list(user=request.user, roles=roles)[:SECTIONS_PER_PAGE])
    context = {
        "sections": sections,
        "is_student": Role.STUDENT in roles,
        "is_teacher": Role.TEACHER in roles,
        "is_mentor": Role.MENTOR in roles,
        "is_school_wide": not roles.isdisjoint(SCHOOL_WIDE_ROLES),
        "census": selectors.school_census() if not roles.isdisjoint(SCHOOL_WIDE_ROLES) else None,
        "district_schools": list(selectors.district_schools(school=request.school, roles=roles)),
    }
    return render(request, "schools/home.html", context)


@require_safe
def section_list(request, school_slug: str):
    """The sections this person may see, searchable; htmx requests get just the results."""
    search = search_term(request)
    term_id = id_or_none(request.GET.get("term"))
    sections = selectors.section_list(
        user=request.user, roles=request.school_roles, search=search, term_id=term_id
    )
    page = Paginator(sections, SECTIONS_PER_PAGE).get_page(request.GET.get("page"))
    template = "schools/section_list.html"
    if request.htmx:
        template += "#results"
    context = {
        "page": page,
        "search": search,
        "term_id": term_id,
        "terms": Term.objects.order_by("-start_date", "name")[:200],
        "query": pager_query(request),
        "shows_student_counts": not request.school_roles.isdisjoint(STAFF_ROLES),
    }
    return render(request, template, context)


@require_safe
def section_detail(request, school_slug: str, section_id: int):
    section = selectors.section_get(user=request.user, roles=request.school_roles, section_id=section_id)
    roster = selectors.section_roster(section=section, roles=request.school_roles)
    context = {
        "section": section,
        "roster": roster,
        "shows_students": not request.school_roles.isdisjoint(STAFF_ROLES),
        "can_edit": not request.school_roles.isdisjoint(SCHOOL_WIDE_ROLES),
    }
    return render(request, "schools/section_detail.html", context)
