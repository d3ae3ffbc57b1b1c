"""Outbound requests to addresses school admins type are screened against internal addresses (SSRF): the
LRS (xAPI), the identity provider's issuer and metadata (SSO), the LMS's token and key-set URLs (LTI).

The suite allows loopback (tests/conftest.py: its LRS, IdPs and LMS run there); these tests turn the screen
on as production has it. DNS is the outside world: where a test needs a name to resolve to a chosen address,
it replaces ``socket.getaddrinfo``."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from lti.forms import RegistrationForm
from plp import outbound
from plp.tenancy.context import school_scope
from schools.roles import Role
from sso.models import SsoProvider
from sso.oidc import DiscoveryError, discovery_checked
from tests.form_checks import assert_kept_with_error
from tests.lti.test_admin_pages import FORM as LTI_FORM
from tests.plp.test_settings import PRODUCTION, SMTP, _manage
from tests.sso.idps import idp_farm  # noqa: F401 - a fixture
from xapi import lrs
from xapi.models import LrsConnection

INTERNAL = [
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # the cloud's metadata service
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",
    "224.0.0.1",
    "::1",
    "fe80::1",
    "fd00::1",
    "::ffff:127.0.0.1",  # IPv4 inside IPv6
    "::ffff:169.254.169.254",
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
]


@pytest.fixture
def screened(settings):
    """The screen on, as in production."""
    settings.ALLOW_PRIVATE_OUTBOUND = False


class _Recorder(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.paths.append(self.path)
        body = b"x" * self.server.body_size
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_server():
    """An HTTP server on loopback that records what reaches it (an internal service)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.paths, server.body_size = [], 2
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _url(server, path="/") -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


@pytest.mark.parametrize("address", INTERNAL)
def test_internal_addresses_are_not_public(address):
    assert not outbound.is_public_address(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111"])
def test_public_addresses_are_public(address):
    assert outbound.is_public_address(address)


def test_production_screens_by_default_and_development_does_not():
    code = "from django.conf import settings; print('allowed', settings.ALLOW_PRIVATE_OUTBOUND)"
    production = _manage("shell", "-c", code, **PRODUCTION, **SMTP)
    assert production.returncode == 0, production.stderr
    assert "allowed False" in production.stdout
    opted_in = _manage("shell", "-c", code, **PRODUCTION, **SMTP, PLP_ALLOW_PRIVATE_OUTBOUND="true")
    assert "allowed True" in opted_in.stdout
    assert "allowed True" in _manage("shell", "-c", code).stdout


def test_the_screened_session_never_connects_to_an_internal_address(screened, loopback_server):
    with pytest.raises(outbound.OutboundRefused, match=r"internal address \(127\.0\.0\.1\)"):
        outbound.session().get(_url(loopback_server), timeout=5)
    assert loopback_server.paths == []


def test_a_name_that_resolves_to_a_public_address_then_an_internal_one_is_refused_at_connection(
    screened, loopback_server, monkeypatch
):
    """DNS rebinding: the name passes the screen, then resolves to loopback when the connection is made;
    the connection resolves and screens again, and connects only to the address it screened."""
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34", "127.0.0.1"])

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.example.test":
            address = next(answers)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = loopback_server.server_address[1]
    with pytest.raises(outbound.OutboundRefused, match=r"127\.0\.0\.1"):
        outbound.session().get(f"http://rebind.example.test:{port}/", timeout=5)
    assert loopback_server.paths == []


def test_with_the_screen_off_the_session_connects_and_bounds_what_it_reads(loopback_server):
    loopback_server.body_size = 100_000
    with (
        outbound.session().get(_url(loopback_server, "/big"), timeout=5, stream=True) as response,
        pytest.raises(outbound.OutboundRefused, match="larger than"),
    ):
        outbound.read_limited(response, max_bytes=10_000, what="document")
    assert loopback_server.paths == ["/big"]


# --- xAPI ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint", ["http://127.0.0.1:8100/xAPI/", "http://169.254.169.254/latest/", "http://[::1]:8100/xAPI/"]
)
def test_the_lrs_settings_refuse_an_internal_endpoint(client, school_a, screened, endpoint):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    data = {"action": "save", "endpoint": endpoint, "key": "alpha-key", "secret": "a-secret-1234"}
    response = client.post(reverse("xapi:settings", kwargs={"school_slug": "alpha"}), data)
    assert response.status_code == 400
    assert "internal address" in " ".join(response.context["form"].errors["endpoint"])
    with school_scope(school_a.school):
        assert not LrsConnection.objects.exists()


