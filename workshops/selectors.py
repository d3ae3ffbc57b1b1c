"""Reads of the workshops app: blocks, workshops as each role may see them, who may sign up, the next
invitation for Next up, and a person's week (the page and the calendar feed read the same entries)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mastery.models import MasteryState, MasteryStatus
from mentoring.models import CheckIn, Goal
from playlists.models import Competency, CompetencyPrerequisite
from schools.roles import SCHOOL_WIDE_ROLES, Role
from workshops import policy
from workshops.models import CalendarFeed, LearningBlock, Seat, Workshop


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week (weeks run Monday to Sunday, as the goals' weeks do)."""
    return day - dt.timedelta(days=day.weekday())


def blocks() -> QuerySet[LearningBlock]:
    return LearningBlock.objects.order_by("weekday", "starts", "pk")


def block_get(*, block_id: int) -> LearningBlock:
    block = LearningBlock.objects.filter(pk=block_id).first()
    if block is None:
        raise Http404("No such block.")
    return block


def _levels(*, student, competency_ids: list[int]) -> dict[int, policy.Level]:
    """Where ``student`` stands on each competency: mastered, and which prerequisites are not (2 queries)."""
    edges = list(
        CompetencyPrerequisite.objects.filter(competency_id__in=competency_ids).values_list(
            "competency_id", "prerequisite_id", "prerequisite__code"
        )
    )
    wanted = set(competency_ids) | {prerequisite for _, prerequisite, _ in edges}
    mastered = set(
        MasteryState.objects.filter(
            student=student, competency_id__in=wanted, status=MasteryStatus.MASTERED
        ).values_list("competency_id", flat=True)
    )
    missing: dict[int, list[str]] = {}
    for competency_id, prerequisite_id, code in edges:
        if prerequisite_id not in mastered:
            missing.setdefault(competency_id, []).append(code)
    return {
        c: policy.Level(mastered=c in mastered, missing_prerequisites=tuple(sorted(missing.get(c, ()))))
        for c in competency_ids
    }


def level_of(*, student, competency: Competency) -> policy.Level:
    return _levels(student=student, competency_ids=[competency.pk])[competency.pk]


def _with_taken(workshops: QuerySet[Workshop]) -> QuerySet[Workshop]:
    return workshops.annotate(taken=Count("seats", filter=Q(seats__is_active=True)))


def workshop_get(*, user, roles: frozenset[str], workshop_id: int) -> Workshop:
    """A workshop of the active school as the caller may see it, or 404: its teacher and school-wide
    admins; any teacher (a colleague's workshop is no secret among staff); students, for signing up."""
    workshop = (
        _with_taken(Workshop.objects.filter(pk=workshop_id)).select_related("competency", "teacher").first()
    )
    allowed = not roles.isdisjoint({Role.TEACHER, Role.STUDENT, *SCHOOL_WIDE_ROLES})
    if workshop is None or not allowed:
        raise Http404("No such workshop.")
    return workshop


def workshop_roster(*, workshop: Workshop) -> list[Seat]:
    return list(
        workshop.seats.filter(is_active=True)
        .select_related("student")
        .order_by("student__family_name", "student__given_name", "pk")
    )


def seat_of(*, workshop: Workshop, student) -> Seat | None:
    return Seat.objects.filter(workshop=workshop, student=student).first()


def workshops_taught(*, teacher, now: dt.datetime) -> list[Workshop]:
    """The teacher's scheduled workshops that have not ended yet, with their seats (2 queries)."""
    return list(
        _with_taken(
            Workshop.objects.filter(teacher=teacher, status=Workshop.Status.SCHEDULED, ends_at__gt=now)
        )
        .select_related("competency")
        .order_by("starts_at", "pk")
    )


ATTENDANCE_DAYS = 14  # how far back the teacher's Workshops page lists attendance still to record


def attendance_to_record(*, teacher, now: dt.datetime) -> list[Workshop]:
    """The teacher's workshops that have started (in the last ``ATTENDANCE_DAYS`` days) with a student
    whose attendance is not recorded yet, each with how many (1 query). Once a workshop is over it leaves
    the upcoming list; this is where its teacher finds it to record who came."""
    return list(
        Workshop.objects.filter(
            teacher=teacher,
            status=Workshop.Status.SCHEDULED,
            starts_at__lte=now,
            starts_at__gte=now - dt.timedelta(days=ATTENDANCE_DAYS),
        )
        .annotate(unrecorded=Count("seats", filter=Q(seats__is_active=True, seats__attendance="")))
        .filter(unrecorded__gt=0)
        .select_related("competency")
        .order_by("-starts_at", "pk")
    )


def school_workshops(*, now: dt.datetime, limit: int = 50) -> list[Workshop]:
    """The school's upcoming workshops (for its admins), with their teachers and seats taken (1 query)."""
    return list(
        _with_taken(Workshop.objects.filter(status=Workshop.Status.SCHEDULED, ends_at__gt=now))
        .select_related("competency", "teacher")
        .order_by("starts_at", "pk")[:limit]
    )


