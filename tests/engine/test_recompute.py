"""The recompute pipeline on the real models: snapshot in bulk, policy, precomputed rows, flags."""

import datetime as dt
import gc
import zoneinfo

import pytest
from django.utils import timezone

from engine import enqueue, services
from engine.models import Flag, ItemDirective, StudentEngineState, StudentRecommendation
from engine.tasks import recompute_student, recompute_students
from mastery.services import practice_answer_submit
from plp.tenancy.context import NoActiveSchool, school_scope
from schools.models import Enrollment
from schools.roles import Role
from tests.factories import EnrollmentFactory, MembershipFactory, UserFactory

WRONG, RIGHT = 0, 1


def next_up(world):
    with school_scope(world.school):
        return list(
            StudentRecommendation.objects.filter(student=world.student)
            .order_by("rank")
            .values_list("kind", "item__title", "reason")
        )


def answer(world, competency, response, student=None):
    question = world.questions[competency.pk]
    practice_answer_submit(student=student or world.student, question=question, response=response)


def recompute(world, student_ids=None):
    with school_scope(world.school):
        return services.students_recompute(student_ids=student_ids or [world.student.pk])


def test_next_up_skips_items_whose_prerequisites_are_unmastered_and_says_why(learning_a):
    recompute(learning_a)
    rows = next_up(learning_a)
    titles = [title for kind, title, _ in rows if kind == "item"]
    assert titles == ["Ratios intro", "Sports stats"]  # "Unit rates" needs C1 first
    assert all(reason.endswith(".") for _, _, reason in rows)
    assert "Ratios is behind its plan" in rows[0][2] or "next in Ratios" in rows[0][2].lower()


def test_recompute_is_idempotent_and_writes_nothing_the_second_time(learning_a):
    recompute(learning_a)
    with school_scope(learning_a.school):
        first = list(StudentRecommendation.objects.values_list("pk", "rank", "reason"))
    counts = recompute(learning_a)
    with school_scope(learning_a.school):
        assert list(StudentRecommendation.objects.values_list("pk", "rank", "reason")) == first
    assert counts["rewritten"] == 0


def test_ten_wrong_answers_raise_a_wheel_spinning_flag_that_clears_with_mastery(learning_a):
    c1 = learning_a.competencies[0]
    with school_scope(learning_a.school):
        for _ in range(10):
            practice_answer_submit(
                student=learning_a.student, question=learning_a.questions[c1.pk], response=WRONG
            )
    recompute(learning_a)
    with school_scope(learning_a.school):
        flag = Flag.objects.get(student=learning_a.student, kind="wheel_spinning")
        assert flag.status == "open"
        assert flag.evidence["answers"] == 10
        assert flag.evidence["competency"] == c1.code
        from mastery.services import mastery_override

        mastery_override(
            student=learning_a.student,
            competency=c1,
            teacher=UserFactory(),
            mastered=True,
            reason="Showed it",
        )
    recompute(learning_a)
    with school_scope(learning_a.school):
        assert Flag.objects.get(pk=flag.pk).status == "cleared"


def test_a_teachers_pin_comes_first_and_a_veto_removes_the_item(learning_a):
    intro, _, stats = learning_a.items
    with school_scope(learning_a.school):
        ItemDirective.objects.create(
            school=learning_a.school,
            student=learning_a.student,
            item=stats,
            kind="pin",
            reason="before Friday",
        )
        ItemDirective.objects.create(
            school=learning_a.school,
            student=learning_a.student,
            item=intro,
            kind="veto",
            reason="video broken",
        )
    recompute(learning_a)
    rows = next_up(learning_a)
    assert rows[0][1] == "Sports stats"
    assert rows[0][2].endswith("before Friday")
    assert "Ratios intro" not in [title for _, title, _ in rows]


def test_the_task_runs_outside_any_scope_and_clears_the_dirty_mark(learning_a):
    with school_scope(learning_a.school):
        enqueue.students_mark_dirty(student_ids=[learning_a.student.pk])
    recompute_student(school_id=learning_a.school.pk, student_id=learning_a.student.pk)
    with school_scope(learning_a.school):
        state = StudentEngineState.objects.get(student=learning_a.student)
    assert state.dirty_since is None
    assert state.computed_at is not None
    with pytest.raises(TypeError):
        recompute_student(student_id=learning_a.student.pk)


