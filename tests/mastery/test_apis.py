"""The mastery API: scoped, and students never receive a correct answer before submitting."""

import json

import pytest
from rest_framework.test import APIClient

from mastery import services
from mastery.models import CheckAttempt, MasteryState, Question, SectionCheckSetting
from plp.tenancy.context import school_scope
from tests.factories import QuestionFactory
from tests.mastery.conftest import RIGHT

API = "/api/v1/s/alpha/mastery"
SECRETS = (
    "correct_choices",
    "accepted_answers",
    "numeric_answer",
    "tolerance",
    '"key"',
    "Because the second",
)


def _client(user):
    client = APIClient()
    client.force_login(user)
    return client


def _assert_no_answers(response):
    body = json.dumps(response.json())
    for secret in SECRETS:
        assert secret not in body, f"{secret} leaked: {body[:300]}"


@pytest.fixture
def mixed_bank(bank):
    """Every question kind in the bank, with answers a student must not see."""
    QuestionFactory(
        bank=bank, kind="numeric", choices=[], correct_choices=[], numeric_answer=42.5, tolerance=0.1
    )
    QuestionFactory(
        bank=bank, kind="short_text", choices=[], correct_choices=[], accepted_answers=["secretword"]
    )
    QuestionFactory(bank=bank, kind="multiple", correct_choices=[0, 1])
    return bank


def test_a_student_reads_practice_questions_and_checks_without_any_answer(school_a, mixed_bank, policy):
    student = school_a.user("student")
    client = _client(student)
    competency = mixed_bank.competency
    for _ in range(10):
        response = client.get(f"{API}/competencies/{competency.pk}/practice-question/")
        assert response.status_code == 200
        _assert_no_answers(response)
        assert "42.5" not in response.content.decode() and "secretword" not in response.content.decode()
    policy.check_size = 8
    policy.save()
    with school_scope(school_a.school):
        services.check_unlock(student=student, competency=competency, teacher=school_a.user("teacher"))
    created = client.post(f"{API}/checks/", {"competency": competency.pk}, format="json")
    assert created.status_code == 201
    _assert_no_answers(created)
    attempt_id = created.json()["id"]
    first = created.json()["items"][0]["id"]
    saved = client.post(
        f"{API}/checks/{attempt_id}/answers/", {"question": first, "response": "1"}, format="json"
    )
    assert saved.status_code == 200
    _assert_no_answers(saved)
    assert saved.json()["items"][0]["response"] == "1"
    for response in (client.get(f"{API}/checks/{attempt_id}/"), client.get(f"{API}/checks/")):
        _assert_no_answers(response)
        assert "secretword" not in response.content.decode()
    assert client.get(f"{API}/banks/{mixed_bank.pk}/questions/").status_code == 404
    assert client.get(f"{API}/banks/").status_code == 403
    graded = client.post(f"{API}/checks/{attempt_id}/submit/")
    assert graded.json()["status"] == "graded"
    assert graded.json()["items"][0]["explanation"] is not None  # explanations once graded


def test_submit_over_the_api_is_idempotent(school_a, policy):
    student = school_a.user("student")
    with school_scope(school_a.school):
        services.check_unlock(student=student, competency=policy.competency, teacher=school_a.user("teacher"))
    client = _client(student)
    attempt = client.post(f"{API}/checks/", {"competency": policy.competency.pk}, format="json").json()
    for item in attempt["items"]:
        client.post(
            f"{API}/checks/{attempt['id']}/answers/",
            {"question": item["id"], "response": RIGHT},
            format="json",
        )
    first = client.post(f"{API}/checks/{attempt['id']}/submit/").json()
    replay = client.post(f"{API}/checks/{attempt['id']}/submit/").json()
    assert first == replay
    assert first["passed"] is True
    late = client.post(
        f"{API}/checks/{attempt['id']}/answers/",
        {"question": attempt["items"][0]["id"], "response": 0},
        format="json",
    )
    assert late.status_code == 400


def test_a_refused_check_request_says_why(school_a, policy):
    response = _client(school_a.user("student")).post(
        f"{API}/checks/", {"competency": policy.competency.pk}, format="json"
    )
    assert response.status_code == 400
    assert "Your teacher unlocks" in response.content.decode()
    bad = _client(school_a.user("student")).post(f"{API}/checks/", {"competency": 10**17}, format="json")
    assert bad.status_code == 400


