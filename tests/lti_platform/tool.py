"""A small LTI 1.3 tool for the suite (the counterpart of PLP as a platform), on a free loopback port.

It is a real counterpart, not a mock of PLP: a WSGI app in a thread that keeps its own RSA key (joserfc) and
serves its JWKS over HTTP; it answers PLP's third-party initiated login with an OIDC authorization request
(state and nonce of its own), checks the id_token PLP posts back against PLP's key set (signature, issuer,
audience, expiry, nonce once, the LTI claims), shows the student a page with a "Submit 8/10" button, and
posts the score back through Assignment and Grade Services with a token it gets for its signed client
assertion. Knobs let a test make it misbehave the way refusals need: sign its assertion with a key that is
not in its JWKS, name another audience, send an expired assertion, send an authorization request again.

PLP is reached through ``http``: ``requests`` against a live server (the browser journey), or the test's
Django client (``ClientHttp``) when PLP runs in the test process. The platform's key set the tool checks
id_tokens against is fetched through ``fetch_jwks`` (by default over HTTP).
"""

import html
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, urlencode, urlsplit
from wsgiref.simple_server import WSGIServer, make_server

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from joserfc.jwt import JWTClaimsRegistry

from tests.lti.platform import _b64, _Quiet, _respond
from tests.sso.idps import free_port

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
LINEITEM_READONLY_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
RESULT_READONLY_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    """Requests in threads: the tool's "Submit" handler calls PLP, which calls back for the tool's JWKS."""

    daemon_threads = True


class RequestsHttp:
    """PLP over real HTTP (a live server)."""

    def post(self, url: str, *, data=None, json_body=None, content_type=None, headers=None):
        headers = dict(headers or {})
        if json_body is not None:
            headers["Content-Type"] = content_type or "application/json"
            response = requests.post(url, data=json.dumps(json_body), headers=headers, timeout=10)
        else:
            response = requests.post(url, data=data, headers=headers, timeout=10)
        return response.status_code, response.text

    def get(self, url: str, *, headers=None):
        response = requests.get(url, headers=headers or {}, timeout=10)
        return response.status_code, response.text, dict(response.headers)


class ClientHttp:
    """PLP in the test process, through Django's test client (the tool's server-to-server calls)."""

    def __init__(self, client):
        self.client = client

    def post(self, url: str, *, data=None, json_body=None, content_type=None, headers=None):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        extra = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in (headers or {}).items()}
        if json_body is not None:
            response = self.client.post(path, data=json.dumps(json_body), content_type=content_type, **extra)
        else:
            response = self.client.post(path, data or {}, **extra)
        return response.status_code, response.content.decode()

    def get(self, url: str, *, headers=None):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        extra = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in (headers or {}).items()}
        response = self.client.get(path, **extra)
        return response.status_code, response.content.decode(), dict(response.headers)


@dataclass
class PlatformConfig:
    """What the tool's admin typed in when registering PLP (from PLP's tool page)."""

    issuer: str
    client_id: str
    deployment_id: str
    auth_url: str
    token_url: str
    jwks_url: str


@dataclass
class Launch:
    claims: dict
    sub: str
    lineitem: str


@dataclass
class Knobs:
    rogue_assertion: bool = False  # sign the client assertion with a key not in the JWKS
    assertion_aud: str | None = None  # another audience than PLP's token URL
    assertion_exp_offset: int = 300  # negative: an expired assertion
    auth_overrides: dict = field(default_factory=dict)  # change the authorization request


