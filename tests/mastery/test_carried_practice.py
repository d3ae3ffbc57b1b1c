"""Right practice answers given just before a check count as its first questions (``rules.carried_practice``):
the service records which, the pages and the API say so before the first question and in the result, and
a teacher sees which answers were carried. The rule's branches are in test_rules.py."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mastery import selectors, services
from mastery.models import CheckAttempt, EvidenceEvent, MasteryState, PracticeAnswer, Question
from plp.tenancy.context import school_scope
from tests.factories import QuestionFactory
from tests.mastery.conftest import RIGHT, WRONG

API = "/api/v1/s/alpha/mastery"


def url(name, **kwargs):
    return reverse(f"mastery:{name}", kwargs={"school_slug": "alpha", **kwargs})


def _answer_one(attempt, response):
    """Answer the check's next question (each answer counts as it is given)."""
    answered = {r.question_id_in_form for r in attempt.responses.all()}
    item = next(item for item in attempt.form if item["id"] not in answered)
    return services.check_answer(attempt=attempt, question_id=item["id"], response=response)


@pytest.fixture
def default_check(policy, bank):
    """The school's default check: 5 questions, 4 to pass, opening at an estimate of 0.70; the bank holds 9
    questions, so two practised ones leave a full check."""
    policy.check_size, policy.readiness_rule = 5, "estimate"
    policy.save()
    for _ in range(4):
        QuestionFactory(bank=bank)
    return policy


def _practise(student, competency, marks: str) -> list[PracticeAnswer]:
    """ "RR": two right answers, each to another question of the bank."""
    questions = list(Question.objects.filter(bank__competency=competency).order_by("pk"))
    return [
        services.practice_answer_submit(
            student=student, question=questions[n], response=RIGHT if mark == "R" else WRONG
        )
        for n, mark in enumerate(marks)
    ]


def test_two_right_practice_answers_are_the_checks_first_two_and_two_more_right_pass_it(
    scope_a, default_check
):
    student, competency = scope_a.user("student"), default_check.competency
    answers = _practise(student, competency, "RR")
    attempt = services.check_request(student=student, competency=competency)
    assert (attempt.questions, attempt.carried, len(attempt.form)) == (5, 2, 3)
    assert set(attempt.carried_answers.values_list("pk", flat=True)) == {a.pk for a in answers}

    attempt = _answer_one(attempt, RIGHT)
    assert attempt.status == "in_progress"  # 3 right of 5: not decided
    attempt = _answer_one(attempt, RIGHT)
    assert (attempt.status, attempt.passed, attempt.correct_count, attempt.total, attempt.asked) == (
        "graded",
        True,
        4,
        4,
        2,
    )
    assert MasteryState.objects.get(student=student, competency=competency).status == "mastered"


def test_the_carried_answers_are_evidence_once_and_the_ledger_names_them(scope_a, default_check):
    student, competency = scope_a.user("student"), default_check.competency
    answers = _practise(student, competency, "RR")
    estimate = MasteryState.objects.get(student=student, competency=competency).p_mastered
    attempt = services.check_request(student=student, competency=competency)
    attempt = _answer_one(_answer_one(attempt, RIGHT), RIGHT)
    check = EvidenceEvent.objects.get(source="check")
    assert check.detail["carried"] == 2
    assert check.detail["carried_answer_ids"] == sorted(a.pk for a in answers)
    assert (check.detail["correct"], check.detail["total"], check.detail["questions"]) == (4, 4, 5)
    # The practice answers moved the estimate once, as practice; no answer row was written again for them.
    assert EvidenceEvent.objects.filter(source="answer").count() == 2
    assert check.p_before == check.p_after == pytest.approx(estimate)
    assert attempt.responses.count() == 2  # the check's own answers: the two asked
    assert services.mastery_replay(student=student, competency=competency) == (
        True,
        pytest.approx(estimate),
        True,
    )


