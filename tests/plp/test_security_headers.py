"""Every response carries a strict Content-Security-Policy, a Permissions-Policy and a Referrer-Policy; the
templates need nothing the policy forbids; the API schema and docs are for signed-in people in production."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/auth/token/", "/no-such-page/"])
def test_every_response_carries_a_strict_content_security_policy(client, db, path):
    directives = _directives(client.get(path))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # no inline scripts, no eval
    assert directives["style-src"] == ["'self'"]  # no inline styles either
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]


def test_a_signed_in_page_carries_the_policies(client, school_a):
    client.force_login(school_a.user("teacher"))
    response = client.get("/s/alpha/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code(client, school_a):
    """htmx 2 adds a <style> for its indicators unless told not to; its eval would be refused anyway."""
    client.force_login(school_a.user("teacher"))
    page = client.get("/s/alpha/").content.decode()
    assert '"includeIndicatorStyles":false' in page.replace(" ", "")
    assert '"allowEval":false' in page.replace(" ", "")


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+=", re.I), "an inline event handler"),
    (re.compile(r"\shx-on[:-]", re.I), "hx-on (evaluated code)"),
    (re.compile(r"hx-trigger=\"[^\"]*\[", re.I), "an hx-trigger filter (evaluated code)"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_no_template_needs_what_the_policy_forbids():
    found = []
    for directory in TEMPLATE_DIRS:
        for template in directory.rglob("*.html"):
            text = template.read_text()
            for pattern, what in INLINE:
                if pattern.search(text):
                    found.append(f"{template.relative_to(ROOT)}: {what}")
    assert found == []


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_need_a_login_in_production(client, school_a, settings, path):
    settings.PRODUCTION = True
    assert client.get(path).status_code in {401, 403}
    client.force_login(school_a.user("student"))
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_are_open_in_development(client, db, path):
    assert not django_settings.PRODUCTION
    assert client.get(path).status_code == 200


def test_the_docs_page_loads_its_script_from_a_url_not_inline(client, db):
    response = client.get("/api/docs/")
    assert not INLINE[0][0].search(response.content.decode())
    directives = _directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]  # Swagger UI's, on this page alone
