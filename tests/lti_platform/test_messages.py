"""The pure parts of PLP as an LTI platform: the id_token's claims, the authorization request's checks and
a score's (lti_platform.messages)."""

import datetime as dt

import pytest

from lti_platform import messages
from lti_platform.messages import LaunchFacts, ScoreRefused, score_parse

FACTS = LaunchFacts(
    issuer="https://plp.example.org",
    client_id="plp-tool-1",
    deployment_id="plp-dep-1",
    sub="opaque",
    target_link_uri="https://tool.example.org/launch",
    resource_link_id="item-uuid",
    resource_link_title="Fraction lab",
    context_id="section-3",
    context_title="Math 6",
    lineitem_url="https://plp.example.org/lti/platform/t/lineitems/i",
    score_maximum=10,
)


def test_the_id_token_carries_the_learner_the_place_and_the_line_item_and_no_name():
    claims = messages.id_token_claims(FACTS, nonce="n-1", now=1000)
    assert (claims["iss"], claims["aud"], claims["sub"], claims["nonce"]) == (
        "https://plp.example.org", "plp-tool-1", "opaque", "n-1",
    )  # fmt: skip
    assert claims["exp"] == 1000 + messages.ID_TOKEN_SECONDS
    assert claims[messages.VERSION] == "1.3.0"
    assert claims[messages.ROLES] == [messages.LEARNER]
    assert claims[messages.CONTEXT]["id"] == "section-3"
    assert claims[messages.AGS_ENDPOINT] == {
        "scope": list(messages.GRANTED_SCOPES),
        "lineitem": "https://plp.example.org/lti/platform/t/lineitems/i",
    }
    assert "name" not in claims and "email" not in claims
    shared = messages.id_token_claims(
        LaunchFacts(**{**FACTS.__dict__, "name": "Ada", "email": "ada@example.org"}), nonce="n", now=1
    )
    assert (shared["name"], shared["email"]) == ("Ada", "ada@example.org")


GOOD_AUTH = {
    "scope": "openid",
    "response_type": "id_token",
    "response_mode": "form_post",
    "prompt": "none",
    "client_id": "plp-tool-1",
    "redirect_uri": "https://tool.example.org/launch",
    "login_hint": "opaque",
    "state": "s",
    "nonce": "n",
}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({}, None),
        ({"response_mode": "query"}, "response_mode must be form_post"),
        ({"client_id": "x"}, "client_id is not this tool's"),
        (
            {"redirect_uri": "https://tool.example.org/launch/"},
            "redirect_uri is not registered for this tool",
        ),
        ({"login_hint": "other"}, "login_hint is not the signed-in person's"),
        ({"nonce": ""}, "nonce is missing"),
        ({"state": None}, "state is missing"),
    ],
)
def test_the_authorization_request_is_checked_field_by_field(change, problem):
    params = {**GOOD_AUTH, **change}
    found = messages.auth_request_problem(
        params, client_id="plp-tool-1", redirect_uris=["https://tool.example.org/launch"], login_hint="opaque"
    )
    assert found == problem


SCORE = {
    "userId": "opaque",
    "scoreGiven": 8,
    "scoreMaximum": 10,
    "activityProgress": "Completed",
    "gradingProgress": "FullyGraded",
    "timestamp": "2026-01-05T10:00:00.123+01:00",
}


def test_a_final_score_parses_with_its_share():
    score = score_parse(SCORE)
    assert score.final and score.share == 0.8
    assert score.timestamp == dt.datetime(2026, 1, 5, 9, 0, 0, 123000, tzinfo=dt.UTC)
    assert not score_parse({**SCORE, "gradingProgress": "Pending"}).final
    assert not score_parse({**SCORE, "scoreGiven": None, "scoreMaximum": None}).final


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"scoreGiven": 11}, "greater than scoreMaximum"),
        ({"scoreGiven": -1}, "must not be negative"),
        ({"scoreGiven": True}, "must be a number"),
        ({"scoreGiven": float("nan")}, "must be a number"),
        ({"scoreMaximum": 0}, "positive scoreMaximum"),
        ({"userId": ""}, "userId"),
        ({"activityProgress": "Done"}, "activityProgress"),
        ({"gradingProgress": "Graded"}, "gradingProgress"),
        ({"timestamp": "2026-01-05T10:00:00"}, "with its offset"),
        ({"timestamp": "yesterday"}, "timestamp"),
    ],
)
def test_a_bad_score_is_refused_with_the_reason(change, why):
    with pytest.raises(ScoreRefused, match=why):
        score_parse({**SCORE, **change})


def test_the_score_line_item_and_result_scopes_are_granted_and_no_other():
    nrps = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
    asked = f"{messages.SCORE_SCOPE} {nrps} {messages.RESULT_READONLY_SCOPE} {messages.LINEITEM_SCOPE}"
    assert messages.scopes_granted(asked) == [
        messages.SCORE_SCOPE,
        messages.RESULT_READONLY_SCOPE,
        messages.LINEITEM_SCOPE,
    ]
    assert messages.scopes_granted(nrps) == []


def test_a_result_shows_the_last_score_out_of_its_maximum_under_the_tools_user_id():
    url = "https://plp.example.test/lti/platform/t/lineitems/i"
    assert messages.result_json(lineitem_url=url, user_id="abc", score_given=8, score_maximum=10) == {
        "id": url + "/results/abc",
        "scoreOf": url,
        "userId": "abc",
        "resultScore": 8,
        "resultMaximum": 10,
    }
    unscored = messages.result_json(lineitem_url=url, user_id="abc", score_given=None, score_maximum=None)
    assert "resultScore" not in unscored


@pytest.mark.parametrize("raw", ["0", "-1", "ten", "1.5"])
def test_a_results_limit_must_be_a_positive_whole_number(raw):
    with pytest.raises(messages.ScoreRefused):
        messages.results_limit(raw)


def test_a_results_limit_is_capped():
    assert messages.results_limit(None) == messages.RESULTS_MAX
    assert messages.results_limit("5") == 5
    assert messages.results_limit("999999") == messages.RESULTS_MAX