class TestTool:
    """The tool. ``base`` is its address; ``platforms`` maps a client id to what it knows of PLP."""

    def __init__(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.kid = "test-tool-" + secrets.token_hex(4)
        self.key = RSAKey.generate_key(2048, parameters={"kid": self.kid, "alg": "RS256", "use": "sig"})
        self.rogue = RSAKey.generate_key(2048, parameters={"kid": self.kid, "alg": "RS256", "use": "sig"})
        self.http = RequestsHttp()
        self.fetch_jwks = lambda url: requests.get(url, timeout=10).json()
        self.reset()
        self._server: WSGIServer | None = None

    def reset(self) -> None:
        self.platforms: dict[str, PlatformConfig] = {}
        self.states: dict[str, dict] = {}  # state → the login it answers (nonce, client id)
        self.seen_nonces: set[str] = set()
        self.launches: dict[str, Launch] = {}
        self.refusals: list[str] = []
        self.sent: list[tuple[int, str]] = []  # (status, body) of each score post
        self.knobs = Knobs()
        self.last_auth_url = ""

    # --- what its admin sets up ------------------------------------------------------------------------
    @property
    def login_url(self) -> str:
        return self.base + "/login"

    @property
    def launch_url(self) -> str:
        return self.base + "/launch"

    @property
    def key_set_url(self) -> str:
        return self.base + "/jwks"

    def register(self, config: PlatformConfig) -> None:
        self.platforms[config.client_id] = config

    # --- HTTP -------------------------------------------------------------------------------------------
    def start(self) -> "TestTool":
        self._server = make_server(
            "127.0.0.1", self.port, self._app, server_class=_ThreadingServer, handler_class=_Quiet
        )
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        requests.get(self.key_set_url, timeout=5).raise_for_status()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _app(self, environ, start_response):
        path = environ["PATH_INFO"]
        if environ["REQUEST_METHOD"] == "POST":
            raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            params = parse_qs(raw.decode())
        else:
            params = parse_qs(environ.get("QUERY_STRING", ""))
        params = {key: values[0] for key, values in params.items()}
        if path == "/jwks":
            body = json.dumps({"keys": [self.key.as_dict(private=False)]})
            return _respond(start_response, "200 OK", body, "application/json")
        if path == "/login":
            location = self._login(params)
            if location is None:
                return _respond(start_response, "400 Bad Request", "unknown platform", "text/plain")
            start_response("302 Found", [("Location", location), ("Content-Length", "0")])
            return [b""]
        if path == "/launch":
            status, body = self._launch(params)
            return _respond(start_response, status, body, "text/html")
        if path == "/submit":
            status, body = self._submit(params)
            return _respond(start_response, status, body, "text/html")
        return _respond(start_response, "404 Not Found", "not found", "text/plain")

    def _login(self, params: dict) -> str | None:
        """Third-party initiated login: the OIDC authorization request to the platform that started it."""
        config = self.platforms.get(params.get("client_id", ""))
        if config is None or params.get("iss") != config.issuer:
            return None
        state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        self.states[state] = {"nonce": nonce, "client_id": config.client_id}
        request = {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": config.client_id,
            "redirect_uri": self.launch_url,
            "login_hint": params.get("login_hint", ""),
            "lti_message_hint": params.get("lti_message_hint", ""),
            "state": state,
            "nonce": nonce,
            **self.knobs.auth_overrides,
        }
        self.last_auth_url = config.auth_url + "?" + urlencode(request)
        return self.last_auth_url

    def id_token_check(self, id_token: str, state: str) -> Launch:
        """The id_token PLP posted, checked as a tool must (raises on any doubt)."""
        login = self.states.pop(state, None)  # a state works once
        if login is None:
            raise ValueError("unknown or used state")
        config = self.platforms[login["client_id"]]
        header = json.loads(_b64(id_token.split(".")[0]))
        keys = KeySet.import_key_set(self.fetch_jwks(config.jwks_url))
        token = jwt.decode(id_token, keys.get_by_kid(header["kid"]), algorithms=["RS256"])
        now = int(time.time())
        JWTClaimsRegistry(
            now=now,
            leeway=0,
            iss={"essential": True, "value": config.issuer},
            aud={"essential": True, "value": config.client_id},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": login["nonce"]},
            sub={"essential": True},
        ).validate(token.claims)
        claims = token.claims
        if claims["nonce"] in self.seen_nonces:
            raise ValueError("nonce already used")
        self.seen_nonces.add(claims["nonce"])
        expected = {
            LTI + "message_type": "LtiResourceLinkRequest",
            LTI + "version": "1.3.0",
            LTI + "deployment_id": config.deployment_id,
            LTI + "target_link_uri": self.launch_url,
        }
        for name, value in expected.items():
            if claims.get(name) != value:
                raise ValueError(f"{name} is {claims.get(name)!r}")
        if LEARNER not in claims.get(LTI + "roles", []) or not claims.get(LTI + "resource_link", {}).get(
            "id"
        ):
            raise ValueError("not a learner's resource link launch")
        return Launch(claims=claims, sub=claims["sub"], lineitem=claims.get(AGS, {}).get("lineitem", ""))

    def _launch(self, params: dict) -> tuple[str, str]:
        try:
            launch = self.id_token_check(params.get("id_token", ""), params.get("state", ""))
        except Exception as error:  # any doubt about the id_token: nobody is launched
            self.refusals.append(repr(error))
            return "400 Bad Request", f"<!doctype html><p>refused: {html.escape(repr(error))}</p>"
        launch_id = uuid.uuid4().hex
        self.launches[launch_id] = launch
        title = html.escape(launch.claims[LTI + "resource_link"].get("title", ""))
        page = (
            f"<!doctype html><html><head><title>Test tool</title></head><body><h1>{title}</h1>"
            f'<form method="post" action="/submit"><input type="hidden" name="launch" value="{launch_id}">'
            '<input type="hidden" name="given" value="8"><input type="hidden" name="maximum" value="10">'
            "<button>Submit 8/10</button></form></body></html>"
        )
        return "200 OK", page

    def _submit(self, params: dict) -> tuple[str, str]:
        launch = self.launches.get(params.get("launch", ""))
        if launch is None:
            return "400 Bad Request", "unknown launch"
        status, _ = self.score_post(launch, float(params["given"]), float(params["maximum"]))
        return "200 OK", f"<!doctype html><h1>Score sent</h1><p id='status'>{status}</p>"

    # --- AGS ---------------------------------------------------------------------------------------------
    def client_assertion(self, config: PlatformConfig) -> str:
        now = int(time.time())
        claims = {
            "iss": config.client_id,
            "sub": config.client_id,
            "aud": self.knobs.assertion_aud or config.token_url,
            "iat": now,
            "exp": now + self.knobs.assertion_exp_offset,
            "jti": uuid.uuid4().hex,
        }
        key = self.rogue if self.knobs.rogue_assertion else self.key
        return jwt.encode({"alg": "RS256", "kid": self.kid, "typ": "JWT"}, claims, key)

    def token_request(
        self, config: PlatformConfig, *, assertion: str | None = None, scope: str = SCORE_SCOPE
    ) -> tuple[int, dict]:
        status, body = self.http.post(
            config.token_url,
            data={
                "grant_type": "client_credentials",
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion": assertion or self.client_assertion(config),
                "scope": scope,
            },
        )
        return status, json.loads(body)

    def ags_get(self, url: str, token: str, accept: str) -> tuple[int, object, dict]:
        """GET a line item or its results (AGS 2.0) with ``token``: (status, the JSON body, the headers)."""
        status, body, headers = self.http.get(
            url, headers={"Authorization": f"Bearer {token}", "Accept": accept}
        )
        try:
            return status, json.loads(body), headers
        except ValueError:
            return status, body, headers

    def score_post(self, launch: Launch, given: float | None, maximum: float | None, *, token=None,
                   user_id=None, timestamp=None, lineitem=None, **fields) -> tuple[int, str]:  # fmt: skip
        config = next(c for c in self.platforms.values() if c.issuer == launch.claims["iss"])
        if token is None:
            status, body = self.token_request(config)
            if status != 200:
                self.sent.append((status, json.dumps(body)))
                return status, json.dumps(body)
            token = body["access_token"]
        score = {
            "userId": user_id or launch.sub,
            "scoreGiven": given,
            "scoreMaximum": maximum,
            "activityProgress": "Completed",
            "gradingProgress": "FullyGraded",
            "timestamp": timestamp or time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
            **fields,
        }
        result = self.http.post(
            (lineitem or launch.lineitem) + "/scores",
            json_body={name: value for name, value in score.items() if value is not None},
            content_type="application/vnd.ims.lis.v1.score+json",
            headers={"Authorization": f"Bearer {token}"},
        )
        self.sent.append(result)
        return result


@pytest.fixture(scope="session")
def lti_tool():
    tool = TestTool().start()
    yield tool
    tool.stop()


def main(argv=None) -> None:
    """Run the test tool by itself against a running PLP (``make run``): give it what the school admin's
    "External tools" page shows for the registration (the demo's sample tool listens on port 8765)."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--issuer", required=True, help="PLP's issuer, e.g. http://127.0.0.1:8000")
    for name in ("client-id", "deployment-id", "auth-url", "token-url", "jwks-url"):
        parser.add_argument(f"--{name}", required=True)
    args = parser.parse_args(argv)
    tool = TestTool()
    tool.port, tool.base = args.port, f"http://127.0.0.1:{args.port}"
    tool.register(
        PlatformConfig(
            issuer=args.issuer,
            client_id=args.client_id,
            deployment_id=args.deployment_id,
            auth_url=args.auth_url,
            token_url=args.token_url,
            jwks_url=args.jwks_url,
        )
    )
    tool.start()
    print(f"Test LTI tool on {tool.base} (login {tool.login_url}, launch {tool.launch_url}); Ctrl-C stops it")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        tool.stop()


if __name__ == "__main__":
    main()
