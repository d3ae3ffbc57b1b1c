"""The recompute raises one "needs attention" entry per struggling student from their real answers, school
days and failed checks, says why and what to do, and clears it when the evidence clears."""

import datetime as dt

import pytest
from django.utils import timezone

from engine import services
from engine.attention.inputs import load_attention_inputs
from engine.models import Flag, SchoolThresholds, StudentEngineState
from engine.snapshots import load_snapshots
from mastery.models import CheckAttempt, CheckResponse, PracticeAnswer
from plp.tenancy.context import school_scope
from schools.models import Enrollment
from tests.factories import EnrollmentFactory, MembershipFactory, UserFactory

PEERS = 6
LEARNING = [False, False, True, False, True, True, True, True]  # a competency learnt at the usual pace


def school_days(today: dt.date, count: int) -> list[dt.date]:
    """The last ``count`` weekdays before ``today``, oldest first."""
    days, day = [], today
    while len(days) < count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days[::-1]


def work(world, student, on: dt.date, answers: list[tuple[object, bool]]) -> None:
    """``answers`` (competency, right?) given by the student on that school day, in order, from 10:00."""
    start = timezone.make_aware(dt.datetime.combine(on, dt.time(10)))
    with school_scope(world.school):
        rows = PracticeAnswer.objects.bulk_create(
            PracticeAnswer(
                school=world.school,
                student=student,
                competency=c,
                is_correct=right,
                p_before=0.2,
                p_after=0.2,
            )
            for c, right in answers
        )
        for n, row in enumerate(rows):
            PracticeAnswer.objects.filter(pk=row.pk).update(answered_at=start + dt.timedelta(minutes=n))


def fail_check(world, student, competency, on: dt.date) -> None:
    at = timezone.make_aware(dt.datetime.combine(on, dt.time(14)))
    with school_scope(world.school):
        CheckAttempt.objects.create(
            school=world.school, student=student, competency=competency, status=CheckAttempt.Status.GRADED,
            pass_threshold=0.8, submitted_at=at, correct_count=1, total=5, passed=False,
        )  # fmt: skip


def ordinary_day(world, n: int) -> list[tuple[object, bool]]:
    """A present student's usual 15 answers: a competency learnt at the usual pace, then right answers."""
    c1, _, c3 = world.competencies
    return [(c1, r) for r in LEARNING] + [(c3, n % 5 != 0) for _ in range(7)]


@pytest.fixture
def classroom_days(learning_a):
    """Six ordinary classmates who work every school day of the last four weeks (what a school day is)."""
    section = Enrollment.objects.unscoped().filter(user=learning_a.student).first().section
    peers = []
    for _ in range(PEERS):
        peer = UserFactory()
        MembershipFactory(school=learning_a.school, user=peer, role="student")
        EnrollmentFactory(section=section, user=peer)
        peers.append(peer)
    days = school_days(timezone.localdate(), 20)
    for n, on in enumerate(days):
        for peer in peers:
            work(learning_a, peer, on, ordinary_day(learning_a, n))
    return days, peers


def recompute(world, students, today=None):
    with school_scope(world.school):
        services.students_recompute(student_ids=[s.pk for s in students], today=today)


def entry(world, student):
    with school_scope(world.school):
        return Flag.objects.filter(student=student, kind="needs_attention").first()


def test_an_ordinary_student_with_one_hard_competency_needs_no_attention(learning_a, classroom_days):
    days, peers = classroom_days
    c2 = learning_a.competencies[1]
    hard = [False] * 7 + [True, False, True, True, True, True, True]  # long to get, but got
    for n, on in enumerate(days):
        answers = ordinary_day(learning_a, n)
        if n == 5:
            answers = [(c2, r) for r in hard]
        work(learning_a, learning_a.student, on, answers)
    recompute(learning_a, [learning_a.student, *peers])
    assert entry(learning_a, learning_a.student) is None
    assert not any(entry(learning_a, peer) for peer in peers)


def test_a_student_absent_most_school_days_needs_attention_and_it_clears_after_good_days(
    learning_a, classroom_days
):
    days, _ = classroom_days
    for n, on in enumerate(days[:8]):  # came for two weeks, then stopped but for a short day
        work(learning_a, learning_a.student, on, ordinary_day(learning_a, n))
    work(learning_a, learning_a.student, days[12], ordinary_day(learning_a, 12)[:3])
    midway = days[16]
    recompute(learning_a, [learning_a.student], today=midway)
    flag = entry(learning_a, learning_a.student)
    assert flag is not None and flag.status == "open" and flag.subject == ""
    assert flag.summary.startswith("Disengaged")
    assert flag.evidence["kind"] == "disengaged" and flag.evidence["score"] >= 0.5
    assert any("school days" in reason for reason in flag.evidence["reasons"])
    assert any(rule.startswith("Inactive: ") for rule in flag.evidence["rules"])  # the old rule, as evidence
    assert flag.suggested_action.startswith("Talk with the student")

    for n, on in enumerate(days[16:], start=16):  # back, and working as usual every day
        work(learning_a, learning_a.student, on, ordinary_day(learning_a, n))
    recompute(learning_a, [learning_a.student])
    flag.refresh_from_db()
    assert flag.status == "cleared"


