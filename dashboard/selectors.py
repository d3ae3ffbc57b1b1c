"""Reads of the dashboards: a section's grid (students × competencies, pace, flags) in a constant number
of queries, whatever the size of the class. Pages read only precomputed state (mastery states, flags)."""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, OuterRef, Subquery, When
from django.db.models.functions import TruncDate
from django.http import Http404

from accounts.models import User
from dashboard.grouping import CellView, Group, small_groups
from engine.bulk import in_ids
from engine.models import Flag, SchoolThresholds
from engine.policy.flag_lifecycle import LIVE
from mastery.models import MasteryState, MasteryStatus
from playlists.models import (
    ChoiceBoard,
    Competency,
    ContentItem,
    ItemProgress,
    Playlist,
    PlaylistAssignment,
    PlaylistItem,
)
from playlists.pace import (
    NO_PACE,
    PACE_ORDER,
    PACE_TOLERANCE,
    PaceReading,
    Placement,
    ReadsPace,
    playlist_units,
    read_pace,
    slowest,
)
from plp.tenancy.context import current_school_id
from schools.models import Enrollment, Section, Term
from schools.roles import SCHOOL_WIDE_ROLES, Role
from schools.selectors import school_student_enrollments

# Bump when the rendered page changes shape: cached pages of the old shape are then never served.
# 3: pace explained; 4: school-time days; 5: needs attention first, flags by section; 6: the detector's
# entries ranked by score, rule-only students under "watch"; 7: short heatmap cells, flags on demand, the
# ready list and groups above the grid
STAMP_VERSION = 7
NOT_STARTED_CELL = (MasteryStatus.NOT_STARTED, None)
STATUS_ORDER = {
    MasteryStatus.NOT_STARTED: 0,
    MasteryStatus.PRACTICING: 1,
    MasteryStatus.READY: 2,
    MasteryStatus.MASTERED: 3,
}


def object_id(value: int) -> int:
    """An id from the URL, or 404 when no database row could have it (past a 64-bit integer)."""
    if not 0 < value < 2**63:
        raise Http404("No such object.")
    return value


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


@dataclass(frozen=True)
class _Enrolled:
    """A student's active enrollment in a section, with their last activity."""

    section_id: int
    user_id: int
    user: object
    last_progress: dt.datetime | None
    last_state: dt.datetime | None
    pace_margin: float  # the school's pace tolerance (SchoolThresholds), the flags' own


