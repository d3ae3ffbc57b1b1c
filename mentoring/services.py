"""Writes about goals and check-ins: one transaction per use case, ``full_clean()`` before saving, and every
change of a goal or of a recorded check-in kept (field, old, new, who, when)."""

import calendar
import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mastery.selectors import student_competencies
from mentoring.models import CheckIn, CheckInChange, CheckInGoalReview, Goal, GoalChange
from mentoring.selectors import (
    MAX_WEEKLY_GOALS,
    PLAN_NEXT_WEEK_FROM,
    week_end,
    week_open_for_goals,
    week_start,
)
from playlists.models import Competency, ContentItem
from plp import self_direction
from plp.recompute import recompute_on_commit
from plp.tenancy.context import current_school_id
from plp.timefmt import format_moment
from schools.access import StudentAccess


def _log(goal: Goal, actor, field: str, old, new) -> GoalChange:
    return GoalChange.of(goal, field=field, old=old, new=new, actor=actor)


@transaction.atomic
def weekly_goals_set(
    *,
    access: StudentAccess,
    actor,
    week_of: dt.date,
    texts: list[str],
    competencies: list[Competency] | None = None,
    items: list[ContentItem] | None = None,
    today: dt.date | None = None,
) -> list[Goal]:
    """Add goals for the week starting ``week_of``: one to three per week in all, optionally linked to
    playlist items of the school and to competencies of the student's own (:func:`student_competencies`).
    Only the weeks the goals page offers are accepted (``today``: the school's date, as the page saw it).

    Long on purpose: the refusals, then the lock, the count and the writes, in the order one transaction
    must take them."""
    if not access.manages_goals:
        raise PermissionDenied("Only the student and their mentors set goals.")
    today = today or timezone.localdate()
    if any(item.school_id != current_school_id() for item in items or ()):
        raise ValidationError({"items": "Link goals to items of this school only."})
    if competencies:
        theirs = set(
            student_competencies(student=access.student, today=today)
            .filter(pk__in=[c.pk for c in competencies])
            .values_list("pk", flat=True)
        )
        if others := [c.code for c in competencies if c.pk not in theirs]:
            raise ValidationError(
                {"competencies": f"Not one of the student's competencies: {', '.join(others)}."}
            )
    texts = [" ".join(t.split()) for t in texts if t and t.strip()]
    if not texts:
        raise ValidationError("Write at least one goal for the week.")
    monday = week_start(week_of)
    # The student's self-direction level decides which goals they set themselves (agency).
    self_direction.goal_setting_check(access=access, week_of=monday, this_monday=week_start(today))
    # The student's row, locked: a week's goals are counted and added by one request at a time (locking
    # the week's goals alone would lock nothing when the week has none yet, and two first submissions
    # could then make six).
    get_user_model().objects.select_for_update().filter(pk=access.student.pk).first()
    existing = Goal.objects.filter(student=access.student, kind=Goal.Kind.WEEKLY, week_of=monday).count()
    if not week_open_for_goals(monday=monday, today=today, goals_that_week=existing):
        raise ValidationError(
            {
                "week_of": "Goals are set for this week, or for next week from "
                f"{calendar.day_name[PLAN_NEXT_WEEK_FROM]} on."
            }
        )
    if existing + len(texts) > MAX_WEEKLY_GOALS:
        raise ValidationError(f"A week has 1 to {MAX_WEEKLY_GOALS} goals; this week already has {existing}.")
    goals = []
    for text in texts:
        goal = Goal(
            school_id=current_school_id(),
            student=access.student,
            kind=Goal.Kind.WEEKLY,
            text=text,
            week_of=monday,
            due_date=week_end(monday),
            created_by=actor,
        )
        goal.full_clean()
        goal.save()
        if competencies:
            goal.competencies.set(competencies)
        if items:
            goal.items.set(items)
        goals.append(goal)
    GoalChange.objects.bulk_create([_log(goal, actor, "created", "", goal.text) for goal in goals])
    recompute_on_commit(student_id=access.student.pk)
    return goals


@transaction.atomic
def long_range_goal_create(
    *, access: StudentAccess, actor, text: str, due_date: dt.date | None = None
) -> Goal:
    if not access.manages_goals:
        raise PermissionDenied("Only the student and their mentors set goals.")
    self_direction.goal_setting_check(
        access=access, week_of=None, this_monday=week_start(timezone.localdate())
    )
    goal = Goal(
        school_id=current_school_id(),
        student=access.student,
        kind=Goal.Kind.LONG_RANGE,
        text=" ".join(text.split()),
        due_date=due_date,
        created_by=actor,
    )
    goal.full_clean()
    goal.save()
    _log(goal, actor, "created", "", goal.text).save()
    return goal


@transaction.atomic
def goal_reflect(*, access: StudentAccess, actor, goal: Goal, status: str, reflection: str) -> Goal:
    """The student closes the loop: met, partly or not met, with a sentence saying why."""
    if not access.is_self:
        raise PermissionDenied("Only the student reflects on their own goals.")
    if status not in (Goal.Status.MET, Goal.Status.PARTLY, Goal.Status.NOT_MET):
        raise ValidationError({"status": "Say whether the goal was met, partly met or not met."})
    reflection = " ".join(reflection.split())
    if not reflection:
        raise ValidationError({"reflection": "Add a sentence about how it went."})
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    changes = []
    if goal.status != status:
        changes.append(_log(goal, actor, "status", goal.get_status_display(), Goal.Status(status).label))
    if goal.reflection != reflection:
        changes.append(_log(goal, actor, "reflection", goal.reflection, reflection))
    goal.status, goal.reflection, goal.reflected_at = status, reflection, timezone.now()
    goal.full_clean()
    goal.save(update_fields=["status", "reflection", "reflected_at", "updated_at"])
    GoalChange.objects.bulk_create(changes)
    recompute_on_commit(student_id=goal.student_id)  # overdue-goal flags follow the reflection
    return goal


