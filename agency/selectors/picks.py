"""What a student may start now at their rung: the item assigned, one of the engine's top
recommendations, or anything; and the sentence that says why an item is refused.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from agency.policy import (
    Picks,
    Rung,
)
from agency.selectors.levels import level_of
from engine.my_work import my_work

CHOICES = 3  # a student who chooses picks from this many of the engine's recommendations


@dataclass
class Choices:
    """The items a student may start now at their rung (``None``: any item of their playlists)."""

    rung: Rung
    offered: list = field(default_factory=list)  # (row, placement, reason), in the engine's order

    @property
    def item_ids(self) -> set[int] | None:
        if self.rung.picks is Picks.FREE:
            return None
        return {placement.item_id for _, placement, _ in self.offered}


def choices_from(*, rung: Rung, work) -> Choices:
    """From "My work" (``engine.my_work``): the assigned item at a rung that assigns, the top
    three recommendations at a rung that chooses (the engine's ranking; its nearest-deadline fallback
    until the engine has ranked the student), nothing to restrict when the order is free."""
    if rung.picks is Picks.FREE:
        return Choices(rung=rung)
    offered = list(work.ranked)
    if not offered and work.next_up is not None:
        offered = [(*work.next_up, work.next_up_reason)]
    size = 1 if rung.picks is Picks.ASSIGNED else CHOICES
    return Choices(rung=rung, offered=offered[:size])


def pick_refusal(*, student, item_id: int, today: dt.date | None = None) -> str:
    """Why the student may not start ``item_id`` at their rung now, or "" when they may. Work already
    started or done stays theirs to open; only starting something new is governed."""
    level = level_of(student=student)
    rung = level.rung
    if rung.picks is Picks.FREE:
        return ""
    work = my_work(student=student, today=today or timezone.localdate())
    allowed = choices_from(rung=rung, work=work).item_ids or set()
    if item_id in allowed:
        return ""
    nxt = level.next_rung
    earns = f" What earns {nxt.name} is on My level." if nxt else ""
    if rung.picks is Picks.ASSIGNED:
        if not allowed:
            return f"At {rung.name}, the platform assigns your next item, and nothing is assigned now.{earns}"
        ((_row, placement, _),) = choices_from(rung=rung, work=work).offered
        return (
            f"At {rung.name}, the platform assigns your next item: confirm “{placement.item.title}” on My "
            f"work.{earns}"
        )
    return f"At {rung.name}, you pick your next item from the top {CHOICES} on My work.{earns}"