def _in_model_order(model, names: set[str]) -> tuple[str, ...]:
    """Field names in the model's own order, as ``Model.from_db`` expects the values."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


_USER_FIELDS = _in_model_order(User, {"id", "given_name", "family_name", "email"})
_SECTION_FIELDS = _in_model_order(Section, {"id", "school_id", "term_id", "name"})
_TERM_FIELDS = _in_model_order(Term, {"id", "school_id", "name"})


def school_rows(model, school_ids: list[int] | None):
    """A school-owned model's rows in the active school or, for the district overview, in ``school_ids``
    (the caller's district's schools, already authorized)."""
    if school_ids is None:
        return model.objects.all()
    # unscoped: the district overview's schools, authorized by the caller and filtered by their ids here
    return model.objects.unscoped().filter(school_id__in=school_ids)


def _student_enrollments(
    section_ids: list[int], *, visible_sections=None, school_ids: list[int] | None = None
) -> tuple[list[_Enrolled], dict]:
    """Active student enrollments of the sections (``school_student_enrollments``: who counts as a
    student) with each student's last activity (latest item progress or mastery change) and the school's
    pace tolerance as subqueries of the same query, and the sections themselves, in one query. Rows, not
    model instances: the people and sections are made with only the fields the dashboards show (any
    other field would be read from the database when asked for, never guessed)."""
    # Several schools: each enrollment's activity in its own school (one school: the scope says so).
    own_school = {} if school_ids is None else {"school_id": OuterRef("school_id")}
    last_progress = school_rows(ItemProgress, school_ids).filter(student_id=OuterRef("user_id"), **own_school)
    last_state = (
        school_rows(MasteryState, school_ids)
        .filter(student_id=OuterRef("user_id"), **own_school)
        .exclude(status=MasteryStatus.NOT_STARTED)
    )
    margin = school_rows(SchoolThresholds, school_ids).filter(school_id=OuterRef("school_id"))
    enrollments = school_student_enrollments(school_ids=school_ids).filter(section_id__in=section_ids)
    if visible_sections is not None:
        enrollments = enrollments.filter(section__in=visible_sections)
    fields = (
        [f"user__{f}" for f in _USER_FIELDS]
        + [f"section__{f}" for f in _SECTION_FIELDS]
        + [f"section__term__{f}" for f in _TERM_FIELDS]
    )
    rows = (
        enrollments.annotate(
            last_progress=Subquery(last_progress.order_by("-updated_at").values("updated_at")[:1]),
            last_state=Subquery(last_state.order_by("-updated_at").values("updated_at")[:1]),
            pace_margin=Subquery(margin.values("pace_margin")[:1]),
        )
        .order_by("user__family_name", "user__given_name", "user_id")
        .values_list(*fields, "last_progress", "last_state", "pace_margin")
    )
    users: dict[int, object] = {}
    sections: dict[int, Section] = {}
    result = []
    n_user, n_section = len(_USER_FIELDS), len(_SECTION_FIELDS)
    for row in rows:
        user_values, rest = row[:n_user], row[n_user:]
        section_values, term_values = rest[:n_section], rest[n_section : n_section + len(_TERM_FIELDS)]
        user = users.get(user_values[_USER_FIELDS.index("id")])
        if user is None:
            user = User.from_db("default", _USER_FIELDS, user_values)
            users[user.pk] = user
        section = sections.get(section_values[_SECTION_FIELDS.index("id")])
        if section is None:
            section = Section.from_db("default", _SECTION_FIELDS, section_values)
            sections[section.pk] = section
            section.term = Term.from_db("default", _TERM_FIELDS, term_values)
        margin = PACE_TOLERANCE if row[-1] is None else row[-1]
        result.append(_Enrolled(section.pk, user.pk, user, row[-3], row[-2], margin))
    return result, sections


def section_dashboard_get(
    *, user, roles: frozenset[str], section_id: int, today: dt.date
) -> SectionDashboard:
    """The dashboard of a section the user may see, or 404: the section is read with its students (one
    query), so the whole grid costs 5 queries."""
    section_id = object_id(section_id)
    enrollments, sections = _student_enrollments(
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
    enrollments, _ = _student_enrollments([s.pk for s in sections], school_ids=school_ids)
    return _build_many(sections=sections, enrollments=enrollments, today=today, school_ids=school_ids)


@dataclass(frozen=True)
class _Assignment:
    playlist_id: int
    start_date: dt.date
    target_date: dt.date
    title: str


@dataclass(frozen=True)
class _Placement:
    item_id: int
    required: bool
    choice_board_id: int | None
    choose: int


@dataclass(frozen=True)
class ItemView:
    pk: int
    title: str


def _build(*, section: Section, enrollments: list[_Enrolled], today: dt.date) -> SectionDashboard:
    return _build_many(sections=[section], enrollments=enrollments, today=today)[section.pk]


@dataclass
class _SectionPlan:
    """A section's assigned playlists, their items and the items' competencies (grid columns)."""

    assignments: dict[int, _Assignment] = field(default_factory=dict)
    placements: dict[int, list[_Placement]] = field(default_factory=dict)
    competencies: dict[int, Competency] = field(default_factory=dict)
    items_by_competency: dict[int, list[int]] = field(default_factory=dict)
    seen: set[tuple[int, int]] = field(default_factory=set)


def _build_many(
    *,
    sections: list[Section],
    enrollments: list[_Enrolled],
    today: dt.date,
    school_ids: list[int] | None = None,
) -> dict[int, SectionDashboard]:
    """The dashboards of several sections from the same four bulk queries (plans, progress, mastery
    states, flags), whatever the number of sections and students: the school overview reads every
    section this way. Enrollments are the sections' active student enrollments (one query before)."""
    by_section: dict[int, list[_Enrolled]] = {section.pk: [] for section in sections}
    for enrollment in enrollments:
        by_section[enrollment.section_id].append(enrollment)
    students = {e.user_id: e.user for e in enrollments}
    # One query for the plans, their items and the items' competencies (one row per item × competency;
    # an assignment is unique per playlist and section, so the join does not multiply them).
    plans = {section.pk: _SectionPlan() for section in sections}
    items: dict[int, ItemView] = {}
    prefix = "playlist__assignments__"
    for (
        section_id, playlist_id, start, target, playlist_title, item_id, required, board_id, choose, title,
        comp_id, code, comp_title,
    ) in (
        school_rows(PlaylistItem, school_ids).filter(**{f"{prefix}section_id__in": list(plans)})
        .order_by(f"{prefix}target_date", f"{prefix}id", "position", "pk", "item__competencies__code")
        .values_list(
            f"{prefix}section_id", "playlist_id", f"{prefix}start_date", f"{prefix}target_date",
            "playlist__title", "item_id",
            "required", "choice_board_id", "choice_board__choose", "item__title", "item__competencies__id",
            "item__competencies__code", "item__competencies__title",
        )
    ):  # fmt: skip
        plan = plans[section_id]
        plan.assignments.setdefault(playlist_id, _Assignment(playlist_id, start, target, playlist_title))
        if (playlist_id, item_id) not in plan.seen:
            plan.seen.add((playlist_id, item_id))
            plan.placements.setdefault(playlist_id, []).append(
                _Placement(item_id, required, board_id, choose or 1)
            )
            items.setdefault(item_id, ItemView(item_id, title))
        if comp_id is not None:
            plan.competencies.setdefault(comp_id, Competency(pk=comp_id, code=code, title=comp_title))
            mine = plan.items_by_competency.setdefault(comp_id, [])
            if item_id not in mine:
                mine.append(item_id)
    student_ids = list(students)
    all_competencies = sorted({c for plan in plans.values() for c in plan.competencies})
    done_by_student: dict[int, set[int]] = {pk: set() for pk in student_ids}
    # Item and competency ids belong to one school: rows of a student's other schools never match.
    progress = school_rows(ItemProgress, school_ids).filter(
        in_ids("student_id", student_ids), status=ItemProgress.Status.DONE
    )
    for student_id, item_id in progress.values_list("student_id", "item_id"):
        done_by_student[student_id].add(item_id)
    states_of: dict[int, dict[int, tuple[str, float, dt.date | None]]] = {pk: {} for pk in student_ids}
    mastered_day = Case(When(status=MasteryStatus.MASTERED, then=TruncDate("mastered_at")), default=None)
    states = school_rows(MasteryState, school_ids).filter(
        in_ids("student_id", student_ids), in_ids("competency_id", all_competencies)
    )
    for student_id, competency_id, status, p, day in states.annotate(day=mastered_day).values_list(
        "student_id", "competency_id", "status", "p_mastered", "day"
    ):
        states_of[student_id][competency_id] = (status, p, day)
    flags_of: dict[tuple[int, int], list] = {}  # by (school, student): a flag is about one school
    live = (
        school_rows(Flag, school_ids)
        .filter(in_ids("student_id", student_ids), status__in=list(LIVE))
        .select_related("handled_by")
    )
    for flag in live.order_by("raised_at", "pk"):
        flag.student = students[flag.student_id]  # already loaded: no join, no query
        flags_of.setdefault((flag.school_id, flag.student_id), []).append(flag)
    return {
        section.pk: _assemble(
            section=section,
            enrollments=by_section[section.pk],
            plan=plans[section.pk],
            items=items,
            done_by_student=done_by_student,
            states_of=states_of,
            flags_of=flags_of,
            today=today,
        )
        for section in sections
    }


