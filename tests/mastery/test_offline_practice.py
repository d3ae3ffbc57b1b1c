"""Practice answers carry a key made in the browser: the same key twice records one answer, at the service,
on the page and through the API (an answer queued offline may be sent again after a lost response)."""

import json
import uuid

import pytest
from django.db import IntegrityError
from django.urls import reverse
from rest_framework.test import APIClient

from mastery import selectors, services
from mastery.models import EvidenceEvent, MasteryState, PracticeAnswer, Question
from plp.tenancy.context import school_scope
from tests.mastery.conftest import RIGHT, WRONG
from tests.support import postgres_only, second_writer_outcome

API = "/api/v1/s/alpha/mastery/answers/"


def _counts():
    return (
        PracticeAnswer.objects.count(),
        EvidenceEvent.objects.count(),
        MasteryState.objects.get().practice_answers,
    )


def test_the_same_key_again_returns_the_first_answer_and_records_nothing(scope_a, competency):
    student = scope_a.user("student")
    question = Question.objects.first()
    key = uuid.uuid4()
    first = services.practice_answer_submit(
        student=student, question=question, response=RIGHT, client_key=key
    )
    assert first.replayed is False
    before = _counts()
    p = MasteryState.objects.get().p_mastered
    again = services.practice_answer_submit(
        student=student, question=question, response=WRONG, client_key=key
    )
    assert again.pk == first.pk and again.replayed is True
    assert again.is_correct is True  # the original result, not the resent (different) response graded
    assert _counts() == before == (1, 1, 1)
    assert MasteryState.objects.get().p_mastered == p


def test_another_key_is_another_answer_and_no_key_is_always_new(scope_a, competency):
    student = scope_a.user("student")
    question = Question.objects.first()
    services.practice_answer_submit(
        student=student, question=question, response=RIGHT, client_key=uuid.uuid4()
    )
    services.practice_answer_submit(
        student=student, question=question, response=RIGHT, client_key=uuid.uuid4()
    )
    services.practice_answer_submit(student=student, question=question, response=RIGHT)
    services.practice_answer_submit(student=student, question=question, response=RIGHT)
    assert PracticeAnswer.objects.count() == 4


def test_a_key_used_for_another_question_is_refused(scope_a, competency):
    student = scope_a.user("student")
    one, two = Question.objects.all()[:2]
    key = uuid.uuid4()
    services.practice_answer_submit(student=student, question=one, response=RIGHT, client_key=key)
    with pytest.raises(services.MasteryError, match="already used for another question"):
        services.practice_answer_submit(student=student, question=two, response=RIGHT, client_key=key)
    assert PracticeAnswer.objects.count() == 1


def test_the_database_refuses_a_second_row_with_the_same_key(scope_a, competency):
    student = scope_a.user("student")
    answer = services.practice_answer_submit(
        student=student, question=Question.objects.first(), response=RIGHT, client_key=uuid.uuid4()
    )
    with pytest.raises(IntegrityError):
        PracticeAnswer.objects.create(
            school=scope_a.school, student=student, competency=competency, question=answer.question,
            response=RIGHT, is_correct=True, p_before=0.2, p_after=0.5, client_key=answer.client_key,
        )  # fmt: skip


def test_the_page_replays_the_original_result(client, school_a, competency):
    client.force_login(school_a.user("student"))
    url = reverse("mastery:practice", args=["alpha", competency.pk])
    with school_scope(school_a.school):
        question = Question.objects.first()
    key = str(uuid.uuid4())
    first = client.post(
        url, {"question_id": question.pk, "answer": RIGHT, "client_key": key}, HTTP_HX_REQUEST="true"
    )
    assert "✓ Correct." in first.content.decode()
    again = client.post(
        url, {"question_id": question.pk, "answer": WRONG, "client_key": key}, HTTP_HX_REQUEST="true"
    )
    body = again.content.decode()
    assert "✓ Correct." in body and "recorded already" in body
    with school_scope(school_a.school):
        assert PracticeAnswer.objects.count() == 1
    # A malformed key is no key: the answer still counts, once.
    client.post(url, {"question_id": question.pk, "answer": RIGHT, "client_key": "not-a-uuid"})
    with school_scope(school_a.school):
        assert PracticeAnswer.objects.count() == 2


