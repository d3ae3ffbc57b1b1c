"""Competency frameworks: the list, the CASE import, a framework's page, and one page per competency where
its prerequisites are edited (so a framework of 500 competencies is not 500 forms of 500 options).

Object pages look the object up (404) before checking the method (405), so another school's id is never
told apart from a missing one."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from playlists import forms, framework_services, selectors
from playlists.frameworks.upload import parse_framework_upload
from playlists.views.authoring import PER_PAGE, authors
from plp.search import search_term
from plp.tenancy.decorators import school_roles_required
from schools.guards import POST, SAFE, adults_only, method_then_role
from schools.roles import STAFF_ROLES

# Frameworks.


@require_safe
@school_roles_required(*STAFF_ROLES)
def framework_list(request, school_slug: str):
    page = Paginator(selectors.framework_list(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "playlists/framework_list.html", {"page": page, "can_import": authors(request)})


@require_http_methods(["GET", "POST"])
@school_roles_required(*selectors.IMPORT_ROLES)
def framework_import_view(request, school_slug: str):
    form = forms.FrameworkImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read()
        parsed = parse_framework_upload(
            raw,
            csv_file=upload.name.lower().endswith(".csv"),
            title=form.cleaned_data["title"] or upload.name.rsplit(".", 1)[0],
            seconds=settings.UPLOAD_PARSE_SECONDS,
        )
        report = framework_services.framework_import(parsed=parsed, subject_name=form.cleaned_data["subject"])
        if report.ok:
            messages.success(
                request,
                f"Imported “{report.framework.title}”: {report.created} new, {report.updated} updated, "
                f"{report.prerequisites} prerequisites, {len(report.warnings)} warning(s).",
            )
            if not report.warnings:
                return redirect(
                    "playlists:framework_detail", school_slug=school_slug, framework_id=report.framework.pk
                )
    status = 400 if report is not None and not report.ok else 200
    return render(request, "playlists/framework_import.html", {"form": form, "report": report}, status=status)


@require_safe
def framework_detail(request, school_slug: str, framework_id: int):
    adults_only(request)
    framework = selectors.framework_get(framework_id=framework_id)
    competencies = selectors.framework_competencies(framework=framework)
    context = {
        "framework": framework,
        "competencies": competencies,
        "can_edit": _sets_up_competencies(request),
    }
    return render(request, "playlists/framework_detail.html", context)


# Competencies and their prerequisites: one page per competency, linked from the framework page, so a
# framework of 500 competencies is not 500 forms with 500 options each.


def _sets_up_competencies(request) -> bool:
    """The framework import page's rule (IMPORT_ROLES): the same people edit the prerequisite graph."""
    return not request.school_roles.isdisjoint(selectors.IMPORT_ROLES)


SETS_UP_ONLY = "Only teachers and school admins set up competencies."


def _competency_of(request, framework_id: int, competency_id: int):
    adults_only(request)
    framework = selectors.framework_get(framework_id=framework_id)
    return framework, selectors.competency_get(framework=framework, competency_id=competency_id)


def _competency_context(request, framework, competency, *, form=None, search="", changed="") -> dict:
    requires, required_by = selectors.competency_prerequisites(competency=competency)
    can_edit = _sets_up_competencies(request)
    form = form or forms.PrerequisiteAddForm()
    context = {
        "framework": framework,
        "competency": competency,
        "requires": requires,
        "required_by": required_by,
        "can_edit": can_edit,
        "form": form,
        "selected": str(form["prerequisite"].value() or ""),
        "search": search,
        "changed": changed,
    }
    if can_edit:
        context["choices"], context["more"] = selectors.prerequisite_choices(
            competency=competency, exclude_ids=[c.pk for c in requires], search=search
        )
    return context


def competency_detail(request, school_slug: str, framework_id: int, competency_id: int):
    framework, competency = _competency_of(request, framework_id, competency_id)
    if refused := method_then_role(request, methods=SAFE):
        return refused
    search = search_term(request)
    context = _competency_context(request, framework, competency, search=search)
    if request.htmx and request.htmx.target == "prerequisite-choice" and context["can_edit"]:
        return render(request, "playlists/competency_detail.html#choices", context)
    return render(request, "playlists/competency_detail.html", context)


def _prerequisites_response(request, school_slug: str, framework, competency, *, form=None, changed=""):
    """htmx: the prerequisites part, with the form's errors or what changed. Without htmx: back to the
    page when it worked, or the page with the errors (and the choice kept)."""
    if form is None and not request.htmx:
        messages.success(request, changed)
        return redirect(
            "playlists:competency_detail",
            school_slug=school_slug,
            framework_id=framework.pk,
            competency_id=competency.pk,
        )
    context = _competency_context(request, framework, competency, form=form, changed=changed)
    if not request.htmx:
        return render(request, "playlists/competency_detail.html", context)
    response = render(request, "playlists/competency_detail.html#prerequisites", context)
    if form is None:
        response["HX-Trigger"] = "prerequisitesChanged"
    return response


def prerequisite_add(request, school_slug: str, framework_id: int, competency_id: int):
    framework, competency = _competency_of(request, framework_id, competency_id)
    if refused := method_then_role(request, methods=POST, roles=selectors.IMPORT_ROLES, refusal=SETS_UP_ONLY):
        return refused
    form = forms.PrerequisiteAddForm(request.POST)
    if form.is_valid():
        # Any framework of the school; another school's id is a 404 like a missing one.
        prerequisite = selectors.competency_get(competency_id=form.cleaned_data["prerequisite"])
        try:
            framework_services.competency_prerequisite_add(competency=competency, prerequisite=prerequisite)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            changed = f"{competency.code} now requires {prerequisite.code}."
            return _prerequisites_response(request, school_slug, framework, competency, changed=changed)
    return _prerequisites_response(request, school_slug, framework, competency, form=form)


def prerequisite_remove(
    request, school_slug: str, framework_id: int, competency_id: int, prerequisite_id: int
):
    framework, competency = _competency_of(request, framework_id, competency_id)
    edge = selectors.prerequisite_edge_get(competency=competency, prerequisite_id=prerequisite_id)
    if refused := method_then_role(request, methods=POST, roles=selectors.IMPORT_ROLES, refusal=SETS_UP_ONLY):
        return refused
    framework_services.competency_prerequisite_remove(edge=edge)
    changed = f"{competency.code} no longer requires {edge.prerequisite.code}."
    return _prerequisites_response(request, school_slug, framework, competency, changed=changed)
