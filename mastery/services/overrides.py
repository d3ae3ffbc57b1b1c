"""A teacher's decisions about a student's mastery: unlock a check before its cool-down ends, or set
mastery by hand with a reason; both on the ledger."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from mastery.models import (
    EvidenceEvent,
    MasteryState,
    MasteryStatus,
)
from mastery.services.core import (
    MasteryError,
    _append_evidence,
    _locked_state,
    _refresh_status,
    _save_state,
)
from playlists.models import Competency

Source = EvidenceEvent.Source


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
