"""Mastery checks: asked for (and approved when the student's level or a section says so), drawn, answered
one question at a time with the right practice answers that opened it carried in, decided as soon as the
result is, graded onto the ledger; invalidated by a teacher."""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from mastery import rules, selectors
from mastery.grading import blank_answer_message, grade, is_blank
from mastery.models import (
    CheckAttempt,
    CheckResponse,
    EvidenceEvent,
    MasteryStatus,
    PracticeAnswer,
    Question,
    SectionCheckSetting,
)
from mastery.services.core import (
    MasteryError,
    StateChange,
    _eligibility,
    _latest_override,
    _locked_state,
    _refresh_status,
)
from mastery.services.practice import (
    _clean_response,
)
from playlists.models import Competency
from plp import self_direction
from schools.models import Enrollment

Source = EvidenceEvent.Source


# --- mastery checks ---------------------------------------------------------------------------------------


def _approval_required(student) -> bool:
    """A teacher approves the request first when the student's self-direction level says so (agency), or
    when a section of theirs requires it for everyone."""
    if self_direction.check_approval_level(student=student):
        return True
    sections = Enrollment.objects.filter(
        user=student, role=Enrollment.SectionRole.STUDENT, is_active=True
    ).values("section_id")
    return SectionCheckSetting.objects.filter(section_id__in=sections, approval_required=True).exists()


def _draw_form(question_ids: list[int], size: int) -> list[dict]:
    ids = random.sample(question_ids, size)
    by_id = Question.objects.in_bulk(ids)
    drawn = [by_id[pk] for pk in ids]
    return [
        {
            "id": q.pk,
            "kind": q.kind,
            "prompt": q.prompt,
            "choices": list(q.choices),
            "key": q.key,
            "explanation": q.explanation,
        }
        for q in drawn
    ]


def _supply(student, competency: Competency) -> selectors.CheckSupply:
    """The check the bank can supply now; refused (with the reason the student reads) below the minimum."""
    supply = selectors.check_supply(student=student, competency=competency)
    if not supply.plan.can_run:
        raise MasteryError(supply.plan.reason)
    return supply


def _start(attempt: CheckAttempt, competency: Competency) -> tuple[int, ...]:
    """Draw the form: the right practice answers the check counts as its first questions (decided now, as
    it starts: ``rules.carry_into``), then as many questions as the bank supplies without one the student
    practised recently, up to the check's size (``CheckPlan.carrying``: a short bank grows back toward it).
    Returns those answers' ids: :func:`_carry` ties them to the attempt once it is saved."""
    supply = _supply(attempt.student, competency)
    plan, carried = selectors.carried_practice_for(
        student=attempt.student,
        competency=competency,
        plan=supply.plan,
        attempt=attempt if attempt.pk else None,
    )
    attempt.carried = plan.carried
    attempt.form = _draw_form(supply.fresh_ids, plan.drawn)
    attempt.status = CheckAttempt.Status.IN_PROGRESS
    attempt.started_at = timezone.now()
    return carried


def _carry(attempt: CheckAttempt, answer_ids: tuple[int, ...]) -> None:
    """Record which practice answers the check carried. An answer is carried once: the update takes only
    answers no check holds yet, and a shortfall (never expected: one open check per competency, under the
    state's lock) refuses the whole start rather than count an answer twice."""
    if not answer_ids:
        return
    taken = PracticeAnswer.objects.filter(pk__in=answer_ids, carried_into__isnull=True).update(
        carried_into=attempt
    )
    if taken != len(answer_ids):
        raise MasteryError("Your practice answers changed while the check was starting: please try again.")


@transaction.atomic
def check_request(*, student, competency: Competency) -> CheckAttempt:
    """Ask for a mastery check. An open attempt is returned as is (a double click opens one check); else the
    readiness and retake rules must allow it, and the form is drawn now, or once a teacher approves."""
    state = _locked_state(student=student, competency=competency)
    open_attempt = CheckAttempt.objects.filter(
        student=student,
        competency=competency,
        status__in=[CheckAttempt.Status.AWAITING_APPROVAL, CheckAttempt.Status.IN_PROGRESS],
    ).first()
    if open_attempt is not None:
        return open_attempt
    verdict = _eligibility(state, competency)
    if not verdict.allowed:
        raise MasteryError(" ".join(verdict.reasons))
    policy = selectors.policy_for(competency=competency)
    attempt = CheckAttempt(
        school_id=state.school_id,
        student=student,
        competency=competency,
        pass_threshold=policy.pass_threshold,
        status=CheckAttempt.Status.AWAITING_APPROVAL,
    )
    carried: tuple[int, ...] = ()
    if _approval_required(student):
        _supply(student, competency)  # never wait for a teacher's approval of a check that cannot open
    else:
        carried = _start(attempt, competency)
    attempt.full_clean()
    attempt.save()
    _carry(attempt, carried)
    if state.check_unlocked:  # a teacher's unlock is used up by the check it opened
        state.check_unlocked = False
        state.save(update_fields=["check_unlocked", "updated_at"])
    return attempt


