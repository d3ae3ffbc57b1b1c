"""Learning events reach a real LRS (Ralph) as xAPI statements: through the outbox, batched by the worker's
task, kept while the LRS is down or refuses the credentials, never twice, never at another school's LRS."""

import datetime as dt
import json

from django.urls import reverse
from django.utils import timezone

from mastery import services as mastery
from mastery.models import CheckAttempt, EvidenceEvent
from plp.tenancy.context import school_scope
from tests.factories import MembershipFactory, UserFactory
from tests.xapi.conftest import KEYS, connect
from xapi import services, statements
from xapi.models import LrsConnection, OutboxStatement
from xapi.tasks import drain

RIGHT = 1
ADL = "http://adlnet.gov/expapi/verbs/"


def _practice(client, world, lesson, answer=RIGHT, question=0):
    client.force_login(world.user("student"))
    competency = lesson["competency"]
    url = reverse(
        "mastery:practice", kwargs={"school_slug": world.school.slug, "competency_id": competency.pk}
    )
    response = client.post(url, {"question_id": lesson["questions"][question].pk, "answer": answer})
    assert response.status_code in (200, 302)


def _item_done(client, world, lesson):
    client.force_login(world.user("student"))
    url = reverse(
        "playlists:item_done",
        kwargs={
            "school_slug": world.school.slug,
            "playlist_id": lesson["playlist"].pk,
            "item_id": lesson["item"].pk,
        },
    )
    assert client.post(url).status_code == 302


def _pass_check(world, lesson):
    student, competency = world.user("student"), lesson["competency"]
    with school_scope(world.school):
        mastery.check_unlock(student=student, competency=competency, teacher=world.user("teacher"))
        attempt = mastery.check_request(student=student, competency=competency)
        for item in attempt.form:
            mastery.check_response_save(attempt=attempt, question_id=item["id"], response=RIGHT)
        return mastery.check_submit(attempt=attempt)


def _outbox(world, **filters):
    with school_scope(world.school):
        return list(OutboxStatement.objects.filter(**filters).order_by("pk"))


def _by_verb(found):
    return {s["verb"]["id"].removeprefix(ADL): s for s in found}


def test_learning_events_arrive_in_the_lrs_as_valid_statements(client, school_a, lesson_a, lrs_a):
    connect(school_a, lrs_a)
    _practice(client, school_a, lesson_a)
    _item_done(client, school_a, lesson_a)
    attempt = _pass_check(school_a, lesson_a)
    rows = _outbox(school_a)
    assert sorted(row.verb for row in rows) == ["answered", "completed", "mastered", "passed"]
    assert all(row.sent_at is None for row in rows)  # nothing is sent from a request

    result = drain(school_id=school_a.school.pk)  # the worker's task, in its own scope
    assert result == {"sent": 4, "rejected": 0, "failed": 0, "withheld": 0, "error": ""}
    assert all(row.sent_at is not None for row in _outbox(school_a))

    found = lrs_a.statements("alpha-key")
    assert len(found) == 4
    by_verb = _by_verb(found)
    assert set(by_verb) == {"answered", "completed", "passed", "mastered"}
    assert {s["id"] for s in found} == {str(row.statement_id) for row in rows}
    home = "http://testserver/s/alpha/"
    student = school_a.user("student")
    for statement in found:
        assert statement["actor"]["account"]["homePage"] == home
        assert len(statement["actor"]["account"]["name"]) == 32
        assert statement["actor"]["account"]["name"] != str(student.pk)
        assert student.email not in json.dumps(statement)  # no email unless the school opts in
        assert statement["object"]["id"].startswith(f"{home}xapi/activities/")
        grouping = [a["id"] for a in statement["context"]["contextActivities"]["grouping"]]
        assert grouping == [home, f"{home}xapi/activities/sections/{school_a.section.pk}"]
    # one student, one stable id across events
    assert len({s["actor"]["account"]["name"] for s in found}) == 1

    competency, question = lesson_a["competency"], lesson_a["questions"][0]
    answered = by_verb["answered"]
    assert answered["object"]["id"] == f"{home}xapi/activities/questions/{question.pk}"
    assert answered["result"] == {"success": True, "score": {"scaled": 1.0}}
    parent = answered["context"]["contextActivities"]["parent"][0]
    assert parent["id"] == f"{home}xapi/activities/competencies/{competency.pk}"
    assert parent["definition"]["type"] == "http://adlnet.gov/expapi/activities/objective"

    completed = by_verb["completed"]
    assert completed["object"]["id"] == f"{home}xapi/activities/items/{lesson_a['item'].pk}"
    assert completed["object"]["definition"]["name"] == {"en-US": "alpha reading"}
    assert completed["result"]["completion"] is True

    passed = by_verb["passed"]
    assert passed["object"]["id"] == f"{home}xapi/activities/competency-checks/{competency.pk}"
    assert passed["result"]["success"] is True
    assert passed["result"]["score"] == {"raw": 2, "min": 0, "max": 2, "scaled": 1.0}
    assert passed["context"]["registration"] == str(
        statements.statement_id(school_id=school_a.school.pk, key=f"check-attempt:{attempt.pk}")
    )
    assert by_verb["mastered"]["object"]["id"] == f"{home}xapi/activities/competencies/{competency.pk}"

    with school_scope(school_a.school):
        check_event = EvidenceEvent.objects.get(source="check")
    assert dt.datetime.fromisoformat(passed["timestamp"]) == check_event.created_at  # the event's time