def flag_is_about_section(subject: str, *, section_id: int, playlist_ids, competency_ids) -> bool:
    """Whether a section's dashboard lists a flag with this subject: a flag about the student as a whole
    (inactive, a missed check-in, goals) shows on each of their sections; one about a section, a playlist
    or a competency only where that section, one of its playlists or one of its competencies is."""
    kind, _, ref = subject.partition(":")
    if not ref.isdigit():
        return True
    about = {"section": (section_id,), "playlist": playlist_ids, "competency": competency_ids}.get(kind)
    return about is None or int(ref) in about


def _assemble(
    *, section, enrollments, plan: _SectionPlan, items, done_by_student, states_of, flags_of, today
) -> SectionDashboard:
    """One section's grid from the loaded rows: its students × the competencies of its assigned
    playlists, each student's pace against the plans (playlists/pace.py), last activity and live flags."""
    rows: dict[int, StudentRow] = {}
    for enrollment in enrollments:
        if enrollment.user_id in rows:
            continue
        seen_at = [t for t in (enrollment.last_progress, enrollment.last_state) if t is not None]
        rows[enrollment.user_id] = StudentRow(student=enrollment.user, last_active=max(seen_at, default=None))
    # Columns: competencies in playlist order (earliest target first), then item position.
    columns = list(plan.competencies.values())
    column_ids = [c.pk for c in columns]
    competency_by_id = {c.pk: c for c in columns}
    cells_of: dict[int, dict[int, tuple[str, float]]] = {}
    mastered_days: list[dt.date] = []
    flagged: set[tuple[int, int]] = set()
    for student_id, row in rows.items():
        mine = cells_of[student_id] = {}
        for competency_id, (status, p, day) in states_of[student_id].items():
            if competency_id in competency_by_id:
                mine[competency_id] = (status, p)
                if day is not None:
                    mastered_days.append(day)
        row.flags = [
            flag
            for flag in flags_of.get((section.school_id, student_id), ())
            if flag_is_about_section(
                flag.subject,
                section_id=section.pk,
                playlist_ids=plan.assignments.keys(),
                competency_ids=competency_by_id.keys(),
            )
        ]
        for flag in row.flags:
            if flag.subject.startswith("competency:") and flag.subject[11:].isdigit():
                flagged.add((student_id, int(flag.subject[11:])))

    rules = {
        pid: (
            [Placement(p.item_id, p.required, p.choice_board_id) for p in mine],
            {p.choice_board_id: p.choose for p in mine if p.choice_board_id},
        )
        for pid, mine in plan.placements.items()
    }
    assignments_list = list(plan.assignments.values())
    ready: list[tuple[object, Competency, float]] = []
    cells: list[CellView] = []
    margin = enrollments[0].pace_margin if enrollments else PACE_TOLERANCE
    for student_id, row in rows.items():
        done = done_by_student[student_id]
        readings = []
        for assignment in assignments_list:
            placement_rules, choose = rules[assignment.playlist_id]
            done_units, needed = playlist_units(placement_rules, choose, done)
            readings.append(
                read_pace(
                    done=done_units,
                    needed=needed,
                    start=assignment.start_date,
                    target=assignment.target_date,
                    today=today,
                    tolerance=margin,
                    title=assignment.title,
                )
            )
        row.reading = slowest(readings)
        mine = cells_of[student_id]
        row.cells = [mine.get(cid, NOT_STARTED_CELL) for cid in column_ids]
        for competency_id, (status, p) in mine.items():
            if status == MasteryStatus.MASTERED:
                row.mastered += 1
            elif status == MasteryStatus.READY:
                ready.append((row.student, competency_by_id[competency_id], p))
            if status == MasteryStatus.PRACTICING or (student_id, competency_id) in flagged:
                cells.append(CellView(student_id, competency_id, status, p))
    for student_id, competency_id in flagged:
        if competency_id in competency_by_id and competency_id not in cells_of[student_id]:
            cells.append(CellView(student_id, competency_id, MasteryStatus.NOT_STARTED, 0.0))
    section_done = {student_id: done_by_student[student_id] for student_id in rows}
    groups = small_groups(
        cells, flagged=flagged, items_by_competency=plan.items_by_competency, done_by_student=section_done
    )
    dashboard = SectionDashboard(
        section=section,
        competencies=columns,
        rows=list(rows.values()),
        ready=ready,
        groups=groups,
        items=items,
        mastered_days=sorted(mastered_days),
        pace_margin=margin,
    )
    position = {pk: i for i, pk in enumerate(column_ids)}
    ready.sort(key=lambda r: (position[r[1].pk], str(r[0])))
    return dashboard


