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
from mastery.services.core import MasteryError, StateChange, _refresh_status
from playlists.models import Competency

Source = EvidenceEvent.Source


@transaction.atomic
def check_unlock(*, student, competency: Competency, teacher, reason: str = "") -> MasteryState:
    """Let the student ask for the next check now: waives readiness, cooldown and practice once."""
    change = StateChange.locked(student=student, competency=competency)
    state = change.state
    state.check_unlocked = True
    _refresh_status(state, competency)
    change.commit(source=Source.UNLOCK, actor=teacher, reason=reason)
    return state


@transaction.atomic
def mastery_override(
    *, student, competency: Competency, teacher, mastered: bool, reason: str
) -> MasteryState:
    """A teacher sets mastery by judgement, with a reason; audited in the ledger like any evidence."""
    reason = (reason or "").strip()
    if not reason:
        raise MasteryError("An override needs a reason.")
    change = StateChange.locked(student=student, competency=competency)
    state = change.state
    if mastered:
        state.status, state.mastered_at = MasteryStatus.MASTERED, state.mastered_at or timezone.now()
    else:
        state.status, state.mastered_at = MasteryStatus.PRACTICING, None
        _refresh_status(state, competency)
    change.commit(source=Source.OVERRIDE, actor=teacher, reason=reason, detail={"mastered": mastered})
    return state
