import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, MembershipFactory, SchoolFactory, UserFactory


def test_people_log_in_by_email_whatever_its_case(client, db):
    user = UserFactory(email="rita.okoye@example.test")
    MembershipFactory(user=user, school=SchoolFactory(slug="cedar"), role="teacher")
    response = client.post(
        reverse("accounts:login"),
        {"username": "Rita.Okoye@Example.TEST", "password": TEST_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 302  # picker → the only school


def test_a_wrong_password_says_so_and_keeps_the_email(client, db):
    UserFactory(email="sam@example.test")
    response = client.post(reverse("accounts:login"), {"username": "sam@example.test", "password": "nope"})
    assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()
    assert 'value="sam@example.test"' in response.content.decode()


def test_an_inactive_account_cannot_log_in(client, db):
    UserFactory(email="gone@example.test", is_active=False)
    response = client.post(
        reverse("accounts:login"), {"username": "gone@example.test", "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_log_out_is_a_post_and_ends_the_session(client, db):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_emails_are_stored_lower_case(db):
    from accounts.models import User

    user = User.objects.create_user("Mixed.Case@Example.TEST", "a-long-password")
    assert user.email == "mixed.case@example.test"


def test_a_person_without_email_signs_in_with_their_username_whatever_its_case(client, db):
    user = UserFactory(email="s123-abcd1234@cedar.roster.invalid", username="jdoe42")
    MembershipFactory(user=user, school=SchoolFactory(slug="cedar"), role="student")
    response = client.post(reverse("accounts:login"), {"username": "JDoe42", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_email_wins_over_a_username_that_reads_the_same(client, db):
    by_email = UserFactory(email="ann@example.test")
    UserFactory(username="ann@example.test")
    client.post(reverse("accounts:login"), {"username": "ann@example.test", "password": TEST_PASSWORD})
    assert client.session["_auth_user_id"] == str(by_email.pk)


def test_the_api_token_endpoint_takes_a_username_too(db):
    from rest_framework.test import APIClient

    UserFactory(username="jdoe42")
    response = APIClient().post(reverse("api:token"), {"email": "jdoe42", "password": TEST_PASSWORD})
    assert response.status_code == 200


def test_usernames_are_stored_lower_case_and_unique_whatever_the_case(db):
    from django.core.exceptions import ValidationError

    from accounts.models import User

    user = User.objects.create_user("a@example.test", "a-long-password", username=" MixedCase ")
    assert user.username == "mixedcase"
    other = User(email="x@example.test", username="MIXEDCASE")
    with pytest.raises(ValidationError, match=r"(?i)username already exists"):
        other.full_clean(exclude=["password"])


def test_people_without_a_username_do_not_collide(db):
    from accounts.models import User

    for n in range(2):
        assert User.objects.create_user(f"p{n}@example.test", "a-long-password", username="").username is None


def test_a_token_sign_in_counts_as_the_last_sign_in(db):
    from rest_framework.test import APIClient

    user = UserFactory(email="api@example.test")
    assert user.last_login is None
    APIClient().post(reverse("api:token"), {"email": "api@example.test", "password": TEST_PASSWORD})
    user.refresh_from_db()
    assert user.last_login is not None
