"""A student's checks for teachers and admins: review one, approve or decline a request, invalidate a result;
and a section's "a teacher approves each check request" switch."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from audit.models import AuditEntry
from audit.recorder import audits
from mastery import selectors, services
from mastery.forms import ReasonForm
from mastery.models import CheckResponse, SectionCheckSetting
from mastery.staff_views.students import TEACHING, back_to_student, student_page
from schools.guards import method_then_role
from schools.selectors import section_get


def _report(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _attempt_post(request, attempt_id: int):
    """A teacher's action on a check: the attempt (404 outside the caller's students), POST only (405), a
    teaching role (403). Returns the attempt and None, or the 405 response last."""
    attempt = selectors.attempt_for_staff(
        user=request.user, roles=request.school_roles, attempt_id=attempt_id
    )
    return attempt, method_then_role(request, methods=("POST",), roles=TEACHING)


@audits(AuditEntry.Kind.CHECK_ATTEMPT)
def attempt_review(request, school_slug: str, attempt_id: int):
    """One check of one of the caller's students: each question, the saved answer and whether it was right."""
    attempt = selectors.attempt_for_staff(
        user=request.user, roles=request.school_roles, attempt_id=attempt_id
    )
    if denied := method_then_role(request, methods=("GET", "HEAD"), roles=TEACHING):
        return denied
    saved = {r.question_id_in_form: r for r in CheckResponse.objects.filter(attempt=attempt)}
    items = [{**item, "saved": saved.get(item["id"])} for item in attempt.form]
    carried_answers = (
        attempt.carried_answers.select_related("question").order_by("answered_at", "pk")
        if attempt.carried
        else []
    )
    return render(
        request,
        "mastery/staff/attempt_review.html",
        {"attempt": attempt, "items": items, "carried_answers": carried_answers},
    )


@audits(AuditEntry.Kind.CHECK_ATTEMPT)
def attempt_approve(request, school_slug: str, attempt_id: int):
    attempt, denied = _attempt_post(request, attempt_id)
    if denied:
        return denied
    try:
        if request.POST.get("decision") == "decline":
            services.check_decline(attempt=attempt, teacher=request.user)
        else:
            services.check_approve(attempt=attempt, teacher=request.user)
    except ValidationError as error:
        _report(request, error)
    return back_to_student(attempt.student_id, school_slug)


@audits(AuditEntry.Kind.CHECK_ATTEMPT)
def attempt_invalidate(request, school_slug: str, attempt_id: int):
    attempt, denied = _attempt_post(request, attempt_id)
    if denied:
        return denied
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.check_invalidate(
                attempt=attempt, teacher=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason", error)
    if form.errors:
        student = selectors.student_get(
            user=request.user, roles=request.school_roles, student_id=attempt.student_id
        )
        return student_page(request, student, refused={"invalidate": attempt.pk, "form": form})
    messages.success(request, "The result is invalidated; it stays in the history.")
    return back_to_student(attempt.student_id, school_slug)


def section_approval(request, school_slug: str, section_id: int):
    """Switch "a teacher approves each check request" for a section the caller teaches or runs."""
    section = section_get(user=request.user, roles=request.school_roles, section_id=section_id)
    if denied := method_then_role(request, methods=("POST",), roles=TEACHING):
        return denied
    setting, _ = SectionCheckSetting.objects.get_or_create(school_id=section.school_id, section=section)
    setting.approval_required = request.POST.get("approval_required") == "1"
    setting.save(update_fields=["approval_required"])
    messages.success(
        request, f"{section.name}: approval {'required' if setting.approval_required else 'off'}."
    )
    return redirect("mastery:student_list", school_slug=school_slug)
