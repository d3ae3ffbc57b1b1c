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


def test_a_student_without_email_gets_a_password_from_the_admin_and_signs_in_by_username(page, school_a):
    """No email in the roster, only a username: the forgot-password page sends them to the admin, who sets
    their password on the People page; they sign in with the username."""
    from schools.roles import Role
    from tests.factories import MembershipFactory, UserFactory

    kid = UserFactory(
        email="s9-k1d@alpha.roster.invalid", username="kai.w9", given_name="Kai", family_name="Wong"
    )
    kid.set_unusable_password()
    kid.save()
    MembershipFactory(school=school_a.school, user=kid, role=Role.STUDENT)

    page.goto("/accounts/password/reset/")
    expect(page.locator("main")).to_contain_text("No email address? Ask your teacher or your school's admin")
    log_in(page, "school_admin@alpha.example.test", TEST_PASSWORD)
    page.goto("/s/alpha/people/?q=kai")
    row = page.get_by_role("row", name=re.compile("Kai Wong"))
    expect(row).to_contain_text("no email in the roster")
    row.get_by_role("link", name="Set a password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password of Kai Wong")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the password").click()
    expect(page.get_by_role("status")).to_contain_text("Kai Wong signs in with the username kai.w9")
    page.get_by_role("button", name="Log out").click()

    log_in(page, "Kai.W9", NEW_PASSWORD)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert page.url.endswith("/s/alpha/")
