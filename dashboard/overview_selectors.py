"""Reads of the school and district overviews: per section and per school, mastery progress, the share of
students behind pace, open flags and check-ins overdue."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from dashboard.selectors import sections_dashboards
from engine.models import Flag, FlagKind
from engine.policy.flag_lifecycle import LIVE
from engine.selectors import thresholds_for_school
from mastery.models import MasteryState, MasteryStatus
from mentoring.models import CheckIn, MentorAssignment
from playlists.pace import Pace
from plp.tenancy.context import school_scope
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


def school_summary(*, school: School, today: dt.date) -> OverviewRow:
    """The district view of one school, read inside that school's scope from precomputed state: mastery
    states, live flags (behind pace = a live behind-pace flag, as the engine judged it)."""
    with school_scope(school):
        students = set(
            Enrollment.objects.filter(role=Enrollment.SectionRole.STUDENT, is_active=True).values_list(
                "user_id", flat=True
            )
        )
        states = MasteryState.objects.aggregate(
            cells=Count("pk"), mastered=Count("pk", filter=Q(status=MasteryStatus.MASTERED))
        )
        flags = Flag.objects.filter(status__in=list(LIVE)).aggregate(
            open=Count("pk"),
            behind=Count("student_id", distinct=True, filter=Q(kind=FlagKind.BEHIND_PACE)),
        )
        overdue = overdue_check_in_students(today=today)
    return OverviewRow(
        name=school.name,
        school=school,
        students=len(students),
        mastered=states["mastered"],
        cells=states["cells"],
        behind=flags["behind"],
        open_flags=flags["open"],
        check_ins_overdue=len(overdue & students),
    )
