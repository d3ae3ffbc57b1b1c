"""Reads about goals and check-ins. Students are reached through schools.access.student_access_get."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from engine.policy.flags import check_in_missed
from engine.policy.snapshot import CheckInView, Thresholds
from mentoring.models import CheckIn, CheckInChange, CheckInGoalReview, Goal, GoalChange
from playlists.models import Competency, ContentItem
from schools import policy_defaults
from schools.access import StudentAccess, student_access_get
from schools.models import MentorAssignment, SchoolSettings

PLAN_NEXT_WEEK_FROM = 4  # Friday (Monday is 0): next week's goals can be set from then on
CHECK_IN_DUE_DAYS = policy_defaults.CHECK_IN_DAYS  # a school without its own settings: the default
CHECK_IN_GRACE_DAYS = policy_defaults.CHECK_IN_GRACE_DAYS
MAX_WEEKLY_GOALS = 3


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def week_end(monday: dt.date) -> dt.date:
    return monday + dt.timedelta(days=6)


def week_open_for_goals(*, monday: dt.date, today: dt.date, goals_that_week: int) -> bool:
    """The weeks goals are set for: this week, and next week from ``PLAN_NEXT_WEEK_FROM`` on (or once it has
    goals). The goals page offers forms for these weeks; the service (so the API too) refuses any other."""
    this_monday = week_start(today)
    if monday == this_monday:
        return True
    is_next = monday == this_monday + dt.timedelta(weeks=1)
    return is_next and (today.weekday() >= PLAN_NEXT_WEEK_FROM or goals_that_week > 0)


def school_cadence() -> tuple[int, int]:
    """The school's check-in cadence and grace in days (its own settings, else the defaults): the mentee
    list's legend states the rule its rows are judged by (it stated the defaults whatever the school set)."""
    own = SchoolSettings.objects.values_list("check_in_days", "check_in_grace_days").first()
    return own or (CHECK_IN_DUE_DAYS, CHECK_IN_GRACE_DAYS)


@dataclass
class MenteeRow:
    assignment: MentorAssignment
    last_check_in: dt.date | None
    follow_up: dt.date | None
    overdue_goals: int
    open_goals_this_week: int
    today: dt.date

    @property
    def student(self):
        return self.assignment.student

    @property
    def days_since(self) -> int | None:
        return None if self.last_check_in is None else (self.today - self.last_check_in).days

    check_in_days: int = CHECK_IN_DUE_DAYS  # the school's cadence (SchoolSettings), the flag's own
    check_in_grace_days: int = CHECK_IN_GRACE_DAYS  # and its grace

    @property
    def is_overdue(self) -> bool:
        """The engine's missed check-in rule (``check_in_missed``, the flag's): past the agreed follow-up
        date, or the school's cadence since the last check-in (or since mentoring began), by more than
        the grace days."""
        check_in = CheckInView(
            last_on=self.last_check_in,
            follow_up_on=self.follow_up,
            has_mentor=True,
            mentored_since=timezone.localdate(self.assignment.created_at),
        )
        thresholds = Thresholds(
            check_in_days=self.check_in_days, check_in_grace_days=self.check_in_grace_days
        )
        return check_in_missed(check_in, today=self.today, thresholds=thresholds)