def test_a_wrong_last_practice_answer_carries_nothing(scope_a, default_check):
    student, competency = scope_a.user("student"), default_check.competency
    _practise(student, competency, "RRRW")
    services.check_unlock(student=student, competency=competency, teacher=scope_a.user("teacher"))
    attempt = services.check_request(student=student, competency=competency)
    assert (attempt.questions, attempt.carried, len(attempt.form)) == (5, 0, 5)


def test_answers_before_the_previous_check_never_carry_again(scope_a, default_check):
    student, teacher, competency = scope_a.user("student"), scope_a.user("teacher"), default_check.competency
    _practise(student, competency, "RR")
    first = services.check_request(student=student, competency=competency)
    first = _answer_one(_answer_one(first, WRONG), WRONG)  # 2 right carried, 2 wrong: not yet
    assert (first.passed, first.correct_count, first.total) == (False, 2, 4)
    services.check_unlock(student=student, competency=competency, teacher=teacher)  # retake at once
    second = services.check_request(student=student, competency=competency)
    assert second.carried == 0 and len(second.form) == 5
    assert set(PracticeAnswer.objects.values_list("carried_into", flat=True)) == {first.pk}


def test_after_a_failed_check_the_practice_since_carries(scope_a, default_check):
    student, teacher, competency = scope_a.user("student"), scope_a.user("teacher"), default_check.competency
    services.check_unlock(student=student, competency=competency, teacher=teacher)
    first = services.check_request(student=student, competency=competency)
    _answer_one(_answer_one(first, WRONG), WRONG)
    PracticeAnswer.objects.all().delete()  # none before
    (answer,) = _practise(student, competency, "R")
    services.check_unlock(student=student, competency=competency, teacher=teacher)
    second = services.check_request(student=student, competency=competency)
    assert second.carried == 1 and list(second.carried_answers.all()) == [answer]


def test_practice_from_a_week_ago_does_not_carry(scope_a, default_check):
    student, competency = scope_a.user("student"), default_check.competency
    _practise(student, competency, "RR")
    PracticeAnswer.objects.update(answered_at=timezone.now() - dt.timedelta(days=7))
    plan = selectors.check_supply(student=student, competency=competency).plan
    assert selectors.carried_practice_for(student=student, competency=competency, plan=plan) == (plan, ())


def test_with_approval_the_carry_is_decided_when_the_teacher_approves(scope_a, default_check):
    from mastery.models import SectionCheckSetting

    student, teacher, competency = scope_a.user("student"), scope_a.user("teacher"), default_check.competency
    SectionCheckSetting.objects.create(school=scope_a.school, section=scope_a.section, approval_required=True)
    _practise(student, competency, "RR")
    attempt = services.check_request(student=student, competency=competency)
    assert (attempt.status, attempt.carried) == ("awaiting_approval", 0)
    attempt = services.check_approve(attempt=attempt, teacher=teacher)
    assert (attempt.carried, len(attempt.form)) == (2, 3)
    assert PracticeAnswer.objects.filter(carried_into=attempt).count() == 2


def test_grading_the_whole_form_at_once_counts_the_carried_answers_too(scope_a, default_check):
    student, competency = scope_a.user("student"), default_check.competency
    _practise(student, competency, "RR")
    attempt = services.check_request(student=student, competency=competency)
    for item, response in zip(attempt.form, (RIGHT, RIGHT, WRONG), strict=True):
        services.check_response_save(attempt=attempt, question_id=item["id"], response=response)
    attempt = services.check_submit(attempt=attempt)
    assert (attempt.passed, attempt.correct_count, attempt.total) == (True, 4, 5)


# --- a short bank: the carried answers take the first places, the bank still gives what it can -----------


@pytest.fixture
def short_bank(policy, bank):
    """The default check (5 questions, 4 to pass) on a bank of exactly 5: two practised questions leave 3
    fresh ones (a practised question stays out of checks for 7 days)."""
    policy.check_size, policy.readiness_rule = 5, "estimate"
    policy.save()
    return policy


