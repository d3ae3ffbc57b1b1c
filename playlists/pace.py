"""Pure rules of progress through playlists (no Django): completion units, pace status, "Next up"."""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

PACE_TOLERANCE = 0.10  # within ten points of the plan counts as on track


class Pace(StrEnum):
    AHEAD = "ahead"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return {"ahead": "Ahead", "on_track": "On track", "behind": "Behind", "complete": "Complete"}[self]


@dataclass(frozen=True)
class Placement:
    """What the rules need of a PlaylistItem."""

    item_id: int
    required: bool
    board_id: int | None = None


def board_targets(placements: list[Placement], choose: dict[int, int]) -> dict[int, int]:
    """How many items each choice board asks for ("choose k of n"; k never above n)."""
    sizes: dict[int, int] = {}
    for placement in placements:
        if placement.board_id is not None:
            sizes[placement.board_id] = sizes.get(placement.board_id, 0) + 1
    return {board: min(choose.get(board, 1), size) for board, size in sizes.items()}


def playlist_units(placements: list[Placement], choose: dict[int, int], done: set[int]) -> tuple[int, int]:
    """(done, needed): each required item is one unit, each board counts k units; optional items none."""
    needed = done_units = 0
    for placement in placements:
        if placement.board_id is None and placement.required:
            needed += 1
            done_units += placement.item_id in done
    for board, k in board_targets(placements, choose).items():
        needed += k
        chosen = sum(1 for p in placements if p.board_id == board and p.item_id in done)
        done_units += min(chosen, k)
    return done_units, needed


def pace_status(*, done: int, needed: int, start: dt.date, target: dt.date, today: dt.date) -> Pace:
    """Ahead / on track / behind: the share of needed work done against the share of the planned time
    elapsed (start → target date)."""
    if needed <= 0 or done >= needed:
        return Pace.COMPLETE
    if today >= target:
        return Pace.BEHIND
    span = (target - start).days
    elapsed = 0.0 if span <= 0 or today <= start else (today - start).days / span
    share = done / needed
    if share - elapsed > PACE_TOLERANCE:
        return Pace.AHEAD
    if elapsed - share > PACE_TOLERANCE:
        return Pace.BEHIND
    return Pace.ON_TRACK


def first_unfinished(placements: list[Placement], choose: dict[int, int], done: set[int]) -> int | None:
    """The item to do next in one playlist: the first required item not done, else an item of a choice
    board still short of its k; None when the playlist's needed work is done."""
    for placement in placements:
        if placement.board_id is None and placement.required and placement.item_id not in done:
            return placement.item_id
    targets = board_targets(placements, choose)
    for placement in placements:
        board = placement.board_id
        if board is None or placement.item_id in done:
            continue
        chosen = sum(1 for p in placements if p.board_id == board and p.item_id in done)
        if chosen < targets[board]:
            return placement.item_id
    return None
