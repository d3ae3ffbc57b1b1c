"""The workshop rules, on the real database: blocks, slots, seats, conflicts, attendance into the ledger."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from mastery.models import EvidenceEvent, MasteryState, MasteryStatus
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import CompetencyPrerequisiteFactory
from tests.support import postgres_only, second_writer_outcome
from tests.workshops.conftest import add_block, add_student, make_workshop
from workshops import selectors, services
from workshops.models import Seat, Workshop

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- blocks ---------------------------------------------------------------------------------------------


def test_a_block_must_end_after_it_starts(school_a):
    with pytest.raises(ValidationError, match="ends after it starts"):
        add_block(school_a, starts=dt.time(11), ends=dt.time(10))


def test_blocks_of_one_day_cannot_overlap_but_may_touch(school_a, block):
    with pytest.raises(ValidationError, match="overlaps the 10:00–11:00 block"):
        add_block(school_a, starts=dt.time(10, 30), ends=dt.time(12))
    add_block(school_a, starts=dt.time(11), ends=dt.time(12))  # touching is fine
    add_block(school_a, weekday=1, starts=dt.time(10, 30), ends=dt.time(12))  # another day is fine


def test_a_block_may_be_moved_within_its_own_time(school_a, block):
    with school_scope(school_a.school):
        moved = services.block_save(
            block=block, weekday=0, starts=dt.time(10, 15), ends=dt.time(11), label=""
        )
    assert moved.starts == dt.time(10, 15)


def test_blocks_are_per_school(school_a, school_b, block):
    add_block(school_b)  # the same times in another school: no overlap
    with school_scope(school_b.school):
        assert selectors.blocks().count() == 1


# --- creating a workshop --------------------------------------------------------------------------------


def test_a_workshop_is_created_with_invitations_and_their_reasons(school_a, competency, block, monday):
    one, two = add_student(school_a), add_student(school_a)
    with school_scope(school_a.school):
        MasteryState.objects.create(
            school=school_a.school, student=one, competency=competency, status="practicing", p_mastered=0.3
        )
    workshop = make_workshop(school_a, competency=competency, block=block, day=monday, invite=[one, two])
    with school_scope(school_a.school):
        seats = {s.student_id: s for s in Seat.objects.filter(workshop=workshop)}
    assert workshop.starts_at.astimezone(block_zone(school_a)).time() == dt.time(10)
    assert seats[one.pk].kind == Seat.Kind.INVITED
    assert "not landing yet (estimate 30%)" in seats[one.pk].reason
    assert "have not practised ALPHA.FRAC" in seats[two.pk].reason


def block_zone(world):
    import zoneinfo

    return zoneinfo.ZoneInfo(world.school.timezone)


def test_a_workshop_may_take_part_of_a_block_never_more(school_a, competency, block, monday):
    part = make_workshop(
        school_a, competency=competency, block=block, day=monday, starts=dt.time(10, 30), ends=dt.time(11)
    )
    assert (part.ends_at - part.starts_at) == dt.timedelta(minutes=30)
    with pytest.raises(ValidationError, match="inside its block: between 10:00 and 11:00"):
        make_workshop(
            school_a, competency=competency, block=block, day=monday, starts=dt.time(9), ends=dt.time(10)
        )


def test_a_workshop_on_another_weekday_than_its_block_is_refused(school_a, competency, block, monday):
    with pytest.raises(ValidationError, match="the block is on Mondays"):
        make_workshop(school_a, competency=competency, block=block, day=monday + dt.timedelta(days=1))


def test_a_workshop_in_the_past_is_refused(school_a, competency, block, monday):
    with pytest.raises(ValidationError, match="That time has passed"):
        make_workshop(school_a, competency=competency, block=block, day=monday - dt.timedelta(days=28))


def test_more_invitations_than_seats_are_refused(school_a, competency, block, monday):
    students = [add_student(school_a) for _ in range(3)]
    with pytest.raises(ValidationError, match="3 students are invited: give at least as many seats"):
        make_workshop(school_a, competency=competency, block=block, day=monday, invite=students, capacity=2)


def test_a_teacher_invites_only_students_they_teach(school_a, competency, block, monday):
    elsewhere = add_student(school_a, section=school_a.other_section)
    with pytest.raises(ValidationError, match="only students of the sections you teach"):
        make_workshop(school_a, competency=competency, block=block, day=monday, invite=[elsewhere])


def test_a_teacher_is_never_double_booked(school_a, competency, block, monday):
    make_workshop(
        school_a, competency=competency, block=block, day=monday, starts=dt.time(10), ends=dt.time(10, 30)
    )
    with pytest.raises(ValidationError) as refused:
        make_workshop(
            school_a, competency=competency, block=block, day=monday, starts=dt.time(10, 15), ends=dt.time(11)
        )
    assert "You already run a workshop on ALPHA.FRAC then" in _messages(refused.value)
    # Back to back is fine.
    make_workshop(
        school_a, competency=competency, block=block, day=monday, starts=dt.time(10, 30), ends=dt.time(11)
    )


def test_an_invited_student_is_never_double_booked(school_a, competency, block, monday):
    student = add_student(school_a, given_name="Ada", family_name="Lovelace")
    colleague = school_a.user("other_teacher")
    from tests.factories import EnrollmentFactory

    EnrollmentFactory(section=school_a.section, user=colleague, role="teacher")
    make_workshop(school_a, competency=competency, block=block, day=monday, invite=[student])
    with pytest.raises(ValidationError) as refused:
        make_workshop(
            school_a, competency=competency, block=block, day=monday, invite=[student], teacher=colleague
        )
    assert "Already in a workshop at that time: Ada Lovelace (in ALPHA.FRAC" in _messages(refused.value)


# --- signing up -----------------------------------------------------------------------------------------


def _signup(world, workshop, student, **kw):
    with school_scope(world.school):
        return services.workshop_signup(workshop_id=workshop.pk, student=student, **kw)


def test_a_student_at_the_right_level_signs_up_while_seats_remain(school_a, competency, block, monday):
    invited = add_student(school_a)
    workshop = make_workshop(
        school_a, competency=competency, block=block, day=monday, invite=[invited], capacity=2
    )
    other, late = add_student(school_a), add_student(school_a)
    seat = _signup(school_a, workshop, other)
    assert seat.kind == Seat.Kind.SIGNED_UP
    with pytest.raises(ValidationError, match="This workshop is full"):
        _signup(school_a, workshop, late)
    with pytest.raises(ValidationError, match="already have a seat"):
        _signup(school_a, workshop, other)


def test_leaving_frees_the_seat(school_a, competency, block, monday):
    first, second = add_student(school_a), add_student(school_a)
    workshop = make_workshop(school_a, competency=competency, block=block, day=monday, capacity=1)
    seat = _signup(school_a, workshop, first)
    with school_scope(school_a.school):
        services.seat_leave(seat=seat)
    _signup(school_a, workshop, second)
    seat = _signup_refused(school_a, workshop, first)
    assert "full" in seat


def _signup_refused(world, workshop, student) -> str:
    with pytest.raises(ValidationError) as refused:
        _signup(world, workshop, student)
    return _messages(refused.value)


def test_a_student_who_mastered_the_competency_cannot_sign_up(school_a, competency, block, monday):
    student = add_student(school_a)
    with school_scope(school_a.school):
        MasteryState.objects.create(
            school=school_a.school, student=student, competency=competency, status=MasteryStatus.MASTERED
        )
    workshop = make_workshop(school_a, competency=competency, block=block, day=monday)
    assert "already mastered ALPHA.FRAC" in _signup_refused(school_a, workshop, student)


def test_a_student_missing_a_prerequisite_cannot_sign_up(school_a, competency, block, monday):
    edge = CompetencyPrerequisiteFactory(competency=competency, prerequisite__code="ALPHA.WHOLE")
    student = add_student(school_a)
    workshop = make_workshop(school_a, competency=competency, block=block, day=monday)
    assert "needs ALPHA.WHOLE first" in _signup_refused(school_a, workshop, student)
    with school_scope(school_a.school):
        MasteryState.objects.create(
            school=school_a.school,
            student=student,
            competency=edge.prerequisite,
            status=MasteryStatus.MASTERED,
        )
    assert _signup(school_a, workshop, student).is_active


def test_a_student_cannot_sign_up_for_two_workshops_at_once(school_a, competency, block, monday):
    student = add_student(school_a)
    colleague = school_a.user("other_teacher")
    first = make_workshop(school_a, competency=competency, block=block, day=monday)
    second = make_workshop(school_a, competency=competency, block=block, day=monday, teacher=colleague)
    _signup(school_a, first, student)
    assert "already in the workshop on ALPHA.FRAC at that time" in _signup_refused(school_a, second, student)


def test_no_sign_up_once_the_workshop_started(school_a, competency, block, monday):
    workshop = make_workshop(school_a, competency=competency, block=block, day=monday)
    student = add_student(school_a)
    with pytest.raises(ValidationError, match="already started"):
        _signup(school_a, workshop, student, now=workshop.starts_at + dt.timedelta(minutes=1))


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_students_taking_the_last_seat_at_once_cannot_both_get_it(school_a, competency, block, monday):
    workshop = make_workshop(school_a, competency=competency, block=block, day=monday, capacity=1)
    first, second = add_student(school_a), add_student(school_a)
    outcome = second_writer_outcome(
        school=school_a.school,
        first=lambda: services.workshop_signup(workshop_id=workshop.pk, student=first),
        second=lambda: services.workshop_signup(workshop_id=workshop.pk, student=second),
    )
    assert outcome == ["This workshop is full: every seat is taken."]
    with school_scope(school_a.school):
        assert list(
            Seat.objects.filter(workshop=workshop, is_active=True).values_list("student_id", flat=True)
        ) == [first.pk]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_student_signing_up_to_two_overlapping_workshops_at_once_gets_one(
    school_a, competency, block, monday
):
    student = add_student(school_a)
    one = make_workshop(school_a, competency=competency, block=block, day=monday)
    two = make_workshop(
        school_a, competency=competency, block=block, day=monday, teacher=school_a.user("other_teacher")
    )
    outcome = second_writer_outcome(
        school=school_a.school,
        first=lambda: services.workshop_signup(workshop_id=one.pk, student=student),
        second=lambda: services.workshop_signup(workshop_id=two.pk, student=student),
    )
    assert len(outcome) == 1 and "already in the workshop on ALPHA.FRAC" in outcome[0]


# --- attendance -----------------------------------------------------------------------------------------


def test_attendance_goes_to_the_ledger_and_the_invitation_leaves_next_up(school_a, competency, block, monday):
    came, missed = add_student(school_a), add_student(school_a)
    workshop = make_workshop(school_a, competency=competency, block=block, day=monday, invite=[came, missed])
    during = workshop.starts_at + dt.timedelta(minutes=5)
    with school_scope(school_a.school):
        assert selectors.next_invitation(student=came, now=during).workshop == workshop
        with pytest.raises(ValidationError, match="once the workshop has started"):
            services.attendance_record(
                workshop=workshop,
                by=school_a.user(Role.TEACHER),
                marks={came.pk: ("present", "")},
                now=workshop.starts_at - dt.timedelta(minutes=1),
            )
        written = services.attendance_record(
            workshop=workshop,
            by=school_a.user(Role.TEACHER),
            marks={came.pk: ("present", "Can now add unlike fractions"), missed.pk: ("absent", "")},
            now=during,
        )
        assert written == 2
        events = {e.student_id: e for e in EvidenceEvent.objects.filter(source="workshop")}
        assert events[came.pk].reason == "Can now add unlike fractions"
        assert events[came.pk].p_after > events[came.pk].p_before  # a lesson: the learning step
        assert events[missed.pk].p_after == events[missed.pk].p_before
        assert selectors.next_invitation(student=came, now=during) is None
        assert selectors.next_invitation(student=missed, now=during) is None
        # The same marks again record nothing; a correction supersedes (the workshop counts once).
        services.attendance_record(
            workshop=workshop,
            by=school_a.user(Role.TEACHER),
            marks={came.pk: ("present", "Can now add unlike fractions")},
            now=during,
        )
        assert EvidenceEvent.objects.filter(source="workshop").count() == 2
        services.attendance_record(
            workshop=workshop,
            by=school_a.user(Role.TEACHER),
            marks={missed.pk: ("present", "came late")},
            now=during,
        )
        again = services.attendance_record(
            workshop=workshop,
            by=school_a.user(Role.TEACHER),
            marks={missed.pk: ("present", "came late!")},
            now=during,
        )
        assert again == 1
        states = {s.student_id: s.p_mastered for s in MasteryState.objects.filter(competency=competency)}
        assert states[missed.pk] == pytest.approx(states[came.pk])  # one lesson each, not two


def test_attendance_is_only_for_seated_students_and_one_line(school_a, competency, block, monday):
    seated, stranger = add_student(school_a), add_student(school_a)
    workshop = make_workshop(school_a, competency=competency, block=block, day=monday, invite=[seated])
    during = workshop.starts_at + dt.timedelta(minutes=5)
    teacher = school_a.user(Role.TEACHER)
    with school_scope(school_a.school), transaction.atomic():
        with pytest.raises(ValidationError, match="students with a seat"):
            services.attendance_record(
                workshop=workshop, by=teacher, marks={stranger.pk: ("present", "")}, now=during
            )
        with pytest.raises(ValidationError, match="present or absent"):
            services.attendance_record(
                workshop=workshop, by=teacher, marks={seated.pk: ("maybe", "")}, now=during
            )
        with pytest.raises(ValidationError, match="one line"):
            services.attendance_record(
                workshop=workshop, by=teacher, marks={seated.pk: ("present", "x" * 201)}, now=during
            )
        assert not EvidenceEvent.objects.filter(source="workshop").exists()


def test_a_cancelled_workshop_takes_no_seats(school_a, competency, block, monday):
    workshop = make_workshop(school_a, competency=competency, block=block, day=monday)
    with school_scope(school_a.school):
        services.workshop_cancel(workshop=workshop)
        assert Workshop.objects.get(pk=workshop.pk).status == "cancelled"
    assert "cancelled" in _signup_refused(school_a, workshop, add_student(school_a))
