"""Writes of the mastery app: practice answers, checks, teacher actions and evidence. One transaction per
use case; every change of a student's state appends to the evidence ledger (``EvidenceEvent``)."""

from __future__ import annotations

import random

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mastery import rules, selectors
from mastery.bkt import BKTParams, taught, update
from mastery.eligibility import worded
from mastery.grading import MAX_RESPONSE_LENGTH, blank_answer_message, grade, is_blank
from mastery.models import (
    RULE_VERSION,
    CheckAttempt,
    CheckResponse,
    CompetencyModelParams,
    EvidenceEvent,
    MasteryPolicy,
    MasteryState,
    MasteryStatus,
    PracticeAnswer,
    Question,
    SectionCheckSetting,
)
from mastery.readiness import items_done_readiness
from playlists.models import Competency
from plp.recompute import recompute_on_commit
from schools.models import Enrollment
from xapi import outbox as xapi_outbox

Source = EvidenceEvent.Source


class MasteryError(ValidationError):
    """A request the rules refuse (not ready, cooldown running...); the message says why."""


def _params(competency: Competency) -> BKTParams:
    row = selectors.model_params_for(competency=competency)
    return BKTParams(p_init=row.p_init, p_learn=row.p_learn, p_guess=row.p_guess, p_slip=row.p_slip)


def _locked_state(*, student, competency: Competency) -> MasteryState:
    """The student's state row, created if missing, locked for the rest of the transaction."""
    state = MasteryState.objects.select_for_update().filter(student=student, competency=competency).first()
    if state is None:
        try:
            with transaction.atomic():
                state = selectors.state_for(student=student, competency=competency)
                state.full_clean()
                state.save()
        except IntegrityError:  # created concurrently: lock that one
            pass
        state = MasteryState.objects.select_for_update().get(student=student, competency=competency)
    return state


def _eligibility(
    state: MasteryState, competency: Competency, *, ignore_cooldown=False, policy: MasteryPolicy | None = None
) -> rules.Eligibility:
    policy = selectors.policy_values(policy or selectors.policy_for(competency=competency))
    items_done = None
    if policy.readiness_rule == rules.ITEMS_DONE:
        items_done = items_done_readiness(student=state.student, competency=competency)
    return worded(
        rules.eligibility(
            policy, selectors.state_values(state), timezone.now(), items_done, ignore_cooldown=ignore_cooldown
        )
    )


def check_eligibility(*, student, competency: Competency) -> rules.Eligibility:
    """May ``student`` ask for a check of ``competency`` now, and if not, what opens it (read only)."""
    return _eligibility(selectors.state_for(student=student, competency=competency), competency)


def _refresh_status(state: MasteryState, competency: Competency, policy: MasteryPolicy | None = None) -> None:
    """Set the status from the facts on the row: mastered stays; else ready when the readiness rule and the
    practice needed after a failed check are met. A running cooldown does not count here (the pages say
    when the retry opens), so the stored status does not go stale as time passes."""
    if state.status == MasteryStatus.MASTERED:
        return
    has_evidence = state.status != MasteryStatus.NOT_STARTED or state.practice_answers > 0
    eligible = _eligibility(state, competency, ignore_cooldown=True, policy=policy).allowed
    state.status = rules.status_for(mastered=False, has_evidence=has_evidence, eligible=eligible)


def _append_evidence(
    state: MasteryState,
    *,
    source: str,
    status_before: str,
    p_before: float,
    source_id="",
    outcome=None,
    actor=None,
    reason: str = "",
    detail: dict | None = None,
) -> EvidenceEvent:
    event = EvidenceEvent(
        school_id=state.school_id,
        student_id=state.student_id,
        competency_id=state.competency_id,
        source=source,
        source_id=str(source_id),
        outcome=outcome,
        status_before=status_before,
        status_after=state.status,
        p_before=p_before,
        p_after=state.p_mastered,
        rule_version=RULE_VERSION,
        actor=actor,
        reason=reason,
        detail=detail or {},
    )
    event.full_clean()
    event.save()
    xapi_outbox.evidence_recorded(event)  # its xAPI statements, queued in this transaction (one INSERT)
    recompute_on_commit(student_id=state.student_id)  # every piece of evidence is a learning event
    return event


def _save_state(state: MasteryState) -> None:
    state.full_clean()
    state.save()


