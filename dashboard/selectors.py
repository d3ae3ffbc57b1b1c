"""Reads of the dashboards: a section's grid (students × competencies, pace, flags) in a constant number
of queries, whatever the size of the class. Pages read only precomputed state (mastery states, flags)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, OuterRef, Subquery, When
from django.db.models.functions import TruncDate
from django.http import Http404

from accounts.models import User
from dashboard.grouping import CellView, Group, small_groups
from engine.models import Flag, SchoolThresholds
from engine.policy.flag_lifecycle import LIVE
from mastery.models import MasteryState, MasteryStatus
from playlists.models import (
    Competency,
    ItemProgress,
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
from plp.bulk import in_ids
from schools.access import sections_overseen_by
from schools.models import Section, Term
from schools.selectors import school_student_enrollments

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
    """Sections whose dashboard the user may open (``schools.access.sections_overseen_by``)."""
    return sections_overseen_by(user=user, roles=roles)


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
    section_ids: list[int],
    *,
    visible_sections=None,
    school_ids: list[int] | None = None,
    student_ids: list[int] | None = None,
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
    if student_ids is not None:  # some students only (the stale rows of a cached dashboard)
        enrollments = enrollments.filter(in_ids("user_id", student_ids))
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


@dataclass
class SectionFrame:
    """What every row of a section's dashboard is built against: the section, its plans and columns, the
    items the plans place and the school's pace tolerance. Changes only with the school's version
    (dashboard/versions.py)."""

    section: Section
    plan: _SectionPlan
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


def _plans(sections: list[Section], school_ids: list[int] | None) -> tuple[dict[int, _SectionPlan], dict]:
    """One query for the plans, their items and the items' competencies (one row per item × competency;
    an assignment is unique per playlist and section, so the join does not multiply them)."""
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
    return plans, items


def _student_rows(student_ids: list[int], competency_ids: list[int], school_ids: list[int] | None):
    """Three queries for these students: done items, mastery states (of these competencies) and live
    flags, by student (flags by school and student: a flag is about one school)."""
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
        in_ids("student_id", student_ids), in_ids("competency_id", competency_ids)
    )
    for student_id, competency_id, status, p, day in states.annotate(day=mastered_day).values_list(
        "student_id", "competency_id", "status", "p_mastered", "day"
    ):
        states_of[student_id][competency_id] = (status, p, day)
    flags_of: dict[tuple[int, int], list] = {}
    live = (
        school_rows(Flag, school_ids)
        .filter(in_ids("student_id", student_ids), status__in=list(LIVE))
        .select_related("handled_by")
    )
    return done_by_student, states_of, flags_of, live


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
    frames, parts = _frames_and_parts(
        sections=sections, enrollments=enrollments, today=today, school_ids=school_ids
    )
    return {
        section.pk: section_dashboard_of(frame=frames[section.pk], parts=list(parts[section.pk].values()))
        for section in sections
    }


def _frames_and_parts(
    *, sections: list[Section], enrollments: list[_Enrolled], today: dt.date, school_ids=None
) -> tuple[dict[int, SectionFrame], dict[int, dict[int, RowPart]]]:
    """Each section's frame and the row parts of the given enrollments (in their order), in four queries."""
    by_section: dict[int, list[_Enrolled]] = {section.pk: [] for section in sections}
    for enrollment in enrollments:
        by_section[enrollment.section_id].append(enrollment)
    students = {e.user_id: e.user for e in enrollments}
    plans, items = _plans(sections, school_ids)
    all_competencies = sorted({c for plan in plans.values() for c in plan.competencies})
    done_by_student, states_of, flags_of, live = _student_rows(list(students), all_competencies, school_ids)
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
    plans, items = _plans([section], None)
    margin = SchoolThresholds.objects.values_list("pace_margin", flat=True).first()
    return SectionFrame(section, plans[section.pk], items, PACE_TOLERANCE if margin is None else margin)


def section_row_parts(*, frame: SectionFrame, student_ids: list[int], today: dt.date) -> dict[int, RowPart]:
    """The row parts of some of a section's students (those whose cached rows are stale), in four queries
    whatever their number: their enrollments with last activity, progress, states and flags."""
    section = frame.section
    enrollments, _ = _student_enrollments([section.pk], student_ids=student_ids)
    students = {e.user_id: e.user for e in enrollments}
    done_by_student, states_of, flags_of, live = _student_rows(
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


def _row_parts(
    *, frame: SectionFrame, enrollments, done_by_student, states_of, flags_of, today
) -> dict[int, RowPart]:
    """Each enrolled student's row part from the loaded rows: their cells on the section's competencies,
    pace against the plans (playlists/pace.py), last activity and live flags about this section."""
    section, plan = frame.section, frame.plan
    column_ids = list(plan.competencies)
    competency_by_id = plan.competencies
    rules = {
        pid: (
            [Placement(p.item_id, p.required, p.choice_board_id) for p in mine],
            {p.choice_board_id: p.choose for p in mine if p.choice_board_id},
        )
        for pid, mine in plan.placements.items()
    }
    section_items = {p.item_id for mine in plan.placements.values() for p in mine}
    assignments_list = list(plan.assignments.values())
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
        flagged = {
            (student_id, int(flag.subject[11:]))
            for flag in row.flags
            if flag.subject.startswith("competency:") and flag.subject[11:].isdigit()
        }
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
                    tolerance=frame.pace_margin,
                    title=assignment.title,
                )
            )
        row.reading = slowest(readings)
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


def attention_of(row: StudentRow) -> AttentionEntry | WatchEntry | None:
    """A student's line above the grid, from their flags alone (so it is cached with their row): their
    open "needs attention" entry with their rule flags as evidence; or, with rule flags and no live entry
    (the detector weighed that evidence and does not find them struggling), a line to watch; or none."""
    entry = next((f for f in row.flags if f.kind == NEEDS_ATTENTION and f.status == "open"), None)
    if entry is not None:
        return AttentionEntry(row.student, [entry, *_rule_flags(row)], entry.severity)
    if any(f.kind == NEEDS_ATTENTION and f.is_live for f in row.flags):
        return None  # acknowledged: an adult is on it already
    mine = _rule_flags(row)
    return WatchEntry(row.student, mine) if mine else None


def attention_sorted(entries) -> tuple[list[AttentionEntry], list[WatchEntry]]:
    """The "needs attention" entries, the highest score first, and the students to watch, by name."""
    entries = list(entries)
    attention = [e for e in entries if isinstance(e, AttentionEntry)]
    attention.sort(key=lambda e: (-e.score, *_by_name(e.student)))
    watched = [e for e in entries if isinstance(e, WatchEntry)]
    watched.sort(key=lambda e: _by_name(e.student))
    return attention, watched


def needs_attention(dashboard: SectionDashboard) -> list[AttentionEntry]:
    """Who needs the teacher now: the students whose "needs attention" entry is open on this dashboard (an
    acknowledged one has an adult on it already), the highest score first, each with its rule flags as
    evidence. A student with rule flags but no entry is not here (see ``watch``). No query."""
    return attention_sorted(attention_of(row) for row in dashboard.rows)[0]


def watch(dashboard: SectionDashboard) -> list[WatchEntry]:
    """Students with open rule flags but no live "needs attention" entry: listed lower, to watch, not to
    act on. No query."""
    return attention_sorted(attention_of(row) for row in dashboard.rows)[1]


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
