"""Writes of the workshops app: the school's blocks, workshops and their seats (invite, sign up, leave),
attendance into the evidence ledger, and calendar feed tokens. One transaction per use case.

The seat rule: the workshop row is locked (``SELECT ... FOR UPDATE``) before its seats are counted, so two
students taking the last seat at once are served one after the other and the second is refused. A student
(or teacher) is locked too before their other workshops are checked for an overlap, so two sign-ups of one
student to overlapping workshops cannot both pass the check."""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from engine.models import Flag
from mastery.models import MasteryState
from mastery.services import evidence_record_workshop
from playlists.models import Competency
from plp.saving import validated_save
from plp.tenancy.context import current_school_id
from plp.timefmt import format_moment
from schools.access import students_taught_by
from schools.models import School
from workshops import policy, selectors
from workshops.models import CalendarFeed, LearningBlock, Seat, Workshop

OUTCOME_MAX = 200
NOTE_MAX = 300


class WorkshopRefused(ValidationError):
    """A request the workshop rules refuse (full, overlapping, wrong level...); the message says why."""


def _school_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(School.objects.values_list("timezone", flat=True).get(pk=current_school_id()))


# --- blocks ---------------------------------------------------------------------------------------------


@transaction.atomic
def block_save(
    *, block: LearningBlock | None = None, weekday: int, starts: dt.time, ends: dt.time, label: str = ""
) -> LearningBlock:
    """Create or change a personalized-learning block: it ends after it starts and overlaps no other block
    of its weekday (blocks are when workshops happen; two at once would make one slot two)."""
    if ends <= starts:
        raise ValidationError({"ends": "A block ends after it starts."})
    others = [
        policy.BlockView(b.pk, b.weekday, b.starts, b.ends)
        for b in LearningBlock.objects.select_for_update().filter(weekday=weekday)
    ]
    clash = policy.block_overlap(
        others, weekday=weekday, starts=starts, ends=ends, exclude_id=block.pk if block else None
    )
    if clash is not None:
        raise ValidationError(
            {"starts": f"It overlaps the {clash.starts:%H:%M}–{clash.ends:%H:%M} block of that day."}
        )
    block = block or LearningBlock(school_id=current_school_id())
    block.weekday, block.starts, block.ends, block.label = weekday, starts, ends, " ".join(label.split())
    block.full_clean()
    block.save()
    return block


@transaction.atomic
def block_delete(*, block: LearningBlock) -> None:
    """Remove a block. Workshops already scheduled in it keep their times (their block link is cleared)."""
    block.delete()


# --- workshops ------------------------------------------------------------------------------------------


def _lock_people(user_ids) -> None:
    """Lock these people's rows (in id order: no deadlock between two writers) for the overlap checks."""
    list(User.objects.select_for_update().filter(pk__in=sorted(set(user_ids))).order_by("pk").values("pk"))


def _student_clashes(*, student_ids, starts_at, ends_at, exclude_workshop_id=None) -> dict[int, Workshop]:
    seats = (
        Seat.objects.filter(
            student_id__in=list(student_ids),
            is_active=True,
            workshop__status=Workshop.Status.SCHEDULED,
            workshop__starts_at__lt=ends_at,
            workshop__ends_at__gt=starts_at,
        )
        .exclude(workshop_id=exclude_workshop_id)
        .select_related("workshop__competency")
    )
    return {seat.student_id: seat.workshop for seat in seats}


def _when(workshop: Workshop) -> str:
    return f"{format_moment(workshop.starts_at)}–{timezone.localtime(workshop.ends_at):%H:%M}"


def _reasons(*, competency: Competency, student_ids: list[int]) -> dict[int, str]:
    """Why each student is invited, from where they stand on the competency (two queries)."""
    states = {
        student_id: (status, p)
        for student_id, status, p in MasteryState.objects.filter(
            competency=competency, student_id__in=student_ids
        ).values_list("student_id", "status", "p_mastered")
    }
    flagged = set(
        Flag.objects.filter(
            student_id__in=student_ids,
            subject=f"competency:{competency.pk}",
            status__in=("open", "acknowledged"),
        ).values_list("student_id", flat=True)
    )
    reasons = {}
    for student_id in student_ids:
        status, p = states.get(student_id, ("not_started", None))
        reasons[student_id] = policy.invitation_reason(
            code=competency.code, status=status, p_mastered=p, flagged=student_id in flagged
        )
    return reasons