def test_statements_are_not_sent_to_an_internal_address(screened, loopback_server):
    """An endpoint saved before the screen (or a name that now resolves inside): the send is refused."""
    with pytest.raises(lrs.LrsError, match="does not send statements there") as refused:
        lrs.post_statements(url=_url(loopback_server, "/statements"), key="k", secret="s", statements=[{}])
    assert refused.value.status is None  # kept in the outbox, like an unreachable LRS
    with pytest.raises(lrs.LrsError, match="does not connect there"):
        lrs.probe(url=_url(loopback_server, "/statements"), key="k", secret="s")
    assert loopback_server.paths == []


# --- single sign-on -------------------------------------------------------------------------------------


def _new_provider(preset):
    return reverse("sso:provider_new", kwargs={"school_slug": "alpha"}) + f"?preset={preset}"


def test_an_oidc_issuer_on_an_internal_address_is_refused(client, school_a, idp_farm, screened):  # noqa: F811
    idp = idp_farm.oidc("http://testserver")
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    response = client.post(
        _new_provider("oidc"),
        {"name": "Inside", "issuer": idp.url, "client_id": "abc", "client_secret": "s", "scopes": "openid",
         "email_claim": "email"},
    )  # fmt: skip
    assert_kept_with_error(response, name="issuer", typed=idp.url, error="internal address")
    with school_scope(school_a.school):
        assert not SsoProvider.objects.exists()


def test_saml_metadata_on_an_internal_address_is_refused(client, school_a, idp_farm, screened):  # noqa: F811
    idp = idp_farm.saml("http://testserver")
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    response = client.post(
        _new_provider("saml"),
        {"name": "Inside", "is_enabled": "on", "idp_metadata_url": f"{idp.url}/metadata",
         "idp_metadata_xml": "", "email_claim": "mail", "username_claim": "uid", "sourced_id_claim": ""},
    )  # fmt: skip
    assert_kept_with_error(
        response, name="idp_metadata_url", typed=f"{idp.url}/metadata", error="internal address"
    )


@pytest.mark.parametrize("endpoint", ["token_endpoint", "jwks_uri", "userinfo_endpoint"])
def test_a_discovery_document_pointing_the_server_inside_is_refused(screened, endpoint):
    issuer = "https://93.184.216.34"  # an address: no DNS
    metadata = {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/authorize",
        "token_endpoint": f"{issuer}/token",
        "jwks_uri": f"{issuer}/jwks",
        endpoint: "http://169.254.169.254/latest/meta-data/",
    }
    with pytest.raises(DiscoveryError, match=f"{endpoint}.*internal address"):
        discovery_checked(metadata, issuer=issuer)


def test_a_discovery_document_that_is_not_an_object_is_refused_with_a_message():
    with pytest.raises(DiscoveryError, match="another issuer"):
        discovery_checked(["not", "an", "object"], issuer="https://idp.example.org")


# --- LTI ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["auth_token_url", "key_set_url"])
def test_an_lms_token_or_key_set_url_on_an_internal_address_is_refused(school_a, screened, field):
    with school_scope(school_a.school):
        public = {
            "auth_token_url": "https://93.184.216.34/token",
            "key_set_url": "https://93.184.216.34/jwks",
        }
        form = RegistrationForm({**LTI_FORM, **public, field: "http://10.0.0.5/keys"})
        assert not form.is_valid()
    assert "internal address" in " ".join(form.errors[field])
