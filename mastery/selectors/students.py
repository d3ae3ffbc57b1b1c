"""The student side of mastery's reads: the role sets its pages check, a student looked up as the
caller may assess them (404 otherwise, the read audited), the competencies that are the student's own
(:func:`student_competencies`, the one answer) and their levels per subject.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from audit.recorder import student_seen
from learners.models import PlanFocus
from mastery.models import (
    MasteryState,
    MasteryStatus,
)
from playlists.models import Competency, ContentItem, Subject
from playlists.selectors import student_assignments
from schools.access import students_assessed_by
from schools.models import Membership
from schools.roles import SCHOOL_WIDE_ROLES, Role

AUTHOR_ROLES = frozenset({Role.TEACHER, Role.SCHOOL_ADMIN})


TEACHING_ROLES = frozenset({Role.TEACHER, *SCHOOL_WIDE_ROLES})


def student_competencies(*, student, today: dt.date) -> QuerySet[Competency]:
    """The competencies that belong to ``student``: the one answer to "which competencies are theirs",
    read by their mastery page, the goal forms, the mentor's view and the APIs. One query (a lazy
    queryset: usable as a form field's choices, countable, filterable further).

    A competency is theirs when it is
    - aligned to an item of a playlist assigned to them (through an active section enrolment, or to them
      alone: :func:`student_assignments`), or
    - a focus of their learning plan for a term that has not ended (a plan names what they commit to), or
    - one they already have mastery evidence on (practising, ready or mastered: what they earned stays
      theirs after a section or a plan changes; a not-started row is no evidence).

    Prerequisites of their competencies are not added (a locked item names what it needs first), so
    another section's framework never swells their counts."""
    assigned = student_assignments(student=student).values("playlist_id")
    aligned = ContentItem.competencies.through.objects.filter(
        contentitem__placements__playlist_id__in=assigned
    ).values("competency_id")
    planned = PlanFocus.objects.filter(
        plan__student=student, plan__term__end_date__gte=today, competency__isnull=False
    ).values("competency_id")
    evidence = (
        MasteryState.objects.filter(student=student)
        .exclude(status=MasteryStatus.NOT_STARTED)
        .values("competency_id")
    )
    return Competency.objects.filter(Q(pk__in=aligned) | Q(pk__in=planned) | Q(pk__in=evidence))


def student_get(*, user, roles: frozenset[str], student_id: int) -> User:
    student = students_assessed_by(user=user, roles=roles).filter(pk=student_id).first()
    if student is None:
        raise Http404("No such student.")
    student_seen(student_id=student.pk)  # the read-access audit log (buffered: no query here)
    return student


def is_student(*, user) -> bool:
    return Membership.objects.filter(user=user, role=Role.STUDENT, is_active=True).exists()


@dataclass(frozen=True)
class SubjectLevels:
    subject: Subject
    level: int
    total: int
    rows: list  # (competency, state or None)
    next_competency: Competency | None


def levels_for(*, student, today: dt.date) -> list[SubjectLevels]:
    """Levels per subject over the student's own competencies (:func:`student_competencies`: not every
    competency of the school): one level per mastered one; the next level is the first (in framework
    order) not mastered yet. Two queries whatever the number of competencies."""
    mine = student_competencies(student=student, today=today)
    competencies = list(
        mine.select_related("subject").order_by("subject__name", "framework_id", "position", "code")
    )
    states = {
        s.competency_id: s
        for s in MasteryState.objects.filter(student=student, competency_id__in=[c.pk for c in competencies])
    }
    by_subject: dict[int, list] = {}
    subjects: dict[int, Subject] = {}
    for competency in competencies:
        subjects[competency.subject_id] = competency.subject
        by_subject.setdefault(competency.subject_id, []).append((competency, states.get(competency.pk)))
    levels = []
    for subject_id, rows in by_subject.items():
        mastered = [c for c, s in rows if s is not None and s.status == MasteryStatus.MASTERED]
        upcoming = [c for c, s in rows if s is None or s.status != MasteryStatus.MASTERED]
        levels.append(
            SubjectLevels(
                subject=subjects[subject_id],
                level=len(mastered),
                total=len(rows),
                rows=rows,
                next_competency=upcoming[0] if upcoming else None,
            )
        )
    return levels


def mastery_totals(*, student, today: dt.date) -> tuple[int, int]:
    """(mastered, of): "N of M competencies mastered" over the student's own competencies, summed from
    :func:`levels_for` so the total and the per-subject levels can never disagree. Two queries."""
    levels = levels_for(student=student, today=today)
    return sum(subject.level for subject in levels), sum(subject.total for subject in levels)
