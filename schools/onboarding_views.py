"""Onboarding pages: school details → upload → review (report, dry run) → confirm → progress → done.
District admins also open new schools here."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from audit.models import AuditEntry
from audit.recorder import export_recorded
from plp.tenancy.decorators import school_roles_required
from schools import onboarding
from schools.forms import ImportConfirmForm, RosterUploadForm, SchoolCreateForm, SchoolDetailsForm
from schools.roles import DISTRICT_ADMIN, SCHOOL_WIDE_ROLES
from schools.rostering import selectors
from schools.rostering.models import ImportRun
from schools.rostering.plan import KINDS
from schools.rostering.services import (
    files_from_upload,
    import_run_confirm,
    import_run_create,
    import_run_progress,
)

ADMINS = tuple(SCHOOL_WIDE_ROLES)
REPORT_ROWS_SHOWN = 500


@require_http_methods(["GET", "POST"])
@school_roles_required(*ADMINS)
def onboarding_details(request, school_slug: str):
    """Step 1: the school's name, time zone, grade levels and (optionally) a term."""
    school = request.school
    initial = {
        "name": school.name,
        "timezone": school.timezone,
        "grade_levels": school.grade_levels,
        "idle_minutes_staff": school.idle_minutes_staff,
        "idle_minutes_students": school.idle_minutes_students,
    }
    form = SchoolDetailsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        term = (data["term_name"], data["term_start"], data["term_end"]) if data["term_name"] else None
        try:
            onboarding.school_details_update(
                school=school,
                name=data["name"],
                timezone=data["timezone"],
                grade_levels=data["grade_levels"],
                term=term,
                idle_minutes_staff=data["idle_minutes_staff"],
                idle_minutes_students=data["idle_minutes_students"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "School details saved.")
            return redirect("schools:roster_upload", school_slug=school.slug)
    return render(request, "schools/onboarding/details.html", {"form": form, "step": 1})


@require_http_methods(["GET", "POST"])
@school_roles_required(*ADMINS)
def roster_upload(request, school_slug: str):
    """Step 2: upload the OneRoster files; they are checked and a dry run is made, nothing is imported."""
    form = RosterUploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        try:
            run = import_run_create(files=files_from_upload(form.cleaned_data["files"]), user=request.user)
        except ValidationError as exc:
            form.add_error("files", exc.messages)
        else:
            return redirect("schools:import_detail", school_slug=request.school.slug, import_run_id=run.pk)
    runs = list(selectors.import_run_list(roles=request.school_roles)[:10])
    return render(request, "schools/onboarding/upload.html", {"form": form, "step": 2, "runs": runs})


def _run_context(request, run: ImportRun, form=None) -> dict:
    report = run.report[:REPORT_ROWS_SHOWN]
    return {
        "run": run,
        "report": report,
        "report_truncated": len(run.report) > len(report),
        "counts": [(kind, run.counts.get(kind, {})) for kind in KINDS],
        "form": form or ImportConfirmForm(),
        "progress": import_run_progress(run=run),
        "step": 3 if run.status in (ImportRun.Status.CHECKED, ImportRun.Status.BLOCKED) else 4,
    }


@require_http_methods(["GET", "POST"])
def import_detail(request, school_slug: str, import_run_id: int):
    """Step 3 (review the report and the dry-run counts, confirm) and step 4 (progress, then done)."""
    run = selectors.import_run_get(roles=request.school_roles, run_id=import_run_id)
    form = ImportConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            import_run_confirm(run=run, skip_problem_rows=form.cleaned_data["skip_problem_rows"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("schools:import_detail", school_slug=request.school.slug, import_run_id=run.pk)
    run.refresh_from_db()
    return render(request, "schools/onboarding/import_detail.html", _run_context(request, run, form))


@require_safe
def import_progress(request, school_slug: str, import_run_id: int):
    """The progress bar, polled by htmx every second until the import is finished."""
    run = selectors.import_run_get(roles=request.school_roles, run_id=import_run_id)
    if request.GET.get("checking") and run.status != ImportRun.Status.CHECKING:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"  # the check is done: reload for the report and the dry run
        return response
    return render(request, "schools/onboarding/import_detail.html#progress", _run_context(request, run))


@require_safe
def import_report_csv(request, school_slug: str, import_run_id: int):
    run = selectors.import_run_get(roles=request.school_roles, run_id=import_run_id)
    export_recorded(kind=AuditEntry.Kind.ROSTER_EXPORT, object_type="import_run", object_id=run.pk)
    response = HttpResponse(selectors.import_report_csv(run=run), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roster-report-{run.pk}.csv"'
    return response


@require_http_methods(["GET", "POST"])
@school_roles_required(DISTRICT_ADMIN)
def school_create(request, school_slug: str):
    """A district admin opens a new school in this school's organization and names its first admin."""
    organization = request.school.organization
    form = SchoolCreateForm(
        request.POST if request.method == "POST" else None, initial={"timezone": request.school.timezone}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            school = onboarding.school_create(
                organization=organization,
                name=data["name"],
                slug=data["slug"],
                timezone=data["timezone"],
                admin_email=data["admin_email"],
                admin_given_name=data["admin_given_name"],
                admin_family_name=data["admin_family_name"],
                created_by=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{school.name} is open; its admin has been told.")
            return redirect("schools:onboarding", school_slug=school.slug)
    return render(
        request, "schools/onboarding/school_create.html", {"form": form, "organization": organization}
    )
