"""What PLP as an LTI 1.3 platform says and checks (pure: no Django): the id_token of a launch, the
tool's authorization request, and a score the tool posts back (AGS). The claim names are the tool side's
(lti.claims), so both directions speak one vocabulary."""

import datetime as dt
import math
from dataclasses import dataclass

from lti.claims import (
    AGS_ENDPOINT,
    CONTEXT,
    DEPLOYMENT_ID,
    LTI,
    MESSAGE_TYPE,
    RESOURCE_LINK,
    RESOURCE_LINK_REQUEST,
    ROLES,
    TARGET_LINK_URI,
)
from plp.refusals import refusal_texts

VERSION = LTI + "version"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
CONTEXT_COURSE_SECTION = "http://purl.imsglobal.org/vocab/lis/v2/course#CourseSection"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
LINEITEM_READONLY_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
RESULT_READONLY_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
# What a tool may ask a token for, on its own line items only: posting scores, reading its line item and
# its results. PLP makes each item's line item itself, so ``lineitem`` is granted (tools ask for it to read
# their line item) but only GET is served: creating, changing or deleting a line item is refused (405).
GRANTED_SCOPES = (SCORE_SCOPE, LINEITEM_SCOPE, LINEITEM_READONLY_SCOPE, RESULT_READONLY_SCOPE)
LINEITEM_READ_SCOPES = (LINEITEM_SCOPE, LINEITEM_READONLY_SCOPE)  # either one reads a line item
SCORE_MEDIA_TYPE = "application/vnd.ims.lis.v1.score+json"
LINEITEM_MEDIA_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
RESULTS_MEDIA_TYPE = "application/vnd.ims.lis.v2.resultcontainer+json"
RESULTS_MAX = 1000  # the longest page of results (``limit`` may ask for fewer; ``next`` links the rest)
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ACTIVITY = ("Initialized", "Started", "InProgress", "Submitted", "Completed")
GRADING = ("FullyGraded", "Pending", "PendingManual", "Failed", "NotReady")
ID_TOKEN_SECONDS = 300


@dataclass(frozen=True)
class LaunchFacts:
    """Everything an id_token says, as PLP knows it when the tool asks for it."""

    issuer: str
    client_id: str
    deployment_id: str
    sub: str
    target_link_uri: str
    resource_link_id: str
    resource_link_title: str
    context_id: str
    context_title: str
    lineitem_url: str
    score_maximum: float
    name: str = ""
    email: str = ""


def id_token_claims(facts: LaunchFacts, *, nonce: str, now: int) -> dict:
    """The claims of a resource-link launch of a learner: who (an opaque ``sub``; name and email only when
    the school shares them with this tool), where (the section as context, the item as resource link) and
    where to post the score (the item's line item, and the scopes PLP grants on it)."""
    claims = {
        "iss": facts.issuer,
        "aud": facts.client_id,
        "azp": facts.client_id,
        "sub": facts.sub,
        "iat": now,
        "exp": now + ID_TOKEN_SECONDS,
        "nonce": nonce,
        MESSAGE_TYPE: RESOURCE_LINK_REQUEST,
        VERSION: "1.3.0",
        DEPLOYMENT_ID: facts.deployment_id,
        TARGET_LINK_URI: facts.target_link_uri,
        RESOURCE_LINK: {"id": facts.resource_link_id, "title": facts.resource_link_title},
        ROLES: [LEARNER],
        AGS_ENDPOINT: {"scope": list(GRANTED_SCOPES), "lineitem": facts.lineitem_url},
    }
    if facts.context_id:
        claims[CONTEXT] = {
            "id": facts.context_id,
            "title": facts.context_title,
            "type": [CONTEXT_COURSE_SECTION],
        }
    if facts.name:
        claims["name"] = facts.name
    if facts.email:
        claims["email"] = facts.email
    return claims


REQUIRED_AUTH = {
    "scope": "openid",
    "response_type": "id_token",
    "response_mode": "form_post",
    "prompt": "none",
}


def auth_request_problem(
    params: dict, *, client_id: str, redirect_uris: list[str], login_hint: str
) -> str | None:
    """Why the tool's OIDC authorization request must be refused, or None. ``login_hint`` is the one PLP
    sent for the signed-in student; ``redirect_uris`` are the registered ones (exact match)."""
    for name, value in REQUIRED_AUTH.items():
        if params.get(name) != value:
            return f"{name} must be {value}"
    if params.get("client_id") != client_id:
        return "client_id is not this tool's"
    if params.get("redirect_uri") not in redirect_uris:
        return "redirect_uri is not registered for this tool"
    if params.get("login_hint") != login_hint:
        return "login_hint is not the signed-in person's"
    for name in ("nonce", "state"):
        value = params.get(name)
        if not isinstance(value, str) or not value or len(value) > 512:
            return f"{name} is missing"
    return None


