"""Student pages: levels per subject, practice, the mastery-check flow (request, take, result) and history.

Evidence is decided here on the server: the browser sends only what the student chose; grading, timing and
rules run in the services.
"""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from mastery import rules, selectors, services
from mastery.check_preview import check_preview
from mastery.models import CheckAttempt, CheckResponse, MasteryStatus, Question
from playlists.services import exercise_practice_record
from plp import self_direction
from plp.tenancy.decorators import school_roles_required
from schools.guards import method_then_role
from schools.roles import Role

HISTORY_PER_PAGE = 25


def _int(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**62 else None


@require_safe
@school_roles_required(Role.STUDENT)
def my_levels(request, school_slug: str):
    """Levels per subject (one per mastered competency) and each competency's state."""
    levels = selectors.levels_for(student=request.user, today=timezone.localdate())
    return render(request, "mastery/my_levels.html", {"levels": levels, "Status": MasteryStatus})


def competency_detail(request, school_slug: str, competency_id: int):
    competency = selectors.competency_get(competency_id=competency_id)
    if denied := method_then_role(request, methods=("GET", "HEAD"), roles=(Role.STUDENT,)):
        return denied
    # What a check asked for now would be, with the practice answers it would carry: the API's preview too.
    preview = check_preview(student=request.user, competency=competency)
    context = {
        "competency": competency,
        "state": preview.state,
        "status_now": preview.status_now,
        "policy": preview.policy,
        "plan": preview.plan,
        "eligibility": preview.eligibility,
        "open_attempt": preview.open_attempt,
        "carried_line": preview.carried_line,
        "has_questions": preview.plan.bank_size > 0,  # the bank's active questions, counted by the plan
        # The student's self-direction level sends their requests to a teacher first (agency): say so.
        "level_approval": self_direction.check_approval_level(student=request.user),
    }
    return render(request, "mastery/competency_detail.html", context)


def practice(request, school_slug: str, competency_id: int):
    """GET draws a question; POST grades the answer at once and shows the explanation."""
    competency = selectors.competency_get(competency_id=competency_id)
    if denied := method_then_role(request, methods=("GET", "HEAD", "POST"), roles=(Role.STUDENT,)):
        return denied
    # Practice opened from an exercise item ("?item=" on GET, a hidden field on POST) counts as work on it.
    from_item = _int(request.POST.get("item_id") if request.method == "POST" else request.GET.get("item"))
    context = {"competency": competency, "answer": None, "from_item": from_item}
    status = 200
    if request.method == "POST":
        question_id = _int(request.POST.get("question_id"))
        question = Question.objects.filter(
            pk=question_id, bank__competency=competency, is_active=True
        ).first()
        if question is None:
            messages.error(request, "That question is no longer available: here is another one.")
            url = reverse("mastery:practice", args=[school_slug, competency.pk])
            return redirect(f"{url}?item={from_item}" if from_item else url)
        response = (
            request.POST.getlist("answer") if question.kind == "multiple" else request.POST.get("answer")
        )
        context["question"] = question
        try:
            with transaction.atomic():
                context["answer"] = services.practice_answer_submit(
                    student=request.user,
                    question=question,
                    response=response,
                    client_key=_client_key(request.POST.get("client_key")),
                )
                if from_item is not None:
                    exercise_practice_record(student=request.user, item_id=from_item, competency=competency)
        except services.MasteryError as error:  # a blank answer: the same question again, as typed
            typed = response if isinstance(response, list) else [] if response is None else [response]
            context.update(
                answer_error=" ".join(error.message_dict.get("response", error.messages)),
                typed=response if isinstance(response, str) else None,
                chosen={str(v) for v in typed},
            )
            status = 200 if request.htmx else 400  # htmx swaps only a 2xx response
    else:
        context["question"] = services.practice_question_draw(
            competency=competency, exclude_id=_int(request.GET.get("after"))
        )
    context["state"] = selectors.state_for(student=request.user, competency=competency)
    context["eligibility"] = services.check_eligibility(student=request.user, competency=competency)
    context["plan"] = selectors.check_supply(student=request.user, competency=competency).plan
    context["client_key"] = uuid.uuid4()  # the next answer's key (the browser makes its own when it can)
    template = "mastery/practice.html"
    if request.htmx:
        template += "#practice"
    else:  # questions to go on with offline (prompt and choices only: graded when sent)
        question = context.get("question")
        context["pack"] = selectors.practice_pack(
            competency=competency, exclude_id=question.pk if question else None
        )
    return render(request, template, context, status=status)


def _client_key(value) -> uuid.UUID | None:
    """The answer's key as the browser sent it; a malformed one is no key (the answer still counts once)."""
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def check_request(request, school_slug: str, competency_id: int):
    competency = selectors.competency_get(competency_id=competency_id)
    if denied := method_then_role(request, methods=("POST",), roles=(Role.STUDENT,)):
        return denied
    try:
        attempt = services.check_request(student=request.user, competency=competency)
    except services.MasteryError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("mastery:competency", school_slug=school_slug, competency_id=competency.pk)
    return redirect("mastery:check_detail", school_slug=school_slug, attempt_id=attempt.pk)


def _responses_from(post, attempt: CheckAttempt) -> dict[int, object]:
    """The answers present in a POST, by question id (only the attempt's own questions are read)."""
    found = {}
    for item in attempt.form:
        name = f"q-{item['id']}"
        if item["kind"] == "multiple":
            if f"shown-{item['id']}" in post:
                found[item["id"]] = post.getlist(name)
        elif name in post:
            found[item["id"]] = post.get(name)
    return found


def check_detail(request, school_slug: str, attempt_id: int):
    """Take an open check, wait for approval, or read the result with the way back ("respawn").

    Long on purpose: one page whose context grows with the check's status (the questions, then the current
    one while it is open, then the result and the way back once graded), read in the template's order."""
    attempt = selectors.attempt_for_student(student=request.user, attempt_id=attempt_id)
    if denied := method_then_role(request, methods=("GET", "HEAD"), roles=(Role.STUDENT,)):
        return denied
    saved = {r.question_id_in_form: r for r in CheckResponse.objects.filter(attempt=attempt)}
    items = []
    for item in attempt.form:
        response = saved.get(item["id"])
        value = response.response if response else None
        values = value if isinstance(value, list) else [] if value is None else [value]
        items.append(
            {
                **item,
                "value": value,
                "chosen": {str(v) for v in values},
                "is_correct": response.is_correct if response else None,
                "field_name": f"q-{item['id']}",
                "shown_name": f"shown-{item['id']}",
            }
        )
    questions = attempt.questions
    to_pass = rules.questions_to_pass(questions, attempt.pass_threshold)
    context = {
        "attempt": attempt,
        "items": items,
        "competency": attempt.competency,
        # The check's real number of questions (the carried practice answers are its first) and the pass
        # mark on it: the rule grading applies.
        "questions": questions,
        "to_pass": to_pass,
        "wrong_to_fail": questions - to_pass + 1,
        "carried_line": rules.carried_line(attempt.carried, questions, to_pass, attempt.competency.code),
    }
    if attempt.status == CheckAttempt.Status.IN_PROGRESS:
        # One question at a time: the first not yet answered (an answer counts as it is given); numbered
        # after the carried ones.
        waiting = [
            (n, item) for n, item in enumerate(items, attempt.carried + 1) if item["is_correct"] is None
        ]
        context["number"], context["current"] = waiting[0] if waiting else (questions, items[-1])
    if attempt.status == CheckAttempt.Status.GRADED:
        context["items"] = [item for item in items if item["is_correct"] is not None]  # the questions asked
        context["end_line"] = rules.check_end_line(
            attempt.correct_count or 0,
            (attempt.total or 0) - (attempt.correct_count or 0),
            questions,
            attempt.pass_threshold,
            attempt.competency.code,
            carried=attempt.carried,
        )
        context["right_asked"] = (attempt.correct_count or 0) - attempt.carried
        context["eligibility"] = services.check_eligibility(
            student=request.user, competency=attempt.competency
        )
        context["policy"] = selectors.policy_for(competency=attempt.competency)
        if attempt.is_valid_pass:
            context.update(_after_a_pass(student=request.user, competency=attempt.competency))
        if not attempt.passed:
            context["plan"] = selectors.check_supply(
                student=request.user, competency=attempt.competency, policy=context["policy"]
            ).plan
    return render(request, "mastery/check_detail.html", context)


def _after_a_pass(*, student, competency) -> dict:
    """The level-up moment: the subject's level counted by the selector the levels page uses
    (``levels_for``). What next is the engine's part of the page (``engine_tags.next_step_after_pass``)."""
    level = next(
        (
            lv
            for lv in selectors.levels_for(student=student, today=timezone.localdate())
            if lv.subject.pk == competency.subject_id
        ),
        None,
    )
    return {"level": level}


def check_answer(request, school_slug: str, attempt_id: int):
    """The page's answer to the question shown (``question``): it counts at once, and the check ends as soon
    as its result is decided. An htmx autosave of several answers (older pages) only stores them."""
    attempt = selectors.attempt_for_student(student=request.user, attempt_id=attempt_id)
    if denied := method_then_role(request, methods=("POST",), roles=(Role.STUDENT,)):
        return denied
    if not request.htmx:
        question_id = _int(request.POST.get("question"))
        try:
            services.check_answer(
                attempt=attempt,
                question_id=question_id,
                response=_responses_from(request.POST, attempt).get(question_id),
            )
        except services.MasteryError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("mastery:check_detail", school_slug=school_slug, attempt_id=attempt.pk)
    try:
        for question_id, response in _responses_from(request.POST, attempt).items():
            services.check_response_save(attempt=attempt, question_id=question_id, response=response)
    except services.MasteryError as error:
        status = " ".join(error.messages)
    else:
        status = "All answers saved."
    return render(request, "mastery/check_detail.html#autosave", {"autosave_status": status})


def check_submit(request, school_slug: str, attempt_id: int):
    """Save whatever the form carried, then grade once (a second submit shows the same result)."""
    attempt = selectors.attempt_for_student(student=request.user, attempt_id=attempt_id)
    if denied := method_then_role(request, methods=("POST",), roles=(Role.STUDENT,)):
        return denied
    try:
        if attempt.status == CheckAttempt.Status.IN_PROGRESS:
            for question_id, response in _responses_from(request.POST, attempt).items():
                services.check_response_save(attempt=attempt, question_id=question_id, response=response)
        services.check_submit(attempt=attempt)
    except services.MasteryError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(
        reverse("mastery:check_detail", kwargs={"school_slug": school_slug, "attempt_id": attempt.pk})
    )


@require_safe
@school_roles_required(Role.STUDENT)
def check_history(request, school_slug: str):
    attempts = selectors.attempts_of(student=request.user)
    page = Paginator(attempts, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "mastery/check_history.html", {"page": page})
