"""The student's own work: which playlists are assigned to them (their sections' and their own), each with
progress and pace, one playlist and one item of it, and the items they finished lately."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404

from playlists.models import (
    ChoiceBoard,
    ItemProgress,
    Playlist,
    PlaylistAssignment,
    PlaylistItem,
)
from playlists.pace import (
    NO_PACE,
    PaceReading,
    Placement,
    ReadsPace,
    board_targets,
    first_unfinished,
    playlist_units,
    slowest,
)
from playlists.selectors.progress import assignment_pace, mastery_credit, with_pace_margin
from plp.bulk import in_ids
from schools.access import LEARNING, student_section_ids
from schools.models import Enrollment

# A student learns in the sections where they hold an active student enrolment (``schools.access.LEARNING``):
# their playlists are those sections' assignments and the ones made to them alone (student_assignments,
# students_assignments).


# The student's own work.


@dataclass
class PlaylistRow(ReadsPace):
    playlist: Playlist
    start_date: dt.date
    target_date: dt.date
    placements: list[PlaylistItem]
    boards: list[ChoiceBoard]
    status_of: dict[int, str]  # item id → ItemProgress status
    # The items that count as done: marked done, or on competencies the student has all mastered
    # (engine/policy/pace.py ``done_with_mastery``), and for the latter the codes they were mastered on.
    done: set[int] = field(default_factory=set)
    mastered_codes: dict[int, str] = field(default_factory=dict)
    mastered_on: dict[int, dt.date] = field(default_factory=dict)  # …and the day the last was mastered
    # Pace on this playlist (engine/policy/pace.py): the status, its numbers and its explanation.
    reading: PaceReading = NO_PACE
    next_item_id: int | None = None
    board_rows: list[dict] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return 100 if not self.needed_units else round(100 * self.done_units / self.needed_units)


def student_assignments(*, student) -> QuerySet[PlaylistAssignment]:
    """The student's assignments (their sections' and their own), each with the school's pace tolerance
    (``pace_margin``, the flags' own) read in the same query."""
    return with_pace_margin(
        PlaylistAssignment.objects.filter(
            Q(student=student) | Q(section_id__in=student_section_ids(student=student))
        )
    ).select_related("playlist__subject", "section")


def students_assignments(*, student_ids: list[int]) -> dict[int, list[dict]]:
    """:func:`student_assignments` for a chunk of students at once, as rows (playlist, section, student, start
    and target dates): the engine's snapshot. Two queries, whatever the number of students."""
    sections_of: dict[int, set[int]] = defaultdict(set)
    for student_id, section_id in Enrollment.objects.filter(
        LEARNING, in_ids("user_id", student_ids)
    ).values_list("user_id", "section_id"):
        sections_of[student_id].add(section_id)
    section_ids = {s for sections in sections_of.values() for s in sections}
    rows = PlaylistAssignment.objects.filter(
        Q(section_id__in=section_ids) | in_ids("student_id", student_ids)
    ).values("playlist_id", "section_id", "student_id", "start_date", "target_date")
    by_section: dict[int, list[dict]] = defaultdict(list)
    result: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        if row["section_id"]:
            by_section[row["section_id"]].append(row)
        else:
            result[row["student_id"]].append(row)
    for student_id in student_ids:
        for section_id in sections_of.get(student_id, ()):
            result[student_id].extend(by_section.get(section_id, ()))
    return result


def _playlist_rows(*, student, assignments: list[PlaylistAssignment], today: dt.date) -> list[PlaylistRow]:
    """One row per assigned playlist (earliest target date wins when assigned twice), an item on
    competencies the student has all mastered counting as done: 4 queries."""
    by_playlist: dict[int, PlaylistAssignment] = {}
    for assignment in sorted(assignments, key=lambda a: (a.target_date, a.pk)):
        by_playlist.setdefault(assignment.playlist_id, assignment)
    placements: dict[int, list[PlaylistItem]] = {pk: [] for pk in by_playlist}
    for placement in (
        PlaylistItem.objects.filter(playlist_id__in=list(by_playlist))
        .select_related("item", "choice_board")
        .order_by("playlist_id", "position")
    ):
        placements[placement.playlist_id].append(placement)
    item_ids = {p.item_id for rows in placements.values() for p in rows}
    status_of = dict(
        ItemProgress.objects.filter(student=student, item_id__in=item_ids).values_list("item_id", "status")
    )
    marked = {item for item, status in status_of.items() if status == ItemProgress.Status.DONE}
    credit = mastery_credit(student_ids=[student.pk], item_ids=item_ids)
    done = credit.done(student.pk, marked)
    mastered_codes = {item: credit.mastered_codes(student.pk, item) for item in done - marked}
    mastered_on = {}
    for item in done - marked:
        days = [credit.mastered[student.pk][c] for c in credit.competencies_of[item]]
        if None not in days:
            mastered_on[item] = max(days)
    rows = []
    for playlist_id, assignment in by_playlist.items():
        mine = placements[playlist_id]
        boards = {p.choice_board_id: p.choice_board for p in mine if p.choice_board_id}
        rules = [Placement(p.item_id, p.required, p.choice_board_id) for p in mine]
        choose = {pk: board.choose for pk, board in boards.items()}
        row = PlaylistRow(
            playlist=assignment.playlist,
            start_date=assignment.start_date,
            target_date=assignment.target_date,
            placements=mine,
            boards=list(boards.values()),
            status_of=status_of,
            done=done,
            mastered_codes=mastered_codes,
            mastered_on=mastered_on,
        )
        done_units, needed_units = playlist_units(rules, choose, done)
        row.reading = assignment_pace(assignment, done=done_units, needed=needed_units, today=today)
        row.next_item_id = first_unfinished(rules, choose, done)
        targets = board_targets(rules, choose)
        for pk, board in boards.items():
            members = [p for p in mine if p.choice_board_id == pk]
            row.board_rows.append(
                {
                    "board": board,
                    "choose": targets[pk],
                    "of": len(members),
                    "done": sum(1 for p in members if p.item_id in done),
                }
            )
        rows.append(row)
    rows.sort(key=lambda r: (r.target_date, r.playlist.title))
    return rows


def _section_paces(
    assignments: list[PlaylistAssignment], rows: list[PlaylistRow], *, today: dt.date
) -> list[tuple[str, PaceReading]]:
    """Per section of the student, the section dashboard's pace: each of the section's playlists read
    with the section's own dates, combined by ``slowest`` (no query: the rows hold the units done)."""
    units = {row.playlist.pk: (row.done_units, row.needed_units) for row in rows}
    readings: dict[int, tuple[str, list[PaceReading]]] = {}
    for a in assignments:
        if a.section_id is None or a.playlist_id not in units:
            continue
        done, needed = units[a.playlist_id]
        reading = assignment_pace(a, done=done, needed=needed, today=today, title=a.playlist.title)
        readings.setdefault(a.section_id, (a.section.name, []))[1].append(reading)
    return sorted(((name, slowest(found)) for name, found in readings.values()), key=lambda p: p[0])


def student_playlists(*, student, today: dt.date) -> tuple[list[PlaylistRow], list[tuple[str, PaceReading]]]:
    """The student's assigned playlists with progress and pace (nearest target date first), and their one
    pace in each of their sections as the section's dashboard shows it: 5 queries. "My work" puts the
    engine's ranking on top of them (engine/my_work.py)."""
    assignments = list(student_assignments(student=student))
    rows = _playlist_rows(student=student, assignments=assignments, today=today)
    return rows, _section_paces(assignments, rows, today=today)


def items_done_since(*, student, since: dt.date, playlists: list[PlaylistRow]) -> int:
    """Items the student finished on or after ``since`` (their week, against their own pace target), each
    once: those marked done since then, and the items of their ``playlists`` (``student_playlists``' rows)
    counted done by mastery since then (``done_with_mastery``, on the day the last of their competencies
    was mastered: the day the playlist page shows), so the week counts what the pace counts. One query:
    the mastery credit is the rows' own, carried as data."""
    marked = set(
        ItemProgress.objects.filter(
            student=student, status=ItemProgress.Status.DONE, completed_at__date__gte=since
        ).values_list("item_id", flat=True)
    )
    credited = {item for row in playlists for item, day in row.mastered_on.items() if day >= since}
    return len(marked | credited)


def student_playlist(*, student, playlist_id: int, today: dt.date) -> PlaylistRow:
    """One assigned playlist of the student, with progress; 404 when it is not assigned to them."""
    assignments = list(student_assignments(student=student).filter(playlist_id=playlist_id))
    if not assignments:
        raise Http404("No such playlist.")
    return _playlist_rows(student=student, assignments=assignments, today=today)[0]


def student_item(
    *, student, playlist_id: int, item_id: int
) -> tuple[Playlist, PlaylistItem, ItemProgress | None]:
    """An item of a playlist assigned to the student, with their progress; 404 otherwise."""
    if not student_assignments(student=student).filter(playlist_id=playlist_id).exists():
        raise Http404("No such playlist.")
    placement = (
        PlaylistItem.objects.filter(playlist_id=playlist_id, item_id=item_id)
        .select_related("item", "playlist", "choice_board")
        .first()
    )
    if placement is None:
        raise Http404("No such item.")
    progress = ItemProgress.objects.filter(student=student, item_id=item_id).first()
    return placement.playlist, placement, progress