def test_practice_answers_are_graded_at_once_and_only_then_explained(school_a, bank):
    client = _client(school_a.user("student"))
    with school_scope(school_a.school):
        question = Question.objects.first()
    response = client.post(f"{API}/answers/", {"question": question.pk, "response": RIGHT}, format="json")
    assert response.status_code == 201
    assert response.json()["is_correct"] is True
    assert response.json()["explanation"] == "Because the second choice is right."
    assert client.get(f"{API}/answers/").json()["count"] == 1
    assert (
        client.post(f"{API}/answers/", {"question": 10**15, "response": 1}, format="json").status_code == 400
    )


def test_authors_read_questions_with_answers(school_a, bank):
    response = _client(school_a.user("teacher")).get(f"{API}/banks/{bank.pk}/questions/")
    assert response.status_code == 200
    assert response.json()[0]["correct_choices"] == [1]
    assert _client(school_a.user("mentor")).get(f"{API}/banks/{bank.pk}/questions/").status_code == 404


def test_teachers_read_their_students_checks_and_states_mentors_see_none(school_a, policy):
    student = school_a.user("student")
    with school_scope(school_a.school):
        services.check_unlock(student=student, competency=policy.competency, teacher=school_a.user("teacher"))
        services.check_request(student=student, competency=policy.competency)
    teacher = _client(school_a.user("teacher"))
    assert teacher.get(f"{API}/checks/").json()["count"] == 1
    states = teacher.get(f"{API}/states/", {"student": student.pk}).json()
    assert states["count"] == 1 and states["results"][0]["status"] == "ready"
    assert teacher.get(f"{API}/states/", {"student": "x"}).status_code == 400
    assert _client(school_a.user("mentor")).get(f"{API}/checks/").json()["count"] == 0
    assert _client(school_a.user("other_teacher")).get(f"{API}/checks/").json()["count"] == 0


def test_the_check_list_has_a_constant_query_count(school_a, policy, django_assert_max_num_queries):
    student = school_a.user("student")
    client = _client(student)

    def make(n):
        with school_scope(school_a.school):
            for _ in range(n):
                CheckAttempt.objects.create(
                    school=school_a.school,
                    student=student,
                    competency=policy.competency,
                    status="declined",
                    pass_threshold=0.8,
                )

    make(1)
    with django_assert_max_num_queries(10):
        assert client.get(f"{API}/checks/").json()["count"] == 1
    make(40)
    with django_assert_max_num_queries(10):
        assert client.get(f"{API}/checks/").json()["count"] == 41


def test_teachers_unlock_approve_invalidate_and_override_through_the_api(school_a, policy):
    student, competency = school_a.user("student"), policy.competency
    with school_scope(school_a.school):
        SectionCheckSetting.objects.create(
            school=school_a.school, section=school_a.section, approval_required=True
        )
    teacher = _client(school_a.user("teacher"))
    base = f"{API}/students/{student.pk}/competencies/{competency.pk}"
    unlocked = teacher.post(f"{base}/unlock/", {"reason": "ready"}, format="json")
    assert unlocked.status_code == 200 and unlocked.json()["status"] == "ready"
    pupil = _client(student)
    attempt = pupil.post(f"{API}/checks/", {"competency": competency.pk}, format="json").json()
    assert attempt["status"] == "awaiting_approval" and attempt["items"] == []
    approved = teacher.post(f"{API}/checks/{attempt['id']}/approve/", {"decision": "approve"}, format="json")
    assert approved.json()["status"] == "in_progress"
    assert (len(approved.json()["items"]), approved.json()["to_pass"]) == (3, 3)
    for item in approved.json()["items"]:
        pupil.post(
            f"{API}/checks/{attempt['id']}/answers/",
            {"question": item["id"], "response": RIGHT},
            format="json",
        )
    pupil.post(f"{API}/checks/{attempt['id']}/submit/")
    assert teacher.post(f"{API}/checks/{attempt['id']}/invalidate/", {}, format="json").status_code == 400
    invalid = teacher.post(f"{API}/checks/{attempt['id']}/invalidate/", {"reason": "copied"}, format="json")
    assert invalid.json()["invalidation_reason"] == "copied"
    override = teacher.post(f"{base}/override/", {"mastered": True, "reason": "oral exam"}, format="json")
    assert override.json()["status"] == "mastered"
    assert teacher.post(f"{base}/override/", {"mastered": True}, format="json").status_code == 400