def test_a_short_bank_check_with_two_carried_answers_asks_three_fresh_questions_and_needs_four_right(
    scope_a, short_bank
):
    student, competency = scope_a.user("student"), short_bank.competency
    practised = _practise(student, competency, "RR")
    supply = selectors.check_supply(student=student, competency=competency)
    assert (supply.plan.available, supply.plan.questions, supply.plan.to_pass) == (3, 3, 3)  # the bank alone
    attempt = services.check_request(student=student, competency=competency)
    assert (attempt.questions, attempt.carried, len(attempt.form)) == (5, 2, 3)
    assert {item["id"] for item in attempt.form}.isdisjoint({a.question_id for a in practised})
    attempt = _answer_one(attempt, RIGHT)
    assert attempt.status == "in_progress"  # 3 of 5 right: one fresh right answer does not pass it
    attempt = _answer_one(attempt, WRONG)
    assert attempt.status == "in_progress"
    attempt = _answer_one(attempt, RIGHT)
    assert (attempt.status, attempt.passed, attempt.correct_count, attempt.total) == ("graded", True, 4, 5)


def test_a_short_bank_check_fails_on_two_wrong_fresh_answers_as_a_full_one_does(scope_a, short_bank):
    student, competency = scope_a.user("student"), short_bank.competency
    _practise(student, competency, "RR")
    attempt = services.check_request(student=student, competency=competency)
    attempt = _answer_one(_answer_one(attempt, WRONG), WRONG)
    assert (attempt.status, attempt.passed, attempt.correct_count, attempt.total) == ("graded", False, 2, 4)


def test_a_short_bank_check_with_one_carried_answer_is_one_plus_the_whole_bank(scope_a, short_bank):
    student, competency = scope_a.user("student"), short_bank.competency
    _practise(student, competency, "WR")  # two practised (left out), the last one right: 1 carries
    services.check_unlock(student=student, competency=competency, teacher=scope_a.user("teacher"))
    attempt = services.check_request(student=student, competency=competency)
    assert (attempt.questions, attempt.carried, len(attempt.form)) == (4, 1, 3)  # 1 + min(3, 5 − 1)


# --- the pages and the API ---------------------------------------------------------------------------------


@pytest.fixture
def student_client(client, school_a):
    client.force_login(school_a.user("student"))
    return client


def test_the_student_reads_the_note_before_the_check_and_passes_at_4_of_5_asked_2(
    student_client, school_a, default_check, django_assert_max_num_queries
):
    competency = default_check.competency
    with school_scope(school_a.school):
        _practise(school_a.user("student"), competency, "RR")
    with django_assert_max_num_queries(15):  # the competency page's budget, unchanged
        page = student_client.get(url("competency", competency_id=competency.pk)).content.decode()
    note = (
        "Your last 2 practice answers on ALPHA.FRAC.1 were right: they count as the check&#x27;s first 2 "
        "questions; 3 to go, and 2 more right pass it."
    )
    assert note in page
    response = student_client.post(url("check_request", competency_id=competency.pk))
    with school_scope(school_a.school):
        attempt = CheckAttempt.objects.get()
    assert response.url == url("check_detail", attempt_id=attempt.pk)
    page = student_client.get(response.url).content.decode()
    assert note in page and "This check has 5 questions; you pass with 4 right." in page
    assert "Question 3 of 5" in page
    for n, item in enumerate(attempt.form[:2]):
        student_client.post(
            url("check_answer", attempt_id=attempt.pk), {"question": item["id"], f"q-{item['id']}": RIGHT}
        )
        if n == 0:
            page = student_client.get(response.url).content.decode()
            assert (
                "Question 4 of 5" in page and "Its first 2 questions are your right practice answers." in page
            )
    with django_assert_max_num_queries(11):  # the result page's budget, unchanged
        page = student_client.get(response.url).content.decode()
    assert "★ Passed: mastered!" in page
    assert (
        "4 of 4 right, the first 2 from your practice: passed. The check stopped there: the pass mark was "
        "reached." in page
    )
    assert (
        "You answered 2 of 2 questions asked correctly, and your last 2 right practice answers counted as "
        "its first 2 questions; the pass mark is 4 of 5" in page
    )


