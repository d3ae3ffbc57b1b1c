"""Pure rules of progress through playlists (no Django): completion units, pace status, "Next up"."""

from dataclasses import dataclass

# The pace rule itself lives with the engine's pure policy, so My work, the dashboards and the flags agree.
from engine.policy.pace import (  # noqa: F401
    NO_PACE,
    PACE_ORDER,
    PACE_TOLERANCE,
    Pace,
    PaceReading,
    done_with_mastery,
    pace_status,
    read_pace,
    slowest,
    work_units,
)


class ReadsPace:
    """For rows that hold a ``reading`` (:class:`PaceReading`): its status and numbers, read under the names
    the templates use, written once."""

    reading: PaceReading

    @property
    def pace(self) -> Pace:
        return self.reading.pace

    @property
    def done_units(self) -> int:
        return self.reading.done

    @property
    def needed_units(self) -> int:
        return self.reading.needed


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
    """(done, needed) of a playlist's placements: the engine's one rule (``work_units``)."""
    return work_units(
        (p.required, p.board_id, choose.get(p.board_id, 1), p.item_id in done) for p in placements
    )


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
