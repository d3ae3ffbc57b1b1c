"""A request body past the deployment's ceiling is refused (413) before anything reads it: Django bounds a
form's fields but streams its files to disk whatever their size, and the CSRF check reads any POST's form."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from plp.tenancy.context import school_scope
from schools.models import ImportRun
from schools.roles import Role


def test_a_body_past_the_ceiling_is_refused_on_a_page_with_a_message(client, school_a, settings):
    settings.MAX_REQUEST_BYTES = 50_000
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    upload = SimpleUploadedFile("users.csv", b"x" * 60_000)
    response = client.post(reverse("schools:roster_upload", args=["alpha"]), {"files": [upload]})
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    with school_scope(school_a.school):
        assert not ImportRun.objects.exists()


def test_a_body_past_the_ceiling_is_refused_by_the_api_as_json(school_a, settings):
    settings.MAX_REQUEST_BYTES = 50_000
    api = APIClient()
    api.force_authenticate(school_a.user(Role.SCHOOL_ADMIN))
    upload = SimpleUploadedFile("users.csv", b"x" * 60_000)
    response = api.post("/api/v1/s/alpha/imports/", {"files": [upload]}, format="multipart")
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_nobody_signed_in_cannot_post_a_large_body(client, db, settings):
    """The sign-in page takes a form of a few hundred bytes; a body of megabytes from nobody is refused
    before the CSRF check reads it (and its file) to disk."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    upload = SimpleUploadedFile("big.bin", b"x" * 30_000)
    response = client.post(reverse("accounts:login"), {"username": "a@b.test", "password": "x", "f": upload})
    assert response.status_code == 413
    small = client.post(reverse("accounts:login"), {"username": "a@b.test", "password": "x"})
    assert small.status_code == 200  # the form again, with its error


def test_a_signed_in_person_may_send_more_than_nobody_within_the_ceiling(client, school_a, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    settings.MAX_REQUEST_BYTES = 200_000
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    upload = SimpleUploadedFile("users.csv", b"sourcedId\n" + b"x" * 30_000)
    response = client.post(reverse("schools:roster_upload", args=["alpha"]), {"files": [upload]})
    assert response.status_code == 302  # taken and checked (its report next): not refused for its size


def test_the_default_ceiling_holds_the_largest_upload():
    from django.conf import settings

    assert settings.MAX_REQUEST_BYTES > 100 * 1024 * 1024  # a roster or a cartridge of 100 MB, and its form
    assert settings.MAX_REQUEST_BYTES > settings.SUBMISSION_MAX_BYTES