def mentee_list(*, mentor, today: dt.date) -> list[MenteeRow]:
    """The mentor's mentees, overdue first (never checked in first of all), then by days since their last
    check-in, most first. One query whatever the number of mentees."""
    latest = CheckIn.objects.filter(student=OuterRef("student_id")).order_by("-date", "-pk")
    overdue = (
        Goal.objects.filter(student=OuterRef("student_id"), status=Goal.Status.OPEN, due_date__lt=today)
        .order_by()
        .values("student")
        .annotate(n=Count("pk"))
        .values("n")
    )
    this_week = (
        Goal.objects.filter(
            student=OuterRef("student_id"),
            kind=Goal.Kind.WEEKLY,
            week_of=week_start(today),
            status=Goal.Status.OPEN,
        )
        .order_by()
        .values("student")
        .annotate(n=Count("pk"))
        .values("n")
    )
    cadence = SchoolSettings.objects.filter(school_id=OuterRef("school_id"))  # the school's own, or none
    assignments = (
        MentorAssignment.objects.filter(mentor=mentor, is_active=True)
        .select_related("student")
        .annotate(
            last_check_in=Subquery(latest.values("date")[:1]),
            follow_up=Subquery(latest.values("follow_up_date")[:1]),
            overdue_goals=Coalesce(Subquery(overdue), 0),
            open_goals_this_week=Coalesce(Subquery(this_week), 0),
            check_in_days=Coalesce(Subquery(cadence.values("check_in_days")[:1]), CHECK_IN_DUE_DAYS),
            check_in_grace_days=Coalesce(
                Subquery(cadence.values("check_in_grace_days")[:1]), CHECK_IN_GRACE_DAYS
            ),
        )
        .order_by(F("last_check_in").asc(nulls_first=True), "student__family_name", "student__given_name")
    )
    rows = [
        MenteeRow(
            assignment=a,
            last_check_in=a.last_check_in,
            follow_up=a.follow_up,
            overdue_goals=a.overdue_goals,
            open_goals_this_week=a.open_goals_this_week,
            today=today,
            check_in_days=a.check_in_days,
            check_in_grace_days=a.check_in_grace_days,
        )
        for a in assignments
    ]
    # Stable: keeps the days-since order inside each group.
    rows.sort(key=lambda row: (not row.is_overdue, row.last_check_in is not None))
    return rows


# Lists, not prefetched querysets: see learners.selectors (a scoped queryset's cache is fetched again).
GOAL_COMPETENCIES = Prefetch(
    "competencies", queryset=Competency.objects.order_by("code"), to_attr="competency_list"
)
GOAL_ITEMS = Prefetch(
    "items", queryset=ContentItem.objects.only("pk", "title").order_by("title"), to_attr="item_list"
)
REVIEWS = Prefetch(
    "goal_reviews",
    queryset=CheckInGoalReview.objects.select_related("goal").order_by("pk"),
    to_attr="review_list",
)


def goals_of(*, student) -> QuerySet[Goal]:
    return Goal.objects.filter(student=student).prefetch_related(GOAL_COMPETENCIES, GOAL_ITEMS)


def goal_get(*, user, roles: frozenset[str], goal_id: int) -> tuple[Goal, StudentAccess]:
    """A goal of the active school whose student the caller may see, or 404."""
    goal = Goal.objects.filter(pk=goal_id).first()
    if goal is None:
        raise Http404("No such goal.")
    access = student_access_get(
        user=user, roles=roles, student_id=goal.student_id, audit_object=("goal", goal.pk)
    )
    return goal, access


def goal_board(*, student, today: dt.date, weeks: int = 4) -> dict:
    """This week's and next week's goals, the previous weeks' goals, long-range goals, and the overdue
    ones. Next week can be planned from ``PLAN_NEXT_WEEK_FROM`` on (the end of the week, when students
    reflect), or whenever it has goals already."""
    monday = week_start(today)
    next_monday = monday + dt.timedelta(weeks=1)
    since = monday - dt.timedelta(weeks=weeks)
    goals = list(goals_of(student=student).filter(Q(kind=Goal.Kind.LONG_RANGE) | Q(week_of__gte=since)))
    for goal in goals:
        goal.is_overdue = goal.is_overdue_on(today)
    weekly = [g for g in goals if g.kind == Goal.Kind.WEEKLY]
    past_weeks: dict[dt.date, list[Goal]] = {}
    for goal in weekly:
        if goal.week_of < monday:
            past_weeks.setdefault(goal.week_of, []).append(goal)
    next_week = [g for g in weekly if g.week_of == next_monday]
    return {
        "monday": monday,
        "this_week": [g for g in weekly if g.week_of == monday],
        "next_monday": next_monday,
        "next_week": next_week,
        "plans_next_week": week_open_for_goals(
            monday=next_monday, today=today, goals_that_week=len(next_week)
        ),
        "past_weeks": sorted(past_weeks.items(), reverse=True),
        "long_range": [g for g in goals if g.kind == Goal.Kind.LONG_RANGE],
        "overdue": [g for g in goals if g.is_overdue],
    }


