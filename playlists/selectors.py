"""Reads of frameworks, content, playlists and progress, always inside the active school and by role."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from engine.policy.next_item import missing_prerequisites
from engine.policy.snapshot import CompetencyView, ItemView, MasteryLevel
from mastery.models import MasteryState, MasteryStatus
from playlists.models import (
    ChoiceBoard,
    Competency,
    CompetencyPrerequisite,
    ContentItem,
    Framework,
    ItemProgress,
    Playlist,
    PlaylistAssignment,
    PlaylistItem,
)
from playlists.pace import (
    NO_PACE,
    PACE_TOLERANCE,
    PaceReading,
    Placement,
    ReadsPace,
    board_targets,
    first_unfinished,
    playlist_units,
    read_pace,
    slowest,
)
from plp.bulk import in_ids
from schools.access import LEARNING, sections_taught, student_section_ids, students_taught_by
from schools.models import Enrollment
from schools.roles import SCHOOL_WIDE_ROLES, STAFF_ROLES, Role

AUTHOR_ROLES = frozenset({Role.TEACHER, Role.SCHOOL_ADMIN})
IMPORT_ROLES = frozenset({Role.TEACHER, Role.SCHOOL_ADMIN})


# Prefetches always go ``to_attr`` (a plain list): a prefetched *scoped* queryset would be fetched again
# on ``.all()`` (SchoolScopedQuerySet drops a result cache it did not fill itself), one query per row.


def prerequisite_codes(lookup: str = "prerequisites") -> Prefetch:
    return Prefetch(lookup, queryset=Competency.objects.only("pk", "code"), to_attr="prerequisite_list")


def competency_codes(lookup: str = "competencies") -> Prefetch:
    return Prefetch(lookup, queryset=Competency.objects.only("pk", "code"), to_attr="competency_list")


def _get_or_404(queryset: QuerySet, pk, what: str):
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise Http404(f"No such {what}.")
    return row


# Frameworks and content (every adult of the school reads them; students read through playlists).


def framework_list() -> QuerySet[Framework]:
    return (
        Framework.objects.select_related("subject")
        .annotate(competency_count=Count("competencies"))
        .order_by("title", "pk")
    )


def framework_get(*, framework_id: int) -> Framework:
    return _get_or_404(Framework.objects.select_related("subject"), framework_id, "framework")


def framework_competencies(*, framework: Framework) -> list[Competency]:
    """The framework's competencies in order, each with ``depth`` in the tree and its prerequisites."""
    competencies = list(
        Competency.objects.filter(framework=framework)
        .order_by("position", "code")
        .prefetch_related(prerequisite_codes())
    )
    parent_of = {c.pk: c.parent_id for c in competencies}
    for competency in competencies:
        depth, node, seen = 0, competency.parent_id, set()
        while node in parent_of and node not in seen:
            seen.add(node)
            depth, node = depth + 1, parent_of[node]
        competency.depth = min(depth, 6)
    return competencies


def competency_get(*, competency_id: int, framework: Framework | None = None) -> Competency:
    """A competency of the active school (of ``framework`` when given); 404 otherwise."""
    competencies = Competency.objects.select_related("framework")
    if framework is not None:
        competencies = competencies.filter(framework=framework)
    return _get_or_404(competencies, competency_id, "competency")


def competency_prerequisites(*, competency: Competency) -> tuple[list, list]:
    """(what ``competency`` requires, what requires it), each with its framework: two queries."""
    requires = (
        CompetencyPrerequisite.objects.filter(competency=competency)
        .select_related("prerequisite__framework")
        .order_by("prerequisite__framework__title", "prerequisite__position", "prerequisite__code")
    )
    required_by = (
        CompetencyPrerequisite.objects.filter(prerequisite=competency)
        .select_related("competency__framework")
        .order_by("competency__framework__title", "competency__position", "competency__code")
    )
    return [edge.prerequisite for edge in requires], [edge.competency for edge in required_by]


def prerequisite_edge_get(*, competency: Competency, prerequisite_id: int) -> CompetencyPrerequisite:
    """The edge "``competency`` requires competency ``prerequisite_id``"; 404 if there is none."""
    edge = (
        CompetencyPrerequisite.objects.filter(competency=competency, prerequisite_id=prerequisite_id)
        .select_related("prerequisite")
        .first()
    )
    if edge is None:
        raise Http404("No such prerequisite.")
    return edge


