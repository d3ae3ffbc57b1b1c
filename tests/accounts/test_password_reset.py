"""Forgot password: Django's views and tokens, our pages, the school's name, no enumeration, a limit."""

import datetime as dt
import re

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.lockout import lockout_check
from tests.factories import TEST_PASSWORD, MembershipFactory, SchoolFactory, UserFactory

NEW_PASSWORD = "a-brand-new-passphrase-42"


def _request(client, email, address="10.0.0.1"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)


def _set_password(client, link, password=NEW_PASSWORD):
    form_url = client.get(link)["Location"]  # Django moves the token into the session first
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_the_login_page_offers_forgot_password(client, db):
    body = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("accounts:password_reset")}"' in body
    assert "Forgot password?" in body


def test_a_known_email_gets_a_link_from_their_school_that_sets_the_password_and_signs_in(client, db):
    user = UserFactory(email="rita@example.test")
    MembershipFactory(user=user, school=SchoolFactory(name="Cedar Middle School"), role="teacher")
    response = _request(client, "Rita@Example.test")
    assert response["Location"] == reverse("accounts:password_reset_done")
    (message,) = mail.outbox
    assert message.to == ["rita@example.test"]
    assert "Cedar Middle School" in message.subject and "Cedar Middle School" in message.body
    assert "works once, for 1 hour" in message.body
    response = _set_password(client, _link(message))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_person_of_several_schools_hears_from_the_platform(client, db):
    user = UserFactory(email="rita@example.test")
    MembershipFactory(user=user, school=SchoolFactory(name="Cedar"), role="teacher")
    MembershipFactory(user=user, school=SchoolFactory(name="Maple"), role="teacher")
    _request(client, "rita@example.test")
    assert mail.outbox[0].subject == "Choose a new password for PLP"
    assert "your password for PLP." in mail.outbox[0].body and "PLP at PLP" not in mail.outbox[0].body


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, db):
    UserFactory(email="rita@example.test")
    known = _request(client, "rita@example.test", address="10.0.0.1")
    unknown = _request(client, "nobody@example.test", address="10.0.0.2")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [["rita@example.test"]]


def test_a_link_works_once(client, db):
    UserFactory(email="rita@example.test")
    _request(client, "rita@example.test")
    link = _link(mail.outbox[0])
    _set_password(client, link)
    client.post(reverse("accounts:logout"))
    page = client.get(link, follow=True).content.decode()
    assert "This link does not work" in page


def test_a_link_expires_after_password_reset_timeout(client, db, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3600

    class TwoHoursAgo(PasswordResetTokenGenerator):
        def _now(self):
            return dt.datetime.now() - dt.timedelta(hours=2)

    user = UserFactory(email="rita@example.test")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = reverse(
        "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": TwoHoursAgo().make_token(user)}
    )
    assert "This link does not work" in client.get(link, follow=True).content.decode()


def test_requests_beyond_the_hourly_limit_send_nothing_and_look_the_same(client, db, settings):
    settings.PASSWORD_RESET_REQUESTS_PER_HOUR = 2
    UserFactory(email="rita@example.test")
    answers = [_request(client, "rita@example.test")["Location"] for _ in range(4)]
    assert len(set(answers)) == 1
    assert len(mail.outbox) == 2


def test_one_address_asking_for_many_emails_is_limited_too(client, db, settings):
    settings.PASSWORD_RESET_REQUESTS_PER_HOUR = 2
    users = [UserFactory() for _ in range(3)]
    for user in users:
        _request(client, user.email, address="10.7.7.7")
    assert len(mail.outbox) == 2


def test_roster_placeholder_addresses_and_people_without_a_password_get_no_mail(client, db):
    UserFactory(email="s1-abcd@cedar.roster.invalid")
    never_set = UserFactory(email="new@example.test")
    never_set.set_unusable_password()
    never_set.save()
    _request(client, "s1-abcd@cedar.roster.invalid")
    _request(client, "new@example.test")
    assert mail.outbox == []


def test_a_new_password_lifts_a_sign_in_lock(client, db, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    user = UserFactory(email="rita@example.test")
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong"})
    assert lockout_check(account=f"user:{user.pk}", address="elsewhere") is not None
    _request(client, user.email)
    _set_password(client, _link(mail.outbox[0]))
    assert lockout_check(account=f"user:{user.pk}", address="elsewhere") is None


@pytest.mark.parametrize("email", ["", "not-an-email", "x" * 300 + "@example.test"])
def test_a_bad_email_gets_a_field_error_and_keeps_what_was_typed(client, db, email):
    response = _request(client, email)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="errorlist' in body or "errorlist" in body
    if email and len(email) < 254:
        assert f'value="{email}"' in body


def test_the_old_password_stops_working(client, db):
    UserFactory(email="rita@example.test")
    _request(client, "rita@example.test")
    _set_password(client, _link(mail.outbox[0]))
    client.post(reverse("accounts:logout"))
    old = client.post(reverse("accounts:login"), {"username": "rita@example.test", "password": TEST_PASSWORD})
    assert old.status_code == 200
