"""Pace and progress for adults: an assignment's pace with its school's tolerance (``assignment_pace``, the
one pace rule of ``playlists.pace`` read per assignment), whose item progress a person may see, and a
class's progress on one playlist."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery

from playlists.models import (
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
