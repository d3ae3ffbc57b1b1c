"""The students' pages for teachers and admins: the caller's students (and the check requests waiting for
their approval), a student's checks and states, and the teacher's unlock and override on a competency.
Teachers act only on students of their own sections; school and district admins on the whole school."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from audit.models import AuditEntry
from audit.recorder import audits
from mastery import selectors, services
from mastery.forms import OverrideForm, ReasonForm
from mastery.models import CheckAttempt, SectionCheckSetting
from plp.tenancy.decorators import school_roles_required
from schools import access
from schools.guards import method_then_role

TEACHING = tuple(selectors.TEACHING_ROLES)
PER_PAGE = 25


@require_safe
@school_roles_required(*TEACHING)
def student_list(request, school_slug: str):
    """The caller's students, and the check requests waiting for their approval."""
    students = access.students_assessed_by(user=request.user, roles=request.school_roles).order_by(
        "family_name", "given_name", "pk"
    )
    page = Paginator(students, PER_PAGE).get_page(request.GET.get("page"))
    pending = (
        CheckAttempt.objects.filter(status=CheckAttempt.Status.AWAITING_APPROVAL, student__in=students)
        .select_related("student", "competency")
        .order_by("requested_at")[:50]
    )
    sections = access.sections_visible_to(user=request.user, roles=request.school_roles)
    approval = set(
        SectionCheckSetting.objects.filter(approval_required=True).values_list("section_id", flat=True)
    )
    context = {"page": page, "pending": pending, "sections": sections, "approval": approval}
    return render(request, "mastery/staff/student_list.html", context)


@audits(AuditEntry.Kind.MASTERY)
def student_detail(request, school_slug: str, student_id: int):
    student = selectors.student_get(user=request.user, roles=request.school_roles, student_id=student_id)
    if denied := method_then_role(request, methods=("GET", "HEAD"), roles=TEACHING):
        return denied
    return student_page(request, student)


def student_page(request, student, *, refused=None):
    """The student's page; ``refused`` (``{"override": competency id}`` or ``{"invalidate": attempt id}``
    with ``"form"``): a form that met an error, shown again as typed with the message next to its field."""
    attempts = selectors.attempts_of(student=student).select_related("invalidated_by", "approved_by")
    page = Paginator(attempts, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "student": student,
        "page": page,
        "levels": selectors.levels_for(student=student, today=timezone.localdate()),
        "override_form": OverrideForm(),
        "reason_form": ReasonForm(),
        "refused": refused or {},
    }
    return render(request, "mastery/staff/student_detail.html", context)


def back_to_student(student_id: int, school_slug: str):
    return redirect("mastery:student_detail", school_slug=school_slug, student_id=student_id)


def _student_post(request, student_id: int, competency_id: int):
    """A teacher's action on a student's competency, in the guards' order: the student (404 outside the
    caller's students), POST only (405), a teaching role (403), then the competency (404). Returns the
    student, the competency and None, or the 405 response last."""
    student = selectors.student_get(user=request.user, roles=request.school_roles, student_id=student_id)
    if denied := method_then_role(request, methods=("POST",), roles=TEACHING):
        return None, None, denied
    return student, selectors.competency_get(competency_id=competency_id), None


@audits(AuditEntry.Kind.MASTERY)
def student_unlock(request, school_slug: str, student_id: int, competency_id: int):
    student, competency, denied = _student_post(request, student_id, competency_id)
    if denied:
        return denied
    reason = request.POST.get("reason", "")[:2000].replace("\x00", "")
    services.check_unlock(student=student, competency=competency, teacher=request.user, reason=reason)
    messages.success(request, f"{competency.code}: the next check is unlocked for {student.get_full_name()}.")
    return back_to_student(student.pk, school_slug)


@audits(AuditEntry.Kind.MASTERY)
def student_override(request, school_slug: str, student_id: int, competency_id: int):
    student, competency, denied = _student_post(request, student_id, competency_id)
    if denied:
        return denied
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.mastery_override(
                student=student,
                competency=competency,
                teacher=request.user,
                mastered=form.cleaned_data["mastered"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error("reason", error)
    if form.errors:
        return student_page(request, student, refused={"override": competency.pk, "form": form})
    messages.success(request, f"{competency.code}: mastery set by override.")
    return back_to_student(student.pk, school_slug)
