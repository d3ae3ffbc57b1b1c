"""Reads of the school and district overviews. Every number is read from the section dashboards
(``sections_dashboards``, the same computation as each class dashboard) and defined once, in
``DEFINITIONS``, which the page prints under the table.

A row holds sets (students, their competencies, flags), so a whole is the union of its parts, never their
sum: a student in two sections is in both sections' rows and once in the school's total. A school's row on
the district overview is that school's total; the district's total adds the schools up."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone

from dashboard.selectors.grid import SectionDashboard, sections_dashboards
from dashboard.selectors.reads import school_rows
from engine.policy.flags import check_in_missed
from engine.policy.pace import PACE_TOLERANCE, pace_definition
from engine.policy.snapshot import CheckInView
from engine.school_policy import policy_of
from mastery.models import MasteryStatus
from mentoring.models import CheckIn
from playlists.pace import Pace
from plp.tenancy.context import current_school_id, district_scope
from schools.models import MentorAssignment, School, SchoolSettings, Section

# What each column means, shown on the page under the table (one definition per number).
DEFINITIONS = (
    (
        "Students",
        "People with an active student enrolment in a section (as on the home page and each class "
        "dashboard). A student in two sections is counted in both sections' rows and once in the total; "
        "someone with a student role but no section is not counted.",
    ),
    (
        "Competencies mastered",
        "Of each student's competencies in a section (those of the section's playlists, the columns of its "
        "dashboard), the share they have mastered. In a total each student × competency counts once, "
        "however many of their sections teach it.",
    ),
    (
        "Behind pace",
        "Students whose pace in the section is behind (see below); in a total, students behind in at least "
        "one of their sections.",
    ),
    (
        "Open flags",
        "Live flags (open or acknowledged) of these students, as each class dashboard lists them: those "
        "about the student as a whole, or about the section, its playlists or its competencies; each flag "
        "counts once in a total.",
    ),
    (
        "Check-ins overdue",
        "Of these students with an active mentor, those whose check-in is overdue, as the missed check-in "
        "flag has it: the follow-up date their mentor set, or else the school's check-in interval since "
        "the last check-in (or since mentoring began), passed by more than the grace days.",
    ),
)
DISTRICT_NOTE = (
    "Each school's row is its school overview's total. The district total adds the schools up: someone "
    "enrolled in two schools counts in each."
)


@dataclass
class Tally:
    """Who and what a row counts, as sets, so that a total is a union."""

    competencies: dict[int, set[int]] = field(default_factory=dict)  # student → their competencies here
    mastered: dict[int, set[int]] = field(default_factory=dict)  # student → competencies mastered here
    behind: set[int] = field(default_factory=set)
    flags: set[int] = field(default_factory=set)
    overdue: set[int] = field(default_factory=set)

    def add(self, other: "Tally") -> None:
        for mine, theirs in ((self.competencies, other.competencies), (self.mastered, other.mastered)):
            for student, ids in theirs.items():
                mine.setdefault(student, set()).update(ids)
        self.behind |= other.behind
        self.flags |= other.flags
        self.overdue |= other.overdue


def dashboard_tally(dashboard: SectionDashboard, *, overdue: set[int]) -> Tally:
    """A section's numbers from its dashboard: its students, their cells, paces and live flags."""
    columns = [c.pk for c in dashboard.competencies]
    tally = Tally()
    for row in dashboard.rows:
        student = row.student.pk
        tally.competencies[student] = set(columns)
        tally.mastered[student] = {
            pk
            for pk, (status, _p) in zip(columns, row.cells, strict=True)
            if status == MasteryStatus.MASTERED
        }
        if row.pace is Pace.BEHIND:
            tally.behind.add(student)
        tally.flags.update(flag.pk for flag in row.flags)
        if student in overdue:
            tally.overdue.add(student)
    return tally


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
    is_total: bool = False

    @classmethod
    def of(cls, name: str, tally: Tally, **kwargs) -> "OverviewRow":
        return cls(
            name=name,
            students=len(tally.competencies),
            mastered=sum(len(ids) for ids in tally.mastered.values()),
            cells=sum(len(ids) for ids in tally.competencies.values()),
            behind=len(tally.behind),
            open_flags=len(tally.flags),
            check_ins_overdue=len(tally.overdue),
            **kwargs,
        )

    @classmethod
    def sum(cls, name: str, rows: list["OverviewRow"]) -> "OverviewRow":
        """Rows about different schools added up (nobody is in two of them as the same school's student)."""
        numbers = ("students", "mastered", "cells", "behind", "open_flags", "check_ins_overdue")
        return cls(name=name, is_total=True, **{n: sum(getattr(r, n) for r in rows) for n in numbers})

    @property
    def mastery_percent(self) -> int:
        return round(100 * self.mastered / self.cells) if self.cells else 0

    @property
    def behind_percent(self) -> int:
        return round(100 * self.behind / self.students) if self.students else 0


