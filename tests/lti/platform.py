"""A small LTI 1.3 platform (a test LMS) for the suite, on a free loopback port.

It is a real counterpart, not a mock of PLP: a WSGI app in a thread that keeps its own RSA key (joserfc),
serves its JWKS over HTTP, answers PLP's OIDC authorization request with an id_token it signs, and posts it
back as the auto-submitting form a browser would get. A launch is prepared first (who, from which
deployment, to which target); knobs let a test make the platform misbehave the way refusals need: sign
with a key that is not in its JWKS, name another audience, send an expired token.
"""

import html
import json
import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from joserfc.jwt import JWTClaimsRegistry

from tests.sso.idps import free_port

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
AGS_SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
]


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@dataclass
class PreparedLaunch:
    login_hint: str
    deployment_id: str
    target_link_uri: str
    message_type: str = "LtiResourceLinkRequest"
    overrides: dict = field(default_factory=dict)  # claims to replace in the id_token
    rogue_key: bool = False  # sign with a key that is not in the JWKS (same kid)
    custom: dict = field(default_factory=dict)  # the resource link's custom parameters
    resource_link_id: str = "link-1"
    lineitem: str | None = None  # the gradebook column of the link (AGS), when it has one


class TestPlatform:
    """The LMS. ``issuer`` is its base URL; ``users`` maps a login hint to the person's claims."""

    def __init__(self):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.kid = "test-lms-" + secrets.token_hex(4)
        self.key = RSAKey.generate_key(2048, parameters={"kid": self.kid, "alg": "RS256", "use": "sig"})
        self.rogue = RSAKey.generate_key(2048, parameters={"kid": self.kid, "alg": "RS256", "use": "sig"})
        self.users: dict[str, dict] = {}
        self.launches: dict[str, PreparedLaunch] = {}
        self.jwks_requests = 0
        self.tool_jwks: dict[str, dict] = {}  # client id → the tool's public keys (pasted by the admin)
        self.tokens: dict[str, str] = {}  # access token → client id
        self.gradebook: dict[str, dict[str, dict]] = {}  # line item URL → LMS user id → last score
        self.lms_down = False
        self.placed: list[dict] = []  # content items placed in the course by deep linking
        self.rosters: dict[str, list[dict]] = {}  # course (context id) → its NRPS members
        self.roster_page_size = 2
        self.course_clients: dict[str, str] = {}  # course → the client id (tool) launched in it
        self.roster_requests: list[str] = []  # the roster pages PLP asked for (path and query)
        self.refuse_tokens = False  # the token endpoint refuses every client assertion
        self.token_scopes: dict[str, set[str]] = {}  # access token → the scopes granted
        self.registrations: list[dict] = []  # tools registered by dynamic registration
        self.registration_tokens: set[str] = set()  # the registration_token values handed to tools
        self.registration_error: tuple[str, dict] | None = None  # the registration endpoint's answer
        self.openid_issuer: str | None = None  # the issuer the OpenID configuration claims
        self._server: WSGIServer | None = None

    # --- what an LMS admin sets up -------------------------------------------------------------------
    @property
    def auth_login_url(self) -> str:
        return self.issuer + "/auth"

    @property
    def auth_token_url(self) -> str:
        return self.issuer + "/token"

    @property
    def key_set_url(self) -> str:
        return self.issuer + "/jwks"

    def reset(self) -> None:
        """A fresh LMS for the next test (the server and its key stay)."""
        self.users, self.launches, self.tool_jwks, self.tokens, self.gradebook = {}, {}, {}, {}, {}
        self.placed = []
        self.lms_down = False
        self.rosters, self.roster_requests, self.refuse_tokens, self.token_scopes = {}, [], False, {}
        self.course_clients = {}
        self.roster_page_size = 2
        self.registrations, self.registration_tokens, self.registration_error = [], set(), None
        self.openid_issuer = None

    def user_add(self, login_hint: str, **claims) -> None:
        self.users[login_hint] = {"sub": claims.pop("sub", f"lms-{login_hint}"), **claims}

    # --- the HTTP side --------------------------------------------------------------------------------
    def start(self) -> "TestPlatform":
        self._server = make_server("127.0.0.1", self.port, self._app, handler_class=_Quiet)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        requests.get(self.key_set_url, timeout=5).raise_for_status()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _app(self, environ, start_response):
        path = environ["PATH_INFO"]
        raw = b""
        if environ["REQUEST_METHOD"] == "POST":
            raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            params = parse_qs(raw.decode())
        else:
            params = parse_qs(environ.get("QUERY_STRING", ""))
        params = {key: values[0] for key, values in params.items()}
        if path == "/jwks":
            self.jwks_requests += 1
            return _respond(start_response, "200 OK", json.dumps({"keys": [self.key.as_dict(private=False)]}),
                            "application/json")  # fmt: skip
        if path == "/course":
            return _respond(start_response, "200 OK", self._course_page(params), "text/html")
        if path == "/auth":
            status, body = self._authorize(params)
            return _respond(start_response, status, body, "text/html")
        if self.lms_down:
            return _respond(start_response, "503 Service Unavailable", "down for maintenance", "text/plain")
        if path == "/deep-link-return":
            status, body = self._deep_link_return(params)
            return _respond(start_response, status, body, "text/plain")
        if path == "/token":
            status, body = self._token(params)
            return _respond(start_response, status, json.dumps(body), "application/json")
        if path.startswith("/courses/") and path.endswith("/memberships"):
            return self._memberships(environ, start_response, path.split("/")[2], params)
        if path == "/.well-known/openid-configuration":
            return _respond(start_response, "200 OK", json.dumps(self.openid_configuration()),
                            "application/json")  # fmt: skip
        if path == "/register":
            status, body = self._register(environ, raw)
            return _respond(start_response, status, json.dumps(body), "application/json")
        if path.startswith("/lineitems/") and path.endswith("/scores"):
            status, body = self._score(environ, raw, path.removesuffix("/scores"))
            return _respond(start_response, status, body, "text/plain")
        return _respond(start_response, "404 Not Found", "not found", "text/plain")

    def _course_page(self, params: dict) -> str:
        """A course page that opens PLP: the third-party-initiated login, posted by the browser (a real LMS
        posts or links it the same way when a person clicks the activity)."""
        login_url = html.escape(params.pop("plp_login_url", ""))
        inputs = "".join(
            f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
            for name, value in params.items()
        )
        form = f'<form method="post" action="{login_url}">{inputs}<button>Open PLP</button></form>'
        return f"<!doctype html><html><body onload='document.forms[0].submit()'>{form}</body></html>"

    def course_url(self, login_url: str, params: dict) -> str:
        return f"{self.issuer}/course?" + urlencode({"plp_login_url": login_url, **params})

    def _token(self, params: dict) -> tuple[str, dict]:
        """OAuth2 client credentials with a JWT client assertion (LTI Security Framework): checked against
        the tool's public keys, for the token URL, not expired; then a bearer token for the scopes."""
        if params.get("grant_type") != "client_credentials" or params.get("client_assertion_type") != (
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        ):
            return "400 Bad Request", {"error": "unsupported_grant_type"}
        try:
            header = json.loads(_b64(params["client_assertion"].split(".")[0]))
            client_id = json.loads(_b64(params["client_assertion"].split(".")[1]))["iss"]
            keys = KeySet.import_key_set(self.tool_jwks[client_id])
            token = jwt.decode(
                params["client_assertion"], keys.get_by_kid(header["kid"]), algorithms=["RS256"]
            )
            JWTClaimsRegistry(
                iss={"essential": True, "value": client_id},
                sub={"essential": True, "value": client_id},
                aud={"essential": True, "value": self.auth_token_url},
                exp={"essential": True},
                jti={"essential": True},
            ).validate(token.claims)
            if self.refuse_tokens:
                raise PermissionError("this LMS refuses PLP's tokens")
        except Exception as error:  # any doubt about the assertion: no token
            return "401 Unauthorized", {"error": "invalid_client", "error_description": str(error)}
        access = secrets.token_urlsafe(24)
        self.tokens[access] = client_id
        self.token_scopes[access] = set(params.get("scope", "").split())
        return "200 OK", {"access_token": access, "token_type": "Bearer", "expires_in": 3600,
                          "scope": params.get("scope", "")}  # fmt: skip

    def _score(self, environ, raw: bytes, lineitem_path: str) -> tuple[str, str]:
        bearer = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        if bearer not in self.tokens:
            return "401 Unauthorized", "no token"
        if environ.get("CONTENT_TYPE") != "application/vnd.ims.lis.v1.score+json":
            return "415 Unsupported Media Type", "scores only"
        score = json.loads(raw)
        self.gradebook.setdefault(self.issuer + lineitem_path, {})[score["userId"]] = score
        return "200 OK", ""

    def _deep_link_return(self, params: dict) -> tuple[str, str]:
        """The tool's deep-linking answer: a JWT signed with its key, for this LMS, carrying our data back;
        its content items are placed in the course (``placed``)."""
        try:
            header = json.loads(_b64(params["JWT"].split(".")[0]))
            client_id = json.loads(_b64(params["JWT"].split(".")[1]))["iss"]
            keys = KeySet.import_key_set(self.tool_jwks[client_id])
            token = jwt.decode(params["JWT"], keys.get_by_kid(header["kid"]), algorithms=["RS256"])
            JWTClaimsRegistry(
                iss={"essential": True, "value": client_id},
                aud={"essential": True, "value": self.issuer},
                exp={"essential": True},
                nonce={"essential": True},
            ).validate(token.claims)
            claims = token.claims
            assert claims[LTI + "message_type"] == "LtiDeepLinkingResponse"
            assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "course-1-module-2"
        except Exception as error:
            return "400 Bad Request", f"refused: {error!r}"
        self.placed.extend(claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"])
        return "200 OK", "placed"

    def lineitem_url(self, name: str) -> str:
        return f"{self.issuer}/lineitems/{name}"

    def _authorize(self, params: dict) -> tuple[str, str]:
        """The OIDC authorization request of an LTI launch: answered with a signed id_token, posted back."""
        prepared = self.launches.get(params.get("lti_message_hint", ""))
        user = self.users.get(params.get("login_hint", ""))
        required = {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
        }
        if prepared is None or user is None or any(params.get(k) != v for k, v in required.items()):
            return "400 Bad Request", "unknown launch or bad request"
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": params["client_id"],
            "iat": now,
            "exp": now + 300,
            "nonce": params["nonce"],
            **user,
            LTI + "message_type": prepared.message_type,
            LTI + "version": "1.3.0",
            LTI + "deployment_id": prepared.deployment_id,
            LTI + "target_link_uri": prepared.target_link_uri,
            LTI + "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            LTI + "context": {"id": "course-1", "title": "Grade 6 Math"},
        }
        if prepared.message_type == "LtiResourceLinkRequest":
            claims[LTI + "resource_link"] = {"id": prepared.resource_link_id, "title": "PLP"}
        if prepared.message_type == "LtiDeepLinkingRequest":
            claims[DL_SETTINGS] = {
                "deep_link_return_url": self.issuer + "/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["window"],
                "data": "course-1-module-2",
            }
        self.course_clients.setdefault("course-1", params["client_id"])
        claims[NRPS] = {
            "context_memberships_url": self.memberships_url("course-1"),
            "service_versions": ["2.0"],
        }
        if prepared.custom:
            claims[LTI + "custom"] = prepared.custom
        if prepared.lineitem:
            claims[AGS] = {"scope": AGS_SCOPES, "lineitem": prepared.lineitem,
                           "lineitems": self.issuer + "/lineitems"}  # fmt: skip
        claims.update(prepared.overrides)
        claims = {name: value for name, value in claims.items() if value is not None}  # None: left out
        key = self.rogue if prepared.rogue_key else self.key
        id_token = jwt.encode({"alg": "RS256", "kid": self.kid, "typ": "JWT"}, claims, key)
        fields = {"id_token": id_token, "state": params["state"]}
        inputs = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
            for name, value in fields.items()
        )
        action = html.escape(params["redirect_uri"])
        page = f'<form method="post" action="{action}">{inputs}<button>Continue</button></form>'
        return (
            "200 OK",
            f"<!doctype html><html><body onload='document.forms[0].submit()'>{page}</body></html>",
        )

    # --- Names and Role Provisioning (NRPS 2.0) --------------------------------------------------------
    def memberships_url(self, context_id: str) -> str:
        return f"{self.issuer}/courses/{context_id}/memberships"

    def _memberships(self, environ, start_response, context_id: str, params: dict):
        """A course's members, ``roster_page_size`` a page, the next page named by a Link header whose
        cursor is case-sensitive (``Pg…X``, as opaque cursors are); only for a bearer token granted the
        NRPS scope, only to the tool (client id) launched in the course, in NRPS's media type."""
        self.roster_requests.append(environ["PATH_INFO"] + "?" + environ.get("QUERY_STRING", ""))
        bearer = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        if NRPS_SCOPE not in self.token_scopes.get(bearer, set()):
            return _respond(start_response, "401 Unauthorized", "no token for rosters", "text/plain")
        if self.course_clients.get(context_id, self.tokens[bearer]) != self.tokens[bearer]:
            return _respond(start_response, "403 Forbidden", "the tool is not in this course", "text/plain")
        if environ.get("HTTP_ACCEPT") != NRPS_MEDIA_TYPE:
            return _respond(start_response, "406 Not Acceptable", "NRPS only", "text/plain")
        if context_id not in self.rosters:
            return _respond(start_response, "404 Not Found", "no such course", "text/plain")
        cursor = params.get("cursor", "Pg0X")
        if not re.fullmatch(r"Pg\d+X", cursor):  # a lower-cased cursor is not one this LMS gave
            return _respond(start_response, "400 Bad Request", "bad cursor", "text/plain")
        start = int(cursor[2:-1])
        members = self.rosters[context_id]
        size = self.roster_page_size
        body = {
            "id": self.memberships_url(context_id),
            "context": {"id": context_id, "title": "Grade 6 Math"},
            "members": members[start : start + size],
        }
        headers = [("Content-Type", NRPS_MEDIA_TYPE)]
        if start + size < len(members):
            url = f"{self.memberships_url(context_id)}?cursor=Pg{start + size}X"
            headers.append(("Link", f'<{url}>; rel="next"'))
        data = json.dumps(body).encode()
        start_response("200 OK", [*headers, ("Content-Length", str(len(data)))])
        return [data]

    # --- LTI Dynamic Registration 1.0 ----------------------------------------------------------------
    @property
    def openid_configuration_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"

    def registration_start(self) -> dict:
        """What the LMS admin's browser opens the tool's initiation URL with."""
        token = secrets.token_urlsafe(16)
        self.registration_tokens.add(token)
        return {"openid_configuration": self.openid_configuration_url, "registration_token": token}

    def openid_configuration(self) -> dict:
        return {
            "issuer": self.openid_issuer or self.issuer,
            "authorization_endpoint": self.auth_login_url,
            "token_endpoint": self.auth_token_url,
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
            "jwks_uri": self.key_set_url,
            "registration_endpoint": self.issuer + "/register",
            "scopes_supported": ["openid", *AGS_SCOPES, NRPS_SCOPE],
            "response_types_supported": ["id_token"],
            "subject_types_supported": ["public", "pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "claims_supported": ["sub", "iss", "name", "given_name", "family_name", "email"],
            "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                "product_family_code": "plp-test-lms",
                "version": "1.0",
                "messages_supported": [{"type": "LtiResourceLinkRequest"}, {"type": "LtiDeepLinkingRequest"}],
            },
        }

    def _register(self, environ, raw: bytes) -> tuple[str, dict]:
        """The registration endpoint (OpenID Connect Dynamic Client Registration with the LTI tool
        configuration): only with a registration token this LMS handed out, once; a new client id and a
        deployment id come back. The tool's JWKS URL is kept; a test fetches it (``tool_jwks``) as the LMS
        would before its first token request."""
        if self.registration_error is not None:
            return self.registration_error
        token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        if token not in self.registration_tokens:
            return "401 Unauthorized", {"error": "invalid_token"}
        if environ.get("CONTENT_TYPE", "").split(";")[0] != "application/json":
            return "400 Bad Request", {"error": "invalid_client_metadata", "error_description": "JSON only"}
        config = json.loads(raw)
        tool = config.get("https://purl.imsglobal.org/spec/lti-tool-configuration", {})
        needed = ("application_type", "grant_types", "response_types", "redirect_uris", "initiate_login_uri",
                  "client_name", "jwks_uri", "token_endpoint_auth_method")  # fmt: skip
        missing = [name for name in needed if not config.get(name)]
        if missing or not tool.get("target_link_uri") or not tool.get("domain"):
            return "400 Bad Request", {"error": "invalid_client_metadata", "error_description": str(missing)}
        self.registration_tokens.discard(token)
        client_id = "dyn-" + secrets.token_hex(6)
        deployment_id = "dyn-dep-" + secrets.token_hex(4)
        self.registrations.append({"client_id": client_id, "deployment_id": deployment_id, "config": config})
        answer = {**config, "client_id": client_id}
        answer["https://purl.imsglobal.org/spec/lti-tool-configuration"] = {
            **tool,
            "deployment_id": deployment_id,
        }
        return "200 OK", answer

    # --- what a test does ---------------------------------------------------------------------------
    def prepare(self, **kwargs) -> str:
        """A launch to start: its lti_message_hint."""
        hint = uuid.uuid4().hex
        self.launches[hint] = PreparedLaunch(**kwargs)
        return hint


NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
NRPS_MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


def nrps_member(user_id: str, role: str = "Learner", **fields) -> dict:
    """One member of a course as NRPS 2.0 gives it (``role``: Learner, Instructor, ContentDeveloper…)."""
    return {"user_id": user_id, "status": "Active", "roles": [MEMBERSHIP + role], **fields}


def _b64(part: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _respond(start_response, status: str, body: str, content_type: str):
    data = body.encode()
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(data)))])
    return [data]


_FORM = re.compile(r'<form method="post" action="([^"]+)">(.*?)</form>', re.S)
_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def auto_post_form(page: str) -> tuple[str, dict[str, str]]:
    """The action and fields of the platform's auto-submitting form (what a browser would post)."""
    match = _FORM.search(page)
    assert match, page[:500]
    fields = {name: html.unescape(value) for name, value in _INPUT.findall(match.group(2))}
    return html.unescape(match.group(1)), fields


def login_params(platform: TestPlatform, *, client_id: str, login_hint: str, message_hint: str,
                 deployment_id: str, target_link_uri: str) -> dict:  # fmt: skip
    """The third-party-initiated login the LMS sends PLP first."""
    return {
        "iss": platform.issuer,
        "login_hint": login_hint,
        "target_link_uri": target_link_uri,
        "lti_message_hint": message_hint,
        "client_id": client_id,
        "lti_deployment_id": deployment_id,
    }


@pytest.fixture(scope="session")
def lti_platform():
    platform = TestPlatform().start()
    yield platform
    platform.stop()


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


__all__ = ["TestPlatform", "auto_post_form", "login_params", "lti_platform", "path_of", "urlencode"]