def _table(model) -> str:
    return model._meta.db_table


_ITEM_COMPETENCIES = ContentItem._meta.get_field("competencies").remote_field.through
_LIVE_SQL = ", ".join(f"'{status}'" for status in sorted(LIVE))

# The stamp's two queries, on SQLite as on PostgreSQL. Every table is filtered by the school explicitly
# (raw SQL bypasses the scoped managers). Timestamps are read as text: they are compared, never parsed.
# The second query takes the students and items as explicit lists: a semi-join against the first part
# let PostgreSQL pick a nested loop over the whole school's rows whenever its statistics lagged behind a
# fresh import (measured: 5 ms became 146 ms).
_STAMP_SECTION_SQL = f"""
SELECT 's', e.user_id, 0,
    MIN(CAST(e.created_at AS TEXT)) || '|' || u.given_name || '|' || u.family_name || '|' || u.email
    FROM {_table(Enrollment)} e JOIN {_table(User)} u ON u.id = e.user_id
    WHERE e.school_id = %s AND e.section_id = %s AND e.role = 'student' AND e.is_active
    AND (%s = 1 OR EXISTS (
        SELECT 1 FROM {_table(Enrollment)} t WHERE t.school_id = %s AND t.section_id = %s
        AND t.user_id = %s AND t.role = 'teacher' AND t.is_active))
    GROUP BY e.user_id, u.given_name, u.family_name, u.email
UNION ALL
SELECT 'n', s.id, 0, s.name || '|' || t.name
    FROM {_table(Section)} s JOIN {_table(Term)} t ON t.id = s.term_id WHERE s.school_id = %s AND s.id = %s
UNION ALL
SELECT 'a', a.playlist_id, a.id,
    CAST(a.start_date AS TEXT) || ' ' || CAST(a.target_date AS TEXT) || '|' || p.title
    FROM {_table(PlaylistAssignment)} a JOIN {_table(Playlist)} p ON p.id = a.playlist_id
    WHERE a.school_id = %s AND a.section_id = %s
UNION ALL
SELECT 't', 0, 0, CAST(th.pace_margin AS TEXT) FROM {_table(SchoolThresholds)} th WHERE th.school_id = %s
UNION ALL
SELECT 'i', pi.item_id, pi.id * 1000 + pi.position,
    CAST(pi.required AS TEXT) || ' ' || CAST(COALESCE(pi.choice_board_id, 0) AS TEXT) || ' '
    || CAST(COALESCE(b.choose, 0) AS TEXT) || ' ' || ci.title
    FROM {_table(PlaylistItem)} pi JOIN {_table(PlaylistAssignment)} a ON a.playlist_id = pi.playlist_id
    JOIN {_table(ContentItem)} ci ON ci.id = pi.item_id
    LEFT JOIN {_table(ChoiceBoard)} b ON b.id = pi.choice_board_id
    WHERE pi.school_id = %s AND a.school_id = %s AND a.section_id = %s
"""  # table names are our own constants; every value is a parameter