def check_ins_of(*, student, access: StudentAccess | None = None) -> QuerySet[CheckIn]:
    """A student's check-ins, newest first. With ``access``, each carries ``visible_edits``: how many of
    its corrections the reader may see (a private-notes correction is no news to the student)."""
    check_ins = CheckIn.objects.filter(student=student).select_related("mentor").prefetch_related(REVIEWS)
    if access is None:
        return check_ins
    fields = [f for f in CheckIn.OWN_FIELDS if access.sees_private_notes or f not in PRIVATE_CHECK_IN_FIELDS]
    edits = Count("changes", filter=Q(changes__field__in=fields))
    return check_ins.annotate(visible_edits=edits).order_by(*CheckIn._meta.ordering)  # GROUP BY drops it


def check_in_get(*, user, roles: frozenset[str], check_in_id: int) -> tuple[CheckIn, StudentAccess]:
    """A check-in of a student the caller may see, or 404 (another student's check-in: 404)."""
    check_in = check_ins_of_any().filter(pk=check_in_id).first()
    if check_in is None:
        raise Http404("No such check-in.")
    access = student_access_get(
        user=user, roles=roles, student_id=check_in.student_id, audit_object=("check_in", check_in.pk)
    )
    return check_in, access


def check_ins_of_any() -> QuerySet[CheckIn]:
    return CheckIn.objects.select_related("mentor").prefetch_related(REVIEWS)


PRIVATE_CHECK_IN_FIELDS = ("private_notes",)
CHECK_IN_HISTORY_LIMIT = 50


def check_in_changes(*, check_in: CheckIn, access: StudentAccess) -> list[CheckInChange]:
    """Corrections of a check-in, newest edit first (an edit's fields in the form's order). A change of
    private notes carries their text, old and new: it is left out here for anyone who may not read private
    notes, so no page or API can show it."""
    changes = CheckInChange.objects.filter(check_in=check_in).select_related("changed_by")
    if not access.sees_private_notes:
        changes = changes.exclude(field__in=PRIVATE_CHECK_IN_FIELDS)
    return list(changes.order_by("-changed_at", "pk")[:CHECK_IN_HISTORY_LIMIT])


def check_in_with_history(*, user, roles: frozenset[str], check_in_id: int) -> tuple[CheckIn, StudentAccess]:
    """``check_in_get``, with ``change_list``: the corrections the caller may see (the newest one is the
    "Edited … by …" line, so a private-notes-only correction is no news to the student either)."""
    check_in, access = check_in_get(user=user, roles=roles, check_in_id=check_in_id)
    check_in.change_list = check_in_changes(check_in=check_in, access=access)
    return check_in, access


def goal_history(*, student, limit: int = 50) -> list[GoalChange]:
    return list(
        GoalChange.objects.filter(goal__student=student)
        .select_related("goal", "changed_by")
        .order_by("-changed_at", "-pk")[:limit]
    )


def goals_to_review(*, student, today: dt.date) -> list[Goal]:
    """Goals a check-in reviews: weekly goals of the last two weeks and open long-range goals."""
    since = week_start(today) - dt.timedelta(weeks=2)
    return list(
        Goal.objects.filter(student=student)
        .filter(
            Q(kind=Goal.Kind.WEEKLY, week_of__gte=since)
            | Q(kind=Goal.Kind.LONG_RANGE, status=Goal.Status.OPEN)
        )
        .order_by("kind", "-week_of", "pk")
    )
