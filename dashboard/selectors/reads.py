"""The bulk reads behind a section's grid, as rows rather than model instances: the sections' students with
their last activity, the sections' plans (playlists, items, competencies) and the students' progress,
mastery states and live flags. A constant number of queries whatever the number of sections and students."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, OuterRef, Subquery, When
from django.db.models.functions import TruncDate

from accounts.models import User
from engine.models import Flag
from engine.policy.flag_lifecycle import LIVE
from mastery.models import MasteryState, MasteryStatus
from playlists.models import Competency, ItemProgress, PlaylistItem
from playlists.pace import PACE_TOLERANCE
from plp.bulk import in_ids
from schools.models import SchoolSettings, Section, Term
from schools.selectors import school_student_enrollments


@dataclass(frozen=True)
class Enrolled:
    """A student's active enrollment in a section, with their last activity."""

    section_id: int
    user_id: int
    user: object
    last_progress: dt.datetime | None
    last_state: dt.datetime | None
    pace_margin: float  # the school's pace tolerance (SchoolSettings), the flags' own


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


def student_enrollments(
    section_ids: list[int],
    *,
    visible_sections=None,
    school_ids: list[int] | None = None,
    student_ids: list[int] | None = None,
) -> tuple[list[Enrolled], dict]:
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
    margin = school_rows(SchoolSettings, school_ids).filter(school_id=OuterRef("school_id"))
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
        result.append(Enrolled(section.pk, user.pk, user, row[-3], row[-2], margin))
    return result, sections


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


@dataclass
class SectionPlan:
    """A section's assigned playlists, their items and the items' competencies (grid columns)."""

    assignments: dict[int, _Assignment] = field(default_factory=dict)
    placements: dict[int, list[_Placement]] = field(default_factory=dict)
    competencies: dict[int, Competency] = field(default_factory=dict)
    items_by_competency: dict[int, list[int]] = field(default_factory=dict)
    seen: set[tuple[int, int]] = field(default_factory=set)


def section_plans(
    sections: list[Section], school_ids: list[int] | None
) -> tuple[dict[int, SectionPlan], dict]:
    """One query for the plans, their items and the items' competencies (one row per item × competency;
    an assignment is unique per playlist and section, so the join does not multiply them)."""
    plans = {section.pk: SectionPlan() for section in sections}
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


def student_rows(student_ids: list[int], competency_ids: list[int], school_ids: list[int] | None):
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
