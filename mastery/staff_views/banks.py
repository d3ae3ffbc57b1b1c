"""Question-bank authoring: the banks, a bank's questions (add, edit, retire), its check policy, and its
questions in and out as JSON or QTI."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from mastery import bank_services, selectors
from mastery.forms import (
    BankCheckForm,
    BankCreateForm,
    BankImportForm,
    PolicyForm,
    QtiImportForm,
    QuestionForm,
)
from mastery.models import (
    MasteryPolicy,
    Question,
    QuestionBank,
)
from mastery.qti import services as qti_services
from mastery.qti.parsing import QtiError
from mastery.staff_views.students import PER_PAGE
from plp.tenancy.decorators import school_roles_required
from schools.guards import method_then_role

AUTHORS = tuple(selectors.AUTHOR_ROLES | {"district_admin"})


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
