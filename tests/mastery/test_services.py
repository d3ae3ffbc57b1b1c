"""Practice, checks, retakes, teacher actions and the evidence ledger, through the services (real DB)."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from mastery import rules, selectors, services
from mastery.models import (
    RULE_VERSION,
    CheckAttempt,
    EvidenceEvent,
    MasteryState,
    PracticeAnswer,
    Question,
    SectionCheckSetting,
)
from mastery.readiness import register_items_done_rule
from playlists.readiness import items_done_rule
from plp.tenancy.context import school_scope
from tests.mastery.conftest import RIGHT, WRONG
from tests.support import postgres_only


def _state(student, competency):
    return MasteryState.objects.get(student=student, competency=competency)


def _answer_all(attempt, choice):
    for item in attempt.form:
        services.check_response_save(attempt=attempt, question_id=item["id"], response=choice)


def _fail_a_check(student, competency, teacher):
    services.check_unlock(student=student, competency=competency, teacher=teacher)
    attempt = services.check_request(student=student, competency=competency)
    _answer_all(attempt, WRONG)
    return services.check_submit(attempt=attempt)


def test_a_practice_answer_is_graded_and_updates_the_estimate_and_the_ledger(scope_a, competency):
    student = scope_a.user("student")
    question = Question.objects.filter(bank__competency=competency).first()
    answer = services.practice_answer_submit(student=student, question=question, response=str(RIGHT))
    assert answer.is_correct
    assert answer.p_before == pytest.approx(0.2)
    assert answer.p_after == pytest.approx(0.6)  # hand-computed in tests/mastery/test_bkt.py
    state = _state(student, competency)
    assert (state.status, state.practice_answers, state.p_mastered) == ("practicing", 1, pytest.approx(0.6))
    event = EvidenceEvent.objects.get(student=student)
    assert (event.source, event.status_before, event.status_after) == ("answer", "not_started", "practicing")
    assert event.source_id == str(answer.pk)
    assert event.rule_version == RULE_VERSION == "mastery-rules-2"


def test_the_estimate_rule_opens_the_check_once_practice_reaches_the_threshold(scope_a, competency):
    student = scope_a.user("student")
    question = Question.objects.filter(bank__competency=competency).first()
    services.practice_answer_submit(student=student, question=question, response=RIGHT)  # 0.6 < 0.7
    with pytest.raises(services.MasteryError, match="a check opens at 70%"):
        services.check_request(student=student, competency=competency)
    services.practice_answer_submit(student=student, question=question, response=RIGHT)
    assert _state(student, competency).status == "ready"
    attempt = services.check_request(student=student, competency=competency)
    assert attempt.status == "in_progress"
    # Default N is 5 and the bank has 5, but the one question just practised stays out of the check: 4
    # fresh. The two right practice answers that opened it are its first two questions, and the bank still
    # gives 3 of its 4 fresh ones: 5 questions, 4 to pass (2 more right), not 4 at 4 (the short bank's check
    # keeps its size: ``CheckPlan.carrying``).
    assert (attempt.questions, attempt.carried, len(attempt.form)) == (5, 2, 3)
    assert question.pk not in {item["id"] for item in attempt.form}


def test_a_teacher_unlock_rule_waits_for_the_teacher_and_is_used_up_by_one_check(scope_a, policy):
    student, teacher, competency = scope_a.user("student"), scope_a.user("teacher"), policy.competency
    with pytest.raises(services.MasteryError, match="Your teacher unlocks"):
        services.check_request(student=student, competency=competency)
    services.check_unlock(student=student, competency=competency, teacher=teacher)
    assert _state(student, competency).status == "ready"
    attempt = services.check_request(student=student, competency=competency)
    assert not _state(student, competency).check_unlocked
    assert services.check_request(student=student, competency=competency) == attempt  # a double click
    assert CheckAttempt.objects.count() == 1


def test_the_items_done_rule_is_not_available_when_no_app_plugs_it_in(scope_a, policy):
    student, competency = scope_a.user("student"), policy.competency
    policy.readiness_rule = "items_done"
    policy.save()
    try:
        register_items_done_rule(None)
        with pytest.raises(services.MasteryError, match="not available yet"):
            services.check_request(student=student, competency=competency)
        register_items_done_rule(lambda *, student, competency: rules.Readiness(True, "All items done."))
        assert services.check_request(student=student, competency=competency).status == "in_progress"
    finally:
        register_items_done_rule(items_done_rule)  # the playlists app's rule, as plugged in at start-up


def test_answers_autosave_as_an_upsert_and_submit_grades_them(scope_a, policy):
    student, competency = scope_a.user("student"), policy.competency
    services.check_unlock(student=student, competency=competency, teacher=scope_a.user("teacher"))
    attempt = services.check_request(student=student, competency=competency)
    first = attempt.form[0]["id"]
    services.check_response_save(attempt=attempt, question_id=first, response=WRONG)
    services.check_response_save(attempt=attempt, question_id=first, response=RIGHT)  # changed their mind
    assert attempt.responses.count() == 1
    for item in attempt.form[1:]:
        services.check_response_save(attempt=attempt, question_id=item["id"], response=RIGHT)
    graded = services.check_submit(attempt=attempt)
    assert (graded.correct_count, graded.total, graded.passed) == (3, 3, True)
    assert _state(student, competency).status == "mastered"
    with pytest.raises(services.MasteryError, match="not open"):
        services.check_response_save(attempt=attempt, question_id=first, response=WRONG)


def test_a_question_outside_the_form_cannot_be_answered(scope_a, policy, bank):
    student = scope_a.user("student")
    services.check_unlock(student=student, competency=policy.competency, teacher=scope_a.user("teacher"))
    attempt = services.check_request(student=student, competency=policy.competency)
    outside = Question.objects.exclude(pk__in=[i["id"] for i in attempt.form]).first()
    with pytest.raises(services.MasteryError, match="not part"):
        services.check_response_save(attempt=attempt, question_id=outside.pk, response=RIGHT)


def test_a_double_submit_or_replay_grades_once(scope_a, policy):
    student, competency = scope_a.user("student"), policy.competency
    services.check_unlock(student=student, competency=competency, teacher=scope_a.user("teacher"))
    attempt = services.check_request(student=student, competency=competency)
    _answer_all(attempt, RIGHT)
    first = services.check_submit(attempt=attempt)
    again = services.check_submit(attempt=attempt)
    assert (again.pk, again.correct_count, again.passed, again.submitted_at) == (
        first.pk,
        first.correct_count,
        first.passed,
        first.submitted_at,
    )
    assert EvidenceEvent.objects.filter(source="check").count() == 1


@pytest.mark.parametrize(("correct", "passed"), [(4, True), (3, False), (5, True)])
def test_a_check_passes_at_the_threshold_of_eighty_percent(scope_a, policy, correct, passed):
    policy.check_size = 5
    policy.save()
    student, competency = scope_a.user("student"), policy.competency
    services.check_unlock(student=student, competency=competency, teacher=scope_a.user("teacher"))
    attempt = services.check_request(student=student, competency=competency)
    for n, item in enumerate(attempt.form):
        services.check_response_save(
            attempt=attempt, question_id=item["id"], response=RIGHT if n < correct else WRONG
        )
    graded = services.check_submit(attempt=attempt)
    assert graded.passed is passed
    assert _state(student, competency).status == ("mastered" if passed else "practicing")


def test_a_failed_check_needs_practice_and_the_cooldown_before_a_retake(scope_a, policy):
    student, teacher, competency = scope_a.user("student"), scope_a.user("teacher"), policy.competency
    policy.readiness_rule = "estimate"
    policy.readiness_threshold = 0.0
    policy.save()
    failed = _fail_a_check(student, competency, teacher)
    assert failed.passed is False
    verdict = services.check_eligibility(student=student, competency=competency)
    assert not verdict.allowed
    assert verdict.practice_needed == 2
    assert verdict.retry_opens_at == pytest.approx(
        failed.submitted_at + dt.timedelta(minutes=30), abs=dt.timedelta(seconds=5)
    )
    question = Question.objects.first()
    for _ in range(2):
        services.practice_answer_submit(student=student, question=question, response=RIGHT)
    verdict = services.check_eligibility(student=student, competency=competency)
    assert verdict.practice_needed == 0
    assert not verdict.allowed  # the cooldown still runs
    assert _state(student, competency).status == "ready"  # ready apart from the clock: never stale
    with pytest.raises(services.MasteryError, match="next try opens"):
        services.check_request(student=student, competency=competency)
    MasteryState.objects.filter(student=student).update(
        last_failed_check_at=timezone.now() - dt.timedelta(minutes=31)
    )
    assert services.check_request(student=student, competency=competency).status == "in_progress"
    assert CheckAttempt.objects.filter(student=student).count() == 2  # every attempt is kept


def test_a_teacher_can_unlock_a_retake_early(scope_a, policy):
    student, teacher, competency = scope_a.user("student"), scope_a.user("teacher"), policy.competency
    _fail_a_check(student, competency, teacher)
    services.check_unlock(student=student, competency=competency, teacher=teacher)
    assert services.check_eligibility(student=student, competency=competency).allowed
    assert EvidenceEvent.objects.filter(source="unlock").count() == 2


def test_a_section_can_require_approval_before_the_form_is_drawn(scope_a, policy):
    student, teacher, competency = scope_a.user("student"), scope_a.user("teacher"), policy.competency
    SectionCheckSetting.objects.create(school=scope_a.school, section=scope_a.section, approval_required=True)
    services.check_unlock(student=student, competency=competency, teacher=teacher)
    attempt = services.check_request(student=student, competency=competency)
    assert (attempt.status, attempt.form) == ("awaiting_approval", [])
    with pytest.raises(services.MasteryError, match="not started"):
        services.check_submit(attempt=attempt)
    approved = services.check_approve(attempt=attempt, teacher=teacher)
    assert approved.status == "in_progress"
    assert len(approved.form) == 3
    assert approved.approved_by == teacher


def test_a_regrade_uses_the_key_stored_with_the_attempt_not_the_edited_question(scope_a, policy):
    student, competency = scope_a.user("student"), policy.competency
    services.check_unlock(student=student, competency=competency, teacher=scope_a.user("teacher"))
    attempt = services.check_request(student=student, competency=competency)
    _answer_all(attempt, RIGHT)
    Question.objects.update(correct_choices=[2])  # a teacher edits the bank while the check is open
    assert services.check_submit(attempt=attempt).passed is True


def test_a_teacher_invalidates_a_pass_with_a_reason_and_mastery_is_withdrawn(scope_a, policy):
    student, teacher, competency = scope_a.user("student"), scope_a.user("teacher"), policy.competency
    services.check_unlock(student=student, competency=competency, teacher=teacher)
    attempt = services.check_request(student=student, competency=competency)
    _answer_all(attempt, RIGHT)
    services.check_submit(attempt=attempt)
    with pytest.raises(services.MasteryError, match="why"):
        services.check_invalidate(attempt=attempt, teacher=teacher, reason="  ")
    services.check_invalidate(attempt=attempt, teacher=teacher, reason="Answers were shared")
    attempt.refresh_from_db()
    assert attempt.invalidation_reason == "Answers were shared"
    assert _state(student, competency).status == "practicing"
    event = EvidenceEvent.objects.filter(source="invalidation").get()
    assert (event.status_before, event.status_after, event.actor) == ("mastered", "practicing", teacher)


def test_an_override_needs_a_reason_and_is_audited(scope_a, competency):
    student, teacher = scope_a.user("student"), scope_a.user("teacher")
    with pytest.raises(services.MasteryError, match="reason"):
        services.mastery_override(
            student=student, competency=competency, teacher=teacher, mastered=True, reason=""
        )
    services.mastery_override(
        student=student,
        competency=competency,
        teacher=teacher,
        mastered=True,
        reason="Showed it in a project",
    )
    assert _state(student, competency).status == "mastered"
    event = EvidenceEvent.objects.get(source="override")
    assert (event.actor, event.reason, event.status_after) == (teacher, "Showed it in a project", "mastered")


def test_a_rubric_score_is_evidence_that_moves_the_estimate_but_does_not_master(scope_a, competency):
    student, teacher = scope_a.user("student"), scope_a.user("teacher")
    event = services.evidence_record_rubric_score(
        student=student, competency=competency, level=4, max_level=4, scored_by=teacher, source_id="rubric-9"
    )
    assert (event.source, event.source_id, event.outcome) == ("rubric_score", "rubric-9", 1.0)
    state = _state(student, competency)
    assert state.p_mastered == pytest.approx(0.6)
    assert state.status != "mastered"
    with pytest.raises(services.MasteryError, match="rubric level"):
        services.evidence_record_rubric_score(
            student=student, competency=competency, level=5, max_level=4, scored_by=teacher, source_id="x"
        )


def test_mastery_recomputed_from_the_ledger_matches_the_stored_state(scope_a, policy):
    student, teacher, competency = scope_a.user("student"), scope_a.user("teacher"), policy.competency
    question = Question.objects.first()
    for response in (RIGHT, WRONG, RIGHT):
        services.practice_answer_submit(student=student, question=question, response=response)
    services.evidence_record_rubric_score(
        student=student, competency=competency, level=1, max_level=4, scored_by=teacher, source_id="r1"
    )
    services.check_unlock(student=student, competency=competency, teacher=teacher)
    attempt = services.check_request(student=student, competency=competency)
    _answer_all(attempt, RIGHT)
    services.check_submit(attempt=attempt)
    state = _state(student, competency)
    mastered, p, has_evidence = services.mastery_replay(student=student, competency=competency)
    assert (mastered, has_evidence) == (True, True)
    assert p == pytest.approx(state.p_mastered)
    services.check_invalidate(attempt=attempt, teacher=teacher, reason="redo")
    assert services.mastery_replay(student=student, competency=competency)[0] is False


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_racing_submits_on_postgresql_grade_once(school_a, policy):
    student, competency = school_a.user("student"), policy.competency
    with school_scope(school_a.school):
        services.check_unlock(student=student, competency=competency, teacher=school_a.user("teacher"))
        attempt = services.check_request(student=student, competency=competency)
        _answer_all(attempt, RIGHT)
    barrier, results, errors = threading.Barrier(4), [], []

    def submit():
        try:
            with school_scope(school_a.school):
                barrier.wait()
                results.append(services.check_submit(attempt=attempt).submitted_at)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(results)) == 1
    with school_scope(school_a.school):
        assert EvidenceEvent.objects.filter(source="check").count() == 1


# --- checks a teacher can trust: the bank's real supply ---------------------------------------------------


def _practise(student, questions):
    for question in questions:
        services.practice_answer_submit(student=student, question=question, response=RIGHT)


def test_a_check_leaves_out_the_questions_the_student_just_practised(scope_a, policy):
    student, teacher, competency = scope_a.user("student"), scope_a.user("teacher"), policy.competency
    practised = list(Question.objects.order_by("pk")[:2])
    _practise(student, practised)
    for _ in range(5):  # whatever the draw (the first check carries the two right practice answers)
        services.check_unlock(student=student, competency=competency, teacher=teacher)
        attempt = services.check_request(student=student, competency=competency)
        assert attempt.questions == 3
        assert not {q.pk for q in practised} & {item["id"] for item in attempt.form}
        CheckAttempt.objects.filter(pk=attempt.pk).update(status="declined")


def test_a_bank_short_of_the_policy_gives_the_real_number_and_the_pass_mark_on_it(scope_a, policy):
    student, competency = scope_a.user("student"), policy.competency
    policy.check_size = 5
    policy.save()
    Question.objects.filter(pk=Question.objects.first().pk).update(is_active=False)  # the bank holds 4
    services.check_unlock(student=student, competency=competency, teacher=scope_a.user("teacher"))
    attempt = services.check_request(student=student, competency=competency)
    assert len(attempt.form) == 4
    plan = selectors.check_supply(student=student, competency=competency).plan
    assert (plan.questions, plan.to_pass, plan.shortfall) == (4, 4, 1)


def test_when_the_bank_cannot_supply_a_minimal_check_the_request_is_refused_with_the_reason(scope_a, policy):
    student, teacher, competency = scope_a.user("student"), scope_a.user("teacher"), policy.competency
    _practise(student, Question.objects.order_by("pk")[:3])  # 2 of 5 left, a check needs 3
    services.check_unlock(student=student, competency=competency, teacher=teacher)
    with pytest.raises(services.MasteryError, match="have not practised in the last 7 days"):
        services.check_request(student=student, competency=competency)
    assert not CheckAttempt.objects.exists()
    assert _state(student, competency).check_unlocked  # the teacher's unlock is not used up
    PracticeAnswer.objects.update(answered_at=timezone.now() - dt.timedelta(days=8))  # aged out
    assert len(services.check_request(student=student, competency=competency).form) == 3


def test_a_bank_can_allow_practised_questions_in_checks(scope_a, policy, bank):
    student, competency = scope_a.user("student"), policy.competency
    bank.practice_exclusion_days = 0
    bank.save()
    _practise(student, Question.objects.all())
    services.check_unlock(student=student, competency=competency, teacher=scope_a.user("teacher"))
    attempt = services.check_request(student=student, competency=competency)
    assert (attempt.questions, attempt.carried, len(attempt.form)) == (3, 2, 1)


def test_an_approval_cannot_draw_a_check_the_bank_cannot_supply_and_the_request_waits(scope_a, policy):
    student, teacher, competency = scope_a.user("student"), scope_a.user("teacher"), policy.competency
    SectionCheckSetting.objects.create(school=scope_a.school, section=scope_a.section, approval_required=True)
    services.check_unlock(student=student, competency=competency, teacher=teacher)
    attempt = services.check_request(student=student, competency=competency)
    _practise(student, Question.objects.order_by("pk")[:3])  # while waiting for the teacher
    with pytest.raises(services.MasteryError, match="cannot open yet"):
        services.check_approve(attempt=attempt, teacher=teacher)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.form) == ("awaiting_approval", [])


def _five_question_check(scope, policy):
    """The school's default check: 5 questions, passed with 4 right (0.8)."""
    policy.check_size = 5
    policy.save()
    competency = policy.competency
    student = scope.user("student")
    services.check_unlock(student=student, competency=competency, teacher=scope.user("teacher"))
    return student, services.check_request(student=student, competency=competency)


