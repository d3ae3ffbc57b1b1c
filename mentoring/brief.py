"""The pre-check-in brief: one screen of what changed since the last check-in.

The brief is a list of parts. Each part is a function ``(BriefInput) -> BriefPart | None`` registered in
``BRIEF_PARTS``; it returns ``None`` when it has nothing to say. Later issues add their parts (competencies
mastered, pace) by appending a function and a template, without touching the others; the apps above
mentoring in the layers register theirs from their ``ready`` (the engine's open flags, workshops, the
self-direction level).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q

from learners.models import ProfileChange
from mastery.models import MasteryState, MasteryStatus
from mentoring.models import CheckIn, Goal
from playlists.selectors import student_playlists
from schools.access import StudentAccess


@dataclass(frozen=True)
class BriefInput:
    access: StudentAccess
    last_check_in: CheckIn | None
    today: dt.date

    @property
    def since(self) -> dt.date | None:
        return self.last_check_in.date if self.last_check_in else None


@dataclass(frozen=True)
class BriefPart:
    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)


BriefPartFn = Callable[[BriefInput], BriefPart | None]
BRIEF_PARTS: list[BriefPartFn] = []


def brief_part(fn: BriefPartFn) -> BriefPartFn:
    BRIEF_PARTS.append(fn)
    return fn


@brief_part
def last_check_in_part(brief: BriefInput) -> BriefPart | None:
    return BriefPart(
        key="last_check_in",
        title="Last check-in",
        template="mentoring/brief/_last_check_in.html",
        context={"check_in": brief.last_check_in, "today": brief.today},
    )


@brief_part
def habits_part(brief: BriefInput) -> BriefPart | None:
    """Habits of success at the last check-in, against the one before it."""
    if brief.last_check_in is None:
        return None
    previous = (
        CheckIn.objects.filter(student=brief.access.student, date__lte=brief.last_check_in.date)
        .exclude(pk=brief.last_check_in.pk)
        .order_by("-date", "-pk")
        .first()
    )
    rows = []
    for habit in CheckIn.HABITS:
        now = getattr(brief.last_check_in, habit)
        before = getattr(previous, habit) if previous else None
        trend = (
            ""
            if now is None or before is None
            else ("up" if now > before else "down" if now < before else "same")
        )
        rows.append({"label": CheckIn.HABIT_LABELS[habit], "now": now, "before": before, "trend": trend})
    return BriefPart(
        key="habits",
        title="Habits of success",
        template="mentoring/brief/_habits.html",
        context={"rows": rows},
    )


@brief_part
def goals_part(brief: BriefInput) -> BriefPart | None:
    """What happened to goals since the last check-in, by status (met, partly, not met, open) and overdue.

    "Since" means after the last check-in: a goal due after its day (a goal with no due date: set after it
    was recorded), or one the student reflected on after it was recorded. So goals reviewed at that check-in,
    or due by its day, are not news (the mentor saw them then), and an old overdue goal does not come back
    in every brief (the overdue-goal flag keeps it in sight). Before any check-in, every goal (the newest
    30)."""
    goals = Goal.objects.filter(student=brief.access.student)
    last = brief.last_check_in
    if last is not None:
        goals = goals.filter(
            Q(due_date__gt=last.date)
            | Q(due_date__isnull=True, created_at__gt=last.created_at)
            | Q(reflected_at__gt=last.created_at)
        )
    goals = list(goals.order_by("-week_of", "pk")[:30])
    by_status: dict[str, list[Goal]] = {s: [] for s in Goal.Status.values}
    overdue = []
    for goal in goals:
        if goal.is_overdue_on(brief.today):
            overdue.append(goal)
        else:
            by_status[goal.status].append(goal)
    return BriefPart(
        key="goals",
        title="Goals since then",
        template="mentoring/brief/_goals.html",
        context={
            "met": by_status["met"],
            "partly": by_status["partly"],
            "not_met": by_status["not_met"],
            "open": by_status["open"],
            "overdue": overdue,
            "after_check_in": last is not None,
        },
    )


@brief_part
def profile_part(brief: BriefInput) -> BriefPart | None:
    changes = ProfileChange.objects.filter(profile__student=brief.access.student).select_related("changed_by")
    if brief.since:
        changes = changes.filter(changed_at__date__gte=brief.since)
    if not brief.access.sees_staff_fields:
        changes = changes.exclude(field="accommodations")
    changes = list(changes[:10])
    if not changes:
        return None
    return BriefPart(
        key="profile",
        title="Profile changes",
        template="mentoring/brief/_profile.html",
        context={"changes": changes},
    )


MAX_MASTERED = 20


@brief_part
def mastered_part(brief: BriefInput) -> BriefPart | None:
    """Competencies mastered since the last check-in (all, most recent first, when there was none)."""
    states = MasteryState.objects.filter(
        student=brief.access.student, status=MasteryStatus.MASTERED, mastered_at__isnull=False
    )
    if brief.since:
        states = states.filter(mastered_at__date__gte=brief.since)
    states = list(states.select_related("competency").order_by("-mastered_at", "pk")[: MAX_MASTERED + 1])
    if not states:
        return None
    return BriefPart(
        key="mastered",
        title="Competencies mastered" + (" since then" if brief.since else ""),
        template="mentoring/brief/_mastered.html",
        context={"states": states[:MAX_MASTERED], "more": len(states) > MAX_MASTERED},
    )


@brief_part
def pace_part(brief: BriefInput) -> BriefPart | None:
    """Pace on each assigned playlist (done against the time elapsed to the target date)."""
    rows, _ = student_playlists(student=brief.access.student, today=brief.today)
    if not rows:
        return None
    return BriefPart(
        key="pace", title="Pace on playlists", template="mentoring/brief/_pace.html", context={"rows": rows}
    )


def brief_build(*, access: StudentAccess, today: dt.date) -> list[BriefPart]:
    last = CheckIn.objects.filter(student=access.student).order_by("-date", "-pk").first()
    brief = BriefInput(access=access, last_check_in=last, today=today)
    return [part for fn in BRIEF_PARTS if (part := fn(brief)) is not None]
