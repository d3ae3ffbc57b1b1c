"""Pace and progress: an assignment's pace with its school's tolerance (``assignment_pace``, the one pace
rule of ``playlists.pace`` read per assignment), the items students have covered by mastery
(``mastery_credit``), whose item progress a person may see, and a class's progress on one playlist."""

import datetime as dt
from collections.abc import Set
from dataclasses import dataclass, field

from django.db.models import DateTimeField, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone

from playlists import mastery_states
from playlists.models import (
    ContentItem,
    ItemProgress,
    Playlist,
    PlaylistAssignment,
    PlaylistItem,
)
from playlists.pace import (
    PACE_TOLERANCE,
    PaceReading,
    Placement,
    ReadsPace,
    done_with_mastery,
    playlist_units,
    read_pace,
)
from schools.access import sections_taught, students_taught_by
from schools.models import Enrollment, SchoolSettings
from schools.roles import SCHOOL_WIDE_ROLES, STAFF_ROLES, Role


def with_pace_margin(assignments: QuerySet[PlaylistAssignment]) -> QuerySet[PlaylistAssignment]:
    """Assignments with their school's pace tolerance (``pace_margin``: the flags' own, or ``None`` for the
    default), read in the same query (the school's ``SchoolSettings`` row)."""
    margin = SchoolSettings.objects.filter(school_id=OuterRef("school_id")).values("pace_margin")[:1]
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


# Progress by mastery.


@dataclass(frozen=True)
class MasteryCredit:
    """Items and their competencies, and which of those competencies each student has mastered (and when):
    what ``done_with_mastery`` (engine/policy/pace.py) needs to count an item on competencies all mastered
    as done, on every page that counts a student's work."""

    competencies_of: dict[int, tuple[int, ...]] = field(default_factory=dict)  # item → its competencies
    codes: dict[int, str] = field(default_factory=dict)  # competency → its code
    mastered: dict[int, dict[int, dt.date | None]] = field(default_factory=dict)  # student → competency → day

    def done(self, student_id: int, done: Set[int], *, on: dt.date | None = None) -> set[int]:
        """The student's items done (``done``: those marked done), and the items counted done by mastery
        (on ``on``, when given: the competencies mastered by the end of that day)."""
        days = self.mastered.get(student_id, {})
        mastered = {c for c, day in days.items() if on is None or day is None or day <= on}
        return done_with_mastery(done, self.competencies_of, mastered)

    def mastered_codes(self, student_id: int, item_id: int) -> str:
        """The codes an item counted done by mastery was credited for ("6.RP.1, 6.RP.2"), or ""."""
        competency_ids = self.competencies_of.get(item_id, ())
        if not competency_ids or not set(competency_ids) <= set(self.mastered.get(student_id, {})):
            return ""
        return ", ".join(sorted(self.codes[c] for c in competency_ids))


def mastery_credit(*, student_ids, item_ids) -> MasteryCredit:
    """The items' competencies and which of them these students have mastered: one query (the items'
    alignments and the mastered states, as one union), whatever the numbers of students and items."""
    student_ids, item_ids = list(student_ids), list(item_ids)
    if not student_ids or not item_ids:
        return MasteryCredit()
    links = ContentItem.competencies.through.objects.filter(contentitem_id__in=item_ids)
    alignments = links.order_by().values_list(
        "contentitem_id",
        "competency_id",
        "competency__code",
        Value(0, output_field=IntegerField()),
        Value(None, output_field=DateTimeField()),
    )
    states = mastery_states.mastered_by_students(
        student_ids=student_ids, competency_ids=links.values("competency_id")
    ).values_list(
        Value(0, output_field=IntegerField()),
        "competency_id",
        Value(""),
        "student_id",
        "mastered_at",
    )
    credit = MasteryCredit(mastered={pk: {} for pk in student_ids})
    competencies_of: dict[int, list[int]] = {}
    for item_id, competency_id, code, student_id, mastered_at in alignments.union(states, all=True):
        if student_id:
            day = timezone.localdate(mastered_at) if mastered_at is not None else None
            credit.mastered[student_id][competency_id] = day
        else:
            competencies_of.setdefault(item_id, []).append(competency_id)
            credit.codes[competency_id] = code
    credit.competencies_of.update((item, tuple(sorted(ids))) for item, ids in competencies_of.items())
    return credit


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
        they teach that hold the assignment; school-wide roles: every assigned section), an item on
    competencies the student has all mastered counting as done (``mastery_credit``): 5 queries."""
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
    credit = mastery_credit(
        student_ids={e.user_id for e in enrollments}, item_ids=[p.item_id for p in placements]
    )
    rows, seen = [], set()
    for enrollment in enrollments:
        if enrollment.user_id in seen:
            continue
        seen.add(enrollment.user_id)
        assignment = assignment_of[enrollment.section_id]
        done_items = credit.done(enrollment.user_id, done_by_student.get(enrollment.user_id, set()))
        done, needed = playlist_units(rules, choose, done_items)
        reading = assignment_pace(assignment, done=done, needed=needed, today=today)
        rows.append(StudentProgressRow(enrollment.user, assignment.section.name, reading))
    return rows
