"""How stored flags follow findings: raised once, cleared when the condition clears, reopened on recurrence.

A flag an adult *resolved* stays resolved while its condition still holds (they dealt with it); if the
condition clears and later holds again, that is a recurrence and the flag reopens.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from engine.policy.flags import FlagFinding


class FlagStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"  # an adult has seen it and is on it; still live
    RESOLVED = "resolved"  # an adult closed it with a note
    CLEARED = "cleared"  # its condition no longer holds (closed by the engine)


LIVE = frozenset({FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED})


@dataclass(frozen=True, slots=True)
class StoredFlag:
    status: FlagStatus
    condition_cleared: bool = False  # for resolved flags: the condition has cleared since the resolution


class Change(StrEnum):
    RAISE = "raise"  # a new flag
    REFRESH = "refresh"  # still holds: update its evidence and severity, keep its status
    CLEAR = "clear"  # a live flag whose condition cleared
    NOTE_CLEARED = "note_cleared"  # a resolved flag whose condition cleared: a later finding is a recurrence
    REOPEN = "reopen"  # a cleared flag, or a resolved one whose condition cleared, holds again


@dataclass(frozen=True, slots=True)
class FlagChange:
    change: Change
    key: tuple[str, str]
    finding: FlagFinding | None = None


def reconcile(
    stored: Mapping[tuple[str, str], StoredFlag], findings: Iterable[FlagFinding]
) -> list[FlagChange]:
    """The changes that bring the stored flags in line with what holds now; nothing when nothing changed."""
    changes: list[FlagChange] = []
    found = {finding.key: finding for finding in findings}
    for key, finding in found.items():
        flag = stored.get(key)
        if flag is None:
            changes.append(FlagChange(Change.RAISE, key, finding))
        elif flag.status is FlagStatus.CLEARED or (
            flag.status is FlagStatus.RESOLVED and flag.condition_cleared
        ):
            changes.append(FlagChange(Change.REOPEN, key, finding))
        else:
            changes.append(FlagChange(Change.REFRESH, key, finding))
    for key, flag in stored.items():
        if key in found:
            continue
        if flag.status in LIVE:
            changes.append(FlagChange(Change.CLEAR, key))
        elif flag.status is FlagStatus.RESOLVED and not flag.condition_cleared:
            changes.append(FlagChange(Change.NOTE_CLEARED, key))
    return changes