# --- practice ---------------------------------------------------------------------------------------------


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
    state = _locked_state(student=student, competency=competency)
    if replay := _replayed(student=student, question=question, client_key=client_key):
        return replay  # sent twice at once: the first one, now committed, holds the key
    status_before, p_before = state.status, state.p_mastered
    correct = grade(question.key, response)
    state.p_mastered = update(state.p_mastered, correct, _params(competency))
    state.practice_answers += 1
    if state.last_failed_check_at is not None:
        state.practice_since_failed_check += 1
    if state.status == MasteryStatus.NOT_STARTED:
        state.status = MasteryStatus.PRACTICING
    _refresh_status(state, competency)
    _save_state(state)
    answer = PracticeAnswer(
        school_id=state.school_id,
        student=student,
        competency=competency,
        question=question,
        response=response,
        is_correct=correct,
        p_before=p_before,
        p_after=state.p_mastered,
        client_key=client_key,
    )
    answer.full_clean()
    answer.save()
    _append_evidence(
        state,
        source=Source.ANSWER,
        status_before=status_before,
        p_before=p_before,
        source_id=answer.pk,
        outcome=1.0 if correct else 0.0,
        detail={"question_id": question.pk},
    )
    answer.replayed = False
    return answer


# --- evidence from other apps -----------------------------------------------------------------------------


def _ledger(*, student, competency: Competency) -> list[rules.Event]:
    return [
        rules.Event(source=e.source, outcome=e.outcome, detail=e.detail)
        for e in EvidenceEvent.objects.filter(student=student, competency=competency).order_by(
            "created_at", "pk"
        )
    ]


@transaction.atomic
def evidence_record_rubric_score(
    *, student, competency: Competency, level: float, max_level: float, scored_by, source_id
) -> EvidenceEvent:
    """A project's rubric score counts as evidence: it updates the estimate (proficient when at or above the
    competency's pass share), never masters by itself. Called by the playlists app when a rubric is scored.

    Idempotent on ``source_id`` (the score): the same level again records nothing; a revised level is a new
    ledger row that supersedes the earlier one, and the estimate is replayed from the ledger so the score
    counts once."""
    if max_level <= 0 or not 0 <= level <= max_level:
        raise MasteryError("A rubric level must lie between 0 and the rubric's top level.")
    return _graded_score_record(
        source=Source.RUBRIC,
        student=student,
        competency=competency,
        level=level,
        max_level=max_level,
        actor=scored_by,
        source_id=source_id,
    )


@transaction.atomic
def evidence_record_tool_score(
    *, student, competency: Competency, score: float, maximum: float, source_id, detail: dict | None = None
) -> EvidenceEvent:
    """One competency's evidence from a tool's score: see evidence_record_tool_scores."""
    (event,) = evidence_record_tool_scores(
        student=student, competencies=[competency], score=score, maximum=maximum, source_id=source_id,
        detail=detail,
    )  # fmt: skip
    return event


# The fields a bulk write checks itself (clean_fields); the foreign keys are the caller's own rows, which
# full_clean would look up one query each.
_BULK_EXCLUDE = ("school", "student", "competency", "actor")