def _in_list(values: list[int]) -> tuple[str, list]:
    """``IN (...)`` for a list of ids: one array parameter on PostgreSQL (quoting hundreds of
    parameters one by one costs more than the query), one placeholder each elsewhere."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [list(values)]
    return f"IN ({', '.join(['%s'] * len(values)) or 'NULL'})", list(values)


def _stamp_activity_sql(in_students: str, in_items: str) -> str:
    """Per table, the row count, a few sums and the latest change for the listed students and items, and
    the codes and titles of the items' competencies (the grid's columns)."""
    return f"""
SELECT 'c', COUNT(*), SUM(ic.competency_id), SUM(ic.contentitem_id * ic.competency_id), NULL
    FROM {_table(_ITEM_COMPETENCIES)} ic WHERE ic.contentitem_id {in_items}
UNION ALL
SELECT 'k', c.id, 0, 0, c.code || '|' || c.title FROM {_table(Competency)} c
    WHERE c.school_id = %s AND c.id IN (
        SELECT ic.competency_id FROM {_table(_ITEM_COMPETENCIES)} ic WHERE ic.contentitem_id {in_items})
UNION ALL
SELECT 'p', COUNT(*), SUM(CASE WHEN p.status = 'done' THEN 1 ELSE 0 END), 0, CAST(MAX(p.updated_at) AS TEXT)
    FROM {_table(ItemProgress)} p WHERE p.school_id = %s AND p.student_id {in_students}