def _locked_attempt(attempt_id: int) -> CheckAttempt:
    return CheckAttempt.objects.select_for_update().select_related("competency").get(pk=attempt_id)


@transaction.atomic
def check_approve(*, attempt: CheckAttempt, teacher) -> CheckAttempt:
    attempt = _locked_attempt(attempt.pk)
    if attempt.status != CheckAttempt.Status.AWAITING_APPROVAL:
        return attempt  # approved already (or declined): approving twice changes nothing
    _locked_state(student=attempt.student, competency=attempt.competency)  # practice waits while it starts
    carried = _start(attempt, attempt.competency)
    attempt.approved_by = teacher
    attempt.save(update_fields=["form", "carried", "status", "started_at", "approved_by"])
    _carry(attempt, carried)
    return attempt


@transaction.atomic
def check_decline(*, attempt: CheckAttempt, teacher) -> CheckAttempt:
    attempt = _locked_attempt(attempt.pk)
    if attempt.status == CheckAttempt.Status.AWAITING_APPROVAL:
        attempt.status = CheckAttempt.Status.DECLINED
        attempt.approved_by = teacher
        attempt.save(update_fields=["status", "approved_by"])
    return attempt


def check_response_save(*, attempt: CheckAttempt, question_id: int, response) -> CheckResponse:
    """Autosave one answer of an open check (upsert). Refused once the check is submitted."""
    with transaction.atomic():
        locked = _locked_attempt(attempt.pk)
        if locked.status != CheckAttempt.Status.IN_PROGRESS:
            raise MasteryError("This check is not open for answers any more.")
        if question_id not in {item["id"] for item in locked.form}:
            raise MasteryError("That question is not part of this check.")
        if CheckResponse.objects.filter(
            attempt=locked, question_id_in_form=question_id, is_correct__isnull=False
        ).exists():  # an answer that counted at once (``check_answer``) is final
            raise MasteryError("That question is answered already: each answer counts as you give it.")
        saved, _ = CheckResponse.objects.update_or_create(
            school_id=locked.school_id,
            attempt=locked,
            question_id_in_form=question_id,
            defaults={"response": _clean_response(response)},
        )
        return saved


def check_answer(*, attempt: CheckAttempt, question_id: int, response) -> CheckAttempt:
    """One answer of a check taken question by question (the student's page): it counts at once, and the
    check ends, graded, as soon as its result is decided (``rules.check_decision``: 4 right or 2 wrong of 5,
    the carried practice answers counted as its first right ones), so a failed check costs two or three
    questions instead of five. Returns the attempt, graded or not."""
    with transaction.atomic():
        locked = _locked_attempt(attempt.pk)
        if locked.status != CheckAttempt.Status.IN_PROGRESS:
            raise MasteryError("This check is not open for answers any more.")
        item = next((item for item in locked.form if item["id"] == question_id), None)
        if item is None:
            raise MasteryError("That question is not part of this check.")
        saved = {r.question_id_in_form: r for r in CheckResponse.objects.filter(attempt=locked)}
        if question_id in saved and saved[question_id].is_correct is not None:
            raise MasteryError("That question is answered already: each answer counts as you give it.")
        cleaned = _clean_response(response)
        if is_blank(cleaned):
            raise MasteryError({"response": [blank_answer_message(item["kind"])]})
        answer, _ = CheckResponse.objects.update_or_create(
            school_id=locked.school_id,
            attempt=locked,
            question_id_in_form=question_id,
            defaults={"response": cleaned, "is_correct": grade(item["key"], cleaned)},
        )
        saved[question_id] = answer
        marks = [r.is_correct for r in saved.values() if r.is_correct is not None]
        right, wrong = sum(marks), len(marks) - sum(marks)
        if (
            rules.check_decision(right + locked.carried, wrong, locked.questions, locked.pass_threshold)
            is None
        ):
            return locked
        CheckAttempt.objects.filter(pk=locked.pk).update(
            status=CheckAttempt.Status.GRADED, submitted_at=timezone.now()
        )
        locked.refresh_from_db()
        _record_result(locked, right, len(marks))
        return locked