@transaction.atomic
def evidence_record_tool_scores(
    *, student, competencies: list[Competency], score: float, maximum: float, source_id,
    detail: dict | None = None,
) -> list[EvidenceEvent]:  # fmt: skip
    """A completed, fully graded score an external tool posted back (LTI Assignment and Grade Services,
    lti_platform) is evidence for each competency its item is aligned to, by the rubric score's rule: one
    observation, correct when the share is at or above the pass share, never mastery by itself; a later
    score of the same item supersedes the earlier (the same score again changes nothing).

    Written in bulk: policies, model parameters, states (created and locked), earlier scores and ledgers
    are each read in one query for all the competencies, the states written in one UPDATE and the evidence
    in one INSERT, so the number of queries does not grow with the item's competencies (except for a
    competency whose readiness rule is ``items_done``, which asks playlists once for itself)."""
    if maximum <= 0 or not 0 <= score <= maximum:
        raise MasteryError("A tool's score must lie between 0 and its maximum.")
    competencies = sorted({c.pk: c for c in competencies}.values(), key=lambda c: c.pk)  # lock order
    if not competencies:
        return []
    ids = [c.pk for c in competencies]
    policies = {p.competency_id: p for p in MasteryPolicy.objects.filter(competency_id__in=ids)}
    params = {p.competency_id: p for p in CompetencyModelParams.objects.filter(competency_id__in=ids)}
    states = _locked_states(student=student, competencies=competencies, params=params)
    key = str(source_id)
    previous: dict[int, EvidenceEvent] = {}
    earlier = EvidenceEvent.objects.filter(
        student=student, competency_id__in=ids, source=Source.TOOL_SCORE, source_id=key
    ).order_by("-created_at", "-pk")
    for event in earlier:
        previous.setdefault(event.competency_id, event)
    unchanged = {
        pk
        for pk, event in previous.items()
        if (event.detail.get("level"), event.detail.get("max_level")) == (score, maximum)
    }
    ledgers: dict[int, list[rules.Event]] = {pk: [] for pk in previous if pk not in unchanged}
    if ledgers:
        for event in EvidenceEvent.objects.filter(student=student, competency_id__in=list(ledgers)).order_by(
            "created_at", "pk"
        ):
            ledgers[event.competency_id].append(rules.Event(event.source, event.outcome, event.detail))
    share = score / maximum
    now = timezone.now()
    written, events, result = [], [], {}
    for competency in competencies:
        if competency.pk in unchanged:
            result[competency.pk] = previous[competency.pk]
            continue
        policy = policies.get(competency.pk) or MasteryPolicy(
            school_id=competency.school_id, competency=competency
        )
        row = params.get(competency.pk) or CompetencyModelParams(
            school_id=competency.school_id, competency=competency
        )
        bkt = BKTParams(p_init=row.p_init, p_learn=row.p_learn, p_guess=row.p_guess, p_slip=row.p_slip)
        state = states[competency.pk]
        status_before, p_before = state.status, state.p_mastered
        event_detail = {
            **(detail or {}),
            "level": score,
            "max_level": maximum,
            "correct_at": policy.pass_threshold,
            "score_key": key,
        }
        if competency.pk in ledgers:
            event_detail["revises"] = previous[competency.pk].pk
            ledger = [*ledgers[competency.pk], rules.Event(Source.TOOL_SCORE, share, event_detail)]
            _, state.p_mastered, _ = rules.replay(ledger, bkt)
        else:
            state.p_mastered = update(state.p_mastered, share >= policy.pass_threshold, bkt)
        if state.status == MasteryStatus.NOT_STARTED:
            state.status = MasteryStatus.PRACTICING
        _refresh_status(state, competency, policy)
        state.updated_at = now
        state.clean_fields(exclude=_BULK_EXCLUDE)
        written.append(state)
        event = EvidenceEvent(
            school_id=state.school_id,
            student_id=state.student_id,
            competency_id=competency.pk,
            source=Source.TOOL_SCORE,
            source_id=key,
            outcome=share,
            status_before=status_before,
            status_after=state.status,
            p_before=p_before,
            p_after=state.p_mastered,
            rule_version=RULE_VERSION,
            detail=event_detail,
        )
        event.clean_fields(exclude=_BULK_EXCLUDE)
        events.append(event)
        result[competency.pk] = event
    if written:
        MasteryState.objects.bulk_update(written, ["status", "p_mastered", "updated_at"])
        EvidenceEvent.objects.bulk_create(events)
        xapi_outbox.evidences_recorded(events)  # their xAPI statements, if any: one INSERT
        recompute_on_commit(student_id=student.pk)
    return [result[c.pk] for c in competencies]


def _locked_states(*, student, competencies: list[Competency], params: dict) -> dict[int, MasteryState]:
    """The student's state rows for ``competencies``, the missing ones created (each at its competency's
    prior), all locked for the rest of the transaction: two or three queries, whatever their number."""
    ids = [c.pk for c in competencies]
    locked = MasteryState.objects.select_for_update().filter(student=student, competency_id__in=ids)
    states = {state.competency_id: state for state in locked.order_by("competency_id")}
    missing = [c for c in competencies if c.pk not in states]
    if missing:
        default_p = CompetencyModelParams._meta.get_field("p_init").default
        MasteryState.objects.bulk_create(
            [
                MasteryState(
                    school_id=c.school_id,
                    student=student,
                    competency=c,
                    p_mastered=params[c.pk].p_init if c.pk in params else default_p,
                )
                for c in missing
            ],
            ignore_conflicts=True,  # created concurrently: that one is locked below
        )
        states = {state.competency_id: state for state in locked.all().order_by("competency_id")}
    return states