def test_the_api_says_what_carried_when_the_check_is_requested_and_when_it_ends(school_a, default_check):
    competency = default_check.competency
    with school_scope(school_a.school):
        answers = _practise(school_a.user("student"), competency, "RR")
    client = APIClient()
    client.force_login(school_a.user("student"))
    created = client.post(f"{API}/checks/", {"competency": competency.pk}, format="json").json()
    assert (created["questions"], created["carried"], created["to_pass"], len(created["items"])) == (
        5,
        2,
        4,
        3,
    )
    assert sorted(created["carried_answers"]) == sorted(a.pk for a in answers)
    assert created["carried_note"].startswith("Your last 2 practice answers on ALPHA.FRAC.1 were right")
    for item in created["items"][:2]:
        body = client.post(
            f"{API}/checks/{created['id']}/answers/",
            {"question": item["id"], "response": RIGHT, "final": True},
            format="json",
        ).json()
    assert (body["status"], body["passed"], body["correct_count"], body["total"]) == ("graded", True, 4, 4)
    assert body["end_line"].startswith("4 of 4 right, the first 2 from your practice: passed.")


def test_the_teacher_sees_which_practice_answers_a_check_carried(client, school_a, default_check):
    competency = default_check.competency
    with school_scope(school_a.school):
        student = school_a.user("student")
        answers = _practise(student, competency, "RR")
        attempt = services.check_request(student=student, competency=competency)
        _answer_one(_answer_one(attempt, RIGHT), RIGHT)
    client.force_login(school_a.user("teacher"))
    page = client.get(url("attempt_review", attempt_id=attempt.pk)).content.decode()
    assert "Carried from practice" in page
    for answer in answers:
        assert answer.question.prompt in page
    assert "4/4 (2 carried from practice) · passed" in page
    detail = client.get(url("student_detail", student_id=student.pk)).content.decode()
    assert "4/4 (2 carried from practice) · passed" in detail


# --- the API's preview: what a check asked for now would carry, before asking ------------------------------


def _preview_url(student, competency) -> str:
    return f"{API}/students/{student.pk}/competencies/{competency.pk}/check/"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_the_api_previews_what_the_check_would_carry_as_the_page_says_it(
    school_a, default_check, django_assert_max_num_queries
):
    competency, student = default_check.competency, school_a.user("student")
    with school_scope(school_a.school):
        answers = _practise(student, competency, "RR")
    client = _api(student)
    with django_assert_max_num_queries(12):
        preview = client.get(_preview_url(student, competency)).json()
    assert preview["can_request"] is True and preview["reasons"] == []
    assert (preview["questions"], preview["to_pass"], preview["carried"], preview["check_size"]) == (
        5,
        4,
        2,
        5,
    )
    assert preview["carried_answers"] == [a.pk for a in answers]
    note = preview["carried_note"]
    assert note == (
        "Your last 2 practice answers on ALPHA.FRAC.1 were right: they count as the check's first 2 "
        "questions; 3 to go, and 2 more right pass it."
    )
    page_client = Client()
    page_client.force_login(student)
    page = page_client.get(url("competency", competency_id=competency.pk)).content.decode()
    assert note.replace("'", "&#x27;") in page
    # Nothing was decided by looking: the check's start carries the same answers.
    created = client.post(f"{API}/checks/", {"competency": competency.pk}, format="json").json()
    assert (created["carried"], sorted(created["carried_answers"])) == (2, preview["carried_answers"])
    assert created["carried_note"] == note
    after = client.get(_preview_url(student, competency)).json()
    assert (after["open_check"], after["can_request"], after["carried"]) == (created["id"], False, 0)


def test_the_preview_of_a_short_bank_check_counts_the_fresh_questions_back_to_full_size(school_a, short_bank):
    competency, student = short_bank.competency, school_a.user("student")
    with school_scope(school_a.school):
        _practise(student, competency, "RR")
    preview = _api(student).get(_preview_url(student, competency)).json()
    assert (preview["questions"], preview["to_pass"], preview["carried"]) == (5, 4, 2)


