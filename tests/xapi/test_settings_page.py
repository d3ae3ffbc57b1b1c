"""The school admin's xAPI settings page: field errors, the secret never shown back, roles, query budget."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from plp.tenancy.context import school_scope
from schools.roles import DISTRICT_ADMIN, Role
from xapi.models import LrsConnection, OutboxStatement

URL = reverse("xapi:settings", kwargs={"school_slug": "alpha"})
GOOD = {"action": "save", "endpoint": "https://lrs.alpha.example.org/xAPI/", "key": "alpha-key"}


@pytest.fixture
def admin_client(client, school_a):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    return client


def test_the_admin_reaches_the_page_from_the_school_navigation(admin_client):
    home = admin_client.get(reverse("schools:home", kwargs={"school_slug": "alpha"})).content.decode()
    assert f'href="{URL}"' in home


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"endpoint": "not a url"}, "endpoint", "Enter a valid URL."),
        ({"endpoint": "https://lrs.example.org/xAPI/?x=1"}, "endpoint", "without ?query"),
        ({"key": ""}, "key", "This field is required."),
        ({"key": "a:b"}, "key", "cannot contain a colon"),
        ({}, "secret", "The LRS gives a secret with the key"),
    ],
)
def test_bad_input_is_a_field_error_and_keeps_what_was_typed(admin_client, school_a, typed, field, message):
    data = {**GOOD, **typed}
    response = admin_client.post(URL, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert data["endpoint"] in response.content.decode()  # kept as typed
    with school_scope(school_a.school):
        assert not LrsConnection.objects.exists()


def test_the_secret_is_stored_encrypted_and_never_shown_back(admin_client, school_a):
    secret = "s3cret-value-9876"
    response = admin_client.post(URL, {**GOOD, "secret": secret, "enabled": "on"})
    assert response.status_code == 302
    with school_scope(school_a.school):
        connection = LrsConnection.objects.get()
    assert secret not in connection.secret_encrypted
    page = admin_client.get(URL).content.decode()
    assert secret not in page and "••••876" in page
    # A blank secret keeps the stored one; the endpoint pasted with /statements keeps its base.
    pasted = "https://lrs.alpha.example.org/xAPI/statements"
    admin_client.post(URL, {**GOOD, "endpoint": pasted, "secret": ""})
    with school_scope(school_a.school):
        connection.refresh_from_db()
    assert connection.secret_encrypted and connection.endpoint == "https://lrs.alpha.example.org/xAPI/"
    assert connection.statements_url == "https://lrs.alpha.example.org/xAPI/statements"
    assert connection.enabled is False  # unticked


def test_the_salt_and_base_address_stay_when_the_settings_change(admin_client, school_a):
    admin_client.post(URL, {**GOOD, "secret": "one-secret-123"})
    with school_scope(school_a.school):
        first = LrsConnection.objects.get()
    admin_client.post(URL, {**GOOD, "endpoint": "https://other-lrs.example.org/xAPI/"})
    with school_scope(school_a.school):
        second = LrsConnection.objects.get()
    assert (second.salt, second.base_url) == (first.salt, "http://testserver/")


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.MENTOR])
def test_only_admins_use_the_page(client, school_a, role):
    client.force_login(school_a.user(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {**GOOD, "secret": "x-secret-1234"}).status_code == 403
    with school_scope(school_a.school):
        assert not LrsConnection.objects.exists()


def test_a_district_admin_may_set_it_up(client, school_a):
    client.force_login(school_a.user(DISTRICT_ADMIN))
    assert client.get(URL).status_code == 200


def test_testing_before_saving_says_to_save_first(admin_client):
    page = admin_client.post(URL, {"action": "test"}, follow=True).content.decode()
    assert "Save the LRS settings first." in page


def test_testing_an_unreachable_lrs_says_so(admin_client, school_a):
    from tests.sso.idps import free_port

    with school_scope(school_a.school):
        LrsConnection.objects.create(
            school=school_a.school, endpoint=f"http://127.0.0.1:{free_port()}/xAPI/", key="k", enabled=True
        )
    page = admin_client.post(URL, {"action": "test"}, follow=True).content.decode()
    assert "Test failed: The LRS could not be reached" in page


def _rows(world, count):
    now = timezone.now()
    with school_scope(world.school):
        OutboxStatement.objects.bulk_create(
            OutboxStatement(
                school=world.school,
                student=world.user(Role.STUDENT),
                statement_id=uuid.uuid4(),
                verb="answered",
                object_kind="question",
                object_id=n,
                occurred_at=now,
                created_at=now,
                next_attempt_at=now + dt.timedelta(minutes=5),
                attempts=1,
                last_error="The LRS could not be reached: ConnectionError.",
                rejected_at=now if n % 2 else None,
            )
            for n in range(count)
        )


@pytest.mark.parametrize("rows", [1, 60])
def test_the_page_reads_in_constant_queries(admin_client, school_a, rows, django_assert_max_num_queries):
    admin_client.post(URL, {**GOOD, "secret": "a-secret-1234", "enabled": "on"})
    _rows(school_a, rows)
    admin_client.get(URL)  # warm the session
    with django_assert_max_num_queries(5):
        page = admin_client.get(URL).content.decode()
    assert "Latest problems" in page