@transaction.atomic
def check_in_record(
    *, access: StudentAccess, actor, data: dict, reviews: dict[int, str] | None = None
) -> CheckIn:
    """A mentor records a check-in; the goals reviewed get their new status (each change kept)."""
    if not access.records_check_ins:
        raise PermissionDenied("Only the student's mentors record check-ins.")
    check_in = CheckIn(school_id=current_school_id(), student=access.student, mentor=actor, **data)
    check_in.full_clean()
    check_in.save()
    reviews = reviews or {}
    goals = {
        g.pk: g for g in Goal.objects.select_for_update().filter(student=access.student, pk__in=list(reviews))
    }
    if set(reviews) - set(goals):
        raise ValidationError("A reviewed goal is not this student's.")
    review_rows, changes = [], []
    for goal_id, status in reviews.items():
        goal = goals[goal_id]
        if status not in Goal.Status.values:
            raise ValidationError({"status": "Unknown goal status."})
        review_rows.append(
            CheckInGoalReview(school_id=check_in.school_id, check_in=check_in, goal=goal, status=status)
        )
        if goal.status != status:
            changes.append(_log(goal, actor, "status", goal.get_status_display(), Goal.Status(status).label))
            goal.status = status
            goal.save(update_fields=["status", "updated_at"])
    CheckInGoalReview.objects.bulk_create(review_rows)
    GoalChange.objects.bulk_create(changes)
    recompute_on_commit(student_id=access.student.pk)  # check-in flags clear with the check-in
    return check_in


def _shown(check_in: CheckIn, field: str) -> str:
    """A check-in value as the history shows it (the format's label, ISO dates, "" for none)."""
    value = getattr(check_in, field)
    if value is None:
        return ""
    if field == "format":
        return check_in.get_format_display()
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class CheckInChangedMeanwhile(ValidationError):
    """The check-in was corrected by someone else after the editor opened it (``version`` differs)."""

    def __init__(self, check_in: CheckIn):
        latest = (
            CheckInChange.objects.filter(check_in=check_in)
            .select_related("changed_by")
            .order_by("-changed_at")
        ).first()
        if latest is None:
            message = "This check-in changed after you opened it."
        else:
            fields = CheckInChange.objects.filter(check_in=check_in, changed_at=latest.changed_at)
            names = ", ".join(
                str(CheckIn._meta.get_field(name).verbose_name)
                for name in fields.values_list("field", flat=True)
            )
            message = (
                f"{latest.changed_by} changed this check-in at {format_moment(latest.changed_at)} "
                f"({names}) after you opened it."
            )
        super().__init__(
            message + " What you typed is kept: check their change, then save again to replace it."
        )
        self.current_version = check_in.version


@transaction.atomic
def check_in_update(
    *, access: StudentAccess, actor, check_in: CheckIn, data: dict, expected_version: str | None = None
) -> CheckIn:
    """A mentor corrects a recorded check-in's own fields (``CheckIn.OWN_FIELDS``; the goal reviews changed
    goals' statuses, which keep their own history). Only the fields that changed are written, each kept as
    a change (old, new, who, when); a submit that changes nothing writes nothing. With ``expected_version``
    (the check-in's ``version`` when the editor opened it), a check-in corrected since is refused
    (:class:`CheckInChangedMeanwhile`) rather than overwritten."""
    if not access.records_check_ins or check_in.student_id != access.student.pk:
        raise PermissionDenied("Only the student's mentors correct their check-ins.")
    unknown = set(data) - set(CheckIn.OWN_FIELDS)
    if unknown:
        raise ValidationError({name: "This field is not corrected here." for name in sorted(unknown)})
    check_in = CheckIn.objects.select_for_update().get(pk=check_in.pk)
    if expected_version is not None and expected_version != check_in.version:
        raise CheckInChangedMeanwhile(check_in)
    before = {name: _shown(check_in, name) for name in data}
    old = {name: getattr(check_in, name) for name in data}
    for name, value in data.items():
        setattr(check_in, name, value)
    check_in.full_clean()  # converts as well as validates: compare after it
    changed = [name for name in CheckIn.OWN_FIELDS if name in data and getattr(check_in, name) != old[name]]
    if not changed:
        return check_in
    check_in.save(update_fields=changed)
    now = timezone.now()  # one edit, one time: its rows list together
    CheckInChange.objects.bulk_create(
        CheckInChange.of(check_in, field=f, old=before[f], new=_shown(check_in, f), actor=actor, at=now)
        for f in changed
    )
    # The engine's missed-check-in flag reads the latest check-in's date and follow-up date (the recompute
    # is idempotent: asked for any correction, it cannot go stale if the engine reads more of a check-in).
    recompute_on_commit(student_id=check_in.student_id)
    return check_in
