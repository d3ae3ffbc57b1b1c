"""The pure statement builder (xapi/statements.py): ids, actors, results."""

import datetime as dt
import uuid

from xapi import statements as xs

SCHOOL = xs.School(home_page="https://plp.example.org/s/alpha/", name="Alpha", salt="salt-1")
STUDENT = xs.Student(user_id=7, email="ada@alpha.example.org", name="Ada Alpha")
WHEN = dt.datetime(2026, 12, 4, 6, 0, tzinfo=dt.UTC)


def test_a_statement_id_is_the_same_for_the_same_event_and_differs_across_schools():
    first = xs.statement_id(school_id=1, key="evidence:5:answered")
    assert first == xs.statement_id(school_id=1, key="evidence:5:answered")
    assert first.version == 5
    assert first != xs.statement_id(school_id=2, key="evidence:5:answered")


def test_the_opaque_name_is_stable_per_school_and_says_nothing_of_the_student():
    name = xs.opaque_name(salt="salt-1", user_id=7)
    assert name == xs.opaque_name(salt="salt-1", user_id=7)
    assert name != xs.opaque_name(salt="salt-2", user_id=7)
    assert name != xs.opaque_name(salt="salt-1", user_id=8)
    assert name != "7" and len(name) == 32
    assert xs.actor(SCHOOL, STUDENT) == {
        "objectType": "Agent",
        "account": {"homePage": SCHOOL.home_page, "name": name},
    }


def test_an_opted_in_school_sends_the_email_as_the_only_identifier():
    school = xs.School(home_page=SCHOOL.home_page, name="Alpha", salt="s", identify_by_email=True)
    assert xs.actor(school, STUDENT) == {
        "objectType": "Agent",
        "mbox": "mailto:ada@alpha.example.org",
        "name": "Ada Alpha",
    }


def test_a_check_statement_carries_score_success_completion_and_its_parent():
    competency = SCHOOL.activity("competencies", 3, type="objective", name="6.RP.1 Ratios")
    event = xs.Event(
        id=uuid.uuid4(),
        verb=xs.FAILED,
        timestamp=WHEN,
        student=STUDENT,
        object=SCHOOL.activity("competency-checks", 3, type="assessment", name="Mastery check: 6.RP.1"),
        parent=competency,
        result={"correct": 1, "total": 4},
    )
    statement = xs.statement(SCHOOL, event)
    assert statement["verb"] == {
        "id": "http://adlnet.gov/expapi/verbs/failed",
        "display": {"en-US": "failed"},
    }
    assert statement["result"] == {
        "success": False,
        "completion": True,
        "score": {"raw": 1, "min": 0, "max": 4, "scaled": 0.25},
    }
    assert statement["context"]["contextActivities"]["parent"] == [competency.as_xapi()]
    assert statement["timestamp"] == "2026-12-04T06:00:00+00:00"
    assert statement["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/assessment"


def test_a_voiding_statement_only_names_the_statement_it_takes_back():
    target = uuid.uuid4()
    statement = xs.statement(
        SCHOOL, xs.Event(id=uuid.uuid4(), verb=xs.VOIDED, timestamp=WHEN, student=STUDENT, voids=target)
    )
    assert statement["object"] == {"objectType": "StatementRef", "id": str(target)}
    assert "result" not in statement and "context" not in statement