def test_a_task_for_school_a_never_reads_or_writes_school_b(learning_a, learning_b):
    recompute(learning_b)
    with school_scope(learning_b.school):
        before = list(StudentRecommendation.objects.values_list("pk", "reason"))
    # School B's student id in a school A task: not a student of A, so nothing happens anywhere.
    counts = recompute_students(school_id=learning_a.school.pk, student_ids=[learning_b.student.pk])
    assert counts["students"] == 0
    with school_scope(learning_b.school):
        assert list(StudentRecommendation.objects.values_list("pk", "reason")) == before
    with school_scope(learning_a.school):
        assert not StudentRecommendation.objects.exists()


def test_recompute_uses_a_constant_number_of_queries_per_chunk(learning_a, django_assert_max_num_queries):
    school = learning_a.school
    c1 = learning_a.competencies[0]
    with school_scope(school):
        practice_answer_submit(
            student=learning_a.student, question=learning_a.questions[c1.pk], response=RIGHT
        )
    with django_assert_max_num_queries(40) as one:
        recompute(learning_a)
    many = []
    section = (
        Enrollment.objects.unscoped().filter(user=learning_a.student).first().section
    )  # unscoped: test setup
    for _ in range(25):
        student = UserFactory()
        MembershipFactory(school=school, user=student, role=Role.STUDENT)
        EnrollmentFactory(section=section, user=student)
        with school_scope(school):
            answer(learning_a, c1, WRONG, student=student)
        many.append(student.pk)
    with django_assert_max_num_queries(len(one.captured_queries)) as bulk:
        counts = recompute(learning_a, student_ids=[learning_a.student.pk, *many])
    assert counts["students"] == 26
    assert len(bulk.captured_queries) <= len(one.captured_queries)


def test_the_sweep_plan_chunks_dirty_students_per_school(learning_a, learning_b):
    with school_scope(learning_a.school):
        enqueue.students_mark_dirty(student_ids=[learning_a.student.pk], at=timezone.now())
    plan = services.sweep_plan(dirty_only=True, chunk_size=500)
    assert plan == [(learning_a.school.pk, [learning_a.student.pk])]
    everyone = services.sweep_plan(dirty_only=False, chunk_size=1)
    assert (learning_b.school.pk, [learning_b.student.pk]) in everyone


def test_my_work_reads_the_engines_next_up_and_reason(learning_a):
    from engine.my_work import FALLBACK_REASON, my_work

    with school_scope(learning_a.school):
        before = my_work(student=learning_a.student, today=timezone.localdate())
        assert before.next_up_reason == FALLBACK_REASON
    recompute(learning_a)
    with school_scope(learning_a.school):
        work = my_work(student=learning_a.student, today=timezone.localdate())
    _row, placement = work.next_up
    assert placement.item.title == "Ratios intro"
    assert work.next_up_reason == next_up(learning_a)[0][2]


def test_the_demo_ranks_every_students_next_up(db):
    from schools.demo import demo_seed

    result = demo_seed(students_per_school=3)
    for school in result.schools:
        with school_scope(school):
            students = StudentEngineState.objects.filter(computed_at__isnull=False).count()
            assert students == 3
            assert StudentRecommendation.objects.exists()


def stored_rows(world):
    with school_scope(world.school):
        return list(
            StudentRecommendation.objects.filter(student=world.student)
            .order_by("rank")
            .values_list("pk", "rank", "item__title", "reason", "computed_at")
        )


def forget_digest(world):
    with school_scope(world.school):
        StudentEngineState.objects.filter(student=world.student).update(results_digest="")


def test_a_recommendation_that_did_not_change_is_not_written_again(learning_a):
    first = timezone.now()
    with school_scope(learning_a.school):
        services.students_recompute(student_ids=[learning_a.student.pk], now=first)
    before = stored_rows(learning_a)
    assert [title for _, _, title, _, _ in before] == ["Ratios intro", "Sports stats"]
    forget_digest(learning_a)  # the results count as new, but every row already says the same
    with school_scope(learning_a.school):
        counts = services.students_recompute(student_ids=[learning_a.student.pk])
    assert counts["rewritten"] == 1
    assert stored_rows(learning_a) == before
    assert {computed_at for *_, computed_at in before} == {first}