def test_the_lrs_down_keeps_every_row_until_it_comes_back(client, school_a, lesson_a, lrs_a):
    connect(school_a, lrs_a)
    lrs_a.stop()
    try:
        _practice(client, school_a, lesson_a)  # the request does not notice the LRS is down
        _practice(client, school_a, lesson_a, question=1)
        result = drain(school_id=school_a.school.pk)
        assert (result["sent"], result["failed"]) == (0, 2)
        rows = _outbox(school_a)
        assert [(row.sent_at, row.attempts) for row in rows] == [(None, 1), (None, 1)]
        assert all(row.next_attempt_at > timezone.now() for row in rows)  # backed off
        assert drain(school_id=school_a.school.pk)["failed"] == 0  # not due yet: nothing tried
        client.force_login(school_a.user("school_admin"))
        page = client.get(reverse("xapi:settings", kwargs={"school_slug": "alpha"})).content.decode()
        assert "The last delivery failed" in page and "could not be reached" in page
    finally:
        lrs_a.start()
    # The admin's "send now" makes them due; the next drain delivers them.
    client.post(reverse("xapi:settings", kwargs={"school_slug": "alpha"}), {"action": "send"})
    assert drain(school_id=school_a.school.pk)["sent"] == 2
    assert len(lrs_a.statements("alpha-key")) == 2
    with school_scope(school_a.school):
        assert LrsConnection.objects.get().last_error == ""  # it works again


def test_the_beat_drain_delivers_later_without_anyone_asking(client, school_a, lesson_a, lrs_a):
    connect(school_a, lrs_a)
    lrs_a.stop()
    try:
        _practice(client, school_a, lesson_a)
        drain(school_id=school_a.school.pk)
    finally:
        lrs_a.start()
    later = timezone.now() + dt.timedelta(hours=2)
    assert services.schools_with_statements_due(now=later) == [school_a.school.pk]
    with school_scope(school_a.school):
        assert services.outbox_drain(now=later).sent == 1
    assert services.schools_with_statements_due(now=later) == []
    assert len(lrs_a.statements("alpha-key")) == 1


def test_a_retry_after_a_lost_acknowledgement_never_duplicates(client, school_a, lesson_a, lrs_a):
    connect(school_a, lrs_a)
    _practice(client, school_a, lesson_a)
    _item_done(client, school_a, lesson_a)
    _item_done(client, school_a, lesson_a)  # done twice: one completion, one statement
    assert drain(school_id=school_a.school.pk)["sent"] == 2
    # The worker died after the LRS stored the batch but before it marked the rows: they are sent again.
    with school_scope(school_a.school):
        OutboxStatement.objects.update(sent_at=None)
    assert drain(school_id=school_a.school.pk)["sent"] == 2
    found = lrs_a.statements("alpha-key")
    assert len(found) == 2
    assert len({s["id"] for s in found}) == 2


def test_one_schools_lrs_never_receives_another_schools_statements(
    client, school_a, school_b, lesson_a, lesson_b, lrs_a, lrs_b
):
    connect(school_a, lrs_a)
    connect(school_b, lrs_b)
    _practice(client, school_a, lesson_a)
    _practice(client, school_b, lesson_b)
    _practice(client, school_b, lesson_b, question=1)
    drain(school_id=school_a.school.pk)
    assert lrs_b.statements("bravo-key") == []  # A's drain sent nothing of B's, to nobody
    assert len(_outbox(school_b, sent_at__isnull=True)) == 2
    drain(school_id=school_b.school.pk)
    in_a, in_b = lrs_a.statements("alpha-key"), lrs_b.statements("bravo-key")
    assert len(in_a) == 1 and len(in_b) == 2
    assert {s["actor"]["account"]["homePage"] for s in in_a} == {"http://testserver/s/alpha/"}
    assert {s["actor"]["account"]["homePage"] for s in in_b} == {"http://testserver/s/bravo/"}
    assert all("bravo" not in json.dumps(s) for s in in_a)


