"""Practice: a question drawn from the competency's pool, an answer graded and recorded once (a replay of the
same client key returns the first), its evidence on the ledger."""

from __future__ import annotations

import random

from django.db import IntegrityError, transaction

from mastery.bkt import update
from mastery.grading import MAX_RESPONSE_LENGTH, blank_answer_message, grade, is_blank
from mastery.models import (
    EvidenceEvent,
    MasteryStatus,
    PracticeAnswer,
    Question,
)
from mastery.services.core import (
    MasteryError,
    StateChange,
    _params,
    _refresh_status,
)
from playlists.models import Competency

Source = EvidenceEvent.Source


def practice_question_draw(*, competency: Competency, exclude_id: int | None = None) -> Question | None:
    """A random active question of the competency's bank, not the one just answered when there is a choice."""
    ids = list(
        Question.objects.filter(bank__competency=competency, is_active=True).values_list("pk", flat=True)
    )
    if exclude_id in ids and len(ids) > 1:
        ids.remove(exclude_id)
    if not ids:
        return None
    return Question.objects.get(pk=random.choice(ids))


def _clean_response(response):
    if isinstance(response, list):
        return [str(v).replace("\x00", "")[:20] for v in response[:20]]
    if response is None:
        return None
    return str(response).replace("\x00", "")[:MAX_RESPONSE_LENGTH]


def _replayed(*, student, question: Question, client_key) -> PracticeAnswer | None:
    """The answer already recorded under ``client_key`` (marked ``replayed``), or None. A key names one
    answer to one question: the same key with another question is refused, never merged."""
    if client_key is None:
        return None
    answer = (
        PracticeAnswer.objects.filter(student=student, client_key=client_key)
        .select_related("question")
        .first()
    )
    if answer is None:
        return None
    if answer.question_id != question.pk:
        raise MasteryError({"client_key": ["This answer key was already used for another question."]})
    answer.replayed = True
    return answer


def practice_answer_replay(*, student, question: Question, client_key) -> PracticeAnswer | None:
    """The answer recorded under ``client_key`` (``replayed`` True), or None: a resend's answer, read only."""
    try:
        return _replayed(student=student, question=question, client_key=client_key)
    except MasteryError:
        return None


@transaction.atomic
def practice_answer_submit(*, student, question: Question, response, client_key=None) -> PracticeAnswer:
    """Grade a practice answer at once, update the BKT estimate in O(1) and the state: evidence.

    A blank answer is refused (a field error on ``response``) before anything is written: nothing typed
    is not evidence of not knowing, so it must not lower the estimate.

    ``client_key`` (a UUID the browser made when the student answered) makes sending twice safe: an answer
    queued offline may be sent again after a dropped response. The same key again returns the answer
    first recorded (``replayed`` True) and records nothing: no second answer, no second update of the
    estimate, no second ledger row. The key is looked up again under the state's row lock, and a unique
    constraint (student, key) catches the last race."""
    if replay := _replayed(student=student, question=question, client_key=client_key):
        return replay
    response = _clean_response(response)
    if is_blank(response):
        raise MasteryError({"response": [blank_answer_message(question.kind)]})
    competency = question.bank.competency
    try:
        with transaction.atomic():
            return _practice_answer_record(
                student=student,
                question=question,
                competency=competency,
                response=response,
                client_key=client_key,
            )
    except IntegrityError:
        if replay := _replayed(student=student, question=question, client_key=client_key):
            return replay
        raise


def _practice_answer_record(*, student, question: Question, competency: Competency, response, client_key):
    change = StateChange.locked(student=student, competency=competency)
    if replay := _replayed(student=student, question=question, client_key=client_key):
        return replay  # sent twice at once: the first one, now committed, holds the key
    state = change.state
    correct = grade(question.key, response)
    state.p_mastered = update(state.p_mastered, correct, _params(competency))
    state.practice_answers += 1
    if state.last_failed_check_at is not None:
        state.practice_since_failed_check += 1
    if state.status == MasteryStatus.NOT_STARTED:
        state.status = MasteryStatus.PRACTICING
    _refresh_status(state, competency)
    change.save()
    answer = PracticeAnswer(
        school_id=state.school_id,
        student=student,
        competency=competency,
        question=question,
        response=response,
        is_correct=correct,
        p_before=change.p_before,
        p_after=state.p_mastered,
        client_key=client_key,
    )
    answer.full_clean()
    answer.save()
    change.append(
        source=Source.ANSWER,
        source_id=answer.pk,
        outcome=1.0 if correct else 0.0,
        detail={"question_id": question.pk},
    )
    answer.replayed = False
    return answer


# --- evidence from other apps -----------------------------------------------------------------------------
