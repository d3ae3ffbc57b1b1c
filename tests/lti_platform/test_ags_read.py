"""Assignment and Grade Services 2.0, read side, with PLP as the platform: the suite's tool reads its line
item (GET, ``lineitem`` or ``lineitem.readonly`` scope) and its results (GET, ``result.readonly``); a
token without the scope, another school's tool and a line item that is not the tool's are refused."""

import pytest
from django.test import Client
from django.urls import reverse

from lti_platform import signing
from schools.roles import Role
from tests.factories import EnrollmentFactory, MembershipFactory, UserFactory
from tests.lti_platform.conftest import finish_launch, start_launch, student_client
from tests.lti_platform.tool import (
    LINEITEM_READONLY_SCOPE,
    LINEITEM_SCOPE,
    RESULT_READONLY_SCOPE,
    SCORE_SCOPE,
)

pytestmark = pytest.mark.django_db

LINEITEM = "application/vnd.ims.lis.v2.lineitem+json"
RESULTS = "application/vnd.ims.lis.v2.resultcontainer+json"


@pytest.fixture
def launched(tools, school_a):
    client = student_client(school_a)
    finish_launch(client, start_launch(client, tools["item_a"]))
    (launch,) = tools["tool"].launches.values()
    return {**tools, "launch": launch, "config": tools["tool"].platforms[tools["a"].client_id]}


def _token(world, scope: str) -> str:
    status, body = world["tool"].token_request(world["config"], scope=scope)
    assert status == 200, body
    return body["access_token"]


@pytest.mark.parametrize("scope", [LINEITEM_SCOPE, LINEITEM_READONLY_SCOPE])
def test_the_tool_reads_its_line_item_with_either_line_item_scope(launched, scope):
    tool, tool_item = launched["tool"], launched["item_a"]
    status, body, headers = tool.ags_get(launched["launch"].lineitem, _token(launched, scope), LINEITEM)
    assert status == 200, body
    assert headers["Content-Type"] == LINEITEM
    assert body == {
        "id": launched["launch"].lineitem,
        "label": tool_item.item.title,
        "scoreMaximum": tool_item.score_maximum,
        "resourceLinkId": str(tool_item.public_id),
    }


def test_the_launch_grants_the_read_scopes_in_its_ags_claim(launched):
    claim = launched["launch"].claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"]
    assert set(claim["scope"]) == {
        SCORE_SCOPE,
        LINEITEM_SCOPE,
        LINEITEM_READONLY_SCOPE,
        RESULT_READONLY_SCOPE,
    }


def test_the_tool_reads_the_results_it_posted_under_its_own_user_ids(launched):
    tool, launch = launched["tool"], launched["launch"]
    results_url = launch.lineitem + "/results"
    token = _token(launched, RESULT_READONLY_SCOPE)
    assert tool.ags_get(results_url, token, RESULTS)[:2] == (200, [])
    assert tool.score_post(launch, 8, 10, comment="Well done")[0] == 200
    status, body, headers = tool.ags_get(results_url, token, RESULTS)
    assert status == 200 and headers["Content-Type"] == RESULTS
    assert body == [
        {
            "id": f"{launch.lineitem}/results/{launch.sub}",
            "scoreOf": launch.lineitem,
            "userId": launch.sub,
            "resultScore": 8.0,
            "resultMaximum": 10.0,
            "comment": "Well done",
        }
    ]
    status, body, _ = tool.ags_get(results_url + f"?user_id={launch.sub}", token, RESULTS)
    assert status == 200 and [row["userId"] for row in body] == [launch.sub]
    status, body, _ = tool.ags_get(results_url + "?user_id=someone-else", token, RESULTS)
    assert (status, body) == (200, [])


def test_a_token_without_the_scope_reads_nothing(launched):
    tool, launch = launched["tool"], launched["launch"]
    score_only = _token(launched, SCORE_SCOPE)
    status, body, _ = tool.ags_get(launch.lineitem, score_only, LINEITEM)
    assert status == 403 and body["error"] == "insufficient_scope"
    status, body, _ = tool.ags_get(launch.lineitem + "/results", score_only, RESULTS)
    assert status == 403 and body["error"] == "insufficient_scope"
    line_item_only = _token(launched, LINEITEM_READONLY_SCOPE)
    assert tool.ags_get(launch.lineitem + "/results", line_item_only, RESULTS)[0] == 403