UNION ALL
SELECT 'm', COUNT(*), SUM(CASE WHEN m.status = 'mastered' THEN 1 ELSE 0 END),
    SUM(CASE WHEN m.status = 'ready' THEN 1 ELSE 0 END), CAST(MAX(m.updated_at) AS TEXT)
    FROM {_table(MasteryState)} m WHERE m.school_id = %s AND m.student_id {in_students}
UNION ALL
SELECT 'f', COUNT(*), SUM(CASE WHEN f.status IN ({_LIVE_SQL}) THEN 1 ELSE 0 END), SUM(f.id),
    CAST(MAX(f.updated_at) AS TEXT)
    FROM {_table(Flag)} f WHERE f.school_id = %s AND f.student_id {in_students}
"""  # the lists are placeholders too


def section_stamp(*, user, roles: frozenset[str], section_id: int, today: dt.date) -> str | None:
    """A short fingerprint of everything the section's dashboard shows, in two small queries and without
    building the grid: the students (their names and email, and when each joined, so a reused id is a new
    student), the section's and term's names, the plans (and their playlists' titles, which the pace
    explanations name), the school's pace tolerance, their items (titles, choice boards) and the
    items' competencies (codes and titles), and per table the row count and latest change of progress,
    mastery states and flags, plus the day (pace moves with the calendar). It is the key of the rendered
    page in the cache and the digest the polling client sends back: an unchanged grid answers 204 for
    the cost of these queries.

    Not covered: the name of whoever handled a flag, when it changes after the flag last did. ``None``
    when the section has no student the caller may see (the caller builds the page, or its 404)."""
    section_id = object_id(section_id)
    school_wide = not roles.isdisjoint(SCHOOL_WIDE_ROLES)
    if not school_wide and Role.TEACHER not in roles:
        return None
    school_id = current_school_id()
    with connection.cursor() as cursor:
        cursor.execute(
            _STAMP_SECTION_SQL,
            # students (and who may see them), the section, assignments, placements
            [school_id, section_id, int(school_wide), school_id, section_id, user.pk, school_id, section_id,
             school_id, section_id, school_id, school_id, school_id, section_id],
        )  # fmt: skip
        section_rows = sorted(cursor.fetchall(), key=lambda row: row[:3])
        students = [row[1] for row in section_rows if row[0] == "s"]
        if not students:
            return None
        in_items, item_params = _in_list(sorted({row[1] for row in section_rows if row[0] == "i"}))
        in_students, student_params = _in_list(students)
        cursor.execute(
            _stamp_activity_sql(in_students, in_items),
            [*item_params, school_id, *item_params] + [school_id, *student_params] * 3,
        )
        activity_rows = sorted(cursor.fetchall(), key=lambda row: row[:2])
    fingerprint = repr((STAMP_VERSION, section_id, today.isoformat(), section_rows, activity_rows))
    return hashlib.blake2b(fingerprint.encode(), digest_size=12).hexdigest()


SEVERITY_RANK = {"high": 2, "medium": 1, "low": 0}


@dataclass(frozen=True)
class AttentionEntry:
    """One student who needs the teacher: the detector's open entry (engine/policy/attention.py), with the
    student's open rule flags on this dashboard as its evidence."""

    student: object
    flags: list  # the detector's entry first, then the rule flags, most serious first
    severity: str  # the entry's (from its score)

    @property
    def entry(self):
        return self.flags[0]

    @property
    def score(self) -> float:
        evidence = self.entry.evidence if isinstance(self.entry.evidence, dict) else {}
        return float(evidence.get("score") or 0.0)

    @property
    def evidence(self) -> list[str]:
        """The detector's reasons in plain words."""
        evidence = self.entry.evidence if isinstance(self.entry.evidence, dict) else {}
        return list(evidence.get("reasons") or ())

    @property
    def count(self) -> int:
        """The rule flags behind the entry."""
        return len(self.flags) - 1

    @property
    def reasons(self) -> list[str]:
        """The entry in a few words, then the rule flags: each kind once, with the competencies it is
        about, e.g. "Blocked on RP.2 · Wheel-spinning (6.RP.1, 6.RP.3)"."""
        return [self.entry.summary, *_rule_reasons(self.flags[1:])]

    @property
    def suggested_action(self) -> str:
        """What to do first: the detector's suggested action."""
        return self.entry.suggested_action


