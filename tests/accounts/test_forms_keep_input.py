"""The log-in and first-password forms keep what was typed on error (never a password: those are never
sent back to the browser), with the message next to its field."""

from django.urls import reverse

from accounts.invitations import invitation_path
from tests.factories import UserFactory
from tests.form_checks import assert_kept_with_error, assert_non_field_error


def test_a_wrong_password_keeps_the_email_and_says_so_above_the_form(client, db):
    UserFactory(email="sam@example.test")
    response = client.post(reverse("accounts:login"), {"username": "sam@example.test", "password": "nope"})
    assert response.status_code == 200
    assert_kept_with_error(response, name="username", typed="sam@example.test")
    assert_kept_with_error(response, name="password", typed="")  # a password is never echoed
    assert_non_field_error(response, error="do not match an active account")


def test_a_missing_email_is_named_next_to_the_email_field(client, db):
    response = client.post(reverse("accounts:login"), {"username": "", "password": "something"})
    assert response.status_code == 200
    assert_kept_with_error(response, name="username", typed="", error="This field is required.")


def test_two_different_new_passwords_are_named_next_to_the_second(client, db):
    user = UserFactory(email="new@example.test")
    client.get(invitation_path(user=user))
    data = {"new_password1": "a-long-Passphrase-1", "new_password2": "a-long-Passphrase-2"}
    response = client.post(reverse("accounts:invitation"), data)
    assert response.status_code == 200
    assert_kept_with_error(
        response, name="new_password2", typed="", error="The two password fields didn’t match."
    )


def test_a_bad_email_on_forgot_password_is_kept_and_named_next_to_the_field(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "not-an-email"})
    assert response.status_code == 200
    assert_kept_with_error(response, name="email", typed="not-an-email", error="Enter a valid email address.")


def test_a_username_typed_at_log_in_is_kept(client, db):
    response = client.post(reverse("accounts:login"), {"username": "jdoe42", "password": "nope"})
    assert_kept_with_error(response, name="username", typed="jdoe42")
