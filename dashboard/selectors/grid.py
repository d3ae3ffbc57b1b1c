"""A section's grid (students × competencies, pace, flags): built from the bulk reads (``reads``) in a
constant number of queries, whatever the size of the class, as a frame and one part per student so a
cached dashboard rebuilds only the stale rows (dashboard/row_cache.py). Pages read only precomputed state
(mastery states, flags)."""

import datetime as dt
from dataclasses import dataclass, field

from dashboard.grouping import CellView, Group, small_groups
from dashboard.selectors.access import dashboard_section_get, dashboard_sections, object_id
from dashboard.selectors.reads import (
    Enrolled,
    ItemView,
    SectionPlan,
    section_plans,
    student_enrollments,
    student_rows,
)
from mastery.models import MasteryStatus
from playlists.models import Competency
from playlists.pace import (
    NO_PACE,
    PACE_TOLERANCE,
    PaceReading,
    Placement,
    ReadsPace,
    done_with_mastery,
    playlist_units,
    read_pace,
    slowest,
)
from schools.models import SchoolSettings, Section

NOT_STARTED_CELL = (MasteryStatus.NOT_STARTED, None)


@dataclass
class StudentRow(ReadsPace):
    student: object
    # The student's one pace in this section: the reading of the section's playlist they are slowest on
    # (engine/policy/pace.py), with the numbers it was judged on and its explanation.
    reading: PaceReading = NO_PACE
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
    pace_margin: float = PACE_TOLERANCE  # the school's pace tolerance, which the pace definition names

    @property
    def student_count(self) -> int:
        return len(self.rows)

    @property
    def flags(self) -> list:
        return sorted((f for row in self.rows for f in row.flags), key=lambda f: (f.raised_at, f.pk))


def section_dashboard_get(
    *, user, roles: frozenset[str], section_id: int, today: dt.date
) -> SectionDashboard:
    """The dashboard of a section the user may see, or 404: the section is read with its students (one
    query), so the whole grid costs 5 queries."""
    section_id = object_id(section_id)
    enrollments, sections = student_enrollments(
        [section_id], visible_sections=dashboard_sections(user=user, roles=roles)
    )
    section = sections.get(section_id)
    if section is None:  # an empty section (or none the user may see): one more query, no rows to read
        section = dashboard_section_get(user=user, roles=roles, section_id=section_id)
    return _build(section=section, enrollments=enrollments, today=today)


def section_dashboard(*, section: Section, today: dt.date) -> SectionDashboard:
    """The dashboard of a section already authorized: 5 queries."""
    return sections_dashboards(sections=[section], today=today)[section.pk]


def sections_dashboards(
    *, sections: list[Section], today: dt.date, school_ids: list[int] | None = None
) -> dict[int, SectionDashboard]:
    """The dashboards of sections already authorized (the school overview), by section id: 5 queries
    whatever the number of sections. With ``school_ids`` (the district overview: the caller's district's
    schools, already authorized), the sections may belong to any of those schools, still in 5 queries."""
    enrollments, _ = student_enrollments([s.pk for s in sections], school_ids=school_ids)
    return _build_many(sections=sections, enrollments=enrollments, today=today, school_ids=school_ids)


def _build(*, section: Section, enrollments: list[Enrolled], today: dt.date) -> SectionDashboard:
    return _build_many(sections=[section], enrollments=enrollments, today=today)[section.pk]


@dataclass
class SectionFrame:
    """What every row of a section's dashboard is built against: the section, its plans and columns, the
    items the plans place and the school's pace tolerance. Changes only with the school's version
    (dashboard/versions.py)."""

    section: Section
    plan: SectionPlan
    items: dict[int, ItemView]
    pace_margin: float

    @property
    def columns(self) -> list[Competency]:
        return list(self.plan.competencies.values())


@dataclass
class RowPart:
    """One student's share of a section dashboard: their grid row and what the section-wide lists (ready
    for a check, small groups, the mastery chart) take from them. Built from that student's rows alone,
    so one learning event rebuilds one part (dashboard/row_cache.py)."""

    row: StudentRow
    ready: list[tuple[object, Competency, float]]
    cells: list[CellView]  # what grouping needs: practicing or flagged cells
    flagged: set[tuple[int, int]]
    done: set[int]  # the section's items the student has done
    mastered_days: list[dt.date]