def _graded_score_record(
    *, source: str, student, competency: Competency, level: float, max_level: float, actor, source_id,
    extra: dict | None = None,
) -> EvidenceEvent:  # fmt: skip
    """The one rule for a graded score (a rubric level, a tool's score): see evidence_record_rubric_score."""
    policy = selectors.policy_for(competency=competency)
    state = _locked_state(student=student, competency=competency)
    key = str(source_id)
    previous = (
        EvidenceEvent.objects.filter(student=student, competency=competency, source=source, source_id=key)
        .order_by("-created_at", "-pk")
        .first()
    )
    if previous is not None and (previous.detail.get("level"), previous.detail.get("max_level")) == (
        level,
        max_level,
    ):
        return previous
    status_before, p_before = state.status, state.p_mastered
    share = level / max_level
    detail = {
        **(extra or {}),
        "level": level,
        "max_level": max_level,
        "correct_at": policy.pass_threshold,
        "score_key": key,
    }
    if previous is None:
        state.p_mastered = update(state.p_mastered, share >= policy.pass_threshold, _params(competency))
    else:
        detail["revises"] = previous.pk
        ledger = [*_ledger(student=student, competency=competency), rules.Event(source, share, detail)]
        _, state.p_mastered, _ = rules.replay(ledger, _params(competency))
    if state.status == MasteryStatus.NOT_STARTED:
        state.status = MasteryStatus.PRACTICING
    _refresh_status(state, competency)
    _save_state(state)
    return _append_evidence(
        state,
        source=source,
        status_before=status_before,
        p_before=p_before,
        source_id=key,
        outcome=share,
        actor=actor,
        detail=detail,
    )


