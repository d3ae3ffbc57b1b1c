"""Teacher and admin pages: students' checks and states with unlock / approve / invalidate / override, the
section approval switch, and question-bank authoring with JSON import/export. Teachers act only on students
of their own sections; school and district admins on the whole school."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from audit.models import AuditEntry
from audit.recorder import audits
from mastery import bank_services, selectors, services
from mastery.forms import (
    BankCheckForm,
    BankCreateForm,
    BankImportForm,
    OverrideForm,
    PolicyForm,
    QtiImportForm,
    QuestionForm,
    ReasonForm,
)
from mastery.models import (
    CheckAttempt,
    CheckResponse,
    MasteryPolicy,
    Question,
    QuestionBank,
    SectionCheckSetting,
)
from mastery.qti import services as qti_services
from mastery.qti.parsing import QtiError
from plp.tenancy.decorators import school_roles_required
from schools import access
from schools.guards import method_then_role
from schools.selectors import section_get

TEACHING = tuple(selectors.TEACHING_ROLES)
AUTHORS = tuple(selectors.AUTHOR_ROLES | {"district_admin"})
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
    return _student_page(request, student)


def _student_page(request, student, *, refused=None):
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


def _back_to(student_id: int, school_slug: str):
    return redirect("mastery:student_detail", school_slug=school_slug, student_id=student_id)


def _report(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _student_post(request, student_id: int, competency_id: int):
    """A teacher's action on a student's competency, in the guards' order: the student (404 outside the
    caller's students), POST only (405), a teaching role (403), then the competency (404). Returns the
    student, the competency and None, or the 405 response last."""
    student = selectors.student_get(user=request.user, roles=request.school_roles, student_id=student_id)
    if denied := method_then_role(request, methods=("POST",), roles=TEACHING):
        return None, None, denied
    return student, selectors.competency_get(competency_id=competency_id), None


def _attempt_post(request, attempt_id: int):
    """A teacher's action on a check: the attempt (404 outside the caller's students), POST only (405), a
    teaching role (403). Returns the attempt and None, or the 405 response last."""
    attempt = selectors.attempt_for_staff(
        user=request.user, roles=request.school_roles, attempt_id=attempt_id
    )
    return attempt, method_then_role(request, methods=("POST",), roles=TEACHING)


@audits(AuditEntry.Kind.MASTERY)
def student_unlock(request, school_slug: str, student_id: int, competency_id: int):
    student, competency, denied = _student_post(request, student_id, competency_id)
    if denied:
        return denied
    reason = request.POST.get("reason", "")[:2000].replace("\x00", "")
    services.check_unlock(student=student, competency=competency, teacher=request.user, reason=reason)
    messages.success(request, f"{competency.code}: the next check is unlocked for {student.get_full_name()}.")
    return _back_to(student.pk, school_slug)


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
        return _student_page(request, student, refused={"override": competency.pk, "form": form})
    messages.success(request, f"{competency.code}: mastery set by override.")
    return _back_to(student.pk, school_slug)


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
    return _back_to(attempt.student_id, school_slug)


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
        return _student_page(request, student, refused={"invalidate": attempt.pk, "form": form})
    messages.success(request, "The result is invalidated; it stays in the history.")
    return _back_to(attempt.student_id, school_slug)


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


# --- question banks ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@school_roles_required(*AUTHORS)
def bank_list(request, school_slug: str):
    form = BankCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bank = bank_services.question_bank_create(
                competency=form.cleaned_data["competency"], title=form.cleaned_data["title"]
            )
        except ValidationError:
            form.add_error("competency", "This competency already has a question bank.")
        else:
            return redirect("mastery:bank_detail", school_slug=school_slug, bank_id=bank.pk)
    page = Paginator(selectors.banks_visible_to(roles=request.school_roles), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [(bank, selectors.bank_plan(bank)) for bank in page.object_list]
    return render(request, "mastery/staff/bank_list.html", {"page": page, "rows": rows, "form": form})


def bank_detail(request, school_slug: str, bank_id: int):
    """The bank's questions with their answers (authors only) and the form to add one."""
    bank = selectors.bank_get(roles=request.school_roles, bank_id=bank_id)
    if denied := method_then_role(request, methods=("GET", "HEAD", "POST"), roles=AUTHORS):
        return denied
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bank_services.question_save(bank=bank, **form.question_fields())
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, "Question added.")
            return redirect("mastery:bank_detail", school_slug=school_slug, bank_id=bank.pk)
    questions = Question.objects.filter(bank=bank, is_active=True).order_by("pk")
    policy = MasteryPolicy.objects.filter(competency_id=bank.competency_id).first()
    supply = selectors.bank_supply(
        bank=bank, policy=policy or selectors.policy_for(competency=bank.competency)
    )
    context = {"bank": bank, "questions": questions, "form": form, "policy": policy, "supply": supply}
    return render(request, "mastery/staff/bank_detail.html", context)


