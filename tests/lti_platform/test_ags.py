"""Assignment and Grade Services with PLP as the platform: the suite's tool gets a token for its signed
client assertion (checked against its key set over HTTP) and posts a score; a completed, fully graded score
is evidence in the mastery ledger for the item's competencies and marks the item done."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lti_platform import signing
from lti_platform.models import ToolScore
from mastery.models import EvidenceEvent, MasteryState
from playlists.models import ItemProgress
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import CompetencyFactory, EnrollmentFactory, MembershipFactory, UserFactory
from tests.lti_platform.conftest import finish_launch, start_launch, student_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def launched(tools, school_a):
    """School A's student launched A's tool item; the tool holds the launch."""
    client = student_client(school_a)
    finish_launch(client, start_launch(client, tools["item_a"]))
    (launch,) = tools["tool"].launches.values()
    return {**tools, "launch": launch, "student": school_a.user(Role.STUDENT), "school": school_a.school}


def _evidence(world):
    with school_scope(world["school"]):
        return list(EvidenceEvent.objects.filter(student=world["student"]).values_list("source", "outcome"))


def test_a_completed_score_becomes_evidence_and_marks_the_item_done(launched):
    tool, item = launched["tool"], launched["item_a"]
    status, body = tool.score_post(launched["launch"], 8, 10)
    assert status == 200, body
    assert _evidence(launched) == [("tool_score", 0.8)]
    with school_scope(launched["school"]):
        score = ToolScore.objects.get()
        assert (score.score_given, score.score_maximum, score.student) == (8, 10, launched["student"])
        assert ItemProgress.objects.get(student=launched["student"], item=item.item).status == "done"
        (competency,) = item.item.competencies.all()
        state = MasteryState.objects.get(student=launched["student"], competency=competency)
        assert state.status == "practicing" and state.p_mastered > 0.3
        event = EvidenceEvent.objects.get()
        assert event.detail["score_key"] == f"lti-item:{item.pk}"


def test_the_same_score_sent_again_changes_nothing(launched):
    tool = launched["tool"]
    stamp = "2026-01-05T10:00:00+00:00"
    assert tool.score_post(launched["launch"], 8, 10, timestamp=stamp)[0] == 200
    status, body = tool.score_post(launched["launch"], 8, 10, timestamp=stamp)
    assert status == 200 and json.loads(body) == {"changed": False}
    assert len(_evidence(launched)) == 1


def test_a_later_score_supersedes_and_an_older_one_is_refused(launched):
    tool = launched["tool"]
    assert tool.score_post(launched["launch"], 4, 10, timestamp="2026-01-05T10:00:00+00:00")[0] == 200
    assert tool.score_post(launched["launch"], 9, 10, timestamp="2026-01-05T11:00:00+00:00")[0] == 200
    assert tool.score_post(launched["launch"], 2, 10, timestamp="2026-01-05T09:00:00+00:00")[0] == 409
    assert _evidence(launched) == [("tool_score", 0.4), ("tool_score", 0.9)]
    with school_scope(launched["school"]):
        assert ToolScore.objects.get().score_given == 9


def test_an_unfinished_score_is_kept_but_is_no_evidence(launched):
    status, _ = launched["tool"].score_post(launched["launch"], 3, 10, activityProgress="InProgress")
    assert status == 200
    assert _evidence(launched) == []
    with school_scope(launched["school"]):
        assert ToolScore.objects.get().activity_progress == "InProgress"


def test_a_score_above_the_maximum_is_refused(launched):
    status, body = launched["tool"].score_post(launched["launch"], 11, 10)
    assert status == 400 and "greater than scoreMaximum" in body
    assert _evidence(launched) == []


def test_a_user_who_did_not_launch_the_item_is_refused(launched):
    status, body = launched["tool"].score_post(launched["launch"], 8, 10, user_id="someone-else")
    assert status == 422 and "launched" in body
    assert _evidence(launched) == []


def test_an_assertion_signed_with_a_key_outside_the_tools_key_set_gets_no_token(launched):
    tool = launched["tool"]
    tool.knobs.rogue_assertion = True
    status, body = tool.score_post(launched["launch"], 8, 10)
    assert status == 401 and "signature" in body
    assert _evidence(launched) == []


def test_an_assertion_for_another_audience_gets_no_token(launched):
    tool = launched["tool"]
    tool.knobs.assertion_aud = "https://another-platform.example.test/token"
    status, body = tool.score_post(launched["launch"], 8, 10)
    assert status == 401 and "audience" in body


def test_an_expired_assertion_gets_no_token(launched):
    tool = launched["tool"]
    tool.knobs.assertion_exp_offset = -120
    status, body = tool.score_post(launched["launch"], 8, 10)
    assert status == 401 and "expired" in body


def test_a_replayed_assertion_gets_no_second_token(launched):
    tool = launched["tool"]
    config = tool.platforms[launched["a"].client_id]
    assertion = tool.client_assertion(config)
    assert tool.token_request(config, assertion=assertion)[0] == 200
    status, body = tool.token_request(config, assertion=assertion)
    assert status == 401 and "already used" in body["error_description"]


def test_an_expired_access_token_is_refused(launched):
    token = signing.access_token_issue(tool=launched["a"], scopes=[signing.GRANTED_SCOPES[0]], lifetime=-1)
    status, body = launched["tool"].score_post(launched["launch"], 8, 10, token=token)
    assert status == 401 and "expired" in body
    assert _evidence(launched) == []


def test_a_tampered_access_token_is_refused(launched):
    tool = launched["tool"]
    status, body = tool.token_request(tool.platforms[launched["a"].client_id])
    header, payload, signature = body["access_token"].split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"
    status, body = tool.score_post(launched["launch"], 8, 10, token=forged)
    assert status == 401


def test_another_schools_tool_cannot_score_this_schools_line_item(launched, school_b):
    """School B's registration of the tool gets its own token; with it, A's line item is another tool's
    (a token for another line item) and A's line item under B's tool id does not exist."""
    tool = launched["tool"]
    b_config = tool.platforms[launched["b"].client_id]
    status, body = tool.token_request(b_config)
    assert status == 200
    b_token = body["access_token"]
    status, body = tool.score_post(launched["launch"], 8, 10, token=b_token)
    assert status == 401 and "invalid_token" in body  # signed by B's key: not A's, not for A's tool
    a_item = launched["item_a"].public_id
    b_path_to_a_item = reverse(
        "lti_platform:scores", kwargs={"tool": launched["b"].public_id, "item": a_item}
    )
    status, _ = tool.score_post(
        launched["launch"],
        8,
        10,
        token=b_token,
        lineitem="http://testserver" + b_path_to_a_item[: -len("/scores")],
    )
    assert status == 404
    assert _evidence(launched) == []


def test_a_token_without_the_score_scope_or_a_json_body_is_refused(launched):
    tool = launched["tool"]
    status, body = tool.http.post(
        tool.platforms[launched["a"].client_id].token_url,
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": tool.client_assertion(tool.platforms[launched["a"].client_id]),
            "scope": "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
        },
    )
    assert status == 400 and "invalid_scope" in body
    status, body = tool.token_request(tool.platforms[launched["a"].client_id])
    response = Client().post(
        launched["launch"].lineitem.removeprefix("http://testserver") + "/scores",
        data="{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {body['access_token']}",
    )
    assert response.status_code == 415


def _final_score_queries(tool, launch, token) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert tool.score_post(launch, 8, 10, token=token)[0] == 200
    return len(queries)


def test_the_score_endpoint_runs_in_a_constant_number_of_queries(launched, school_a):
    """A student's first final score on a one-competency item: the token check, the score row, the ledger's
    evidence and the item done (about 60, mostly the ledger's and the progress' own writes), the same with
    one student scored before as with five more; a refused older score: a few."""
    tool = launched["tool"]
    token = tool.token_request(tool.platforms[launched["a"].client_id])[1]["access_token"]
    small = _final_score_queries(tool, launched["launch"], token)
    assert small <= 62
    for n in range(5):
        other = UserFactory(email=f"more{n}@alpha.example.test")
        MembershipFactory(school=school_a.school, user=other, role=Role.STUDENT)
        EnrollmentFactory(section=school_a.section, user=other, role="student")
        client = Client()
        client.force_login(other)
        finish_launch(client, start_launch(client, launched["item_a"]))
    *others, last = list(tool.launches.values())[1:]
    for launch in others:
        assert tool.score_post(launch, 6, 10, token=token)[0] == 200
    assert _final_score_queries(tool, last, token) <= small
    with CaptureQueriesContext(connection) as refused:
        old = "2020-01-01T00:00:00+00:00"
        assert tool.score_post(launched["launch"], 8, 10, token=token, timestamp=old)[0] == 409
    assert len(refused) <= 12


SCORE_WRITE_BUDGET = 44  # measured 43 at 1 and at 6 competencies (59 and 199 before)


@pytest.mark.parametrize("competencies", [1, 6])
def test_a_final_score_is_written_in_queries_constant_in_the_items_competencies(
    launched, competencies, django_assert_max_num_queries
):
    """A final score is evidence for every competency the item is aligned to, written in bulk: the same
    ceiling for one competency as for six (it was 59 queries for one and 199 for six)."""
    tool, tool_item = launched["tool"], launched["item_a"]
    with school_scope(launched["school"]):
        (first,) = tool_item.item.competencies.all()
        for _ in range(competencies - 1):
            tool_item.item.competencies.add(CompetencyFactory(framework=first.framework))
    token = tool.token_request(tool.platforms[launched["a"].client_id])[1]["access_token"]
    with django_assert_max_num_queries(SCORE_WRITE_BUDGET):
        status, body = tool.score_post(launched["launch"], 8, 10, token=token)
    assert status == 200, body
    assert _evidence(launched) == [("tool_score", 0.8)] * competencies
    with school_scope(launched["school"]):
        states = MasteryState.objects.filter(student=launched["student"])
        assert states.count() == competencies
        assert {state.status for state in states} == {"practicing"}
        assert len({round(state.p_mastered, 6) for state in states}) == 1
