"""Pages of student data rights, for the school's admins (and the district's): settings and the retention
dry run, a student's consent, export and erasure."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.lockout import client_address
from audit.models import AuditEntry
from audit.recorder import audits, export_recorded, student_seen
from plp.search import search_term
from plp.tenancy.decorators import school_roles_required
from privacy import selectors, services
from privacy.forms import ConsentForm, EraseForm, PrivacySettingsForm
from privacy.registry import REGISTRY
from schools.guards import POST, method_then_role, role_required
from schools.roles import DISTRICT_ADMIN, Role

ADMINS = (Role.SCHOOL_ADMIN, DISTRICT_ADMIN)
PER_PAGE = 25


@require_http_methods(["GET", "HEAD", "POST"])
@school_roles_required(*ADMINS)
def privacy_index(request, school_slug: str):
    """The school's settings (kept as typed on error), its students, the retention dry run, erasures."""
    current = selectors.privacy_settings_get()
    form = PrivacySettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.privacy_settings_update(**form.cleaned_data)
        messages.success(request, "Privacy settings saved.")
        return redirect("privacy:index", school_slug=school_slug)
    search = search_term(request)
    page = Paginator(selectors.privacy_students(search=search), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "settings": current,
        "page": page,
        "search": search,
        "schedule": selectors.retention_schedule(),
        "erasures": selectors.erasures()[:20],
    }
    return render(request, "privacy/index.html", context, status=400 if form.errors else 200)


def _student_page(request, student, consent_form=None, status=200):
    history = selectors.consent_history(student=student)
    standing = selectors.consent_standing(student=student, history=history)
    if consent_form is None:
        consent_form = ConsentForm(
            initial={"under_13": standing.under_13, "status": standing.status or "pending"}
        )
    context = {
        "student": student,
        "history": history,
        "standing": standing,
        "suggests_under_13": selectors.roster_suggests_under_13(student=student),
        "consent_form": consent_form,
    }
    return render(request, "privacy/student.html", context, status=status)


def _admins_student(request, student_id: int):
    """The student first (another school's id is a 404 for everyone), then the role (403: the page exists)."""
    student = selectors.privacy_student_get(student_id=student_id)
    role_required(request, ADMINS, refusal="Only the school's admins manage students' data.")
    return student


@require_http_methods(["GET", "HEAD", "POST"])
@audits(AuditEntry.Kind.PRIVACY)
def privacy_student(request, school_slug: str, student_id: int):
    """A student's consent (recorded here), with the export and the erasure."""
    student = _admins_student(request, student_id)
    student_seen(student_id=student.pk)
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if not form.is_valid():
            return _student_page(request, student, consent_form=form, status=400)
        services.consent_record(student=student, by=request.user, **form.cleaned_data)
        messages.success(request, "Consent recorded.")
        return redirect("privacy:student", school_slug=school_slug, student_id=student.pk)
    return _student_page(request, student)


def privacy_export(request, school_slug: str, student_id: int):
    """The student's data as a zip (a POST: it is recorded in the audit log), or the page again with why
    it was refused."""
    student = _admins_student(request, student_id)
    if refused := method_then_role(request, methods=POST):
        return refused
    try:
        filename, content = services.student_export(student=student, by=request.user)
    except services.ExportRefused as refused:
        messages.error(request, str(refused))
        return redirect("privacy:student", school_slug=school_slug, student_id=student.pk)
    export_recorded(
        kind=AuditEntry.Kind.STUDENT_EXPORT,
        student_ids=[student.pk],
        object_type="student_export",
        object_id=student.pk,
    )
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@audits(AuditEntry.Kind.PRIVACY)
def privacy_erase(request, school_slug: str, student_id: int):
    """What erasing will do (counts per kind of data, the school's evidence choice), then the erasure."""
    student = _admins_student(request, student_id)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        erasure = services.student_erase(
            student=student,
            by=request.user,
            roles=",".join(sorted(request.school_roles)),
            ip=client_address(request),
        )
        messages.success(request, f"The student was erased; the record keeps them as “{erasure.pseudonym}”.")
        return redirect(reverse("privacy:index", kwargs={"school_slug": school_slug}))
    student_seen(student_id=student.pk)
    counts = selectors.student_data_counts(student=student)
    rows = [(entry, counts[entry.name]) for entry in REGISTRY if counts[entry.name]]
    context = {
        "student": student,
        "form": form,
        "rows": rows,
        "settings": selectors.privacy_settings_get(),
        "today": timezone.localdate(),
    }
    return render(request, "privacy/erase.html", context, status=400 if form.errors else 200)