@dataclass(frozen=True)
class OpenWorkshop:
    workshop: Workshop
    seats_left: int
    refusal: str  # why this student may not sign up ("" when they may)


def open_workshops(*, student, now: dt.datetime, limit: int = 20) -> list[OpenWorkshop]:
    """Upcoming workshops the student has no seat in and that still have seats, with whether their level
    lets them sign up (4 queries whatever the number)."""
    mine = Seat.objects.filter(student=student, is_active=True).values("workshop_id")
    workshops = list(
        _with_taken(Workshop.objects.filter(status=Workshop.Status.SCHEDULED, starts_at__gt=now))
        .exclude(pk__in=mine)
        .select_related("competency", "teacher")
        .order_by("starts_at", "pk")[: limit * 3]
    )
    workshops = [w for w in workshops if w.taken < w.capacity]
    levels = _levels(student=student, competency_ids=sorted({w.competency_id for w in workshops}))
    rows = [
        OpenWorkshop(
            workshop=w,
            seats_left=w.capacity - w.taken,
            refusal=policy.signup_refusal(levels[w.competency_id], code=w.competency.code),
        )
        for w in workshops
    ]
    rows.sort(key=lambda r: (bool(r.refusal), r.workshop.starts_at))
    return rows[:limit]


def upcoming_seats(*, student_ids, now: dt.datetime) -> QuerySet[Seat]:
    """Active seats in scheduled workshops not over yet, attendance not recorded: what the student is
    expected at."""
    return (
        Seat.objects.filter(
            student_id__in=student_ids,
            is_active=True,
            attendance="",
            workshop__status=Workshop.Status.SCHEDULED,
            workshop__ends_at__gt=now,
        )
        .select_related("workshop__competency", "workshop__teacher")
        .order_by("workshop__starts_at", "pk")
    )


def next_invitation(*, student, now: dt.datetime) -> Seat | None:
    """The workshop that comes first in the student's Next up: their earliest upcoming seat (invited, with
    the reason, or signed up). It leaves once attendance is recorded or the workshop is over."""
    return upcoming_seats(student_ids=[student.pk], now=now).first()


def upcoming_by_student(*, student_ids, now: dt.datetime, per_student: int = 3) -> dict[int, list[Seat]]:
    """Each student's upcoming workshops (dashboard, mentor's brief): one query for any number."""
    found: dict[int, list[Seat]] = {}
    for seat in upcoming_seats(student_ids=list(student_ids), now=now):
        rows = found.setdefault(seat.student_id, [])
        if len(rows) < per_student:
            rows.append(seat)
    return found


