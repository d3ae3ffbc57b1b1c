"""Sessions and API tokens in a real browser: sign out everywhere from one browser ends the other's session;
a token made on the account page is shown once, works, and is revoked; an admin signs a person out from the
People page."""

import re
import urllib.request
from urllib.error import HTTPError

from playwright.sync_api import expect

from tests.e2e.conftest import _note_csp_violation, log_in
from tests.factories import TEST_PASSWORD


def _second_browser(browser, live_server):
    """Another browser profile (its own cookies): the person's phone beside their laptop."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    violations = []
    page.on("console", lambda message: _note_csp_violation(violations, message.text))
    page.csp_violations = violations
    return context, page


def _api_status(live_server, path, key) -> int:
    request = urllib.request.Request(live_server.url + path, headers={"Authorization": f"Token {key}"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except HTTPError as error:
        return error.code


def test_sign_out_everywhere_in_one_browser_signs_the_other_out_on_its_next_request(
    page, browser, live_server, school_a
):
    context, phone = _second_browser(browser, live_server)
    try:
        for each in (page, phone):
            log_in(each, "teacher@alpha.example.test", TEST_PASSWORD)
            expect(each.get_by_role("link", name="Your account")).to_be_visible()
        phone.goto("/s/alpha/")
        expect(phone.get_by_role("heading", level=1)).to_be_visible()

        page.get_by_role("link", name="Your account").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
        page.get_by_role("button", name="Sign out everywhere").click()
        expect(page.get_by_role("status")).to_contain_text("You are signed out everywhere, on every device.")
        expect(page.get_by_role("button", name="Log in")).to_be_visible()

        phone.reload()  # its next request
        expect(phone.get_by_role("button", name="Log in")).to_be_visible()
        assert "/accounts/login/" in phone.url
        assert phone.csp_violations == []
    finally:
        context.close()


def test_a_token_made_on_the_account_page_is_shown_once_works_and_is_revoked(page, live_server, school_a):
    log_in(page, "teacher@alpha.example.test", TEST_PASSWORD)
    page.goto("/accounts/me/")
    page.get_by_label("What will use it").fill("grade export")
    page.get_by_label("School").select_option(label="Alpha Academy")
    page.get_by_label("Expires after (days)").fill("7")
    page.get_by_role("button", name="Create a token").click()
    expect(page.get_by_role("status")).to_contain_text("Copy it now: it is not shown again.")
    key = page.get_by_label("Key").input_value()
    assert key.startswith("plp_")
    assert _api_status(live_server, "/api/v1/s/alpha/", key) == 200

    page.goto("/accounts/me/")
    expect(page.locator("body")).not_to_contain_text(key)
    row = page.get_by_role("row", name="grade export")
    expect(row).to_contain_text("Alpha Academy")
    expect(row).to_contain_text(key[:8])
    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("status")).to_contain_text("The token for “grade export” is revoked")
    assert _api_status(live_server, "/api/v1/s/alpha/", key) == 401
    page.get_by_text("Ended tokens (1)").click()
    expect(page.get_by_role("row", name="grade export")).to_contain_text("Revoked by its owner")


def test_an_admin_signs_a_teacher_out_everywhere_from_the_people_page(page, browser, live_server, school_a):
    context, laptop = _second_browser(browser, live_server)
    try:
        log_in(laptop, "teacher@alpha.example.test", TEST_PASSWORD)
        expect(laptop.get_by_role("link", name="Your account")).to_be_visible()
        log_in(page, "school_admin@alpha.example.test", TEST_PASSWORD)
        page.goto("/s/alpha/people/?q=teacher%40alpha")
        page.get_by_role("button", name="Sign out everywhere ALPHAGivenTeacher ALPHAFamily").click()
        expect(page.get_by_role("status")).to_contain_text(
            "ALPHAGivenTeacher ALPHAFamily is signed out everywhere"
        )
        laptop.goto("/s/alpha/")
        expect(laptop.get_by_role("button", name="Log in")).to_be_visible()
    finally:
        context.close()


def test_an_idle_student_comes_back_to_the_login_page_and_reads_why(page, school_a):
    from importlib import import_module

    from django.conf import settings

    from accounts.middleware import LAST_ACTIVITY

    log_in(page, "student@alpha.example.test", TEST_PASSWORD)
    page.goto("/s/alpha/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # 31 minutes pass without a click (the clock in the session is moved back; no waiting in a test).
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"])
    session[LAST_ACTIVITY] -= 31 * 60
    session.save()
    page.reload()
    expect(page.get_by_role("status")).to_have_text("You were signed out after 30 minutes without activity.")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    page.get_by_label("Email").fill("student@alpha.example.test")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/s/alpha/$"))  # back where they were (next=)
