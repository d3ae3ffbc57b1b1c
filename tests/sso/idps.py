"""Real identity providers for the tests, each a subprocess on a free loopback port.

- OpenID Connect: panva's oidc-provider (npm, tests/sso/idp_oidc/; `npm ci` there installs it, .ci/run
  does) with development interactions: a login form that takes an account name from its accounts, then
  a consent screen.
- SAML 2.0: pysaml2's own IdP (``saml2.server.Server``) in a small WSGI app (tests/sso/idp_saml/idp.py)
  with a signing key made for the session.

Each is started once per base URL of the app under test (the Django test client's http://testserver,
or the live server's address), because the providers only send people back to registered addresses.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

HERE = Path(__file__).resolve().parent
OIDC_DIR = HERE / "idp_oidc"
SAML_DIR = HERE / "idp_saml"

# The providers' fixed public ids: the IdPs are configured once per session with their addresses.
OIDC_PROVIDER_ID = uuid.UUID("0b1d0c0e-0000-4000-8000-0000000000a1")
SAML_PROVIDER_ID = uuid.UUID("5a310000-0000-4000-8000-0000000000a1")
CLIENT_ID, CLIENT_SECRET = "plp-alpha", "alpha-client-secret-for-tests"

# The people the IdPs know: account name → claims (OIDC) / attributes (SAML).
ACCOUNTS = {
    "student": {
        "email": "student@alpha.example.test",
        "email_verified": True,
        "preferred_username": "alpha.student",
        "given_name": "Ada",
        "family_name": "Alpha",
        "sourced_id": "stu-alpha-1",
    },
    "outsider": {
        "email": "student@elsewhere.example.org",
        "email_verified": True,
        "preferred_username": "outsider",
        "sourced_id": "stu-elsewhere-1",
    },
    "newcomer": {
        "email": "newcomer@alpha.example.test",
        "email_verified": True,
        "preferred_username": "newcomer",
        "given_name": "Nova",
        "family_name": "Newcomer",
        "sourced_id": "stu-alpha-new",
    },
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the identity provider exited: {log.read_text()[-2000:]}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the identity provider did not start: {log.read_text()[-2000:]}")


@dataclass
class RunningIdp:
    base_url: str  # the app's base URL the IdP sends people back to
    url: str  # the IdP's own address (the OIDC issuer; the SAML metadata lives under it)
    process: subprocess.Popen


class IdpFarm:
    """Starts each IdP at most once per app base URL, and stops them all at the end of the session."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.running: dict[tuple[str, str], RunningIdp] = {}

    def oidc(self, base_url: str) -> RunningIdp:
        key = ("oidc", base_url)
        if key not in self.running:
            self.running[key] = self._start_oidc(base_url)
        return self.running[key]

    def saml(self, base_url: str) -> RunningIdp:
        key = ("saml", base_url)
        if key not in self.running:
            self.running[key] = self._start_saml(base_url)
        return self.running[key]

    def _start_oidc(self, base_url: str) -> RunningIdp:
        node, module = shutil.which("node"), OIDC_DIR / "node_modules" / "oidc-provider"
        if node is None or not module.exists():
            pytest.fail("the OIDC test provider needs node and `npm ci --prefix tests/sso/idp_oidc`")
        port = free_port()
        config = self.tmp / f"oidc-{port}.json"
        callback = f"{base_url}/sso/oidc/{OIDC_PROVIDER_ID}/callback/"
        config.write_text(
            json.dumps(
                {
                    "clients": [
                        {
                            "client_id": CLIENT_ID,
                            "client_secret": CLIENT_SECRET,
                            "redirect_uris": [callback],
                            "grant_types": ["authorization_code"],
                            "response_types": ["code"],
                        }
                    ],
                    "accounts": {
                        name: {k: v for k, v in claims.items() if k != "sourced_id"}
                        for name, claims in ACCOUNTS.items()
                    },
                }
            )
        )
        log = self.tmp / f"oidc-{port}.log"
        process = subprocess.Popen(
            [node, str(OIDC_DIR / "server.js")],
            cwd=OIDC_DIR,
            env={**os.environ, "PORT": str(port), "IDP_CONFIG": str(config)},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{url}/.well-known/openid-configuration", process, log)
        return RunningIdp(base_url=base_url, url=url, process=process)

    def _start_saml(self, base_url: str) -> RunningIdp:
        port = free_port()
        key, cert = self.tmp / f"saml-{port}.key", self.tmp / f"saml-{port}.crt"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
             "/CN=PLP test IdP", "-keyout", str(key), "-out", str(cert)],
            check=True,
            capture_output=True,
        )  # fmt: skip
        accounts = self.tmp / f"saml-{port}.json"
        accounts.write_text(json.dumps(ACCOUNTS))
        log = self.tmp / f"saml-{port}.log"
        process = subprocess.Popen(
            [sys.executable, str(SAML_DIR / "idp.py")],
            env={
                **os.environ,
                "PORT": str(port),
                "IDP_KEY": str(key),
                "IDP_CERT": str(cert),
                "IDP_ACCOUNTS": str(accounts),
                "IDP_WORKDIR": str(self.tmp),
            },
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{url}/metadata", process, log)
        return RunningIdp(base_url=base_url, url=url, process=process)

    def stop(self) -> None:
        for idp in self.running.values():
            idp.process.terminate()
        for idp in self.running.values():
            try:
                idp.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                idp.process.kill()


@pytest.fixture(scope="session")
def idp_farm(tmp_path_factory):
    farm = IdpFarm(tmp_path_factory.mktemp("idps"))
    yield farm
    farm.stop()


def oidc_provider_make(*, school, idp: RunningIdp, **fields):
    """School's OpenID Connect provider on the running IdP, saved as the admin page saves one (its
    discovery document read from the IdP)."""
    from sso.models import SsoProvider
    from sso.oidc import oidc_discover
    from sso.services import sso_provider_save

    provider = SsoProvider(
        school=school,
        public_id=OIDC_PROVIDER_ID,
        kind="oidc",
        preset="oidc",
        name=fields.pop("name", "Alpha Accounts"),
        issuer=idp.url,
        client_id=CLIENT_ID,
        oidc_metadata=oidc_discover(issuer=idp.url),
        **fields,
    )
    return sso_provider_save(provider=provider, client_secret=CLIENT_SECRET)


def saml_provider_make(*, school, idp: RunningIdp, **fields):
    """School's SAML provider on the running IdP, its metadata read from the IdP's metadata URL."""
    from sso.models import SsoProvider
    from sso.saml import idp_metadata_read
    from sso.services import sso_provider_save

    xml, entity_id = idp_metadata_read(url=f"{idp.url}/metadata")
    provider = SsoProvider(
        school=school,
        public_id=SAML_PROVIDER_ID,
        kind="saml",
        preset="saml",
        name=fields.pop("name", "Alpha District SAML"),
        idp_metadata_url=f"{idp.url}/metadata",
        idp_metadata_xml=xml,
        idp_entity_id=entity_id,
        email_claim="mail",
        username_claim="uid",
        sourced_id_claim="sourcedId",
        **fields,
    )
    return sso_provider_save(provider=provider)


def oidc_idp_walk(*, authorize_url: str, account: str, back_to: str) -> str:
    """Through the OIDC provider's pages as a browser would (login, then consent), without a browser:
    the URL it finally sends the person back to (under ``back_to``), with its code and state."""
    import re

    session, url, method, data = requests.Session(), authorize_url, "GET", None
    for _ in range(12):
        response = session.request(method, url, data=data, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = requests.compat.urljoin(url, response.headers["Location"])
            if url.startswith(back_to):
                return url
            method, data = "GET", None
            continue
        assert response.status_code == 200, response.text[:500]
        action = requests.compat.urljoin(
            url, re.search(r'<form[^>]*action="([^"]+)"', response.text).group(1)
        )
        prompt = re.search(r'name="prompt" value="(\w+)"', response.text).group(1)
        data = (
            {"prompt": prompt, "login": account, "password": "any"}
            if prompt == "login"
            else {"prompt": prompt}
        )
        url, method = action, "POST"
    raise AssertionError("the provider never sent the person back")


def saml_sp_register(*, idp: RunningIdp, sp_metadata: str) -> None:
    """The IdP's admin loads PLP's SP metadata (read from PLP's metadata URL)."""
    requests.post(f"{idp.url}/sp-metadata", data=sp_metadata.encode(), timeout=10).raise_for_status()


def saml_idp_walk(*, sign_on_url: str, account: str) -> tuple[str, str]:
    """Through the SAML IdP's pages without a browser: (the ACS URL, the SAMLResponse) it would post."""
    import html
    import re

    session = requests.Session()
    page = session.get(sign_on_url, timeout=10)
    assert page.status_code == 200, page.text[:500]
    fields = dict(re.findall(r'name="(SAMLRequest|RelayState)" value="([^"]*)"', page.text))
    fields = {name: html.unescape(value) for name, value in fields.items()}
    answer = session.post(
        requests.compat.urljoin(sign_on_url, "/sso/login"), data={**fields, "account": account}
    )
    assert answer.status_code == 200, answer.text[:500]
    action = html.unescape(re.search(r'<form method="post" action="([^"]+)"', answer.text).group(1))
    return action, re.search(r'name="SAMLResponse" value="([^"]+)"', answer.text).group(1)
