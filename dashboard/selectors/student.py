"""Reads of the student drill-down: mastery, the evidence timeline, goals and SHARED check-in notes,
projects, flags with evidence, and the engine's "Next up and why"."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from dashboard.charts import Point, cumulative
from engine.models import Flag, StudentRecommendation
from engine.my_work import my_work
from engine.policy.pace import PACE_TOLERANCE, pace_definition
from mastery.models import EvidenceEvent, MasteryState
from mentoring.models import CheckIn, Goal
from playlists.models import ItemProgress
from playlists.pace import PaceReading, ReadsPace
from playlists.projects.selectors import student_projects
from schools.access import student_in_care_get

# Fields of a check-in an adult on this page may read: never ``private_notes`` (teachers must not see them,
# and the drill-down is the same page for everyone).
SHARED_CHECK_IN_FIELDS = ("date", "format", "shared_notes", "next_steps", "follow_up_date", "mentor")


def drilldown_student_get(*, user, roles: frozenset[str], student_id: int):
    """A student in the caller's care (teachers: their sections' students; mentors: their mentees; school
    and district admins: the school's students), or 404 for anyone else and for other schools."""
    return student_in_care_get(user=user, roles=roles, student_id=student_id)


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str
    text: str
    outcome: float | None = None


class Timeline:
    """Evidence events and finished items, newest first, as one list a Paginator can slice: a page reads
    ``offset + per_page`` rows of each source, never the whole history."""

    def __init__(self, *, student):
        self.events = EvidenceEvent.objects.filter(student=student).select_related("competency")
        self.items = ItemProgress.objects.filter(
            student=student, status=ItemProgress.Status.DONE, completed_at__isnull=False
        ).select_related("item")
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.events.count() + self.items.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[TimelineEntry]:
        stop = window.stop or 0
        entries = [
            TimelineEntry(
                e.created_at,
                e.get_source_display(),
                f"{e.competency.code}: {e.get_status_before_display()} → {e.get_status_after_display()}"
                + (f" ({e.reason})" if e.reason else ""),
                e.outcome,
            )
            for e in self.events.order_by("-created_at", "-pk")[:stop]
        ] + [
            TimelineEntry(p.completed_at, "Item done", p.item.title)
            for p in self.items.order_by("-completed_at", "-pk")[:stop]
        ]
        entries.sort(key=lambda e: e.at, reverse=True)
        return entries[window]


@dataclass
class PlanChart(ReadsPace):
    title: str
    start: dt.date
    target: dt.date
    reading: PaceReading  # the status, its numbers and its explanation
    points: list[Point]


def student_drilldown(*, student, today: dt.date) -> dict:
    states = list(
        MasteryState.objects.filter(student=student)
        .select_related("competency")
        .order_by("competency__code", "competency_id")
    )
    work = my_work(student=student, today=today)
    completed = dict(
        ItemProgress.objects.filter(
            student=student, status=ItemProgress.Status.DONE, completed_at__isnull=False
        ).values_list("item_id", "completed_at")
    )
    plans = []
    for row in work.playlists[:4]:
        counted = {p.item_id for p in row.placements if p.counts_as_required or p.choice_board_id}
        # The school's day each counted item was done: marked done, or its last competency mastered.
        days = sorted(
            timezone.localdate(completed[i]) if i in completed else row.mastered_on[i]
            for i in counted
            if i in completed or i in row.mastered_on
        )
        points = [Point(p.day, min(p.value, row.needed_units)) for p in cumulative(days)]
        plans.append(
            PlanChart(row.playlist.title, row.start_date, row.target_date, row.reading, points)
        )  # fmt: skip
    return {
        "states": states,
        "goals": list(Goal.objects.filter(student=student).order_by("-created_at", "-pk")[:10]),
        "check_ins": list(
            CheckIn.objects.filter(student=student)
            .select_related("mentor")
            .only(*SHARED_CHECK_IN_FIELDS)
            .order_by("-date", "-pk")[:10]
        ),
        "projects": student_projects(student=student),
        "flags": list(Flag.objects.filter(student=student).select_related("student", "handled_by")[:20]),
        "next_up": list(
            StudentRecommendation.objects.filter(student=student)
            .select_related("item", "playlist", "competency")
            .order_by("rank")[:5]
        ),
        "plans": plans,
        "section_paces": work.section_paces,
        "pace_definition": pace_definition(
            work.section_paces[0][1].tolerance if work.section_paces else PACE_TOLERANCE
        ),
    }