def test_the_preview_says_why_no_check_opens_and_carries_nothing(school_a, default_check):
    competency, student = default_check.competency, school_a.user("student")
    with school_scope(school_a.school):
        _practise(student, competency, "R")
    preview = _api(student).get(_preview_url(student, competency)).json()
    assert (preview["can_request"], preview["carried"], preview["carried_answers"]) == (False, 0, [])
    assert preview["carried_note"] == ""
    assert preview["reasons"] and preview["reasons"][0].startswith("Keep practising: your estimate is")
    assert preview["status"] == "practicing" and preview["open_check"] is None


def test_students_preview_their_own_checks_and_teachers_their_sections_students(school_a, default_check):
    competency, student = default_check.competency, school_a.user("student")
    with school_scope(school_a.school):
        _practise(student, competency, "RR")
        someone_else = school_a.user("mentor")  # a person of the school who is not this student
    own = _preview_url(student, competency)
    for reader in ("teacher", "school_admin", "district_admin"):
        body = _api(school_a.user(reader)).get(own)
        assert body.status_code == 200, reader
        assert (body.json()["student"], body.json()["carried"]) == (student.pk, 2)
    for outsider in ("other_teacher", "mentor"):
        assert _api(school_a.user(outsider)).get(own).status_code == 404, outsider
    # A student reads only their own: another person's id is not found.
    assert _api(student).get(_preview_url(someone_else, competency)).status_code == 404
    assert _api(student).post(own).status_code == 405


# --- the engine's read: how many right practice answers an open check is short of counting -----------------


def test_the_engine_reads_what_an_open_check_would_carry_by_the_checks_own_rule(scope_a, default_check):
    from mastery.eligibility import eligibilities

    student, competency = scope_a.user("student"), default_check.competency
    services.check_unlock(student=student, competency=competency, teacher=scope_a.user("teacher"))

    def short():
        verdict = eligibilities(student_ids=[student.pk], now=timezone.now())[(student.pk, competency.pk)]
        plan = selectors.check_supply(student=student, competency=competency).plan
        _, carried = selectors.carried_practice_for(student=student, competency=competency, plan=plan)
        assert verdict.allowed and verdict.carry_short == plan.carry_limit - len(carried)  # the same rule
        return verdict.carry_short

    assert short() == 2  # no practice yet: a check now would count none of the two it may
    (right,) = _practise(student, competency, "R")
    assert short() == 1
    PracticeAnswer.objects.filter(pk=right.pk).update(answered_at=timezone.now() - dt.timedelta(minutes=5))
    _practise(student, competency, "R")
    assert short() == 0
    _practise(student, competency, "W")
    assert short() == 2  # a wrong answer ends the run
    PracticeAnswer.objects.update(answered_at=timezone.now() - dt.timedelta(days=4))
    _practise(student, competency, "R")
    assert short() == 1  # older than three days: no longer "just before"


def test_after_a_check_the_engine_counts_only_the_practice_since(scope_a, default_check):
    from mastery.eligibility import eligibilities

    student, teacher, competency = scope_a.user("student"), scope_a.user("teacher"), default_check.competency
    _practise(student, competency, "RR")
    first = services.check_request(student=student, competency=competency)
    _answer_one(_answer_one(first, WRONG), WRONG)
    services.check_unlock(student=student, competency=competency, teacher=teacher)
    verdict = eligibilities(student_ids=[student.pk], now=timezone.now())[(student.pk, competency.pk)]
    assert verdict.allowed and verdict.carry_short == 2  # the two right answers were that check's


def test_a_check_under_way_is_short_of_nothing(scope_a, default_check):
    from mastery.eligibility import eligibilities

    student, competency = scope_a.user("student"), default_check.competency
    _practise(student, competency, "RR")
    services.check_request(student=student, competency=competency)  # in progress, the two carried
    verdict = eligibilities(student_ids=[student.pk], now=timezone.now())[(student.pk, competency.pk)]
    assert verdict.carry_short == 0  # Next up says "continue the check", not "practise first"