def test_a_changed_rank_is_rewritten_in_place_and_a_rank_no_longer_there_is_deleted(learning_a):
    intro, _, stats = learning_a.items
    first = timezone.now()
    with school_scope(learning_a.school):
        services.students_recompute(student_ids=[learning_a.student.pk], now=first)
    (pk1, *_), (pk2, *_) = stored_rows(learning_a)
    with school_scope(learning_a.school):
        ItemDirective.objects.create(
            school=learning_a.school, student=learning_a.student, item=stats, kind="pin", reason="for Friday"
        )
    later = first + dt.timedelta(minutes=5)
    with school_scope(learning_a.school):
        services.students_recompute(student_ids=[learning_a.student.pk], now=later)
    rows = stored_rows(learning_a)
    assert [(pk, rank, title) for pk, rank, title, _, _ in rows] == [
        (pk1, 1, "Sports stats"),
        (pk2, 2, "Ratios intro"),
    ]
    assert rows[0][3].endswith("for Friday")
    assert {computed_at for *_, computed_at in rows} == {later}
    with school_scope(learning_a.school):
        ItemDirective.objects.filter(item=stats).update(is_active=False)
        ItemDirective.objects.create(
            school=learning_a.school, student=learning_a.student, item=intro, kind="veto", reason="broken"
        )
    latest = later + dt.timedelta(minutes=5)
    with school_scope(learning_a.school):
        services.students_recompute(student_ids=[learning_a.student.pk], now=latest)
    assert [
        (pk, rank, title, computed_at) for pk, rank, title, _, computed_at in stored_rows(learning_a)
    ] == [(pk1, 1, "Sports stats", latest)]


def test_recompute_clears_only_the_dirty_marks_it_has_seen_and_stores_the_new_digest(learning_a):
    with school_scope(learning_a.school):
        services.students_recompute(student_ids=[learning_a.student.pk])
        state = StudentEngineState.objects.get(student=learning_a.student)
        digest = state.results_digest
        assert digest and state.dirty_since is None
        # An event after the recompute started keeps its mark; the digest of unchanged results stays.
        future = timezone.now() + dt.timedelta(hours=1)
        StudentEngineState.objects.filter(pk=state.pk).update(dirty_since=future)
        services.students_recompute(student_ids=[learning_a.student.pk])
        state.refresh_from_db()
        assert (state.dirty_since, state.results_digest) == (future, digest)
        past = timezone.now() - dt.timedelta(hours=1)
        StudentEngineState.objects.filter(pk=state.pk).update(dirty_since=past, results_digest="stale")
        computed = timezone.now() + dt.timedelta(minutes=1)
        services.students_recompute(student_ids=[learning_a.student.pk], now=computed)
        state.refresh_from_db()
        assert (state.dirty_since, state.results_digest, state.computed_at) == (None, digest, computed)


def test_the_garbage_collector_is_back_on_after_a_recompute_even_one_that_fails(learning_a):
    assert gc.isenabled()
    recompute(learning_a)
    assert gc.isenabled()
    with pytest.raises(NoActiveSchool):
        services.students_recompute(student_ids=[learning_a.student.pk])  # outside any school
    assert gc.isenabled()


def test_a_rewritten_reason_keeps_quotes_backslashes_and_accents(learning_a):
    stats = learning_a.items[2]
    reason = 'Finish "Sports stats" \\ it\'s due — café'
    recompute(learning_a)
    with school_scope(learning_a.school):
        ItemDirective.objects.create(
            school=learning_a.school, student=learning_a.student, item=stats, kind="pin", reason=reason
        )
    recompute(learning_a)
    assert next_up(learning_a)[0][2].endswith(reason)


def _fail_a_check(world, competency):
    from mastery import services as mastery_services

    with school_scope(world.school):
        attempt = mastery_services.check_request(student=world.student, competency=competency)
        for item in attempt.form:
            mastery_services.check_response_save(attempt=attempt, question_id=item["id"], response=WRONG)
        mastery_services.check_submit(attempt=attempt)