def test_a_check_answered_one_by_one_stops_passed_at_4_right_of_5(scope_a, policy):
    student, attempt = _five_question_check(scope_a, policy)
    for item in attempt.form[:3]:
        attempt = services.check_answer(attempt=attempt, question_id=item["id"], response=RIGHT)
        assert attempt.status == "in_progress"  # 3 right: not decided yet
    attempt = services.check_answer(attempt=attempt, question_id=attempt.form[3]["id"], response=RIGHT)
    assert (attempt.status, attempt.passed, attempt.correct_count, attempt.total) == ("graded", True, 4, 4)
    assert _state(student, policy.competency).status == "mastered"
    event = EvidenceEvent.objects.get(source="check")
    assert (event.detail["total"], event.detail["questions"], event.detail["passed"]) == (4, 5, True)
    with pytest.raises(services.MasteryError, match="not open for answers"):
        services.check_answer(attempt=attempt, question_id=attempt.form[4]["id"], response=RIGHT)


def test_a_check_answered_one_by_one_stops_failed_at_2_wrong(scope_a, policy):
    student, attempt = _five_question_check(scope_a, policy)
    attempt = services.check_answer(attempt=attempt, question_id=attempt.form[0]["id"], response=WRONG)
    attempt = services.check_answer(attempt=attempt, question_id=attempt.form[1]["id"], response=RIGHT)
    assert attempt.status == "in_progress"
    with pytest.raises(services.MasteryError, match="answered already"):
        services.check_answer(attempt=attempt, question_id=attempt.form[0]["id"], response=RIGHT)
    with pytest.raises(services.MasteryError, match="answered already"):  # nor rewritten by an autosave
        services.check_response_save(attempt=attempt, question_id=attempt.form[0]["id"], response=RIGHT)
    attempt = services.check_answer(attempt=attempt, question_id=attempt.form[2]["id"], response=WRONG)
    assert (attempt.status, attempt.passed, attempt.correct_count, attempt.total) == ("graded", False, 1, 3)
    state = _state(student, policy.competency)
    assert state.status == "practicing" and state.last_failed_check_at is not None
    assert EvidenceEvent.objects.get(source="check").detail["passed"] is False
    assert attempt.responses.count() == 3  # the questions not asked are not graded as wrong


def test_a_blank_or_foreign_answer_does_not_count(scope_a, policy):
    _, attempt = _five_question_check(scope_a, policy)
    with pytest.raises(services.MasteryError):
        services.check_answer(attempt=attempt, question_id=attempt.form[0]["id"], response="  ")
    with pytest.raises(services.MasteryError, match="not part of this check"):
        services.check_answer(attempt=attempt, question_id=10**12, response=RIGHT)
    assert attempt.responses.count() == 0
