"""A real SAML 2.0 identity provider for the test suite: pysaml2's own ``saml2.server.Server`` in a small
WSGI app, started as a subprocess by tests/sso/idps.py on a loopback port.

GET  /metadata        its metadata (signing certificate, HTTP-Redirect single sign-on service)
GET  /sso/redirect    an AuthnRequest (HTTP-Redirect binding): a page to pick who signs in
POST /sso/login       a signed assertion for that person, in a form that posts it to the SP's ACS
                      (a button, no script: a journey can tamper with it first, as an attacker would)
POST /sp-metadata     an SP's metadata, as an IdP's admin loads it (the test reads it from PLP's
                      metadata URL and hands it over)

Accounts and their attributes come from the JSON file IDP_ACCOUNTS.
"""

import base64
import html
import json
import os
import shutil
import sys
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import AUTHN_PASSWORD, NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT
from saml2.server import Server

PORT = int(os.environ["PORT"])
BASE = f"http://127.0.0.1:{PORT}"
with open(os.environ["IDP_ACCOUNTS"]) as accounts_file:
    ACCOUNTS = json.load(accounts_file)

CONFIG = {
    "entityid": f"{BASE}/metadata",
    "xmlsec_binary": shutil.which("xmlsec1"),
    "key_file": os.environ["IDP_KEY"],
    "cert_file": os.environ["IDP_CERT"],
    "allow_unknown_attributes": True,
    "service": {
        "idp": {
            "name": "PLP test IdP",
            "endpoints": {"single_sign_on_service": [(f"{BASE}/sso/redirect", BINDING_HTTP_REDIRECT)]},
            "name_id_format": [NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT],
            "policy": {
                "default": {
                    "lifetime": {"minutes": 15},
                    "attribute_restrictions": None,
                    "name_form": NAME_FORMAT_URI,
                }
            },
        }
    },
}


SP_METADATA: list[str] = []


def _config() -> IdPConfig:
    config = IdPConfig()
    config.load({**CONFIG, "metadata": {"inline": SP_METADATA}} if SP_METADATA else dict(CONFIG))
    return config


SERVER = Server(config=_config())


def sp_metadata_load(xml: str) -> None:
    """Know one more SP: the server is built again with every SP's metadata."""
    global SERVER
    SP_METADATA.append(xml)
    SERVER = Server(config=_config())


def _page(title: str, body: str, status: str = "200 OK"):
    text = (
        f"<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"
    )
    return status, [("Content-Type", "text/html; charset=utf-8")], text.encode()


def _attributes(account: dict) -> dict:
    return {
        "mail": [account["email"]],
        "uid": [account["preferred_username"]],
        "givenName": [account.get("given_name", "")],
        "sn": [account.get("family_name", "")],
        "sourcedId": [account["sourced_id"]],
    }


def sign_on(query: dict):
    saml_request, relay = query["SAMLRequest"][0], query.get("RelayState", [""])[0]
    SERVER.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)  # checks it before asking anyone
    options = "".join(f'<option value="{html.escape(n)}">{html.escape(n)}</option>' for n in ACCOUNTS)
    return _page(
        "PLP test IdP: sign in",
        f'<form method="post" action="/sso/login"><label for="account">Account</label>'
        f'<select id="account" name="account">{options}</select>'
        f'<input type="hidden" name="SAMLRequest" value="{html.escape(saml_request)}">'
        f'<input type="hidden" name="RelayState" value="{html.escape(relay)}">'
        f'<button type="submit">Sign in</button></form>',
    )


def login(form: dict):
    account = form["account"][0]
    saml_request, relay = form["SAMLRequest"][0], form.get("RelayState", [""])[0]
    request = SERVER.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
    args = SERVER.response_args(request.message)
    response = SERVER.create_authn_response(
        _attributes(ACCOUNTS[account]),
        userid=account,
        authn={"class_ref": AUTHN_PASSWORD, "authn_auth": BASE},
        sign_assertion=True,
        sign_response=False,
        **args,
    )
    encoded = base64.b64encode(str(response).encode()).decode()
    return _page(
        "PLP test IdP: signed in",
        f'<form method="post" action="{html.escape(args["destination"])}">'
        f'<input type="hidden" name="SAMLResponse" value="{encoded}">'
        f'<input type="hidden" name="RelayState" value="{html.escape(relay)}">'
        f'<button type="submit">Continue to PLP</button></form>',
    )


def app(environ, start_response):
    path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
    try:
        if path == "/metadata":
            xml = create_metadata_string(None, config=_config())
            status, headers, body = "200 OK", [("Content-Type", "application/samlmetadata+xml")], xml
        elif path == "/sso/redirect" and method == "GET":
            status, headers, body = sign_on(parse_qs(environ.get("QUERY_STRING", "")))
        elif path == "/sp-metadata" and method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            sp_metadata_load(environ["wsgi.input"].read(length).decode())
            status, headers, body = "204 No Content", [], b""
        elif path == "/sso/login" and method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            status, headers, body = login(parse_qs(environ["wsgi.input"].read(length).decode()))
        else:
            status, headers, body = _page("Not found", "", "404 Not Found")
    except Exception as error:  # a test IdP says what went wrong instead of hanging up
        print(f"IdP error: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        status, headers, body = _page(
            "IdP error", html.escape(f"{type(error).__name__}: {error}"), "500 Error"
        )
    start_response(status, headers)
    return [body]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    with make_server("127.0.0.1", PORT, app, handler_class=QuietHandler) as httpd:
        print(f"listening {BASE}", flush=True)
        httpd.serve_forever()