def test_right_after_a_failed_check_next_up_says_when_and_why_in_the_competency_pages_words(learning_a):
    from mastery.services import check_eligibility
    from tests.factories import MasteryPolicyFactory

    c1 = learning_a.competencies[0]
    MasteryPolicyFactory(
        competency=c1, readiness_threshold=0.7, cooldown_minutes=60, practice_before_retake=5
    )
    with school_scope(learning_a.school):
        for _ in range(12):
            answer(learning_a, c1, RIGHT)  # the estimate is far past every threshold
    _fail_a_check(learning_a, c1)
    recompute(learning_a)
    reasons = [reason for _, _, reason in next_up(learning_a)]
    assert not any("look ready" in reason for reason in reasons)
    zone = zoneinfo.ZoneInfo(learning_a.school.timezone)  # the pages' time zone (the middleware's)
    with school_scope(learning_a.school), timezone.override(zone):
        page = check_eligibility(student=learning_a.student, competency=c1)
    assert not page.allowed and page.practice_needed == 5 and page.retry_opens_at is not None
    checks = [reason for kind, _, reason in next_up(learning_a) if kind == "check"]
    assert checks == [" ".join(page.reasons)]


def test_a_check_the_bank_cannot_supply_is_not_suggested(learning_a):
    from mastery.models import Question
    from mastery.selectors import check_supply
    from mastery.services import check_eligibility
    from tests.factories import MasteryPolicyFactory

    c1 = learning_a.competencies[0]
    MasteryPolicyFactory(competency=c1, readiness_threshold=0.3)
    with school_scope(learning_a.school):
        Question.objects.filter(bank__competency=c1).exclude(pk=learning_a.questions[c1.pk].pk).update(
            is_active=False
        )  # a bank of one question: no check of at least three can open
        answer(learning_a, c1, RIGHT)
    recompute(learning_a)
    with school_scope(learning_a.school):
        assert check_eligibility(student=learning_a.student, competency=c1).allowed  # ready by the rule...
        plan = check_supply(student=learning_a.student, competency=c1).plan
    assert not plan.can_run  # ...but the bank cannot supply the check, and the page says so
    assert [reason for kind, _, reason in next_up(learning_a) if kind == "check"] == []


def test_a_check_is_suggested_once_the_competencys_own_policy_opens_it(learning_a):
    from tests.factories import MasteryPolicyFactory

    c1 = learning_a.competencies[0]
    MasteryPolicyFactory(competency=c1, readiness_threshold=0.3)  # the bank's policy, far below 85%
    with school_scope(learning_a.school):
        answer(learning_a, c1, RIGHT)
    recompute(learning_a)
    checks = [reason for kind, _, reason in next_up(learning_a) if kind == "check"]
    assert checks == ["The mastery check is open now."]


def test_a_student_waiting_for_a_checks_cooldown_is_recomputed_by_the_sweep_once_it_ends(learning_a):
    from tests.factories import MasteryPolicyFactory

    c1 = learning_a.competencies[0]
    MasteryPolicyFactory(
        competency=c1, readiness_threshold=0.0, cooldown_minutes=60, practice_before_retake=0
    )
    with school_scope(learning_a.school):
        answer(learning_a, c1, RIGHT)
    _fail_a_check(learning_a, c1)
    recompute(learning_a)
    with school_scope(learning_a.school):
        mark = StudentEngineState.objects.get(student=learning_a.student).dirty_since
    assert mark > timezone.now() + dt.timedelta(minutes=59)  # when the retry opens
    assert services.sweep_plan(dirty_only=True, chunk_size=10) == []  # not before
    later = services.sweep_plan(dirty_only=True, chunk_size=10, now=mark)
    assert later == [(learning_a.school.pk, [learning_a.student.pk])]

    with school_scope(learning_a.school):
        services.students_recompute(student_ids=[learning_a.student.pk], now=mark + dt.timedelta(seconds=1))
    checks = [reason for kind, _, reason in next_up(learning_a) if kind == "check"]
    assert checks == ["The mastery check is open now."]