NEEDS_ATTENTION = "needs_attention"


def _rule_reasons(flags) -> list[str]:
    """Rule flags in a few words: each kind once, with the competencies it is about."""
    about: dict[str, list[str]] = {}
    for flag in flags:
        codes = about.setdefault(flag.get_kind_display(), [])
        code = flag.evidence.get("competency") if isinstance(flag.evidence, dict) else None
        if code and code not in codes:
            codes.append(code)
    return [f"{kind} ({', '.join(codes)})" if codes else kind for kind, codes in about.items()]


@dataclass(frozen=True)
class WatchEntry:
    """A student with open rule flags and no "needs attention" entry: to watch, not to act on."""

    student: object
    flags: list  # most serious first

    @property
    def reasons(self) -> list[str]:
        return _rule_reasons(self.flags)

    # The row a watched student gets reads like a "needs attention" row, so it is acted on in place alike.
    evidence: tuple = ()

    @property
    def severity(self) -> str:
        return self.flags[0].severity

    @property
    def count(self) -> int:
        return 0  # the reasons are the rule flags themselves

    @property
    def suggested_action(self) -> str:
        return self.flags[0].suggested_action


def _rule_flags(row) -> list:
    mine = [f for f in row.flags if f.status == "open" and f.kind != NEEDS_ATTENTION]
    return sorted(mine, key=lambda f: (-SEVERITY_RANK.get(f.severity, 0), f.raised_at, f.pk))


def _by_name(student) -> tuple:
    return (student.family_name, student.given_name, student.pk)


def needs_attention(dashboard: SectionDashboard) -> list[AttentionEntry]:
    """Who needs the teacher now: the students whose "needs attention" entry is open on this dashboard (an
    acknowledged one has an adult on it already), the highest score first, each with its rule flags as
    evidence. A student with rule flags but no entry is not here (see ``watch``). Derived from the flags
    already loaded: no query."""
    entries = []
    for row in dashboard.rows:
        entry = next((f for f in row.flags if f.kind == NEEDS_ATTENTION and f.status == "open"), None)
        if entry is not None:
            entries.append(AttentionEntry(row.student, [entry, *_rule_flags(row)], entry.severity))
    entries.sort(key=lambda e: (-e.score, *_by_name(e.student)))
    return entries


def watch(dashboard: SectionDashboard) -> list[WatchEntry]:
    """Students with open rule flags but no live "needs attention" entry: the detector weighed that
    evidence and does not find them struggling, so they are listed lower, to watch, not to act on.
    No query."""
    entries = []
    for row in dashboard.rows:
        if any(f.kind == NEEDS_ATTENTION and f.is_live for f in row.flags):
            continue
        mine = _rule_flags(row)
        if mine:
            entries.append(WatchEntry(row.student, mine))
    entries.sort(key=lambda e: _by_name(e.student))
    return entries


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
