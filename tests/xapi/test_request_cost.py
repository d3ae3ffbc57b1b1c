"""What xAPI adds to a learning event's request: one INSERT into the outbox (rows only when the school's
LRS connection is on), in the event's transaction; no read of the settings, no network."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mastery import services as mastery
from playlists import services as playlists
from plp.tenancy.context import school_scope
from xapi.models import LrsConnection, OutboxStatement

RIGHT = 1


def _xapi_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "xapi_" in q["sql"]]


@pytest.fixture
def enabled(school_a):
    with school_scope(school_a.school):
        return LrsConnection.objects.create(
            school=school_a.school, endpoint="https://lrs.example.org/xAPI/", key="k", enabled=True
        )


@pytest.mark.parametrize("on", [True, False])
def test_a_practice_answer_adds_one_insert_whether_or_not_the_school_sends(school_a, lesson_a, on):
    if on:
        with school_scope(school_a.school):
            LrsConnection.objects.create(
                school=school_a.school, endpoint="https://lrs.example.org/xAPI/", key="k", enabled=True
            )
    with school_scope(school_a.school), CaptureQueriesContext(connection) as captured:
        mastery.practice_answer_submit(
            student=school_a.user("student"), question=lesson_a["questions"][0], response=RIGHT
        )
    [insert] = _xapi_queries(captured)
    assert insert.startswith("INSERT INTO") and "xapi_outboxstatement" in insert
    with school_scope(school_a.school):
        assert OutboxStatement.objects.count() == (1 if on else 0)


def test_a_passed_check_queues_passed_and_mastered_in_one_insert(school_a, lesson_a, enabled):
    student, competency = school_a.user("student"), lesson_a["competency"]
    with school_scope(school_a.school):
        mastery.check_unlock(student=student, competency=competency, teacher=school_a.user("teacher"))
        attempt = mastery.check_request(student=student, competency=competency)
        for item in attempt.form:
            mastery.check_response_save(attempt=attempt, question_id=item["id"], response=RIGHT)
        with CaptureQueriesContext(connection) as captured:
            mastery.check_submit(attempt=attempt)
        assert len(_xapi_queries(captured)) == 1
        assert sorted(OutboxStatement.objects.values_list("verb", flat=True)) == ["mastered", "passed"]


def test_an_item_done_adds_one_insert_and_only_the_first_time(school_a, lesson_a, enabled):
    with school_scope(school_a.school):
        with CaptureQueriesContext(connection) as first:
            playlists.item_complete(student=school_a.user("student"), item=lesson_a["item"])
        with CaptureQueriesContext(connection) as again:
            playlists.item_complete(student=school_a.user("student"), item=lesson_a["item"])
        assert (len(_xapi_queries(first)), len(_xapi_queries(again))) == (1, 0)
        assert list(OutboxStatement.objects.values_list("verb", flat=True)) == ["completed"]


def test_an_event_rolled_back_leaves_no_statement(school_a, lesson_a, enabled):
    from django.db import transaction

    def answer_then_fail():
        with transaction.atomic():
            mastery.practice_answer_submit(
                student=school_a.user("student"), question=lesson_a["questions"][0], response=RIGHT
            )
            assert OutboxStatement.objects.count() == 1
            raise RuntimeError("the request failed after the answer")

    with school_scope(school_a.school):
        with pytest.raises(RuntimeError):
            answer_then_fail()
        assert OutboxStatement.objects.count() == 0
