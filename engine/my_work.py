"""The student's "My work": their playlists with progress and pace (``playlists.selectors``) under the
engine's ranking of what to do next (precomputed by the workers, read in one query). Assembled here, in the
engine's layer, because it reads both: the playlists app below never reads the engine's results."""

import datetime as dt
from dataclasses import dataclass, field

from engine.selectors import recommendations_for
from playlists.models import PlaylistItem
from playlists.pace import PaceReading
from playlists.selectors import PlaylistRow, student_playlists

FALLBACK_REASON = "Chosen by nearest deadline: the engine has not ranked your work yet."


@dataclass
class MyWork:
    playlists: list[PlaylistRow]
    next_up: tuple[PlaylistRow, PlaylistItem] | None
    next_up_reason: str = FALLBACK_REASON
    suggestions: list = field(default_factory=list)  # the engine's checks and reviews to suggest
    # Those of them the engine ranked ahead of every item (a check a teacher unlocked, the day's review, a
    # check open now): the page shows them before the item, in the engine's order.
    first: list = field(default_factory=list)
    # The student's one pace in each of their sections, as the section's dashboard shows it: (section
    # name, reading of the section's playlist they are slowest on).
    section_paces: list[tuple[str, PaceReading]] = field(default_factory=list)
    # Every item the engine ranked that is still to do, in its order: (row, placement, reason). A student
    # who chooses from the top recommendations picks among the first of these (agency.selectors).
    ranked: list[tuple[PlaylistRow, PlaylistItem, str]] = field(default_factory=list)


def my_work(*, student, today: dt.date) -> MyWork:
    """Everything on the student's "My work" page in a constant number of queries."""
    rows, section_paces = student_playlists(student=student, today=today)
    placed = {(row.playlist.pk, p.item_id): (row, p) for row in rows for p in row.placements}
    work = MyWork(playlists=rows, next_up=None, section_paces=section_paces)
    for recommendation in recommendations_for(student=student):  # precomputed by the engine: 1 query
        if recommendation.kind == "item":
            found = placed.get((recommendation.playlist_id, recommendation.item_id))
            if found and found[1].item_id not in found[0].done:  # marked done, or its competencies mastered
                work.ranked.append((*found, recommendation.reason))
                if work.next_up is None:
                    work.next_up, work.next_up_reason = found, recommendation.reason
        elif recommendation.kind != "item":
            (work.suggestions if work.ranked else work.first).append(recommendation)
    if work.next_up is None:
        for row in rows:  # nearest target date first
            if row.next_item_id is not None:
                placement = next(p for p in row.placements if p.item_id == row.next_item_id)
                work.next_up, work.next_up_reason = (row, placement), FALLBACK_REASON
                break
    return work