def test_a_student_wrong_far_more_than_the_model_expects_on_several_competencies_needs_attention(
    learning_a, classroom_days
):
    days, _ = classroom_days
    c1, c2, c3 = learning_a.competencies
    slow = [False] * 9 + [True, False, False, True]
    for n, on in enumerate(days[-9:]):
        competency = (c1, c3, c2)[n // 3]
        work(learning_a, learning_a.student, on, [(competency, r) for r in slow])
    recompute(learning_a, [learning_a.student])
    flag = entry(learning_a, learning_a.student)
    assert flag is not None and flag.evidence["kind"] in ("slow", "blocked")
    assert flag.evidence["reasons"] and flag.suggested_action


def test_a_student_stuck_on_one_competency_through_failed_checks_needs_attention_about_it(
    learning_a, classroom_days
):
    days, _ = classroom_days
    c1, _, c3 = learning_a.competencies
    for n, on in enumerate(days):
        answers = [(c3, n % 5 != 0) for _ in range(7)] + [(c1, n % 4 == 0) for _ in range(8)]
        work(learning_a, learning_a.student, on, answers)
    fail_check(learning_a, learning_a.student, c1, days[-6])
    fail_check(learning_a, learning_a.student, c1, days[-2])
    recompute(learning_a, [learning_a.student])
    flag = entry(learning_a, learning_a.student)
    assert flag is not None and flag.evidence["kind"] == "blocked"
    assert flag.subject == f"competency:{c1.pk}" and flag.summary == f"Blocked on {c1.code}"
    assert any(f"Failed the {c1.code} mastery check" in reason for reason in flag.evidence["reasons"])
    assert flag.suggested_action.startswith(f"Work through {c1.code}")


def test_a_schools_own_enter_score_decides_who_is_listed(learning_a, classroom_days):
    days, _ = classroom_days
    for n, on in enumerate(days[:8]):
        work(learning_a, learning_a.student, on, ordinary_day(learning_a, n))
    with school_scope(learning_a.school):
        SchoolThresholds.objects.create(
            school=learning_a.school, attention_enter_score=0.999, attention_exit_score=0.99
        )
    recompute(learning_a, [learning_a.student])
    assert entry(learning_a, learning_a.student) is None


def test_a_checks_answers_are_evidence_in_the_order_given_and_a_failed_check_is_named(
    learning_a, classroom_days
):
    days, _ = classroom_days
    c1 = learning_a.competencies[0]
    work(learning_a, learning_a.student, days[-1], [(c1, False), (c1, True)])
    fail_check(learning_a, learning_a.student, c1, days[-1])
    with school_scope(learning_a.school):
        attempt = CheckAttempt.objects.get(student=learning_a.student)
        for n, right in enumerate([True, False, False]):
            CheckResponse.objects.create(
                school=learning_a.school, attempt=attempt, question_id_in_form=n, is_correct=right
            )
        snapshots = load_snapshots(student_ids=[learning_a.student.pk], today=timezone.localdate())
        data = load_attention_inputs(snapshots=snapshots, today=timezone.localdate())[learning_a.student.pk]
    last = data.days[-1]
    began = timezone.localdate() - dt.timedelta(days=10)  # the playlist was assigned then
    assert [d.on for d in data.days] == [d for d in days if d >= began]  # school days since, absent or not
    assert [(a.correct, a.check) for a in last.answers] == [
        (False, False), (True, False), (True, True), (False, True), (False, True)
    ]  # fmt: skip
    assert [(f.competency_id, f.on) for f in data.failed_checks] == [(c1.pk, days[-1])]
    assert 14.8 < data.usual_answers_per_day <= 15 and not data.previously_flagged  # the class: 15 a day


def test_an_open_entry_stays_open_down_to_the_exit_score_hysteresis(learning_a, classroom_days):
    days, _ = classroom_days
    for n, on in enumerate(days[:8]):
        work(learning_a, learning_a.student, on, ordinary_day(learning_a, n))
    recompute(learning_a, [learning_a.student])
    flag = entry(learning_a, learning_a.student)
    assert flag is not None and flag.status == "open"
    with school_scope(learning_a.school):  # the score is now below the enter score, above the exit score
        SchoolThresholds.objects.create(
            school=learning_a.school, attention_enter_score=1.0, attention_exit_score=0.3
        )
    recompute(learning_a, [learning_a.student])
    flag.refresh_from_db()
    assert flag.status == "open"
    with school_scope(learning_a.school):
        Flag.objects.filter(pk=flag.pk).update(status="cleared")
        StudentEngineState.objects.update(results_digest="")  # so the recompute writes what it finds
    recompute(learning_a, [learning_a.student])  # not open now: it would have to reach the enter score
    flag.refresh_from_db()
    assert flag.status == "cleared"


def test_the_detector_reads_each_competencys_prerequisites_from_the_snapshot(learning_a, classroom_days):
    """A wrong review of a prerequisite is evidence of a block (engine.policy.attention.PREREQUISITE_LLR):
    the loader hands the detector the graph the snapshot holds (C2 comes after C1)."""
    c1, c2, _ = learning_a.competencies
    with school_scope(learning_a.school):
        snapshots = load_snapshots(student_ids=[learning_a.student.pk], today=timezone.localdate())
        data = load_attention_inputs(snapshots=snapshots, today=timezone.localdate())[learning_a.student.pk]
    assert data.prerequisites == {c2.pk: (c1.pk,)}