@transaction.atomic
def workshop_create(
    *,
    teacher,
    competency: Competency,
    block: LearningBlock,
    day: dt.date,
    starts: dt.time | None = None,
    ends: dt.time | None = None,
    location: str,
    capacity: int,
    invite_ids: list[int] = (),
    section=None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Workshop:
    """A teacher schedules a workshop on ``competency`` inside one of the school's blocks (the whole block
    unless ``starts``/``ends`` narrow it) and invites students of their sections, each with the reason.

    Refused with a clear message: a slot outside the block or in the past, fewer seats than invitations, a
    student the teacher does not teach, or the teacher or an invited student already in a workshop then.

    Long on purpose: the refusals come first, each with its own message, then the locked writes; they read
    as a checklist in the order the page reports them."""
    now = now or timezone.now()
    starts, ends = starts or block.starts, ends or block.ends
    problem = policy.slot_problem(
        policy.BlockView(block.pk, block.weekday, block.starts, block.ends), day=day, starts=starts, ends=ends
    )
    if problem:
        raise WorkshopRefused({"day" if "date" in problem else "starts": problem})
    zone = _school_zone()
    starts_at = dt.datetime.combine(day, starts, tzinfo=zone)
    ends_at = dt.datetime.combine(day, ends, tzinfo=zone)
    if starts_at <= now:
        raise WorkshopRefused({"day": "That time has passed: schedule a workshop ahead."})
    location = " ".join((location or "").split())
    if not location:
        raise WorkshopRefused({"location": "Say where: a room, or a link for a video call."})
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        raise WorkshopRefused({"note": f"Keep the note under {NOTE_MAX} characters."})
    invite_ids = sorted(set(invite_ids))
    taught = set(students_taught_by(user=teacher).values_list("pk", flat=True))
    strangers = [s for s in invite_ids if s not in taught]
    if strangers:
        raise WorkshopRefused({"students": "You can invite only students of the sections you teach."})
    if capacity is None or capacity < max(1, len(invite_ids)):
        raise WorkshopRefused(
            {"capacity": f"{len(invite_ids)} students are invited: give at least as many seats."}
        )
    _lock_people([teacher.pk, *invite_ids])
    busy = (
        Workshop.objects.filter(
            teacher=teacher, status=Workshop.Status.SCHEDULED, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .select_related("competency")
        .first()
    )
    if busy is not None:
        raise WorkshopRefused(
            {"starts": f"You already run a workshop on {busy.competency.code} then ({_when(busy)})."}
        )
    clashes = _student_clashes(student_ids=invite_ids, starts_at=starts_at, ends_at=ends_at)
    if clashes:
        names = User.objects.filter(pk__in=list(clashes)).order_by("family_name", "given_name")
        listed = "; ".join(
            f"{u.get_full_name() or u.email} (in {clashes[u.pk].competency.code}, {_when(clashes[u.pk])})"
            for u in names
        )
        raise WorkshopRefused({"students": f"Already in a workshop at that time: {listed}."})
    workshop = Workshop(
        school_id=current_school_id(),
        competency=competency,
        teacher=teacher,
        section=section,
        block=block,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        capacity=capacity,
        note=note,
        created_by=teacher,
    )
    validated_save(workshop)
    reasons = _reasons(competency=competency, student_ids=invite_ids)
    seats = [
        Seat(
            school_id=workshop.school_id,
            workshop=workshop,
            student_id=student_id,
            kind=Seat.Kind.INVITED,
            reason=reasons[student_id][:300],
        )
        for student_id in invite_ids
    ]
    Seat.objects.bulk_create(seats)
    return workshop


def _open_for_seats(workshop: Workshop, now: dt.datetime) -> None:
    if workshop.status != Workshop.Status.SCHEDULED:
        raise WorkshopRefused("This workshop was cancelled.")
    if workshop.starts_at <= now:
        raise WorkshopRefused("This workshop has already started: sign up for a later one.")


@transaction.atomic
def workshop_signup(*, workshop_id: int, student, now: dt.datetime | None = None) -> Seat:
    """A student takes a seat in a workshop: at the right level (not mastered, prerequisites mastered), not
    in another workshop then, while seats remain. An invited student already has their seat.

    The workshop row is locked first, then the student: the last seat goes to one of two students asking
    at once, and the other is told it is full."""
    now = now or timezone.now()
    workshop = (
        Workshop.objects.select_for_update(of=("self",)).select_related("competency").filter(pk=workshop_id)
    ).first()
    if workshop is None:
        raise WorkshopRefused("No such workshop.")
    _open_for_seats(workshop, now)
    seat = Seat.objects.filter(workshop=workshop, student=student).first()
    if seat is not None and seat.is_active:
        raise WorkshopRefused("You already have a seat in this workshop.")
    refusal = policy.signup_refusal(
        selectors.level_of(student=student, competency=workshop.competency), code=workshop.competency.code
    )
    if refusal:
        raise WorkshopRefused(refusal)
    _lock_people([student.pk])
    clash = _student_clashes(
        student_ids=[student.pk],
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        exclude_workshop_id=workshop.pk,
    ).get(student.pk)
    if clash is not None:
        raise WorkshopRefused(
            f"You are already in the workshop on {clash.competency.code} at that time ({_when(clash)})."
        )
    taken = Seat.objects.filter(workshop=workshop, is_active=True).count()
    if taken >= workshop.capacity:
        raise WorkshopRefused("This workshop is full: every seat is taken.")
    if seat is None:
        seat = Seat(
            school_id=workshop.school_id, workshop=workshop, student=student, kind=Seat.Kind.SIGNED_UP
        )
    else:  # left earlier, back again: a sign-up now
        seat.kind, seat.is_active = Seat.Kind.SIGNED_UP, True
    seat.full_clean(validate_unique=False)
    seat.save()
    return seat


@transaction.atomic
def seat_leave(*, seat: Seat, now: dt.datetime | None = None) -> Seat:
    """A student gives up their seat (or declines an invitation) before the workshop starts: it frees the
    seat for someone else."""
    now = now or timezone.now()
    workshop = Workshop.objects.select_for_update(of=("self",)).get(pk=seat.workshop_id)
    _open_for_seats(workshop, now)
    if seat.is_active:
        seat.is_active = False
        seat.save(update_fields=["is_active"])
    return seat


@transaction.atomic
def workshop_cancel(*, workshop: Workshop) -> Workshop:
    if workshop.status != Workshop.Status.CANCELLED:
        workshop.status = Workshop.Status.CANCELLED
        workshop.save(update_fields=["status"])
    return workshop


@transaction.atomic
def attendance_record(
    *, workshop: Workshop, by, marks: dict[int, tuple[str, str]], now: dt.datetime | None = None
) -> int:
    """Record who came (present/absent) and a one-line outcome per student, once the workshop has started.
    Each goes to the evidence ledger (mastery's ``evidence_record_workshop``: attending is a lesson on the
    competency) and the engine recomputes the student; the invitation leaves their Next up.

    ``marks``: student id → (attendance, outcome), for students with a seat. Returns the seats written."""
    now = now or timezone.now()
    if workshop.starts_at > now:
        raise WorkshopRefused("Attendance is recorded once the workshop has started.")
    seats = {s.student_id: s for s in workshop.seats.filter(is_active=True).select_related("student")}
    errors = {}
    for student_id, (attendance, outcome) in marks.items():
        if student_id not in seats:
            errors["attendance"] = "Attendance is for students with a seat in this workshop."
        elif attendance not in (Seat.Attendance.PRESENT, Seat.Attendance.ABSENT):
            errors["attendance"] = "Mark each student present or absent."
        elif len(outcome or "") > OUTCOME_MAX:
            errors["outcome"] = f"Keep each outcome to one line (under {OUTCOME_MAX} characters)."
    if errors:
        raise WorkshopRefused(errors)
    written = 0
    for student_id, (attendance, outcome) in sorted(marks.items()):
        seat, outcome = seats[student_id], " ".join((outcome or "").split())
        if (seat.attendance, seat.outcome) == (attendance, outcome):
            continue
        seat.attendance, seat.outcome, seat.recorded_by, seat.recorded_at = attendance, outcome, by, now
        seat.save(update_fields=["attendance", "outcome", "recorded_by", "recorded_at"])
        evidence_record_workshop(
            student=seat.student,
            competency=workshop.competency,
            present=attendance == Seat.Attendance.PRESENT,
            outcome=outcome,
            recorded_by=by,
            seat_id=seat.pk,
        )
        written += 1  # the ledger row enqueues the student's recompute
    return written


# --- calendar feeds -------------------------------------------------------------------------------------


@transaction.atomic
def feed_issue(*, user) -> CalendarFeed:
    """A new private calendar address for ``user``'s week in the active school; the old one (if any) is
    revoked, so a leaked address is ended by making a new one."""
    feed_revoke(user=user)
    feed = CalendarFeed(school_id=current_school_id(), user=user, token=secrets.token_urlsafe(32))
    feed.full_clean(validate_unique=False)
    feed.save()
    return feed


@transaction.atomic
def feed_revoke(*, user) -> int:
    """End ``user``'s calendar address in the active school: it answers 404 from now on."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
