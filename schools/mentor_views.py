"""Mentor assignment pages for school admins: pick a mentor and tick students, or upload a CSV."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from plp.search import search_term
from plp.tenancy.decorators import school_roles_required
from schools import mentor_assignments as assignments
from schools.guards import POST, method_then_role
from schools.roles import SCHOOL_WIDE_ROLES

STUDENTS_PER_PAGE = 100


class MentorCsvForm(forms.Form):
    file = forms.FileField(label="CSV file (mentor_email,student_sourcedId)")
    skip_problem_rows = forms.BooleanField(label="Skip rows with errors and assign the rest", required=False)


def _page_context(request, csv_form=None, check=None, picked=None) -> dict:
    """``picked``: an assignment that was refused, shown again as picked (mentor, students, secondary)
    with its ``errors`` next to the mentor select and the student list."""
    search = search_term(request)
    page = Paginator(assignments.students(search=search), STUDENTS_PER_PAGE).get_page(request.GET.get("page"))
    current = assignments.assignment_list(roles=request.school_roles)
    return {
        "mentors": list(assignments.mentors()),
        "page": page,
        "search": search,
        "assignments": Paginator(current, 100).get_page(request.GET.get("apage")),
        "csv_form": csv_form or MentorCsvForm(),
        "check": check,
        "picked": picked or {"mentor": None, "students": set(), "secondary": False, "errors": {}},
    }


@require_http_methods(["GET", "POST"])
@school_roles_required(*SCHOOL_WIDE_ROLES)
def mentor_assign(request, school_slug: str):
    """GET: the form and the current assignments. POST: assign the ticked students to the picked mentor;
    when refused, the page again with the picks kept and the message next to what is missing."""
    if request.method == "POST":
        mentor_ids = {m.pk for m in assignments.mentors()}
        try:
            mentor_id = int(request.POST.get("mentor", ""))
        except ValueError:
            mentor_id = 0
        try:
            picked = {int(s) for s in request.POST.getlist("students")}
        except ValueError:
            picked = set()
        student_ids = set(assignments.students().filter(pk__in=picked).values_list("pk", flat=True))
        secondary = request.POST.get("secondary") == "1"
        errors = {}
        if mentor_id not in mentor_ids:
            errors["mentor"] = "Pick a mentor of this school."
        if not student_ids:
            errors["students"] = "Tick at least one student."
        if errors:
            kept = {"mentor": mentor_id, "students": student_ids, "secondary": secondary, "errors": errors}
            return render(request, "schools/mentors.html", _page_context(request, picked=kept))
        result = assignments.mentor_assign_bulk(
            pairs=[(mentor_id, s) for s in sorted(student_ids)],
            assigned_by=request.user,
            is_primary=not secondary,
        )
        messages.success(
            request,
            f"{result.created} assigned, {result.made_primary} made primary, "
            f"{result.unchanged} unchanged, "
            f"{result.ended} previous primary mentor{'s' if result.ended != 1 else ''} replaced.",
        )
        return redirect("schools:mentor_assign", school_slug=request.school.slug)
    return render(request, "schools/mentors.html", _page_context(request))


@require_http_methods(["GET", "POST"])
@school_roles_required(*SCHOOL_WIDE_ROLES)
def mentor_csv(request, school_slug: str):
    """Check a CSV of assignments; assign if it has no errors, or if the admin chose to skip them."""
    if request.method == "GET":
        return render(request, "schools/mentors.html", _page_context(request))
    form = MentorCsvForm(request.POST, request.FILES)
    check = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        check = assignments.mentor_csv_check(name=upload.name, data=upload.read())
        if check.blocking or (check.errors and not form.cleaned_data["skip_problem_rows"]):
            messages.error(
                request, "Nothing was assigned: fix the errors below, or choose to skip those rows."
            )
        else:
            result = assignments.mentor_assign_bulk(pairs=check.pairs, assigned_by=request.user)
            messages.success(
                request, f"{result.created} assigned, {result.unchanged} unchanged, {result.ended} replaced."
            )
    return render(request, "schools/mentors.html", _page_context(request, form, check))


def mentor_end(request, school_slug: str, assignment_id: int):
    assignment = assignments.assignment_get(roles=request.school_roles, assignment_id=assignment_id)
    if refused := method_then_role(
        request, methods=POST
    ):  # looked up first: another school's id is a 404 whatever the method
        return refused
    assignments.mentor_assignment_end(assignment=assignment)
    messages.success(request, f"{assignment.mentor} no longer mentors {assignment.student}.")
    return redirect("schools:mentor_assign", school_slug=request.school.slug)