def test_the_page_carries_a_key_and_a_pack_without_answers(client, school_a, competency):
    client.force_login(school_a.user("student"))
    page = client.get(reverse("mastery:practice", args=["alpha", competency.pk])).content.decode()
    assert 'name="client_key"' in page and "data-offline-practice" in page
    pack = json.loads(
        page.split('<script id="practice-pack" type="application/json">')[1].split("</script>")[0]
    )
    assert 1 <= len(pack) <= selectors.PACK_SIZE
    assert set(pack[0]) == {"id", "kind", "prompt", "choices"}  # no key, no explanation
    assert "correct_choices" not in page and "Because the second choice is right" not in page


def test_the_api_answers_201_then_200_with_the_same_answer(school_a, competency):
    client = APIClient()
    client.force_login(school_a.user("student"))
    with school_scope(school_a.school):
        question = Question.objects.first()
    body = {"question": question.pk, "response": RIGHT, "client_key": str(uuid.uuid4())}
    first = client.post(API, body, format="json")
    assert first.status_code == 201 and first.json()["replayed"] is False
    again = client.post(API, body, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and again.json()["replayed"] is True
    assert client.post(API, {**body, "client_key": "nope"}, format="json").status_code == 400
    with school_scope(school_a.school):
        assert PracticeAnswer.objects.count() == 1 and EvidenceEvent.objects.count() == 1


def test_another_student_sending_the_same_key_gets_their_own_answer(school_a, competency):
    from tests.factories import MembershipFactory, UserFactory

    other = UserFactory()
    MembershipFactory(school=school_a.school, user=other, role="student")
    with school_scope(school_a.school):
        question = Question.objects.first()
    body = {"question": question.pk, "response": RIGHT, "client_key": str(uuid.uuid4())}
    for user in (school_a.user("student"), other):
        client = APIClient()
        client.force_login(user)
        assert client.post(API, body, format="json").status_code == 201
    with school_scope(school_a.school):
        assert PracticeAnswer.objects.filter(client_key=body["client_key"]).count() == 2


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_same_key_sent_twice_at_once_is_recorded_once(school_a, competency):
    student = school_a.user("student")
    with school_scope(school_a.school):
        question = Question.objects.first()
        services.practice_answer_submit(
            student=student, question=question, response=RIGHT
        )  # the state row exists
    key = uuid.uuid4()

    def send():
        with school_scope(school_a.school):
            return services.practice_answer_submit(
                student=student, question=question, response=RIGHT, client_key=key
            )

    second_writer_outcome(school=school_a.school, first=send, second=send)
    with school_scope(school_a.school):
        assert PracticeAnswer.objects.filter(client_key=key).count() == 1


def test_a_resend_after_the_question_was_retired_still_returns_the_answer(school_a, competency):
    client = APIClient()
    client.force_login(school_a.user("student"))
    with school_scope(school_a.school):
        question = Question.objects.first()
    body = {"question": question.pk, "response": RIGHT, "client_key": str(uuid.uuid4())}
    assert client.post(API, body, format="json").status_code == 201
    with school_scope(school_a.school):
        Question.objects.filter(pk=question.pk).update(is_active=False)
    again = client.post(API, body, format="json")
    assert again.status_code == 200 and again.json()["replayed"] is True
    fresh = client.post(API, {**body, "client_key": str(uuid.uuid4())}, format="json")
    assert fresh.status_code == 400  # a new answer to a retired question is still refused
    with school_scope(school_a.school):
        assert PracticeAnswer.objects.count() == 1