def test_no_token_an_expired_one_or_a_forged_one_reads_nothing(launched):
    tool, launch = launched["tool"], launched["launch"]
    expired = signing.access_token_issue(tool=launched["a"], scopes=[RESULT_READONLY_SCOPE], lifetime=-1)
    assert tool.ags_get(launch.lineitem + "/results", expired, RESULTS)[0] == 401
    header, payload, signature = _token(launched, RESULT_READONLY_SCOPE).split(".")
    assert (
        tool.ags_get(launch.lineitem + "/results", f"{header}.{payload}.{signature[:-4]}AAAA", RESULTS)[0]
        == 401
    )
    response = Client().get(launch.lineitem.removeprefix("http://testserver"))
    assert response.status_code == 401


def test_another_schools_tool_reads_neither_this_schools_line_item_nor_its_results(launched):
    """School B's registration (its own client id and deployment) gets its own token: with it, A's line
    item is another tool's (401), and A's line item under B's tool id does not exist (404)."""
    tool, launch = launched["tool"], launched["launch"]
    assert tool.score_post(launch, 8, 10)[0] == 200
    b_config = tool.platforms[launched["b"].client_id]
    status, body = tool.token_request(b_config, scope=f"{LINEITEM_SCOPE} {RESULT_READONLY_SCOPE}")
    assert status == 200
    b_token = body["access_token"]
    for url, accept in ((launch.lineitem, LINEITEM), (launch.lineitem + "/results", RESULTS)):
        status, body, _ = tool.ags_get(url, b_token, accept)
        assert status == 401 and body["error"] == "invalid_token"
    kwargs = {"tool": launched["b"].public_id, "item": launched["item_a"].public_id}
    for name, accept in (("lti_platform:lineitem", LINEITEM), ("lti_platform:results", RESULTS)):
        assert tool.ags_get("http://testserver" + reverse(name, kwargs=kwargs), b_token, accept)[0] == 404


def test_a_line_item_cannot_be_changed_or_deleted(launched):
    token = _token(launched, LINEITEM_SCOPE)
    path = launched["launch"].lineitem.removeprefix("http://testserver")
    client = Client()
    for method in ("put", "delete", "post"):
        response = getattr(client, method)(path, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 405


def test_results_are_paged_with_a_next_link(launched, school_a):
    tool = launched["tool"]
    for n in range(3):
        other = UserFactory(email=f"reader{n}@alpha.example.test")
        MembershipFactory(school=school_a.school, user=other, role=Role.STUDENT)
        EnrollmentFactory(section=school_a.section, user=other, role="student")
        client = Client()
        client.force_login(other)
        finish_launch(client, start_launch(client, launched["item_a"]))
    for launch in tool.launches.values():
        assert tool.score_post(launch, 5, 10)[0] == 200
    token = _token(launched, RESULT_READONLY_SCOPE)
    url, seen = launched["launch"].lineitem + "/results?limit=3", []
    status, body, headers = tool.ags_get(url, token, RESULTS)
    assert status == 200 and len(body) == 3
    seen += [row["userId"] for row in body]
    next_url = headers["Link"].split(";")[0].strip("<>")
    status, body, headers = tool.ags_get(next_url, token, RESULTS)
    assert status == 200 and len(body) == 1 and "Link" not in headers
    seen += [row["userId"] for row in body]
    assert sorted(seen) == sorted(launch.sub for launch in tool.launches.values())
    assert tool.ags_get(launched["launch"].lineitem + "/results?limit=0", token, RESULTS)[0] == 400


@pytest.mark.parametrize("students", [1, 12])
def test_reading_results_runs_in_a_constant_number_of_queries(
    launched, school_a, students, django_assert_max_num_queries
):
    tool = launched["tool"]
    for n in range(students - 1):
        other = UserFactory(email=f"many{n}@alpha.example.test")
        MembershipFactory(school=school_a.school, user=other, role=Role.STUDENT)
        EnrollmentFactory(section=school_a.section, user=other, role="student")
        client = Client()
        client.force_login(other)
        finish_launch(client, start_launch(client, launched["item_a"]))
    for launch in tool.launches.values():
        assert tool.score_post(launch, 5, 10)[0] == 200
    token = _token(launched, RESULT_READONLY_SCOPE)
    with django_assert_max_num_queries(6):
        status, body, _ = tool.ags_get(launched["launch"].lineitem + "/results", token, RESULTS)
    assert status == 200 and len(body) == students
    line_item_token = _token(launched, LINEITEM_SCOPE)
    with django_assert_max_num_queries(6):
        assert tool.ags_get(launched["launch"].lineitem, line_item_token, LINEITEM)[0] == 200