@transaction.atomic
def evidence_record_workshop(
    *, student, competency: Competency, present: bool, outcome: str, recorded_by, seat_id: int
) -> EvidenceEvent:
    """A workshop's attendance (and the teacher's one-line outcome) is evidence: present, it is a lesson
    (the estimate takes BKT's learning step, with no answer observed: never mastery by itself); absent, it
    changes nothing but is on record. Called by the workshops app when attendance is recorded.

    Idempotent on the seat: the same attendance and outcome again records nothing; a correction is a new
    ledger row that supersedes the earlier one, and the estimate is replayed so the workshop counts once."""
    state = _locked_state(student=student, competency=competency)
    key = f"workshop-seat:{seat_id}"
    previous = (
        EvidenceEvent.objects.filter(
            student=student, competency=competency, source=Source.WORKSHOP, source_id=str(seat_id)
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if previous is not None and (previous.detail.get("present"), previous.reason) == (present, outcome):
        return previous
    status_before, p_before = state.status, state.p_mastered
    detail = {"present": present, "score_key": key}
    if previous is None:
        if present:
            state.p_mastered = taught(state.p_mastered, _params(competency))
    else:
        detail["revises"] = previous.pk
        ledger = [
            *_ledger(student=student, competency=competency),
            rules.Event(Source.WORKSHOP, None, detail),
        ]
        _, state.p_mastered, _ = rules.replay(ledger, _params(competency))
    if present and state.status == MasteryStatus.NOT_STARTED:
        state.status = MasteryStatus.PRACTICING
    _refresh_status(state, competency)
    _save_state(state)
    return _append_evidence(
        state,
        source=Source.WORKSHOP,
        status_before=status_before,
        p_before=p_before,
        source_id=seat_id,
        outcome=1.0 if present else 0.0,
        actor=recorded_by,
        reason=outcome,
        detail=detail,
    )


@transaction.atomic
def readiness_refresh(*, student, competencies: list[Competency]) -> list[MasteryState]:
    """Re-derive the stored status (ready or not) of the competencies under the ``items_done`` rule after
    the student finished playlist items, so lists reading the stored status do not lag. The status is
    derived from facts outside the ledger (items done), not evidence: no ledger row. Returns the changed."""
    under_rule = set(
        MasteryPolicy.objects.filter(
            competency__in=competencies, readiness_rule=rules.ITEMS_DONE
        ).values_list("competency_id", flat=True)
    )
    changed = []
    for competency in competencies:
        if competency.pk not in under_rule:
            continue
        state = _locked_state(student=student, competency=competency)
        before = state.status
        _refresh_status(state, competency)
        if state.status != before:
            state.save(update_fields=["status", "updated_at"])
            changed.append(state)
    return changed


# --- mastery checks ---------------------------------------------------------------------------------------


def _approval_required(student) -> bool:
    """A teacher approves the request first when the student's self-direction level says so (agency), or
    when a section of theirs requires it for everyone."""
    from agency.services import check_needs_approval

    if check_needs_approval(student=student):
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
    """Draw the form: the real number of questions (never more than the bank supplies without a question
    the student practised recently), none of those questions, less the right practice answers the check
    counts as its first questions (``rules.carried_practice``, decided now, as the check starts). Returns
    those answers' ids: :func:`_carry` ties them to the attempt once it is saved."""
    supply = _supply(attempt.student, competency)
    carried = selectors.carried_practice_for(
        student=attempt.student,
        competency=competency,
        to_pass=supply.plan.to_pass,
        attempt=attempt if attempt.pk else None,
    )
    attempt.carried = len(carried)
    attempt.form = _draw_form(supply.fresh_ids, supply.plan.questions - len(carried))
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
    state = _locked_state(student=attempt.student, competency=competency)
    status_before, p_before = state.status, state.p_mastered
    now = timezone.now()
    if attempt.passed:
        state.status, state.mastered_at = MasteryStatus.MASTERED, now
    else:
        state.last_failed_check_at, state.practice_since_failed_check = now, 0
        state.status = MasteryStatus.PRACTICING
        _refresh_status(state, competency)
    _save_state(state)
    _append_evidence(
        state,
        source=Source.CHECK,
        status_before=status_before,
        p_before=p_before,
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
    state = _locked_state(student=attempt.student, competency=attempt.competency)
    status_before, p_before = state.status, state.p_mastered
    still_mastered = (
        CheckAttempt.objects.filter(
            student=attempt.student, competency=attempt.competency, passed=True, invalidated_at__isnull=True
        ).exists()
        or _latest_override(state) is True
    )
    if not still_mastered and state.status == MasteryStatus.MASTERED:
        state.status, state.mastered_at = MasteryStatus.PRACTICING, None
        _refresh_status(state, attempt.competency)
        _save_state(state)
    _append_evidence(
        state,
        source=Source.INVALIDATION,
        status_before=status_before,
        p_before=p_before,
        source_id=attempt.pk,
        actor=teacher,
        reason=reason,
        detail={"check_id": attempt.pk},
    )
    return attempt


def _latest_override(state: MasteryState) -> bool | None:
    event = (
        EvidenceEvent.objects.filter(
            student_id=state.student_id,
            competency_id=state.competency_id,
            source__in=[Source.OVERRIDE, Source.CHECK],
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if event is None or event.source != Source.OVERRIDE:
        return None
    return bool(event.detail.get("mastered"))


@transaction.atomic
def check_unlock(*, student, competency: Competency, teacher, reason: str = "") -> MasteryState:
    """Let the student ask for the next check now: waives readiness, cooldown and practice once."""
    state = _locked_state(student=student, competency=competency)
    status_before, p_before = state.status, state.p_mastered
    state.check_unlocked = True
    _refresh_status(state, competency)
    _save_state(state)
    _append_evidence(
        state,
        source=Source.UNLOCK,
        status_before=status_before,
        p_before=p_before,
        actor=teacher,
        reason=reason,
    )
    return state


@transaction.atomic
def mastery_override(
    *, student, competency: Competency, teacher, mastered: bool, reason: str
) -> MasteryState:
    """A teacher sets mastery by judgement, with a reason; audited in the ledger like any evidence."""
    reason = (reason or "").strip()
    if not reason:
        raise MasteryError("An override needs a reason.")
    state = _locked_state(student=student, competency=competency)
    status_before, p_before = state.status, state.p_mastered
    if mastered:
        state.status, state.mastered_at = MasteryStatus.MASTERED, state.mastered_at or timezone.now()
    else:
        state.status, state.mastered_at = MasteryStatus.PRACTICING, None
        _refresh_status(state, competency)
    _save_state(state)
    _append_evidence(
        state,
        source=Source.OVERRIDE,
        status_before=status_before,
        p_before=p_before,
        actor=teacher,
        reason=reason,
        detail={"mastered": mastered},
    )
    return state


def mastery_replay(*, student, competency: Competency) -> tuple[bool, float, bool]:
    """(mastered, P(mastered), has evidence) recomputed from the ledger alone: the explanation of a state."""
    return rules.replay(_ledger(student=student, competency=competency), _params(competency))