# --- the week ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One thing in a person's week. Timed entries have aware ``starts_at``/``ends_at``; all-day ones only
    ``day``. ``uid`` is stable across reads (the calendar feed's UID: a subscriber updates, never doubles)."""

    uid: str
    kind: str  # block, workshop, check_in, follow_up, goal
    title: str
    day: dt.date
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    location: str = ""
    detail: str = ""
    workshop_id: int | None = None
    people: tuple[str, ...] = field(default_factory=tuple)


def _uid(kind: str, key: str, school) -> str:
    return f"{kind}-{key}@{school.slug}.plp"


def _block_entries(school, zone, start: dt.date, end: dt.date) -> list[Entry]:
    entries, all_blocks = [], list(blocks())
    day = start
    while day <= end:
        for block in all_blocks:
            if block.weekday == day.weekday():
                entries.append(
                    Entry(
                        uid=_uid("block", f"{block.pk}-{day:%Y%m%d}", school),
                        kind="block",
                        title=block.title,
                        day=day,
                        starts_at=dt.datetime.combine(day, block.starts, tzinfo=zone),
                        ends_at=dt.datetime.combine(day, block.ends, tzinfo=zone),
                    )
                )
        day += dt.timedelta(days=1)
    return entries


def _workshop_entry(workshop: Workshop, school, zone, *, detail: str, people=()) -> Entry:
    return Entry(
        uid=_uid("workshop", str(workshop.pk), school),
        kind="workshop",
        title=f"Workshop: {workshop.competency.code} {workshop.competency.title}",
        day=workshop.starts_at.astimezone(zone).date(),
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        location=workshop.location,
        detail=detail,
        workshop_id=workshop.pk,
        people=tuple(people),
    )


def _student_entries(student, school, zone, start_at, end_at, start: dt.date, end: dt.date) -> list[Entry]:
    entries = []
    seats = (
        Seat.objects.filter(
            student=student,
            is_active=True,
            workshop__status=Workshop.Status.SCHEDULED,
            workshop__starts_at__lt=end_at,
            workshop__ends_at__gt=start_at,
        )
        .select_related("workshop__competency", "workshop__teacher")
        .order_by("workshop__starts_at")
    )
    for seat in seats:
        w = seat.workshop
        why = (
            f"Invited because {seat.reason}."
            if seat.kind == Seat.Kind.INVITED and seat.reason
            else "Signed up."
        )
        with_whom = f"With {w.teacher.get_full_name() or w.teacher.email}."
        entries.append(_workshop_entry(w, school, zone, detail=f"{why} {with_whom}"))
    for check_in in CheckIn.objects.filter(
        Q(date__range=(start, end)) | Q(follow_up_date__range=(start, end)), student=student
    ).select_related("mentor"):
        mentor = check_in.mentor.get_full_name() or check_in.mentor.email
        if start <= check_in.date <= end:
            entries.append(
                Entry(uid=_uid("check-in", str(check_in.pk), school), kind="check_in",
                      title=f"Check-in with {mentor}", day=check_in.date)
            )  # fmt: skip
        if check_in.follow_up_date and start <= check_in.follow_up_date <= end:
            entries.append(
                Entry(uid=_uid("follow-up", str(check_in.pk), school), kind="follow_up",
                      title=f"Next check-in with {mentor}", day=check_in.follow_up_date)
            )  # fmt: skip
    goals = Goal.objects.filter(
        Q(due_date__range=(start, end))
        | Q(due_date__isnull=True, kind=Goal.Kind.WEEKLY, week_of__range=(start - dt.timedelta(days=6), end)),
        student=student,
    )
    for goal in goals:
        due = goal.due_date or goal.week_of + dt.timedelta(days=6)
        if start <= due <= end:
            entries.append(
                Entry(uid=_uid("goal", str(goal.pk), school), kind="goal", title=f"Goal due: {goal.text}",
                      day=due, detail=goal.get_status_display())
            )  # fmt: skip
    return entries


def _teacher_entries(teacher, school, zone, start_at, end_at) -> list[Entry]:
    seats = Prefetch(
        "seats",
        queryset=Seat.objects.filter(is_active=True)
        .select_related("student")
        .order_by("student__family_name", "student__given_name"),
        to_attr="coming",
    )
    entries = []
    for w in (
        Workshop.objects.filter(
            teacher=teacher, status=Workshop.Status.SCHEDULED, starts_at__lt=end_at, ends_at__gt=start_at
        )
        .select_related("competency")
        .prefetch_related(seats)
    ):
        people = [s.student.get_full_name() or s.student.email for s in w.coming]
        detail = f"{len(people)} of {w.capacity} seats taken" + (f": {', '.join(people)}" if people else "")
        entries.append(_workshop_entry(w, school, zone, detail=detail + ".", people=people))
    return entries


def week_entries(*, person, roles: frozenset[str], school, start: dt.date, end: dt.date) -> list[Entry]:
    """Everything in ``person``'s days from ``start`` to ``end`` (inclusive) at the active school, in time
    order: the school's blocks; as a student, their workshops (invited or signed up), check-ins with their
    mentor and goal deadlines; as a teacher, the workshops they run with who is coming. A constant number
    of queries whatever the span and the numbers."""
    zone = zoneinfo.ZoneInfo(school.timezone)
    start_at = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    end_at = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    entries = _block_entries(school, zone, start, end)
    if Role.STUDENT in roles:
        entries += _student_entries(person, school, zone, start_at, end_at, start, end)
    if Role.TEACHER in roles:
        entries += _teacher_entries(person, school, zone, start_at, end_at)
    return sorted(entries, key=lambda e: (e.day, e.starts_at is not None, e.starts_at or start_at, e.uid))


@dataclass(frozen=True)
class Day:
    day: dt.date
    entries: list[Entry]


def week_days(*, person, roles: frozenset[str], school, monday: dt.date) -> list[Day]:
    sunday = monday + dt.timedelta(days=6)
    entries = week_entries(person=person, roles=roles, school=school, start=monday, end=sunday)
    by_day: dict[dt.date, list[Entry]] = {monday + dt.timedelta(days=i): [] for i in range(7)}
    for entry in entries:
        by_day[entry.day].append(entry)
    return [Day(day=d, entries=e) for d, e in by_day.items()]


def feed_of(*, token: str):
    """The live calendar feed with this token, with its person and school, or None (unknown or revoked).
    Read before any school is active: the token is what names the school."""
    if not token or len(token) > 64:
        return None
    # unscoped: the feed URL carries no school; the token (unique, random) names it, and the caller enters
    # that school's scope before reading anything else.
    return (
        CalendarFeed.objects.unscoped()
        .filter(token=token, revoked_at__isnull=True, school__is_active=True)
        .select_related("school", "user")
        .first()
    )


def live_feed(*, user) -> object | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def now_local() -> dt.datetime:
    return timezone.localtime()


def section_upcoming(*, student_ids: list[int], now: dt.datetime) -> list[list[Seat]]:
    """The upcoming seats of these students (a class dashboard's roster, already authorized), one list
    per student in name order (one query, whatever the class size)."""
    seats = list(upcoming_seats(student_ids=student_ids, now=now).select_related("student")[:200])
    by_student: dict[int, list[Seat]] = {}
    for seat in seats:
        by_student.setdefault(seat.student_id, []).append(seat)
    return sorted(by_student.values(), key=lambda s: (s[0].student.family_name, s[0].student.given_name))