def _build_many(
    *,
    sections: list[Section],
    enrollments: list[Enrolled],
    today: dt.date,
    school_ids: list[int] | None = None,
) -> dict[int, SectionDashboard]:
    """The dashboards of several sections from the same four bulk queries (plans, progress, mastery
    states, flags), whatever the number of sections and students: the school overview reads every
    section this way. Enrollments are the sections' active student enrollments (one query before)."""
    frames, parts = _frames_and_parts(
        sections=sections, enrollments=enrollments, today=today, school_ids=school_ids
    )
    return {
        section.pk: section_dashboard_of(frame=frames[section.pk], parts=list(parts[section.pk].values()))
        for section in sections
    }


def _frames_and_parts(
    *, sections: list[Section], enrollments: list[Enrolled], today: dt.date, school_ids=None
) -> tuple[dict[int, SectionFrame], dict[int, dict[int, RowPart]]]:
    """Each section's frame and the row parts of the given enrollments (in their order), in four queries."""
    by_section: dict[int, list[Enrolled]] = {section.pk: [] for section in sections}
    for enrollment in enrollments:
        by_section[enrollment.section_id].append(enrollment)
    students = {e.user_id: e.user for e in enrollments}
    plans, items = section_plans(sections, school_ids)
    all_competencies = sorted({c for plan in plans.values() for c in plan.competencies})
    done_by_student, states_of, flags_of, live = student_rows(list(students), all_competencies, school_ids)
    for flag in live.order_by("raised_at", "pk"):
        flag.student = students[flag.student_id]  # already loaded: no join, no query
        flags_of.setdefault((flag.school_id, flag.student_id), []).append(flag)
    frames, parts = {}, {}
    for section in sections:
        mine = by_section[section.pk]
        margin = mine[0].pace_margin if mine else PACE_TOLERANCE
        frame = frames[section.pk] = SectionFrame(section, plans[section.pk], items, margin)
        parts[section.pk] = _row_parts(
            frame=frame,
            enrollments=mine,
            done_by_student=done_by_student,
            states_of=states_of,
            flags_of=flags_of,
            today=today,
        )
    return frames, parts


def section_frame_get(*, section: Section) -> SectionFrame:
    """A section's frame alone (its rows all cached): two queries, the plans and the pace tolerance."""
    plans, items = section_plans([section], None)
    margin = SchoolSettings.objects.values_list("pace_margin", flat=True).first()
    return SectionFrame(section, plans[section.pk], items, PACE_TOLERANCE if margin is None else margin)


def section_row_parts(*, frame: SectionFrame, student_ids: list[int], today: dt.date) -> dict[int, RowPart]:
    """The row parts of some of a section's students (those whose cached rows are stale), in four queries
    whatever their number: their enrollments with last activity, progress, states and flags."""
    section = frame.section
    enrollments, _ = student_enrollments([section.pk], student_ids=student_ids)
    students = {e.user_id: e.user for e in enrollments}
    done_by_student, states_of, flags_of, live = student_rows(
        list(students), list(frame.plan.competencies), None
    )
    for flag in live.order_by("raised_at", "pk"):
        flag.student = students[flag.student_id]
        flags_of.setdefault((flag.school_id, flag.student_id), []).append(flag)
    return _row_parts(
        frame=frame,
        enrollments=enrollments,
        done_by_student=done_by_student,
        states_of=states_of,
        flags_of=flags_of,
        today=today,
    )


def flag_is_about_section(subject: str, *, section_id: int, playlist_ids, competency_ids) -> bool:
    """Whether a section's dashboard lists a flag with this subject: a flag about the student as a whole
    (inactive, a missed check-in, goals) shows on each of their sections; one about a section, a playlist
    or a competency only where that section, one of its playlists or one of its competencies is."""
    kind, _, ref = subject.partition(":")
    if not ref.isdigit():
        return True
    about = {"section": (section_id,), "playlist": playlist_ids, "competency": competency_ids}.get(kind)
    return about is None or int(ref) in about


def _placement_rules(plan: SectionPlan) -> dict[int, tuple[list[Placement], dict[int, int]]]:
    """Each assigned playlist's placements as playlists/pace.py counts them, with its boards' k."""
    return {
        pid: (
            [Placement(p.item_id, p.required, p.choice_board_id) for p in mine],
            {p.choice_board_id: p.choose for p in mine if p.choice_board_id},
        )
        for pid, mine in plan.placements.items()
    }


def _flags_about(frame: SectionFrame, flags) -> list:
    """The student's live flags this section's dashboard lists (``flag_is_about_section``)."""
    plan = frame.plan
    return [
        flag
        for flag in flags
        if flag_is_about_section(
            flag.subject,
            section_id=frame.section.pk,
            playlist_ids=plan.assignments.keys(),
            competency_ids=plan.competencies.keys(),
        )
    ]