PREREQUISITE_CHOICES = 500


def prerequisite_choices(
    *, competency: Competency, exclude_ids, search: str = ""
) -> tuple[list[Competency], bool]:
    """Competencies of any framework of the school that ``competency`` could require (not itself, not one
    it already requires), by framework, matching ``search`` on code or title; at most
    PREREQUISITE_CHOICES, and whether there were more. One query."""
    choices = (
        Competency.objects.exclude(pk__in=[competency.pk, *exclude_ids])
        .select_related("framework")
        .only("pk", "code", "title", "framework__title")
        .order_by("framework__title", "framework_id", "position", "code")
    )
    if search:
        choices = choices.filter(Q(code__icontains=search) | Q(title__icontains=search))
    rows = list(choices[: PREREQUISITE_CHOICES + 1])
    return rows[:PREREQUISITE_CHOICES], len(rows) > PREREQUISITE_CHOICES


def competency_list(*, search: str = "") -> QuerySet[Competency]:
    competencies = Competency.objects.select_related("framework")
    if search:
        competencies = competencies.filter(Q(code__icontains=search) | Q(title__icontains=search))
    return competencies.order_by("framework__title", "position", "code")


def content_item_list(*, search: str = "") -> QuerySet[ContentItem]:
    items = ContentItem.objects.prefetch_related(competency_codes())
    if search:
        items = items.filter(title__icontains=search)
    return items.order_by("title", "pk")


def content_item_get(*, item_id: int) -> ContentItem:
    return _get_or_404(ContentItem.objects.all(), item_id, "content item")


def item_competencies(*, item: ContentItem) -> list[Competency]:
    """The competencies an item is aligned to, in code order (an exercise practises each of them)."""
    return list(Competency.objects.filter(content_items=item).only("pk", "code", "title").order_by("code"))


# Playlists for adults.


def playlist_list(*, search: str = "") -> QuerySet[Playlist]:
    playlists = Playlist.objects.select_related("subject").annotate(item_count=Count("playlist_items"))
    if search:
        playlists = playlists.filter(Q(title__icontains=search) | Q(focus_area__icontains=search))
    return playlists.order_by("title", "pk")


def playlist_get(*, playlist_id: int) -> Playlist:
    return _get_or_404(Playlist.objects.select_related("subject"), playlist_id, "playlist")


def playlist_placements(*, playlist: Playlist) -> list[PlaylistItem]:
    return list(
        PlaylistItem.objects.filter(playlist=playlist)
        .select_related("item", "choice_board")
        .prefetch_related(competency_codes("item__competencies"))
        .order_by("position")
    )


def playlist_boards(*, playlist: Playlist) -> list[ChoiceBoard]:
    """The playlist's choice boards, each with ``item_count`` and ``required_count`` (items marked
    required, which become required items if the board is deleted). One query."""
    return list(
        ChoiceBoard.objects.filter(playlist=playlist)
        .annotate(
            item_count=Count("placements"),
            required_count=Count("placements", filter=Q(placements__required=True)),
        )
        .order_by("pk")
    )


def board_get(*, playlist: Playlist, board_id: int) -> ChoiceBoard:
    return _get_or_404(
        ChoiceBoard.objects.filter(playlist=playlist).select_related("playlist"), board_id, "choice board"
    )


def placement_get(*, playlist: Playlist, placement_id: int) -> PlaylistItem:
    return _get_or_404(PlaylistItem.objects.filter(playlist=playlist), placement_id, "playlist item")


def playlist_assignments(*, playlist: Playlist) -> list[PlaylistAssignment]:
    return list(PlaylistAssignment.objects.filter(playlist=playlist).select_related("section", "student"))


def section_playlists(*, user) -> QuerySet[PlaylistAssignment]:
    """Assignments of playlists to the sections ``user`` teaches, nearest target date first."""
    return (
        PlaylistAssignment.objects.filter(section__in=sections_taught(user=user))
        .select_related("playlist", "section")
        .order_by("target_date", "playlist__title", "pk")
    )


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


