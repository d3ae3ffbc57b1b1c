"""The core every mastery write goes through: a student's state locked and refreshed, the evidence ledger
appended (``EvidenceEvent``: every change of a student's state is a row), the readiness re-derived, the ledger
replayed. The other service modules build on these."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mastery import rules, selectors
from mastery.bkt import BKTParams
from mastery.eligibility import worded
from mastery.models import (
    RULE_VERSION,
    EvidenceEvent,
    MasteryPolicy,
    MasteryState,
    MasteryStatus,
)
from mastery.readiness import items_done_readiness
from playlists.models import Competency
from plp.recompute import recompute_on_commit
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


class StateChange:
    """One change of a student's state of a competency, as every mastery write makes it: the row locked
    (``locked``, created if missing), its status and P(mastered) noted before anything changes, then saved
    and put on the ledger as one evidence row that says before and after (``commit``)."""

    def __init__(self, state: MasteryState):
        self.state = state  # locked by the caller
        self.status_before, self.p_before = state.status, state.p_mastered

    @classmethod
    def locked(cls, *, student, competency: Competency) -> StateChange:
        return cls(_locked_state(student=student, competency=competency))

    def event(
        self,
        *,
        source: str,
        source_id="",
        outcome=None,
        actor=None,
        reason: str = "",
        detail: dict | None = None,
    ) -> EvidenceEvent:
        """The change's ledger row, unsaved: before as noted, after as the state reads now."""
        state = self.state
        return EvidenceEvent(
            school_id=state.school_id,
            student_id=state.student_id,
            competency_id=state.competency_id,
            source=source,
            source_id=str(source_id),
            outcome=outcome,
            status_before=self.status_before,
            status_after=state.status,
            p_before=self.p_before,
            p_after=state.p_mastered,
            rule_version=RULE_VERSION,
            actor=actor,
            reason=reason,
            detail=detail or {},
        )

    def save(self) -> None:
        self.state.full_clean()
        self.state.save()

    def append(self, **evidence) -> EvidenceEvent:
        """Append the change's ledger row (the state saved already, or unchanged): ``event``'s arguments."""
        event = self.event(**evidence)
        event.full_clean()
        event.save()
        xapi_outbox.evidence_recorded(event)  # its xAPI statements, queued in this transaction (one INSERT)
        recompute_on_commit(student_id=self.state.student_id)  # every piece of evidence is a learning event
        return event

    def commit(self, **evidence) -> EvidenceEvent:
        """Save the state, then append its ledger row."""
        self.save()
        return self.append(**evidence)


# --- practice ---------------------------------------------------------------------------------------------


def _ledger(*, student, competency: Competency) -> list[rules.Event]:
    return [
        rules.Event(source=e.source, outcome=e.outcome, detail=e.detail)
        for e in EvidenceEvent.objects.filter(student=student, competency=competency).order_by(
            "created_at", "pk"
        )
    ]


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


def mastery_replay(*, student, competency: Competency) -> tuple[bool, float, bool]:
    """(mastered, P(mastered), has evidence) recomputed from the ledger alone: the explanation of a state."""
    return rules.replay(_ledger(student=student, competency=competency), _params(competency))