def _pace_of(frame: SectionFrame, rules, done: set[int], today: dt.date) -> PaceReading:
    """A student's one pace in the section: their slowest reading over its assigned playlists."""
    readings = []
    for assignment in frame.plan.assignments.values():
        placement_rules, choose = rules[assignment.playlist_id]
        done_units, needed = playlist_units(placement_rules, choose, done)
        readings.append(
            read_pace(
                done=done_units,
                needed=needed,
                start=assignment.start_date,
                target=assignment.target_date,
                today=today,
                tolerance=frame.pace_margin,
                title=assignment.title,
            )
        )
    return slowest(readings)


def _row_parts(
    *, frame: SectionFrame, enrollments, done_by_student, states_of, flags_of, today
) -> dict[int, RowPart]:
    """Each enrolled student's row part from the loaded rows: their cells on the section's competencies,
    pace against the plans (playlists/pace.py), last activity and live flags about this section."""
    section, plan = frame.section, frame.plan
    column_ids = list(plan.competencies)
    competency_by_id = plan.competencies
    rules = _placement_rules(plan)
    section_items = {p.item_id for mine in plan.placements.values() for p in mine}
    competencies_of: dict[int, list[int]] = {}
    for competency_id, item_ids in plan.items_by_competency.items():
        for item_id in item_ids:
            competencies_of.setdefault(item_id, []).append(competency_id)
    parts: dict[int, RowPart] = {}
    for enrollment in enrollments:
        student_id = enrollment.user_id
        if student_id in parts:
            continue
        seen_at = [t for t in (enrollment.last_progress, enrollment.last_state) if t is not None]
        row = StudentRow(student=enrollment.user, last_active=max(seen_at, default=None))
        mine: dict[int, tuple[str, float]] = {}
        mastered_days: list[dt.date] = []
        for competency_id, (status, p, day) in states_of[student_id].items():
            if competency_id in competency_by_id:
                mine[competency_id] = (status, p)
                if day is not None:
                    mastered_days.append(day)
        row.flags = _flags_about(frame, flags_of.get((section.school_id, student_id), ()))
        flagged = {
            (student_id, int(flag.subject[11:]))
            for flag in row.flags
            if flag.subject.startswith("competency:") and flag.subject[11:].isdigit()
        }
        # Items marked done, and those on competencies the student has all mastered (the engine's rule).
        mastered = {c for c, (status, _) in mine.items() if status == MasteryStatus.MASTERED}
        done = done_with_mastery(done_by_student[student_id], competencies_of, mastered)
        row.reading = _pace_of(frame, rules, done, today)
        row.cells = [mine.get(cid, NOT_STARTED_CELL) for cid in column_ids]
        ready: list[tuple[object, Competency, float]] = []
        cells: list[CellView] = []
        for competency_id, (status, p) in mine.items():
            if status == MasteryStatus.MASTERED:
                row.mastered += 1
            elif status == MasteryStatus.READY:
                ready.append((row.student, competency_by_id[competency_id], p))
            if status == MasteryStatus.PRACTICING or (student_id, competency_id) in flagged:
                cells.append(CellView(student_id, competency_id, status, p))
        for _, competency_id in flagged:
            if competency_id in competency_by_id and competency_id not in mine:
                cells.append(CellView(student_id, competency_id, MasteryStatus.NOT_STARTED, 0.0))
        parts[student_id] = RowPart(
            row=row,
            ready=ready,
            cells=cells,
            flagged=flagged,
            done=done & section_items,
            mastered_days=mastered_days,
        )
    return parts


def section_dashboard_of(*, frame: SectionFrame, parts: list[RowPart]) -> SectionDashboard:
    """The dashboard from its frame and its students' row parts (in roster order): the section-wide lists
    gathered from the parts, no query."""
    columns = frame.columns
    position = {c.pk: i for i, c in enumerate(columns)}
    ready = [entry for part in parts for entry in part.ready]
    ready.sort(key=lambda r: (position[r[1].pk], str(r[0])))
    flagged = {pair for part in parts for pair in part.flagged}
    groups = small_groups(
        [cell for part in parts for cell in part.cells],
        flagged=flagged,
        items_by_competency=frame.plan.items_by_competency,
        done_by_student={part.row.student.pk: part.done for part in parts},
    )
    return SectionDashboard(
        section=frame.section,
        competencies=columns,
        rows=[part.row for part in parts],
        ready=ready,
        groups=groups,
        items=frame.items,
        mastered_days=sorted(day for part in parts for day in part.mastered_days),
        pace_margin=frame.pace_margin,
    )
