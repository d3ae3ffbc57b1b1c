"""Signing in, in a real browser: forgot password → the emailed link → a new password → signed in."""

import re

from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import TEST_PASSWORD

NEW_PASSWORD = "a-brand-new-passphrase-42"


def test_a_teacher_who_forgot_their_password_resets_it_from_the_email_and_is_signed_in(
    page, school_a, school_b
):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgot your password?")
    page.get_by_label("Email").fill("Teacher@Alpha.example.test")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    (message,) = mail.outbox
    assert message.to == ["teacher@alpha.example.test"] and "Alpha" in message.subject
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", message.body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert "set-password" in page.url  # the token left the address bar (and every Referer)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password").click()

    expect(page.get_by_role("status")).to_contain_text("Your new password is set, and you are signed in.")
    expect(page.locator("body")).not_to_contain_text("Bravo")
    page.goto(link)  # used once: dead
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")


def test_a_person_who_keeps_getting_it_wrong_is_told_when_to_try_again(page, school_a, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    for _ in range(2):
        log_in(page, "student@alpha.example.test", "not-my-password")
    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-ins. Try again in 15 minutes")
    log_in(page, "student@alpha.example.test", TEST_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-ins")