def check_submit(*, attempt: CheckAttempt) -> CheckAttempt:
    """Grade the check once. A second submit, a replayed request or a concurrent one returns the same result:
    the row is locked and moved out of ``in_progress`` by a conditional update, so only one grading wins."""
    with transaction.atomic():
        locked = _locked_attempt(attempt.pk)
        won = CheckAttempt.objects.filter(pk=locked.pk, status=CheckAttempt.Status.IN_PROGRESS).update(
            status=CheckAttempt.Status.GRADED, submitted_at=timezone.now()
        )
        if not won:
            if locked.status == CheckAttempt.Status.GRADED:
                return locked
            raise MasteryError("This check has not started yet.")
        locked.refresh_from_db()
        _grade(locked)
        return locked


def _grade(attempt: CheckAttempt) -> None:
    saved = {r.question_id_in_form: r for r in CheckResponse.objects.filter(attempt=attempt)}
    correct = 0
    for item in attempt.form:
        response = saved.get(item["id"])
        ok = grade(item["key"], response.response if response else None)
        correct += ok
        if response is None:
            response = CheckResponse(
                school_id=attempt.school_id, attempt=attempt, question_id_in_form=item["id"]
            )
        response.is_correct = ok
        response.save()
    _record_result(attempt, correct, len(attempt.form))


def _record_result(attempt: CheckAttempt, right: int, asked: int) -> None:
    """The graded result, the mastery state and the ledger row. ``right`` of ``asked`` are the questions
    answered in the check; its tally (``correct_count`` of ``total``) adds the carried practice answers, its
    first questions. ``total`` is fewer than the check's questions when it stopped once decided.

    The carried answers are evidence once: as practice answers they already updated the estimate (ledger
    rows of their own); the check's row names them (``carried_answer_ids``) and, like every check row, does
    not touch the estimate (``rules.replay``). They are not written again as check answers, so neither the
    estimate, nor the "needs attention" detector, nor a model fit sees them twice."""
    questions = attempt.questions
    correct, answered = right + attempt.carried, asked + attempt.carried
    attempt.correct_count, attempt.total = correct, answered
    attempt.passed = bool(
        rules.check_decision(correct, answered - correct, questions, attempt.pass_threshold)
    )
    attempt.save(update_fields=["correct_count", "total", "passed"])

    competency = attempt.competency
    change = StateChange.locked(student=attempt.student, competency=competency)
    state = change.state
    now = timezone.now()
    if attempt.passed:
        state.status, state.mastered_at = MasteryStatus.MASTERED, now
    else:
        state.last_failed_check_at, state.practice_since_failed_check = now, 0
        state.status = MasteryStatus.PRACTICING
        _refresh_status(state, competency)
    change.commit(
        source=Source.CHECK,
        source_id=attempt.pk,
        outcome=attempt.score,
        detail={
            "check_id": attempt.pk,
            "passed": attempt.passed,
            "correct": correct,
            "total": attempt.total,
            "questions": questions,
            "carried": attempt.carried,
            "carried_answer_ids": sorted(attempt.carried_answers.values_list("pk", flat=True))
            if attempt.carried
            else [],
        },
    )


@transaction.atomic
def check_invalidate(*, attempt: CheckAttempt, teacher, reason: str) -> CheckAttempt:
    """A teacher withdraws a graded result (kept in the history, marked invalid, with the reason)."""
    reason = (reason or "").strip()
    if not reason:
        raise MasteryError("Say why the result is invalidated.")
    attempt = _locked_attempt(attempt.pk)
    if attempt.status != CheckAttempt.Status.GRADED:
        raise MasteryError("Only a graded check can be invalidated.")
    if attempt.invalidated_at is not None:
        return attempt
    attempt.invalidated_at, attempt.invalidated_by, attempt.invalidation_reason = (
        timezone.now(),
        teacher,
        reason,
    )
    attempt.save(update_fields=["invalidated_at", "invalidated_by", "invalidation_reason"])
    change = StateChange.locked(student=attempt.student, competency=attempt.competency)
    state = change.state
    still_mastered = (
        CheckAttempt.objects.filter(
            student=attempt.student, competency=attempt.competency, passed=True, invalidated_at__isnull=True
        ).exists()
        or _latest_override(state) is True
    )
    if not still_mastered and state.status == MasteryStatus.MASTERED:
        state.status, state.mastered_at = MasteryStatus.PRACTICING, None
        _refresh_status(state, attempt.competency)
        change.save()
    change.append(
        source=Source.INVALIDATION,
        source_id=attempt.pk,
        actor=teacher,
        reason=reason,
        detail={"check_id": attempt.pk},
    )
    return attempt
