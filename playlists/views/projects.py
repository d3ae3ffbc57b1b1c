"""Project pages: the list, a project (students submit milestone work; teachers build the rubric),
creation by a section's teachers, and scoring a student against the rubric."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import HttpResponseClientRedirect

from audit.models import AuditEntry
from audit.recorder import audits
from playlists import forms
from playlists.projects import selectors, services
from plp.tenancy.decorators import school_roles_required
from schools import access
from schools.guards import POST, READ_WRITE, method_then_role
from schools.roles import Role
from submissions.uploads import size_capped_files

PER_PAGE = 25


def _project(request, project_id: int):
    return selectors.project_get(user=request.user, roles=request.school_roles, project_id=project_id)


def _require_scorer(request, project) -> None:
    if not selectors.can_score(user=request.user, roles=request.school_roles, project=project):
        raise PermissionDenied("Only the section's teachers edit and score this project.")


@require_safe
def project_list(request, school_slug: str):
    projects = selectors.projects_visible_to(user=request.user, roles=request.school_roles).order_by(
        "title", "pk"
    )
    page = Paginator(projects, PER_PAGE).get_page(request.GET.get("page"))
    can_create = Role.TEACHER in request.school_roles
    return render(request, "playlists/project_list.html", {"page": page, "can_create": can_create})


@require_http_methods(["GET", "POST"])
@school_roles_required(Role.TEACHER)
def project_create(request, school_slug: str):
    form = forms.ProjectForm(request.POST or None, sections=access.sections_taught(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("playlists:project_detail", school_slug=school_slug, project_id=project.pk)
    return render(request, "playlists/project_form.html", {"form": form})


@require_safe
def project_detail(request, school_slug: str, project_id: int):
    return _detail_page(request, _project(request, project_id))


def _detail_page(request, project, *, milestone_form=None, dimension_form=None, submitted=None):
    """The project page; a form that met an error (``submitted``: the milestone and its bound form) is
    shown again as typed, with its errors next to its fields."""
    is_student = _is_student_of(request, project)
    can_edit = selectors.can_score(user=request.user, roles=request.school_roles, project=project)
    detail = selectors.project_detail(project=project, student=request.user if is_student else None)
    if is_student:
        for milestone in detail["milestones"]:
            milestone.submission_form = forms.submission_form(milestone=milestone)
            if submitted and submitted[0].pk == milestone.pk:
                milestone.submission_form = submitted[1]
    context = {
        "project": project,
        **detail,
        "is_student": is_student,
        "can_edit": can_edit,
        "students": selectors.project_students(project=project) if can_edit else [],
        "milestone_form": milestone_form or forms.MilestoneForm(),
        "dimension_form": dimension_form or forms.DimensionForm(),
    }
    return render(request, "playlists/project_detail.html", context)


def _is_student_of(request, project) -> bool:
    return Role.STUDENT in request.school_roles and project.section_id in set(
        access.student_section_ids(student=request.user).values_list("section_id", flat=True)
    )


def _edit_post(request, project_id: int):
    project = _project(request, project_id)
    if refused := method_then_role(request, methods=POST):
        return project, refused
    _require_scorer(request, project)
    return project, None


def milestone_add(request, school_slug: str, project_id: int):
    project, refused = _edit_post(request, project_id)
    if refused:
        return refused
    form = forms.MilestoneForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, project, milestone_form=form)
    services.milestone_add(project=project, **form.cleaned_data)
    messages.success(request, "Milestone added.")
    return redirect("playlists:project_detail", school_slug=school_slug, project_id=project.pk)


def dimension_add(request, school_slug: str, project_id: int):
    project, refused = _edit_post(request, project_id)
    if refused:
        return refused
    form = forms.DimensionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.rubric_dimension_add(
                project=project,
                name=data["name"],
                descriptors=[data[f"level_{n}"] for n in (1, 2, 3, 4)],
                competencies=list(data["competencies"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Rubric dimension added.")
            return redirect("playlists:project_detail", school_slug=school_slug, project_id=project.pk)
    return _detail_page(request, project, dimension_form=form)


@size_capped_files
def milestone_submit(request, school_slug: str, project_id: int, milestone_id: int):
    project = _project(request, project_id)
    milestone = project.milestones.filter(pk=milestone_id).first()
    if milestone is None:
        raise Http404("No such milestone.")
    if refused := method_then_role(request, methods=POST):
        return refused
    if not _is_student_of(request, project):
        raise PermissionDenied("Only the section's students submit work.")
    form = forms.submission_form(milestone=milestone, data=request.POST, files=request.FILES)
    if form.is_valid():
        try:
            services.milestone_submit(milestone=milestone, student=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
    if form.errors:
        return _submission_error(request, project, milestone, form)
    messages.success(request, f"Your work for “{milestone.title}” is saved.")
    page = reverse("playlists:project_detail", args=[school_slug, project.pk])
    return HttpResponseClientRedirect(page) if request.htmx else redirect(page)


def _submission_error(request, project, milestone, form):
    """The milestone's form again, as typed: just the form for htmx, else the whole page."""
    if not request.htmx:
        return _detail_page(request, project, submitted=(milestone, form))
    milestone.my_submission = selectors.submission_of(milestone=milestone, student=request.user)
    milestone.my_files = selectors.files_of(milestone=milestone, student=request.user)
    milestone.submission_form = form
    context = {"project": project, "milestone": milestone}
    return render(request, "playlists/project_detail.html#milestone-form", context)


@audits(AuditEntry.Kind.PROJECT_WORK)
def project_score(request, school_slug: str, project_id: int, project_student_id: int):
    project = _project(request, project_id)
    student = selectors.project_student_get(project=project, student_id=project_student_id)
    if refused := method_then_role(request, methods=READ_WRITE):
        return refused
    _require_scorer(request, project)
    detail = selectors.project_detail(project=project, student=student)
    initial = {}
    for dimension in detail["dimensions"]:
        if dimension.my_score:
            initial[f"level_{dimension.pk}"] = dimension.my_score.level
            initial[f"feedback_{dimension.pk}"] = dimension.my_score.feedback
    form = forms.ScoreForm(request.POST or None, dimensions=detail["dimensions"], initial=initial)
    if request.method == "POST" and form.is_valid():
        for dimension, level, feedback in form.scores():
            services.rubric_score_record(
                dimension=dimension, student=student, level=level, feedback=feedback, actor=request.user
            )
        messages.success(request, f"Scores saved for {student.get_full_name() or student.email}.")
        return redirect("playlists:project_detail", school_slug=school_slug, project_id=project.pk)
    context = {"project": project, "student": student, "form": form, **detail}
    return render(request, "playlists/project_score.html", context)