REFUSALS = {
    "invalid": (
        "{tool} could not be opened",
        "Its request to PLP did not check out ({detail}), so PLP sent it nothing about you. Go back to your "
        "playlist and open the tool again; if it keeps happening, tell your teacher.",
    ),
    "replayed": (
        "This opening of {tool} was already used",
        "Each time you open a tool works once ({detail}). Go back to your playlist and open it again.",
    ),
    "disabled": (
        "{tool} is switched off at {school}",
        "{school}'s admin has turned this tool off. Ask your teacher what to do instead.",
    ),
}


# The heading and text a student sees when PLP refuses a tool's authorization request (the refusal of
# plp.refusals, in words about opening a tool).
refusal_text = refusal_texts(
    REFUSALS, defaults={"tool": "The tool", "school": "your school", "detail": "no details"}
)


class ScoreRefused(ValueError):
    """A score that cannot be taken; the message says why (shown to the tool)."""


@dataclass(frozen=True)
class Score:
    user_id: str
    score_given: float | None
    score_maximum: float | None
    activity_progress: str
    grading_progress: str
    timestamp: dt.datetime
    comment: str = ""

    @property
    def final(self) -> bool:
        """Completed and fully graded, with a score: evidence, and the item done."""
        return (
            self.activity_progress == "Completed"
            and self.grading_progress == "FullyGraded"
            and self.score_given is not None
        )

    @property
    def share(self) -> float:
        return (self.score_given or 0.0) / self.score_maximum if self.score_maximum else 0.0


def _number(body: dict, name: str) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ScoreRefused(f"{name} must be a number")
    if value < 0:
        raise ScoreRefused(f"{name} must not be negative")
    return float(value)


def score_parse(body) -> Score:
    """An AGS score (application/vnd.ims.lis.v1.score+json), checked: a user, the progress words of the
    spec, a timezone-aware timestamp, and a given score within 0 … scoreMaximum."""
    if not isinstance(body, dict):
        raise ScoreRefused("a score is a JSON object")
    user_id = body.get("userId")
    if not isinstance(user_id, str) or not user_id or len(user_id) > 255:
        raise ScoreRefused("userId is missing")
    given, maximum = _number(body, "scoreGiven"), _number(body, "scoreMaximum")
    if given is not None and not maximum:
        raise ScoreRefused("scoreGiven needs a positive scoreMaximum")
    if given is not None and maximum is not None and given > maximum:
        raise ScoreRefused("scoreGiven is greater than scoreMaximum")
    activity, grading = body.get("activityProgress"), body.get("gradingProgress")
    if activity not in ACTIVITY:
        raise ScoreRefused("activityProgress is not one of " + ", ".join(ACTIVITY))
    if grading not in GRADING:
        raise ScoreRefused("gradingProgress is not one of " + ", ".join(GRADING))
    raw = body.get("timestamp")
    try:
        timestamp = dt.datetime.fromisoformat(raw) if isinstance(raw, str) and len(raw) < 64 else None
    except ValueError:
        timestamp = None
    if timestamp is None or timestamp.tzinfo is None:
        raise ScoreRefused("timestamp must be an ISO 8601 time with its offset")
    comment = body.get("comment")
    return Score(
        user_id=user_id,
        score_given=given,
        score_maximum=maximum,
        activity_progress=activity,
        grading_progress=grading,
        timestamp=timestamp,
        comment=comment[:500] if isinstance(comment, str) else "",
    )


def scopes_granted(asked: str) -> list[str]:
    """The scopes of a token request that PLP grants (the others are dropped, as OAuth2 allows)."""
    return [scope for scope in asked.split() if scope in GRANTED_SCOPES]


def lineitem_json(*, url: str, label: str, score_maximum: float, resource_link_id: str) -> dict:
    """An item's line item as AGS 2.0 shows it (``application/vnd.ims.lis.v2.lineitem+json``)."""
    return {
        "id": url,
        "label": label,
        "scoreMaximum": score_maximum,
        "resourceLinkId": resource_link_id,
    }


def result_json(
    *, lineitem_url: str, user_id: str, score_given: float | None, score_maximum: float | None,
    comment: str = "",
) -> dict:  # fmt: skip
    """One student's current result on a line item (AGS 2.0 result): the last score the tool posted, as
    ``resultScore`` out of ``resultMaximum``; ``userId`` is the opaque id the tool knows the student by."""
    result = {"id": f"{lineitem_url}/results/{user_id}", "scoreOf": lineitem_url, "userId": user_id}
    if score_given is not None:
        result["resultScore"] = score_given
        result["resultMaximum"] = score_maximum if score_maximum else 1
    if comment:
        result["comment"] = comment
    return result


def results_limit(raw: str | None) -> int:
    """The page size a results request asks for (``limit``), within 1 … RESULTS_MAX; ScoreRefused if it is
    not a positive whole number."""
    if raw in (None, ""):
        return RESULTS_MAX
    if not raw.isdigit() or int(raw) < 1:
        raise ScoreRefused("limit must be a positive whole number")
    return min(int(raw), RESULTS_MAX)
