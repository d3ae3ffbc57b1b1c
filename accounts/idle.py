"""Idle sign-out, the rule (no Django): when a session has been idle too long, and when to note activity.

The session keeps the time of the last activity and the limit that applies to the person; both are written
at most once a minute (``TOUCH_SECONDS``), so a person clicking around saves their session once a minute,
not on every request. The limit is the strictest of the person's schools: a student's limit where they are a
student, the staff limit where they hold any other role (a district admin: their district's schools).
"""

from collections.abc import Iterable
from enum import Enum

TOUCH_SECONDS = 60


class Idle(Enum):
    FRESH = "fresh"  # active within the last minute: nothing to write
    TOUCH = "touch"  # note the activity now (and re-read the limit)
    EXPIRED = "expired"  # idle past the limit: sign out


def idle_state(*, last_activity: int | None, limit_minutes: int | None, now: int) -> Idle:
    """``last_activity`` and ``now`` in whole seconds since the epoch; no activity noted yet (a session
    from before this rule, or the first request after signing in) starts the clock now."""
    if last_activity is None or limit_minutes is None:
        return Idle.TOUCH
    if now - last_activity > limit_minutes * 60:
        return Idle.EXPIRED
    return Idle.TOUCH if now - last_activity >= TOUCH_SECONDS else Idle.FRESH


def idle_limit_minutes(
    *, limits: Iterable[tuple[bool, int, int]], district_staff_minutes: int | None, default: int
) -> int:
    """The limit for a person: ``limits`` has one ``(is_student, staff_minutes, student_minutes)`` per
    active membership; the strictest applies (a shared computer is as exposed as its most exposed use)."""
    minutes = [student if is_student else staff for is_student, staff, student in limits]
    if district_staff_minutes is not None:
        minutes.append(district_staff_minutes)
    return min(minutes, default=default)
