"""Failed sign-ins are limited per account and per address, on the login page and the API token endpoint."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.lockout import lockout_clear
from tests.factories import TEST_PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    settings.LOGIN_LOCKOUT_SECONDS = 15 * 60


def _login(client, username, password="wrong", address="10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_an_account_locks_after_the_limit_and_says_when_to_try_again(client, db):
    UserFactory(email="sam@example.test")
    for _ in range(2):
        assert "do not match" in _login(client, "sam@example.test").content.decode()
    body = _login(client, "sam@example.test").content.decode()
    assert "Too many failed sign-ins. Try again in 15 minutes" in body
    assert 'value="sam@example.test"' in body


def test_a_locked_account_refuses_even_the_right_password(client, db):
    UserFactory(email="sam@example.test")
    for _ in range(3):
        _login(client, "sam@example.test")
    response = _login(client, "sam@example.test", TEST_PASSWORD, address="10.0.0.2")
    assert response.status_code == 200
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_email_and_the_username_count_against_the_same_person(client, db):
    UserFactory(email="sam@example.test", username="sam7")
    _login(client, "sam@example.test")
    _login(client, "SAM7")
    assert "Too many failed sign-ins" in _login(client, "sam7").content.decode()


def test_an_unknown_name_is_answered_like_a_known_one(client, db):
    UserFactory(email="sam@example.test")
    known = [_login(client, "sam@example.test", address="10.0.0.1").content.decode() for _ in range(3)]
    unknown = [_login(client, "nobody@example.test", address="10.0.0.9").content.decode() for _ in range(3)]
    assert ["Too many" in body for body in known] == ["Too many" in body for body in unknown]


def test_one_address_trying_many_accounts_is_locked(client, db):
    for n in range(6):
        _login(client, f"person{n}@example.test", address="10.9.9.9")
    user = UserFactory(email="fresh@example.test")
    assert (
        "Too many failed sign-ins" in _login(client, user.email, TEST_PASSWORD, "10.9.9.9").content.decode()
    )
    assert _login(client, user.email, TEST_PASSWORD, "10.1.1.1").status_code == 302  # elsewhere: fine


def test_a_success_starts_the_account_count_again(client, db):
    UserFactory(email="sam@example.test")
    _login(client, "sam@example.test")
    _login(client, "sam@example.test")
    assert _login(client, "sam@example.test", TEST_PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    _login(client, "sam@example.test")
    assert "do not match" in _login(client, "sam@example.test").content.decode()


def test_the_lock_ends_after_its_time(client, db, settings):
    settings.LOGIN_LOCKOUT_SECONDS = 1
    import time

    UserFactory(email="sam@example.test")
    for _ in range(3):
        _login(client, "sam@example.test")
    time.sleep(1.1)
    assert _login(client, "sam@example.test", TEST_PASSWORD).status_code == 302


def test_an_admin_unlock_lets_the_person_in_at_once(client, db):
    user = UserFactory(email="sam@example.test")
    for _ in range(3):
        _login(client, "sam@example.test")
    lockout_clear(user_id=user.pk)
    assert _login(client, "sam@example.test", TEST_PASSWORD, address="10.0.0.3").status_code == 302


def test_the_django_admin_unlocks_selected_people(client, db):
    user = UserFactory(email="sam@example.test")
    for _ in range(3):
        _login(client, "sam@example.test")
    staff = UserFactory(is_staff=True, is_superuser=True)
    admin = APIClient()
    admin.force_login(staff)
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    assert _login(client, "sam@example.test", TEST_PASSWORD, address="10.0.0.4").status_code == 302


def test_the_api_token_endpoint_counts_and_locks_the_same_way(db):
    UserFactory(email="sam@example.test")
    api = APIClient(REMOTE_ADDR="10.0.0.5")
    url = reverse("api:token")
    for _ in range(2):
        assert api.post(url, {"email": "sam@example.test", "password": "wrong"}).status_code == 400
    response = api.post(url, {"email": "sam@example.test", "password": TEST_PASSWORD})
    assert response.status_code == 200  # two failures: not locked yet
    for _ in range(3):
        api.post(url, {"email": "sam@example.test", "password": "wrong"})
    locked = api.post(url, {"email": "sam@example.test", "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert "Try again in 15 minutes" in locked.json()["detail"]
    assert locked["Retry-After"] == "900"


def test_failures_on_the_api_lock_the_login_page_too(client, db):
    UserFactory(email="sam@example.test")
    api = APIClient(REMOTE_ADDR="10.0.0.6")
    for _ in range(3):
        api.post(reverse("api:token"), {"email": "sam@example.test", "password": "wrong"})
    assert "Too many failed sign-ins" in _login(client, "sam@example.test", TEST_PASSWORD).content.decode()


def test_an_address_lock_says_it_is_the_network_not_the_account(client, db):
    for n in range(6):
        _login(client, f"person{n}@example.test", address="10.9.9.8")
    body = _login(client, "someone@example.test", address="10.9.9.8").content.decode()
    assert "Too many failed sign-ins from this network. Try again in 15 minutes." in body


def test_the_unlock_command_lifts_a_persons_or_an_addresss_lock(client, db):
    from django.core.management import call_command

    user = UserFactory(email="sam@example.test", username="sam7")
    for n in range(6):
        _login(client, "sam7" if n < 3 else f"x{n}@example.test", address="10.9.9.7")
    call_command("unlock_sign_in", person="SAM7")
    assert "from this network" in _login(client, user.email, TEST_PASSWORD, "10.9.9.7").content.decode()
    call_command("unlock_sign_in", address="10.9.9.7")
    assert _login(client, user.email, TEST_PASSWORD, "10.9.9.7").status_code == 302


def test_the_unlock_command_names_an_unknown_person(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="No account signs in as"):
        call_command("unlock_sign_in", person="nobody")


def test_the_django_admin_login_locks_the_same_way(client, db):
    UserFactory(email="staff@example.test", is_staff=True)
    url = reverse("admin:login")
    for _ in range(3):
        client.post(url, {"username": "staff@example.test", "password": "wrong"}, REMOTE_ADDR="10.0.0.8")
    response = client.post(
        url, {"username": "staff@example.test", "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.8"
    )
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_new_forwarded_for_header_on_every_try_does_not_escape_the_address_lock(client, db):
    """One rule for who the client is, the API throttles' (PLP_NUM_PROXIES, default 0: the header is not
    trusted)."""
    for n in range(6):
        client.post(
            reverse("accounts:login"),
            {"username": f"person{n}@example.test", "password": "wrong"},
            REMOTE_ADDR="10.9.9.6",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    body = _login(client, "someone@example.test", address="10.9.9.6").content.decode()
    assert "from this network" in body


def test_behind_one_proxy_the_clients_forwarded_address_is_the_one_counted(client, db, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for n in range(6):
        client.post(
            reverse("accounts:login"),
            {"username": f"person{n}@example.test", "password": "wrong"},
            REMOTE_ADDR="10.0.0.254",  # the proxy
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    other = client.post(
        reverse("accounts:login"),
        {"username": "someone@example.test", "password": "wrong"},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    ).content.decode()
    assert "from this network" not in other  # another client behind the same proxy is not locked out
