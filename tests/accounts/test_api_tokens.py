"""API tokens: hashed, per client, expiring, revocable, optionally bound to one school, dead after a new
password; the token endpoint, the account page and /api/v1/me/tokens/."""

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.api_keys import key_hash
from accounts.models import ApiToken
from accounts.services import api_token_issue
from schools.roles import Role
from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from tests.support import as_the_owner_role

TOKEN_URL = "/api/v1/auth/token/"


def _issue(email, **extra):
    return APIClient().post(TOKEN_URL, {"email": email, "password": TEST_PASSWORD, **extra}, format="json")


def _as(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_the_endpoint_issues_a_token_per_client_and_stores_only_its_hash(school_a, settings):
    teacher = school_a.user(Role.TEACHER)
    body = _issue("teacher@alpha.example.test", client="gradebook sync").json()
    assert body["token"].startswith("plp_") and body["client"] == "gradebook sync" and body["school"] is None
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == teacher and token.key_hash == key_hash(body["token"])
    assert body["token"] not in str(ApiToken.objects.filter(pk=token.pk).values().get())  # no key at rest
    lifetime = token.expires_at - token.created_at
    assert lifetime == dt.timedelta(days=settings.API_TOKEN_DAYS)
    assert _as(body["token"]).get("/api/v1/s/alpha/").status_code == 200

    other = _issue("teacher@alpha.example.test", client="phone app").json()
    again = _issue("teacher@alpha.example.test", client="Gradebook  Sync").json()  # same client: replaces
    assert _as(other["token"]).get("/api/v1/me/schools/").status_code == 200
    assert _as(again["token"]).get("/api/v1/me/schools/").status_code == 200
    refused = _as(body["token"]).get("/api/v1/me/schools/")
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    token.refresh_from_db()
    assert token.revoked_reason == ApiToken.Ended.REPLACED


def test_a_token_past_its_expiry_is_refused_with_401_json(school_a):
    token, key = api_token_issue(user=school_a.user(Role.TEACHER), client_name="script", days=1)
    assert _as(key).get("/api/v1/s/alpha/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = _as(key).get("/api/v1/s/alpha/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "This token has expired: issue a new one."}
    assert response["WWW-Authenticate"] == "Token"


def test_a_revoked_token_is_refused_with_401_json(school_a):
    token, key = api_token_issue(user=school_a.user(Role.TEACHER), client_name="script")
    api = _as(key)
    assert api.delete(reverse("api:my_token", args=[token.pk])).status_code == 204
    response = api.get("/api/v1/s/alpha/")
    assert response.status_code == 401 and response.json() == {
        "detail": "This token was revoked: issue a new one."
    }
    token.refresh_from_db()
    assert token.revoked_reason == ApiToken.Ended.REVOKED


def test_an_unknown_or_malformed_token_is_401(school_a):
    assert _as("plp_nope").get("/api/v1/s/alpha/").json() == {"detail": "Invalid token."}
    assert _as("x" * 5000).get("/api/v1/s/alpha/").status_code == 401


def test_the_lifetime_is_the_callers_choice_up_to_the_maximum(school_a, settings):
    settings.API_TOKEN_MAX_DAYS = 90
    body = _issue("teacher@alpha.example.test", expires_in_days=7).json()
    token = ApiToken.objects.get(pk=body["id"])
    assert token.expires_at - token.created_at == dt.timedelta(days=7)
    too_long = _issue("teacher@alpha.example.test", expires_in_days=91)
    assert too_long.status_code == 400 and "expires_in_days" in too_long.json()
    with pytest.raises(Exception, match="1 to 90 days"):
        api_token_issue(user=school_a.user(Role.TEACHER), client_name="x", days=91)


def test_a_person_holds_at_most_the_configured_number_of_live_tokens(school_a, settings):
    settings.API_TOKENS_PER_PERSON = 2
    assert _issue("teacher@alpha.example.test", client="one").status_code == 200
    assert _issue("teacher@alpha.example.test", client="two").status_code == 200
    third = _issue("teacher@alpha.example.test", client="three")
    assert third.status_code == 400 and "revoke one" in third.json()["non_field_errors"][0]
    assert _issue("teacher@alpha.example.test", client="two").status_code == 200  # a replacement is fine


def test_a_token_bound_to_a_school_reaches_that_school_only(school_a, school_b):
    coach = school_a.user(Role.TEACHER)
    MembershipFactory(school=school_b.school, user=coach, role=Role.MENTOR)
    body = _issue("teacher@alpha.example.test", client="alpha only", school="alpha").json()
    assert body["school"] == "alpha"
    api = _as(body["token"])
    assert api.get("/api/v1/s/alpha/").status_code == 200
    assert api.get("/api/v1/s/bravo/").status_code == 404  # a member there, but not with this token
    assert [row["school"]["slug"] for row in api.get("/api/v1/me/schools/").json()] == ["alpha"]
    unbound = _as(_issue("teacher@alpha.example.test", client="both").json()["token"])
    assert unbound.get("/api/v1/s/bravo/").status_code == 200


def test_a_school_the_person_does_not_belong_to_cannot_be_named(school_a, school_b):
    theirs = _issue("teacher@alpha.example.test", school="bravo")
    missing = _issue("teacher@alpha.example.test", school="no-such-school")
    assert theirs.status_code == missing.status_code == 400
    assert theirs.json() == missing.json()  # no oracle for which schools exist
    assert not ApiToken.objects.exists()


def test_a_new_password_revokes_every_token(school_a):
    teacher = school_a.user(Role.TEACHER)
    _, key = api_token_issue(user=teacher, client_name="script")
    _, bound_key = api_token_issue(user=teacher, client_name="bound", school=school_a.school)
    teacher.set_password("a-brand-new-passphrase-42")
    teacher.save()
    for dead in (key, bound_key):
        response = _as(dead).get("/api/v1/s/alpha/")
        assert response.status_code == 401 and "revoked" in response.json()["detail"]
    assert set(ApiToken.objects.values_list("revoked_reason", flat=True)) == {ApiToken.Ended.PASSWORD_CHANGED}


def test_signing_in_does_not_revoke_tokens_when_the_password_hash_is_upgraded(school_a, settings):
    """Django re-hashes a password at sign-in when the hasher changes: not a new password."""
    teacher = school_a.user(Role.TEACHER)  # hashed with MD5 by the test settings
    _, key = api_token_issue(user=teacher, client_name="script")
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert _issue("teacher@alpha.example.test", client="another").status_code == 200
    teacher.refresh_from_db()
    assert teacher.password.startswith("pbkdf2_")
    assert _as(key).get("/api/v1/s/alpha/").status_code == 200


def test_last_used_is_written_at_most_once_a_minute(school_a, django_assert_num_queries):
    token, key = api_token_issue(user=school_a.user(Role.TEACHER), client_name="script")
    api = _as(key)
    api.get("/api/v1/me/schools/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    for _ in range(3):
        api.get("/api/v1/me/schools/")
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    api.get("/api/v1/me/schools/")
    token.refresh_from_db()
    assert token.last_used_at > first


def test_the_tokens_api_lists_and_revokes_only_the_callers_own(school_a, school_b):
    mine, key = api_token_issue(user=school_a.user(Role.TEACHER), client_name="mine")
    theirs, _ = api_token_issue(user=school_b.user(Role.TEACHER), client_name="theirs")
    api = _as(key)
    rows = api.get(reverse("api:my_tokens")).json()["results"]
    assert [(row["id"], row["client"], row["state"]) for row in rows] == [(mine.pk, "mine", "active")]
    assert "token" not in rows[0] and rows[0]["key_prefix"] == mine.key_prefix
    assert api.delete(reverse("api:my_token", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_tokens_list_costs_the_same_for_one_token_and_fifty(school_a, django_assert_max_num_queries):
    teacher = school_a.user(Role.TEACHER)
    api = APIClient()
    api.force_authenticate(teacher)
    for n in (1, 50):
        while teacher.api_tokens.count() < n:
            ApiToken.objects.create(
                user=teacher,
                school=school_a.school if teacher.api_tokens.count() % 2 else None,
                client_name=f"c{teacher.api_tokens.count()}",
                key_hash=f"{teacher.api_tokens.count():064d}",
                key_prefix="plp_x",
                expires_at=timezone.now() + dt.timedelta(days=1),
            )
        with django_assert_max_num_queries(3):
            assert len(api.get(reverse("api:my_tokens")).json()["results"]) == n


@pytest.mark.django_db(transaction=False)
def test_drf_tokens_from_before_carry_over_as_hashed_tokens_that_expire(school_a, settings):
    """The data migration: DRF's plain-text key keeps working (hashed) until API_TOKEN_DAYS, then dies; the
    old table is emptied."""
    migration = importlib.import_module("accounts.migrations.0004_carry_over_drf_tokens")
    teacher = school_a.user(Role.TEACHER)
    old_key = "0123456789abcdef0123456789abcdef01234567"
    with as_the_owner_role():  # migrations run as the owner
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id bigint NOT NULL)"
            )
            cursor.execute(
                "INSERT INTO authtoken_token (key, user_id) VALUES (%s, %s)", [old_key, teacher.pk]
            )
        try:
            from django.apps import apps

            # RunPython hands the function a schema editor; it reads only its connection.
            migration.carry_over(apps, SimpleNamespace(connection=connection))
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM authtoken_token")
                assert cursor.fetchone()[0] == 0
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE authtoken_token")
    token = ApiToken.objects.get(user=teacher)
    assert token.client_name == migration.CLIENT_NAME and token.key_prefix == old_key[:8]
    assert (token.expires_at - timezone.now()).days == settings.API_TOKEN_DAYS - 1
    assert _as(old_key).get("/api/v1/s/alpha/").status_code == 200


# The account page ------------------------------------------------------------------------------------------


def test_the_account_page_issues_a_token_shows_its_key_once_and_revokes_it(client, school_a):
    teacher = school_a.user(Role.TEACHER)
    client.force_login(teacher)
    response = client.post(
        reverse("accounts:token_create"),
        {"client_name": "report script", "school": school_a.school.pk, "days": 10},
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=teacher)
    body = response.content.decode()
    key = body.split('id="new-key" type="text" readonly value="')[1].split('"')[0]
    assert key_hash(key) == token.key_hash and token.school == school_a.school
    assert key not in client.get(reverse("accounts:account")).content.decode()  # shown once
    assert _as(key).get("/api/v1/s/alpha/").status_code == 200
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response["Location"] == reverse("accounts:account")
    assert _as(key).get("/api/v1/s/alpha/").status_code == 401


def test_the_account_page_keeps_what_was_typed_on_error(client, school_a, settings):
    from tests.form_checks import assert_kept_with_error

    settings.API_TOKEN_MAX_DAYS = 30
    client.force_login(school_a.user(Role.TEACHER))
    response = client.post(reverse("accounts:token_create"), {"client_name": "report script", "days": 31})
    assert response.status_code == 400
    assert_kept_with_error(response, name="client_name", typed="report script")
    assert_kept_with_error(response, name="days", typed="31", error="less than or equal to 30")
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked_from_the_account_page(client, school_a, school_b):
    theirs, _ = api_token_issue(user=school_b.user(Role.TEACHER), client_name="theirs")
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    assert client.post(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_account_page_names_no_other_persons_tokens(client, school_a, school_b):
    api_token_issue(user=school_b.user(Role.TEACHER), client_name="bravo secret client")
    api_token_issue(user=school_a.user(Role.TEACHER), client_name="my client")
    client.force_login(school_a.user(Role.TEACHER))
    body = client.get(reverse("accounts:account")).content.decode()
    assert "my client" in body and "bravo secret client" not in body


def test_people_without_a_password_can_still_use_the_account_page(client, db):
    person = UserFactory(email="sso@example.test")
    person.set_unusable_password()
    person.save()
    client.force_login(person)
    assert client.get(reverse("accounts:account")).status_code == 200


def test_a_school_bound_token_lists_and_revokes_only_tokens_of_its_school(school_a):
    teacher = school_a.user(Role.TEACHER)
    bound, key = api_token_issue(user=teacher, client_name="alpha", school=school_a.school)
    other, _ = api_token_issue(user=teacher, client_name="everywhere")
    api = _as(key)
    assert [row["id"] for row in api.get(reverse("api:my_tokens")).json()["results"]] == [bound.pk]
    assert api.delete(reverse("api:my_token", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