def with_pace_margin(assignments: QuerySet[PlaylistAssignment]) -> QuerySet[PlaylistAssignment]:
    """Assignments with their school's pace tolerance (``pace_margin``: the flags' own, or ``None`` for the
    default), read in the same query."""
    from engine.models import SchoolThresholds

    margin = SchoolThresholds.objects.filter(school_id=OuterRef("school_id")).values("pace_margin")[:1]
    return assignments.annotate(pace_margin=Subquery(margin))


def assignment_pace(
    assignment: PlaylistAssignment, *, done: int, needed: int, today: dt.date, title: str = ""
):
    """The one pace rule (engine/policy/pace.py) read for one assignment, with its school's tolerance."""
    margin = getattr(assignment, "pace_margin", None)
    return read_pace(
        done=done, needed=needed, start=assignment.start_date, target=assignment.target_date, today=today,
        tolerance=PACE_TOLERANCE if margin is None else margin, title=title,
    )  # fmt: skip


def _playlist_rows(*, student, assignments: list[PlaylistAssignment], today: dt.date) -> list[PlaylistRow]:
    """One row per assigned playlist (earliest target date wins when assigned twice): 3 queries."""
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
    done = {item for item, status in status_of.items() if status == ItemProgress.Status.DONE}
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
    pace in each of their sections as the section's dashboard shows it: 4 queries. "My work" puts the
    engine's ranking on top of them (engine/my_work.py)."""
    assignments = list(student_assignments(student=student))
    rows = _playlist_rows(student=student, assignments=assignments, today=today)
    return rows, _section_paces(assignments, rows, today=today)


def items_done_since(*, student, since: dt.date) -> int:
    """Items the student finished on or after ``since`` (their week, against their own pace target)."""
    return ItemProgress.objects.filter(
        student=student, status=ItemProgress.Status.DONE, completed_at__date__gte=since
    ).count()


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


def unmet_prerequisites(*, student, item_ids) -> dict[int, list[str]]:
    """Why an item is locked: for each locked item, the codes that unlock it (items not locked are left
    out). The rule is the engine's (:func:`engine.policy.next_item.missing_prerequisites`), fed from the
    same mastery states, so a page never shows a lock the engine does not apply, or misses one. Three
    queries whatever the number of items."""
    item_ids = list(item_ids)
    if not item_ids:
        return {}
    competencies_of: dict[int, list[int]] = {}
    for item_id, competency_id in ContentItem.competencies.through.objects.filter(
        contentitem_id__in=item_ids
    ).values_list("contentitem_id", "competency_id"):
        competencies_of.setdefault(item_id, []).append(competency_id)
    aligned = {c for cs in competencies_of.values() for c in cs}
    prerequisites: dict[int, set[int]] = {}
    codes: dict[int, str] = {}
    for competency_id, prerequisite_id, code in CompetencyPrerequisite.objects.filter(
        competency_id__in=aligned
    ).values_list("competency_id", "prerequisite_id", "prerequisite__code"):
        prerequisites.setdefault(competency_id, set()).add(prerequisite_id)
        codes[prerequisite_id] = code
    if not prerequisites:
        return {}
    mastered = set(
        MasteryState.objects.filter(
            student=student, status=MasteryStatus.MASTERED, competency_id__in=aligned | set(codes)
        ).values_list("competency_id", flat=True)
    )
    views = {
        competency_id: CompetencyView(
            competency_id=competency_id,
            code=codes.get(competency_id, f"#{competency_id}"),
            level=MasteryLevel.MASTERED if competency_id in mastered else MasteryLevel.NOT_STARTED,
            prerequisite_ids=frozenset(prerequisites.get(competency_id, ())),
        )
        for competency_id in aligned | set(codes)
    }
    unmet = {}
    for item_id, competency_ids in competencies_of.items():
        item = ItemView(item_id=item_id, position=0, competency_ids=tuple(sorted(competency_ids)))
        if missing := missing_prerequisites(item, views):
            unmet[item_id] = list(missing)
    return unmet


# Who the engine must look at again after an authoring change.