def test_a_school_without_xapi_queues_nothing(client, school_a, school_b, lesson_a, lesson_b, lrs_a, lrs_b):
    connect(school_a, lrs_a, enabled=False)
    _practice(client, school_a, lesson_a)
    _practice(client, school_b, lesson_b)  # no connection at all
    assert _outbox(school_a) == [] and _outbox(school_b) == []
    assert drain(school_id=school_a.school.pk)["sent"] == 0
    assert lrs_a.statements("alpha-key") == []


def test_bad_credentials_keep_the_rows_and_the_settings_page_says_so(client, school_a, lesson_a, lrs_a):
    connect(school_a, lrs_a, secret="not-the-secret")
    _practice(client, school_a, lesson_a)
    result = drain(school_id=school_a.school.pk)
    assert (result["sent"], result["failed"]) == (0, 1)
    assert "401" in result["error"]
    [row] = _outbox(school_a)
    assert (row.sent_at, row.attempts) == (None, 1)
    client.force_login(school_a.user("school_admin"))
    url = reverse("xapi:settings", kwargs={"school_slug": "alpha"})
    page = client.get(url).content.decode()
    assert "The LRS refused the key and secret (401 Unauthorized)." in page
    tested = client.post(url, {"action": "test"}, follow=True).content.decode()
    assert "Test failed: The LRS refused the key and secret" in tested
    # The admin types the right secret: the kept row goes.
    client.post(
        url,
        {
            "action": "save",
            "endpoint": lrs_a.url,
            "key": "alpha-key",
            "secret": KEYS["alpha"][1],
            "enabled": "on",
        },
    )
    assert "Connected" in client.post(url, {"action": "test"}, follow=True).content.decode()
    client.post(url, {"action": "send"})
    assert drain(school_id=school_a.school.pk)["sent"] == 1
    assert len(lrs_a.statements("alpha-key")) == 1


def test_mastery_withdrawn_voids_the_mastered_statement(client, school_a, lesson_a, lrs_a):
    connect(school_a, lrs_a)
    attempt = _pass_check(school_a, lesson_a)
    with school_scope(school_a.school):
        mastery.check_invalidate(
            attempt=CheckAttempt.objects.get(pk=attempt.pk), teacher=school_a.user("teacher"), reason="Copied"
        )
    assert drain(school_id=school_a.school.pk)["sent"] == 3
    by_verb = _by_verb(lrs_a.statements("alpha-key"))
    assert set(by_verb) == {"passed", "mastered", "voided"}
    assert by_verb["voided"]["object"] == {"objectType": "StatementRef", "id": by_verb["mastered"]["id"]}


def test_the_school_may_opt_in_to_identify_students_by_email(client, school_a, lesson_a, lrs_a):
    student = school_a.user("student")
    student.email = "ada.alpha@alpha-academy.org"
    student.save(update_fields=["email"])
    connect(school_a, lrs_a, identify_by_email=True)
    _practice(client, school_a, lesson_a)
    assert drain(school_id=school_a.school.pk)["sent"] == 1
    [statement] = lrs_a.statements("alpha-key")
    assert statement["actor"]["mbox"] == "mailto:ada.alpha@alpha-academy.org"
    assert "account" not in statement["actor"]


def test_a_statement_the_lrs_refuses_is_set_aside_and_does_not_block_the_others(
    client, school_a, lesson_a, lrs_a
):
    # Ralph refuses an mbox on a reserved domain (.test): the first student's statements are refused.
    connect(school_a, lrs_a, identify_by_email=True)
    _practice(client, school_a, lesson_a)
    other = UserFactory(email="bea@alpha-academy.org")
    MembershipFactory(school=school_a.school, user=other, role="student")
    with school_scope(school_a.school):
        mastery.practice_answer_submit(student=other, question=lesson_a["questions"][0], response=RIGHT)
    result = drain(school_id=school_a.school.pk)
    assert (result["sent"], result["rejected"], result["failed"]) == (1, 1, 0)
    [refused] = _outbox(school_a, rejected_at__isnull=False)
    assert refused.student_id == school_a.user("student").pk and "422" in refused.last_error
    assert [s["actor"]["mbox"] for s in lrs_a.statements("alpha-key")] == ["mailto:bea@alpha-academy.org"]
    nothing = {"sent": 0, "rejected": 0, "failed": 0, "withheld": 0, "error": ""}
    assert drain(school_id=school_a.school.pk) == nothing
    client.force_login(school_a.user("school_admin"))
    page = client.get(reverse("xapi:settings", kwargs={"school_slug": "alpha"})).content.decode()
    assert "Refused by the LRS</dt><dd>1</dd>" in page and "refused" in page