@dataclass
class Overview:
    rows: list[OverviewRow]
    total: OverviewRow
    definitions: tuple = DEFINITIONS
    pace_definition: str = ""


def overdue_check_ins(*, today: dt.date, school_ids: list[int] | None = None) -> dict[int, set[int]]:
    """Per school, mentored students whose check-in is missed by the engine's one rule
    (``check_in_missed``: the mentor's follow-up date, or the school's cadence since the last check-in or
    since mentoring began, past by more than the grace): two queries for the active school, or for
    ``school_ids`` (the district's schools, already authorized)."""
    cadences = {row.school_id: row for row in school_rows(SchoolSettings, school_ids)}  # the schools' own
    latest = (
        school_rows(CheckIn, school_ids)
        .filter(school_id=OuterRef("school_id"), student_id=OuterRef("student_id"))
        .order_by("-date", "-pk")
    )
    overdue: dict[int, set[int]] = {pk: set() for pk in school_ids or [current_school_id()]}
    mentored = (
        school_rows(MentorAssignment, school_ids)
        .filter(is_active=True)
        .order_by()
        .values("school_id", "student_id")
        .annotate(
            since=Min("created_at"),
            last=Subquery(latest.values("date")[:1]),
            follow_up=Subquery(latest.values("follow_up_date")[:1]),
        )
        .values_list("school_id", "student_id", "since", "last", "follow_up")
    )
    for school_id, student_id, since, last, follow_up in mentored:
        check_in = CheckInView(
            last_on=last,
            follow_up_on=follow_up,
            has_mentor=True,
            mentored_since=timezone.localdate(since),
        )
        policy = policy_of(settings=cadences.get(school_id))
        if check_in_missed(check_in, today=today, thresholds=policy):
            overdue.setdefault(school_id, set()).add(student_id)
    return overdue


def _pace_definition(dashboards) -> str:
    """Pace's definition with the tolerance the students shown were judged with (the schools' own)."""
    margins = {d.pace_margin for d in dashboards if d.rows}
    if len(margins) > 1:
        return pace_definition(None)
    return pace_definition(margins.pop() if margins else PACE_TOLERANCE)


def school_overview(*, today: dt.date) -> Overview:
    """One row per section of the active school and the school's total (the union of its sections),
    8 queries whatever the number of sections."""
    overdue = overdue_check_ins(today=today)[current_school_id()]
    sections = list(Section.objects.select_related("term").order_by("name", "pk"))
    dashboards = sections_dashboards(sections=sections, today=today)
    whole = Tally()
    rows = []
    for section in sections:
        tally = dashboard_tally(dashboards[section.pk], overdue=overdue)
        whole.add(tally)
        rows.append(OverviewRow.of(section.name, tally, section=section))
    total = OverviewRow.of("Whole school (each student once)", whole, is_total=True)
    return Overview(rows=rows, total=total, pace_definition=_pace_definition(dashboards.values()))


def district_overview(*, schools: list[School], today: dt.date) -> Overview:
    """One row per school, each its school overview's total, read with the same section dashboards for
    every school at once (a constant number of queries, whatever the number of schools), and the
    district's total, their sum.

    ``schools`` are the caller's district's schools, already authorized: the reads are unscoped on
    purpose and filtered by those schools' ids explicitly, and the database shows that district's schools
    for them (row-level security: ``district_scope``)."""
    districts = {school.organization_id for school in schools}
    if len(districts) > 1:
        raise ValueError("A district overview covers the schools of one district.")
    if not districts:
        return _district_overview(schools=schools, today=today)
    with district_scope(districts.pop()):
        return _district_overview(schools=schools, today=today)


def _district_overview(*, schools: list[School], today: dt.date) -> Overview:
    ids = [school.pk for school in schools]
    overdue = overdue_check_ins(today=today, school_ids=ids)
    sections = list(school_rows(Section, ids).select_related("term").order_by("name", "pk"))
    dashboards = sections_dashboards(sections=sections, today=today, school_ids=ids)
    wholes = {pk: Tally() for pk in ids}
    for section in sections:
        wholes[section.school_id].add(
            dashboard_tally(dashboards[section.pk], overdue=overdue.get(section.school_id, set()))
        )
    rows = [OverviewRow.of(school.name, wholes[school.pk], school=school) for school in schools]
    return Overview(
        rows=rows,
        total=OverviewRow.sum("District (the schools added up)", rows),
        pace_definition=_pace_definition(dashboards.values()),
    )
