"""Readiness and eligibility for a mastery check, retakes and a competency's status: what the competency
page, the API and the engine state about a check, from plain values (no Django)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

NOT_STARTED, PRACTICING, READY, MASTERED = "not_started", "practicing", "ready", "mastered"
ESTIMATE, TEACHER_UNLOCK, ITEMS_DONE = "estimate", "teacher_unlock", "items_done"


@dataclass(frozen=True)
class Readiness:
    """The answer of a readiness rule: may the student ask for a check, and why (or why not)."""

    ready: bool
    reason: str
    available: bool = True


@dataclass(frozen=True)
class PolicyValues:
    check_size: int = 5
    pass_threshold: float = 0.8
    cooldown_minutes: int = 60
    practice_before_retake: int = 5
    readiness_rule: str = ESTIMATE
    readiness_threshold: float = 0.7


@dataclass(frozen=True)
class StateValues:
    status: str = NOT_STARTED
    p_mastered: float = 0.2
    practice_since_failed_check: int = 0
    last_failed_check_at: dt.datetime | None = None
    check_unlocked: bool = False


@dataclass(frozen=True)
class Eligibility:
    """Whether a check may be requested now; when not, the way back ("respawn"). A running cooldown is
    ``retry_opens_at`` (a datetime: the pages word it in the school's time zone), not one of ``reasons``."""

    allowed: bool
    reasons: list[str] = field(default_factory=list)
    practice_needed: int = 0
    retry_opens_at: dt.datetime | None = None
    # Right practice answers in a row still to give before a check asked now counts all the practice it may
    # as its first questions (``CheckPlan.carry_limit``); filled for the engine (``mastery.eligibility``).
    carry_short: int = 0
    # A teacher unlocked this check (readiness, practice and cooldown waived once, until the check it opens):
    # the teacher means "take it now", so the engine's Next up puts no practice before it.
    unlocked: bool = False


def readiness(policy: PolicyValues, state: StateValues, items_done: Readiness | None = None) -> Readiness:
    """The competency's readiness rule applied to the student's state. ``items_done`` is the answer of the
    playlists app's plugged-in rule, or None while none is plugged in."""
    if state.check_unlocked:
        return Readiness(True, "A teacher unlocked your check.")
    if policy.readiness_rule == ESTIMATE:
        if state.p_mastered >= policy.readiness_threshold:
            return Readiness(True, "Your practice shows you are likely ready.")
        return Readiness(
            False,
            f"Keep practising: your estimate is {state.p_mastered:.0%}, "
            f"a check opens at {policy.readiness_threshold:.0%}.",
        )
    if policy.readiness_rule == TEACHER_UNLOCK:
        return Readiness(False, "Your teacher unlocks this check when you are ready: ask them.")
    if policy.readiness_rule == ITEMS_DONE:
        if items_done is None:
            return Readiness(False, "The playlist rule for this check is not available yet.", available=False)
        return items_done
    return Readiness(False, f"Unknown readiness rule {policy.readiness_rule!r}.", available=False)


def retake_wait(policy: PolicyValues, state: StateValues, now: dt.datetime) -> tuple[int, dt.datetime | None]:
    """After a failed check: practice answers still needed and when the cooldown ends (None: over)."""
    if state.last_failed_check_at is None or state.check_unlocked:
        return 0, None
    needed = max(0, policy.practice_before_retake - state.practice_since_failed_check)
    opens_at = state.last_failed_check_at + dt.timedelta(minutes=policy.cooldown_minutes)
    return needed, (opens_at if opens_at > now else None)


def eligibility(
    policy: PolicyValues,
    state: StateValues,
    now: dt.datetime,
    items_done: Readiness | None = None,
    *,
    ignore_cooldown: bool = False,
) -> Eligibility:
    """May a check be requested now? ``ignore_cooldown`` answers "ready apart from the clock", which is
    what the stored status says (so it never goes stale by the mere passing of time)."""
    if state.status == MASTERED:
        return Eligibility(False, ["You have already mastered this competency."])
    reasons = []
    ready = readiness(policy, state, items_done)
    if not ready.ready:
        reasons.append(ready.reason)
    needed, opens_at = retake_wait(policy, state, now)
    if needed:
        reasons.append(f"Answer {needed} more practice question{'s' if needed != 1 else ''} first.")
    opens_at = None if ignore_cooldown else opens_at
    return Eligibility(
        not reasons and opens_at is None,
        reasons,
        practice_needed=needed,
        retry_opens_at=opens_at,
        unlocked=state.check_unlocked,
    )


def status_for(*, mastered: bool, has_evidence: bool, eligible: bool) -> str:
    if mastered:
        return MASTERED
    if eligible:
        return READY
    return PRACTICING if has_evidence else NOT_STARTED
