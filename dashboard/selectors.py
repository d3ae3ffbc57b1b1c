"""Reads of the dashboards: a section's grid (students × competencies, pace, flags) in a constant number
of queries, whatever the size of the class. Pages read only precomputed state (mastery states, flags)."""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db.models import F
from django.http import Http404

from dashboard.grouping import CellView, Group, small_groups
from engine.models import Flag
from engine.policy.flag_lifecycle import LIVE
from mastery.models import MasteryState, MasteryStatus
from playlists.models import Competency, ItemProgress, PlaylistAssignment, PlaylistItem
from playlists.pace import Pace, Placement, pace_status, playlist_units
from schools.models import Enrollment, Section
from schools.roles import SCHOOL_WIDE_ROLES, Role

# Worst first: a student's pace is the worst of their playlists' paces.
PACE_ORDER = {Pace.BEHIND: 0, Pace.ON_TRACK: 1, Pace.AHEAD: 2, Pace.COMPLETE: 3}
STATUS_ORDER = {
    MasteryStatus.NOT_STARTED: 0,
    MasteryStatus.PRACTICING: 1,
    MasteryStatus.READY: 2,
    MasteryStatus.MASTERED: 3,
}


def dashboard_sections(*, user, roles: frozenset[str]):
    """Sections whose dashboard the user may open: every section for school and district admins, the
    sections they teach for teachers, none for anyone else (students attend sections, they do not see
    their classmates)."""
    sections = Section.objects.select_related("term").order_by("name", "pk")
    if not roles.isdisjoint(SCHOOL_WIDE_ROLES):
        return sections
    if Role.TEACHER not in roles:
        return sections.none()
    taught = Enrollment.objects.filter(user=user, role=Enrollment.SectionRole.TEACHER, is_active=True)
    return sections.filter(pk__in=taught.values("section_id"))


def dashboard_section_get(*, user, roles: frozenset[str], section_id: int) -> Section:
    """One section the user may see the dashboard of, or 404 (another teacher's, another school's)."""
    section = dashboard_sections(user=user, roles=roles).filter(pk=section_id).first()
    if section is None:
        raise Http404("No such section.")
    return section


@dataclass
class StudentRow:
    student: object
    done_units: int = 0
    needed_units: int = 0
    pace: Pace = Pace.COMPLETE
    last_active: dt.datetime | None = None
    cells: list = field(default_factory=list)  # one (status, p_mastered) per competency column
    flags: list = field(default_factory=list)
    mastered: int = 0

    @property
    def percent(self) -> int:
        return 100 if not self.needed_units else round(100 * self.done_units / self.needed_units)


@dataclass
class SectionDashboard:
    section: Section
    competencies: list[Competency]
    rows: list[StudentRow]
    ready: list[tuple[object, Competency, float]]
    groups: list[Group]
    items: dict[int, object]
    mastered_days: list[dt.date]
    digest: str = ""

    @property
    def student_count(self) -> int:
        return len(self.rows)

    @property
    def flags(self) -> list:
        return sorted((f for row in self.rows for f in row.flags), key=lambda f: (f.raised_at, f.pk))