def question_edit(request, school_slug: str, bank_id: int, question_id: int):
    bank = selectors.bank_get(roles=request.school_roles, bank_id=bank_id)
    if denied := method_then_role(request, methods=("GET", "HEAD", "POST"), roles=AUTHORS):
        return denied
    question = selectors.question_get(bank=bank, question_id=question_id)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    if request.method == "POST":
        if request.POST.get("retire") == "1":
            bank_services.question_retire(question=question)
            messages.success(request, "Question retired: no longer drawn, kept for past answers.")
            return redirect("mastery:bank_detail", school_slug=school_slug, bank_id=bank.pk)
        if form.is_valid():
            try:
                bank_services.question_save(bank=bank, question=question, **form.question_fields())
            except ValidationError as error:
                form.add_model_errors(error)
            else:
                messages.success(request, "Question saved.")
                return redirect("mastery:bank_detail", school_slug=school_slug, bank_id=bank.pk)
    return render(
        request, "mastery/staff/question_edit.html", {"bank": bank, "question": question, "form": form}
    )


def bank_policy(request, school_slug: str, bank_id: int):
    """The competency's check policy: N, pass mark, cooldown, K practice answers, readiness rule."""
    bank = selectors.bank_get(roles=request.school_roles, bank_id=bank_id)
    if denied := method_then_role(request, methods=("GET", "HEAD", "POST"), roles=AUTHORS):
        return denied
    policy = selectors.policy_for(competency=bank.competency)
    form = PolicyForm(request.POST or None, instance=policy)
    bank_form = BankCheckForm(request.POST or None, instance=bank)
    if request.method == "POST" and form.is_valid() and bank_form.is_valid():
        form.save()
        bank_form.save()
        supply = selectors.bank_supply(bank=bank, policy=policy)
        messages.success(request, "Check policy saved.")
        if supply.plan.shortfall:
            messages.warning(
                request,
                f"The policy asks for {supply.plan.asked} questions but the bank has "
                f"{supply.plan.bank_size}: see below what checks can draw.",
            )
        return redirect("mastery:bank_detail", school_slug=school_slug, bank_id=bank.pk)
    # The shortfall of the saved policy (what students get now), next to the form being edited.
    saved = selectors.policy_for(competency=bank.competency) if form.is_bound else policy
    context = {
        "bank": bank,
        "form": form,
        "bank_form": bank_form,
        "supply": selectors.bank_supply(bank=QuestionBank.objects.get(pk=bank.pk), policy=saved),
    }
    return render(request, "mastery/staff/bank_policy.html", context)


def bank_export(request, school_slug: str, bank_id: int):
    bank = selectors.bank_get(roles=request.school_roles, bank_id=bank_id)
    if denied := method_then_role(request, methods=("GET", "HEAD"), roles=AUTHORS):
        return denied
    body = json.dumps(bank_services.question_bank_export(bank=bank), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="question-bank-{bank.pk}.json"'
    return response


def bank_import(request, school_slug: str, bank_id: int):
    bank = selectors.bank_get(roles=request.school_roles, bank_id=bank_id)
    if denied := method_then_role(request, methods=("GET", "HEAD", "POST"), roles=AUTHORS):
        return denied
    form = BankImportForm(request.POST or None, request.FILES or None)
    errors = {}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 2_000_000:
            form.add_error("file", "The file is larger than 2 MB.")
        else:
            try:
                created = bank_services.question_bank_import(
                    bank=bank, document=upload.read(), replace=form.cleaned_data["replace"]
                )
            except ValidationError as error:
                errors = error.message_dict
            else:
                messages.success(request, f"Imported {len(created)} questions.")
                return redirect("mastery:bank_detail", school_slug=school_slug, bank_id=bank.pk)
    context = {"bank": bank, "form": form, "import_errors": sorted(errors.items())}
    return render(request, "mastery/staff/bank_import.html", context, status=400 if errors else 200)


def bank_qti_export(request, school_slug: str, bank_id: int):
    """The bank as a QTI 3.0 package, for another platform (or another bank here)."""
    bank = selectors.bank_get(roles=request.school_roles, bank_id=bank_id)
    if denied := method_then_role(request, methods=("GET", "HEAD"), roles=AUTHORS):
        return denied
    response = HttpResponse(qti_services.qti_export(bank=bank), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="question-bank-{bank.pk}-qti3.zip"'
    return response


def bank_qti_import(request, school_slug: str, bank_id: int):
    """Upload QTI items or a package: "Check" shows what would be added and what is refused (item by item,
    with the reason) and writes nothing; "Import" adds the importable items at once and shows the same.
    The checked file is carried to the import (signed), so the teacher does not choose it twice."""
    bank = selectors.bank_get(roles=request.school_roles, bank_id=bank_id)
    if denied := method_then_role(request, methods=("GET", "HEAD", "POST"), roles=AUTHORS):
        return denied
    form = QtiImportForm(
        request.POST or None, request.FILES or None, bank_id=bank.pk, user_id=request.user.pk
    )
    report, carried, status = None, "", 200
    dry_run = request.POST.get("action") != "import"
    if request.method == "POST":
        status = 400
        if form.is_valid():
            name, data = form.cleaned_data["upload"]
            try:
                if dry_run:
                    report = qti_services.qti_import_check(bank=bank, data=data, name=name)
                    carried = form.carry(name=name, data=data) if report.accepted else ""
                else:
                    report = qti_services.qti_import(
                        bank=bank, data=data, name=name, replace=form.cleaned_data["replace"]
                    )
            except QtiError as error:
                form.add_error("file", str(error))
            else:
                status = 200
                if report.imported:
                    messages.success(request, f"Imported {len(report.accepted)} questions.")
    context = {"bank": bank, "form": form, "report": report, "dry_run": dry_run, "carried": carried}
    return render(request, "mastery/staff/bank_qti_import.html", context, status=status)


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