def _assigned_students(assignments: QuerySet[PlaylistAssignment]) -> list[QuerySet]:
    """Student ids of ``assignments``: active students of the sections, and students assigned one by one."""
    return [
        Enrollment.objects.filter(
            LEARNING, section_id__in=assignments.filter(section__isnull=False).values("section_id")
        )
        .order_by()
        .values_list("user_id", flat=True),
        assignments.filter(student__isnull=False).order_by().values_list("student_id", flat=True),
    ]


def playlist_student_ids(*, playlist: Playlist) -> set[int]:
    """Students ``playlist`` is assigned to, through a section or one by one. One query."""
    by_section, one_by_one = _assigned_students(PlaylistAssignment.objects.filter(playlist=playlist))
    return set(by_section.union(one_by_one))


def students_working_on(*, competency_ids) -> set[int]:
    """Students whose locked items may change with these competencies' prerequisites: a mastery state on
    one of them, or an item aligned to one in a playlist assigned to them. One query, whatever the sizes."""
    competency_ids = list(competency_ids)
    playlists = PlaylistItem.objects.filter(item__competencies__in=competency_ids).values("playlist_id")
    by_section, one_by_one = _assigned_students(PlaylistAssignment.objects.filter(playlist_id__in=playlists))
    mastery = (
        MasteryState.objects.filter(competency_id__in=competency_ids)
        .order_by()
        .values_list("student_id", flat=True)
    )
    return set(mastery.union(by_section, one_by_one))


# Progress for adults.


def progress_visible_to(*, user, roles: frozenset[str]) -> QuerySet[ItemProgress]:
    """Students see their own rows; teachers the rows of students in sections they teach; school-wide
    roles every row of the school; mentors none here."""
    progress = ItemProgress.objects.select_related("item", "student")
    if not roles.isdisjoint(SCHOOL_WIDE_ROLES):
        return progress
    visible = Q(student=user)
    if Role.TEACHER in roles:
        visible |= Q(student__in=students_taught_by(user=user))
    return progress.filter(visible)


def is_staff_member(roles: frozenset[str]) -> bool:
    return not roles.isdisjoint(STAFF_ROLES)


@dataclass
class StudentProgressRow(ReadsPace):
    student: object
    section_name: str
    reading: PaceReading


def playlist_class_progress(*, playlist: Playlist, user, roles: frozenset[str], today: dt.date) -> list:
    """Progress on ``playlist`` of the students the caller may see (teachers: students of the sections
    they teach that hold the assignment; school-wide roles: every assigned section): 4 queries."""
    assignments = with_pace_margin(
        PlaylistAssignment.objects.filter(playlist=playlist, section__isnull=False)
    )
    if roles.isdisjoint(SCHOOL_WIDE_ROLES):
        assignments = assignments.filter(section__in=sections_taught(user=user))
    assignment_of = {a.section_id: a for a in assignments.select_related("section")}
    if not assignment_of:
        return []
    enrollments = (
        Enrollment.objects.filter(
            section_id__in=list(assignment_of), role=Enrollment.SectionRole.STUDENT, is_active=True
        )
        .select_related("user")
        .order_by("user__family_name", "user__given_name", "user_id")
    )
    placements = list(PlaylistItem.objects.filter(playlist=playlist).select_related("choice_board"))
    rules = [Placement(p.item_id, p.required, p.choice_board_id) for p in placements]
    choose = {p.choice_board_id: p.choice_board.choose for p in placements if p.choice_board_id}
    done_by_student: dict[int, set[int]] = {}
    for student_id, item_id in ItemProgress.objects.filter(
        item_id__in=[p.item_id for p in placements],
        status=ItemProgress.Status.DONE,
        student_id__in=[e.user_id for e in enrollments],
    ).values_list("student_id", "item_id"):
        done_by_student.setdefault(student_id, set()).add(item_id)
    rows, seen = [], set()
    for enrollment in enrollments:
        if enrollment.user_id in seen:
            continue
        seen.add(enrollment.user_id)
        assignment = assignment_of[enrollment.section_id]
        done, needed = playlist_units(rules, choose, done_by_student.get(enrollment.user_id, set()))
        reading = assignment_pace(assignment, done=done, needed=needed, today=today)
        rows.append(StudentProgressRow(enrollment.user, assignment.section.name, reading))
    return rows