def test_students_and_other_teachers_cannot_act_as_the_teacher(school_a, policy):
    student, competency = school_a.user("student"), policy.competency
    base = f"{API}/students/{student.pk}/competencies/{competency.pk}"
    for who in ("student", "mentor", "other_teacher"):
        client = _client(school_a.user(who))
        assert client.post(f"{base}/unlock/", {}, format="json").status_code == 404
        assert (
            client.post(f"{base}/override/", {"mastered": True, "reason": "x"}, format="json").status_code
            == 404
        )
    with school_scope(school_a.school):
        assert not MasteryState.objects.exists()


def test_authors_add_questions_over_the_api_with_field_errors(school_a, bank):
    teacher = _client(school_a.user("teacher"))
    url = f"{API}/banks/{bank.pk}/questions/"
    created = teacher.post(url, {"kind": "numeric", "prompt": "7 × 6?", "numeric_answer": 42}, format="json")
    assert created.status_code == 201
    bad = teacher.post(
        url, {"kind": "single", "prompt": "?", "choices": ["a"], "correct_choices": [0]}, format="json"
    )
    assert bad.status_code == 400 and "choices" in bad.json()
    assert _client(school_a.user("student")).post(url, {"kind": "numeric"}, format="json").status_code == 404


@pytest.mark.parametrize("blank", ["", "  ", None, []])
def test_a_blank_practice_answer_is_a_400_field_error_and_records_nothing(school_a, bank, blank):
    client = _client(school_a.user("student"))
    with school_scope(school_a.school):
        question = Question.objects.first()
    response = client.post(f"{API}/answers/", {"question": question.pk, "response": blank}, format="json")
    assert response.status_code == 400
    assert response.json()["response"] == ["Choose an answer."]
    with school_scope(school_a.school):
        assert not MasteryState.objects.exists()
    assert client.get(f"{API}/answers/").json()["count"] == 0


def test_an_approval_the_bank_cannot_supply_is_a_400_with_the_reason(school_a, policy):
    student, competency = school_a.user("student"), policy.competency
    with school_scope(school_a.school):
        SectionCheckSetting.objects.create(
            school=school_a.school, section=school_a.section, approval_required=True
        )
        services.check_unlock(student=student, competency=competency, teacher=school_a.user("teacher"))
        attempt = services.check_request(student=student, competency=competency)
        for question in Question.objects.order_by("pk")[:3]:  # practised while waiting: 2 of 5 left
            services.practice_answer_submit(student=student, question=question, response=RIGHT)
    response = _client(school_a.user("teacher")).post(
        f"{API}/checks/{attempt.pk}/approve/", {"decision": "approve"}, format="json"
    )
    assert response.status_code == 400
    assert "cannot open yet" in response.content.decode()
    with school_scope(school_a.school):
        assert CheckAttempt.objects.get().status == "awaiting_approval"


def test_final_answers_over_the_api_end_the_check_once_decided(school_a, policy):
    policy.check_size = 5
    policy.save()
    student = school_a.user("student")
    with school_scope(school_a.school):
        services.check_unlock(student=student, competency=policy.competency, teacher=school_a.user("teacher"))
    client = _client(student)
    attempt = client.post(f"{API}/checks/", {"competency": policy.competency.pk}, format="json").json()
    answers = f"{API}/checks/{attempt['id']}/answers/"
    first = client.post(
        answers, {"question": attempt["items"][0]["id"], "response": 0, "final": True}, format="json"
    )
    assert first.json()["status"] == "in_progress"
    assert first.json()["items"][0]["is_correct"] is None  # no answer's mark before the check ends
    ended = client.post(
        answers, {"question": attempt["items"][1]["id"], "response": 0, "final": True}, format="json"
    )
    body = ended.json()
    assert (body["status"], body["passed"], body["correct_count"], body["total"]) == ("graded", False, 0, 2)
    assert body["end_line"].startswith("2 wrong: not yet, practise ALPHA.FRAC.1.")
    late = client.post(
        answers, {"question": attempt["items"][2]["id"], "response": 1, "final": True}, format="json"
    )
    assert late.status_code == 400
