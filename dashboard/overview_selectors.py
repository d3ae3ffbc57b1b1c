"""Reads of the school and district overviews: per section and per school, mastery progress, the share of
students behind pace, open flags and check-ins overdue."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from dashboard.selectors import sections_dashboards
from engine.models import Flag, FlagKind, SchoolThresholds
from engine.policy.flag_lifecycle import LIVE
from engine.policy.snapshot import DEFAULTS as DEFAULT_THRESHOLDS
from engine.selectors import thresholds_for_school
from mastery.models import MasteryState, MasteryStatus
from mentoring.models import CheckIn, MentorAssignment
from playlists.pace import Pace
from schools.models import Enrollment, School, Section


@dataclass
class OverviewRow:
    name: str
    students: int
    mastered: int
    cells: int
    behind: int
    open_flags: int
    check_ins_overdue: int
    section: Section | None = None
    school: School | None = None

    @property
    def mastery_percent(self) -> int:
        return round(100 * self.mastered / self.cells) if self.cells else 0

    @property
    def behind_percent(self) -> int:
        return round(100 * self.behind / self.students) if self.students else 0


def overdue_check_in_students(*, today: dt.date) -> set[int]:
    """Mentored students whose last check-in is older than the school's check-in interval (or who never
    had one): two queries for the whole school."""
    days = thresholds_for_school().check_in_days
    mentored = set(MentorAssignment.objects.filter(is_active=True).values_list("student_id", flat=True))
    last = dict(
        CheckIn.objects.filter(student_id__in=mentored)
        .order_by()
        .values("student_id")
        .annotate(last=Max("date"))
        .values_list("student_id", "last")
    )
    cutoff = today - dt.timedelta(days=days)
    return {s for s in mentored if last.get(s) is None or last[s] < cutoff}


def school_overview(*, today: dt.date) -> list[OverviewRow]:
    """One row per section of the active school. Each section's numbers come from the same computation as
    its dashboard, so the overview never disagrees with the dashboards: 8 queries for the whole school,
    whatever the number of sections."""
    overdue = overdue_check_in_students(today=today)
    sections = list(Section.objects.select_related("term").order_by("name", "pk"))
    dashboards = sections_dashboards(sections=sections, today=today)
    rows = []
    for section in sections:
        dashboard = dashboards[section.pk]
        ids = {row.student.pk for row in dashboard.rows}
        rows.append(
            OverviewRow(
                name=section.name,
                section=section,
                students=len(ids),
                mastered=sum(row.mastered for row in dashboard.rows),
                cells=len(ids) * len(dashboard.competencies),
                behind=sum(row.pace == Pace.BEHIND for row in dashboard.rows),
                open_flags=sum(len(row.flags) for row in dashboard.rows),
                check_ins_overdue=len(ids & overdue),
            )
        )
    return rows


def district_summaries(*, schools: list[School], today: dt.date) -> list[OverviewRow]:
    """The district view: one row per school, read from precomputed state (mastery states, live flags;
    behind pace = a live behind-pace flag, as the engine judged it) in 6 queries for the whole district.

    ``schools`` are the caller's district's schools, already authorized: the reads are unscoped on
    purpose and filtered by those schools' ids explicitly."""
    ids = [school.pk for school in schools]
    students: dict[int, set[int]] = {pk: set() for pk in ids}
    for school_id, user_id in (
        Enrollment.objects.unscoped()
        .filter(school_id__in=ids, role=Enrollment.SectionRole.STUDENT, is_active=True)
        .values_list("school_id", "user_id")
    ):
        students[school_id].add(user_id)
    states = {
        row["school_id"]: row
        for row in MasteryState.objects.unscoped()
        .filter(school_id__in=ids)
        .values("school_id")
        .annotate(cells=Count("pk"), mastered=Count("pk", filter=Q(status=MasteryStatus.MASTERED)))
    }
    flags = {
        row["school_id"]: row
        for row in Flag.objects.unscoped()
        .filter(school_id__in=ids, status__in=list(LIVE))
        .values("school_id")
        .annotate(
            open=Count("pk"),
            behind=Count("student_id", distinct=True, filter=Q(kind=FlagKind.BEHIND_PACE)),
        )
    }
    check_in_days = {
        row.school_id: row.as_policy().check_in_days
        for row in SchoolThresholds.objects.unscoped().filter(school_id__in=ids)
    }
    mentored = set(
        MentorAssignment.objects.unscoped()
        .filter(school_id__in=ids, is_active=True)
        .values_list("school_id", "student_id")
    )
    last = {
        (school_id, student_id): day
        for school_id, student_id, day in CheckIn.objects.unscoped()
        .filter(school_id__in=ids)
        .order_by()
        .values("school_id", "student_id")
        .annotate(last=Max("date"))
        .values_list("school_id", "student_id", "last")
    }
    overdue: dict[int, int] = dict.fromkeys(ids, 0)
    for school_id, student_id in mentored:
        cutoff = today - dt.timedelta(days=check_in_days.get(school_id, DEFAULT_THRESHOLDS.check_in_days))
        seen = last.get((school_id, student_id))
        if student_id in students[school_id] and (seen is None or seen < cutoff):
            overdue[school_id] += 1
    return [
        OverviewRow(
            name=school.name,
            school=school,
            students=len(students[school.pk]),
            mastered=states.get(school.pk, {}).get("mastered", 0),
            cells=states.get(school.pk, {}).get("cells", 0),
            behind=flags.get(school.pk, {}).get("behind", 0),
            open_flags=flags.get(school.pk, {}).get("open", 0),
            check_ins_overdue=overdue[school.pk],
        )
        for school in schools
    ]
