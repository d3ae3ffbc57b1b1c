"""Evidence from outside the check flow: a rubric score on a project, a tool's score (LTI AGS, in bulk for
an item's competencies), a workshop attended; each lands on the ledger and moves the state."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from mastery import rules, selectors
from mastery.bkt import BKTParams, taught, update
from mastery.models import (
    CompetencyModelParams,
    EvidenceEvent,
    MasteryPolicy,
    MasteryState,
    MasteryStatus,
)
from mastery.services.core import (
    MasteryError,
    StateChange,
    _ledger,
    _params,
    _refresh_status,
)
from playlists.models import Competency
from plp.recompute import recompute_on_commit
from xapi import outbox as xapi_outbox

Source = EvidenceEvent.Source


@transaction.atomic
def evidence_record_rubric_score(
    *, student, competency: Competency, level: float, max_level: float, scored_by, source_id
) -> EvidenceEvent:
    """A project's rubric score counts as evidence: it updates the estimate (proficient when at or above the
    competency's pass share), never masters by itself. Asked by the playlists app, through
    ``playlists.evidence``, when a rubric is scored.

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
    competency whose readiness rule is ``items_done``, which asks playlists once for itself).

    Long on purpose: the bulk reads, the per-competency step that uses every one of them, then the bulk
    writes, in the order the transaction takes them; split, the six lookups would pass between pieces."""
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
        change = StateChange(states[competency.pk])
        state = change.state
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
        event = change.event(source=Source.TOOL_SCORE, source_id=key, outcome=share, detail=event_detail)
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
    change = StateChange.locked(student=student, competency=competency)
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
    state = change.state
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
    return change.commit(source=source, source_id=key, outcome=share, actor=actor, detail=detail)


@transaction.atomic
def evidence_record_workshop(
    *, student, competency: Competency, present: bool, outcome: str, recorded_by, seat_id: int
) -> EvidenceEvent:
    """A workshop's attendance (and the teacher's one-line outcome) is evidence: present, it is a lesson
    (the estimate takes BKT's learning step, with no answer observed: never mastery by itself); absent, it
    changes nothing but is on record. Called by the workshops app when attendance is recorded.

    Idempotent on the seat: the same attendance and outcome again records nothing; a correction is a new
    ledger row that supersedes the earlier one, and the estimate is replayed so the workshop counts once."""
    change = StateChange.locked(student=student, competency=competency)
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
    state = change.state
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
    return change.commit(
        source=Source.WORKSHOP,
        source_id=seat_id,
        outcome=1.0 if present else 0.0,
        actor=recorded_by,
        reason=outcome,
        detail=detail,
    )