def section_dashboard(*, section: Section, today: dt.date) -> SectionDashboard:
    """The section's students × the competencies of its assigned playlists, each student's pace against
    the plans (playlists/pace.py), last activity and live flags: 7 queries for any class size."""
    enrollments = (
        Enrollment.objects.filter(section=section, role=Enrollment.SectionRole.STUDENT, is_active=True)
        .select_related("user")
        .order_by("user__family_name", "user__given_name", "user_id")
    )
    rows: dict[int, StudentRow] = {}
    for enrollment in enrollments:
        rows.setdefault(enrollment.user_id, StudentRow(student=enrollment.user))
    assignments = list(PlaylistAssignment.objects.filter(section=section).order_by("target_date", "pk"))
    placements: dict[int, list[PlaylistItem]] = {a.playlist_id: [] for a in assignments}
    items: dict[int, object] = {}
    for placement in (
        PlaylistItem.objects.filter(playlist_id__in=list(placements))
        .select_related("item", "choice_board")
        .order_by("playlist_id", "position", "pk")
    ):
        placements[placement.playlist_id].append(placement)
        items.setdefault(placement.item_id, placement.item)
    # Competency columns in playlist order (earliest target first), then item position.
    item_order = [p.item_id for a in assignments for p in placements[a.playlist_id]]
    item_rank = {item_id: i for i, item_id in reversed(list(enumerate(item_order)))}
    competencies: dict[int, Competency] = {}
    items_by_competency: dict[int, list[int]] = {}
    for competency in Competency.objects.filter(content_items__in=list(items)).annotate(
        item_id=F("content_items__id")
    ):
        competencies.setdefault(competency.pk, competency)
        items_by_competency.setdefault(competency.pk, []).append(competency.item_id)
    for item_ids in items_by_competency.values():
        item_ids.sort(key=lambda i: item_rank.get(i, 0))
    columns = sorted(
        competencies.values(), key=lambda c: (item_rank.get(items_by_competency[c.pk][0], 0), c.code, c.pk)
    )
    student_ids = list(rows)
    done_by_student: dict[int, set[int]] = {pk: set() for pk in student_ids}
    for student_id, item_id, status, updated_at in ItemProgress.objects.filter(
        student_id__in=student_ids
    ).values_list("student_id", "item_id", "status", "updated_at"):
        row = rows[student_id]
        if row.last_active is None or updated_at > row.last_active:
            row.last_active = updated_at
        if status == ItemProgress.Status.DONE:
            done_by_student[student_id].add(item_id)
    state_of: dict[tuple[int, int], tuple[str, float]] = {}
    mastered_days: list[dt.date] = []
    for student_id, competency_id, status, p, updated_at, mastered_at in MasteryState.objects.filter(
        student_id__in=student_ids, competency_id__in=list(competencies)
    ).values_list("student_id", "competency_id", "status", "p_mastered", "updated_at", "mastered_at"):
        state_of[(student_id, competency_id)] = (status, p)
        row = rows[student_id]
        if status != MasteryStatus.NOT_STARTED and (row.last_active is None or updated_at > row.last_active):
            row.last_active = updated_at
        if status == MasteryStatus.MASTERED and mastered_at is not None:
            mastered_days.append(mastered_at.date())
    flagged: set[tuple[int, int]] = set()
    for flag in Flag.objects.filter(student_id__in=student_ids, status__in=list(LIVE)).order_by(
        "raised_at", "pk"
    ):
        rows[flag.student_id].flags.append(flag)
        if flag.subject.startswith("competency:") and flag.subject[11:].isdigit():
            flagged.add((flag.student_id, int(flag.subject[11:])))

    rules = {
        pid: (
            [Placement(p.item_id, p.required, p.choice_board_id) for p in mine],
            {p.choice_board_id: p.choice_board.choose for p in mine if p.choice_board_id},
        )
        for pid, mine in placements.items()
    }
    ready: list[tuple[object, Competency, float]] = []
    cells: list[CellView] = []
    for student_id, row in rows.items():
        done = done_by_student[student_id]
        for assignment in assignments:
            placement_rules, choose = rules[assignment.playlist_id]
            done_units, needed = playlist_units(placement_rules, choose, done)
            row.done_units += done_units
            row.needed_units += needed
            pace = pace_status(
                done=done_units,
                needed=needed,
                start=assignment.start_date,
                target=assignment.target_date,
                today=today,
            )
            if PACE_ORDER[pace] < PACE_ORDER[row.pace]:
                row.pace = pace
        for competency in columns:
            status, p = state_of.get((student_id, competency.pk), (MasteryStatus.NOT_STARTED, None))
            row.cells.append((status, p))
            row.mastered += status == MasteryStatus.MASTERED
            if status == MasteryStatus.READY:
                ready.append((row.student, competency, p))
            cells.append(CellView(student_id, competency.pk, status, p if p is not None else 0.0))
    groups = small_groups(
        cells, flagged=flagged, items_by_competency=items_by_competency, done_by_student=done_by_student
    )
    dashboard = SectionDashboard(
        section=section,
        competencies=columns,
        rows=list(rows.values()),
        ready=ready,
        groups=groups,
        items=items,
        mastered_days=sorted(mastered_days),
    )
    dashboard.digest = dashboard_digest(dashboard)
    return dashboard


def dashboard_digest(dashboard: SectionDashboard) -> str:
    """A short hash of everything the grid shows: the polling client sends it back, and an unchanged grid
    answers 204 with no body."""
    h = hashlib.blake2b(digest_size=12)
    h.update(",".join(str(c.pk) for c in dashboard.competencies).encode())
    for row in dashboard.rows:
        h.update(
            f"|{row.student.pk}:{row.done_units}/{row.needed_units}:{row.pace}:{row.last_active}".encode()
        )
        h.update(";".join(f"{s}{'' if p is None else round(p, 3)}" for s, p in row.cells).encode())
        h.update(";".join(f"{f.pk}{f.status}{f.updated_at}" for f in row.flags).encode())
    return h.hexdigest()


def dashboard_rows(
    dashboard: SectionDashboard,
    *,
    sort: str | None = None,
    pace: str | None = None,
    flagged: bool | None = None,
    competency: int | None = None,
    name: str | None = None,
) -> list[StudentRow]:
    """The grid's rows, filtered and sorted as asked (values already validated by GridFilterForm)."""
    rows = dashboard.rows
    column = next((i for i, c in enumerate(dashboard.competencies) if c.pk == competency), None)
    if pace:
        rows = [r for r in rows if r.pace == pace]
    if flagged:
        rows = [r for r in rows if r.flags]
    if name:
        needle = name.casefold()
        rows = [r for r in rows if needle in str(r.student).casefold() or needle in r.student.email]
    if column is not None:
        rows = [r for r in rows if r.cells[column][0] != MasteryStatus.MASTERED]
    if sort == "pace":
        rows = sorted(rows, key=lambda r: PACE_ORDER[r.pace])
    elif sort == "flags":
        rows = sorted(rows, key=lambda r: -len(r.flags))
    elif sort == "progress":
        rows = sorted(rows, key=lambda r: (r.percent, r.mastered))
    elif sort == "competency" and column is not None:
        rows = sorted(rows, key=lambda r: (STATUS_ORDER.get(r.cells[column][0], 0), r.cells[column][1] or 0))
    return list(rows)


@dataclass(frozen=True)
class GroupView:
    competency: Competency
    students: list
    items: list
    flagged: list


def group_views(dashboard: SectionDashboard) -> list[GroupView]:
    """The small-group suggestions with their objects (already loaded: no query)."""
    competencies = {c.pk: c for c in dashboard.competencies}
    students = {row.student.pk: row.student for row in dashboard.rows}
    return [
        GroupView(
            competency=competencies[g.competency_id],
            students=[students[s] for s in g.student_ids],
            items=[dashboard.items[i] for i in g.item_ids if i in dashboard.items],
            flagged=[students[s] for s in g.flagged_ids],
        )
        for g in dashboard.groups
    ]
