"""A roster check that fails says so: Blocked, with its errors, no confirm, never "changes nothing"."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plp.tenancy.context import school_scope
from schools.rostering.models import ImportRun
from tests.schools.roster_files import FIXTURE, as_zip


def png_bytes() -> bytes:
    """A real 1×1 PNG (what an admin uploads by mistake: a screenshot)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def fixture_without_manifest() -> bytes:
    files = {p.name: p.read_bytes() for p in sorted(FIXTURE.iterdir()) if p.name != "manifest.csv"}
    assert "users.csv" in files and len(files) == 5
    return as_zip(files)


@pytest.fixture
def admin_client(client, school_a):
    client.force_login(school_a.user("school_admin"))
    return client


UPLOADS = {
    "a PNG": lambda: SimpleUploadedFile("class-photo.png", png_bytes(), content_type="image/png"),
    "the fixture without its manifest": lambda: SimpleUploadedFile(
        "roster.zip", fixture_without_manifest(), content_type="application/zip"
    ),
}


@pytest.mark.parametrize("what", list(UPLOADS))
def test_a_blocked_check_says_blocked_with_its_errors_and_offers_no_confirm(admin_client, school_a, what):
    response = admin_client.post(
        reverse("schools:roster_upload", args=["alpha"]), {"files": [UPLOADS[what]()]}
    )
    assert response.status_code == 302
    with school_scope(school_a.school):
        run = ImportRun.objects.latest("pk")
    assert run.status == ImportRun.Status.BLOCKED
    body = admin_client.get(response["Location"]).content.decode()
    assert "Blocked" in body
    assert "manifest.csv is missing" in body
    if what == "a PNG":
        assert "class-photo.png is not a OneRoster file" in body
    assert "changes nothing" not in body
    assert "OneRoster ?" not in body
    assert "Checked, waiting for confirmation" not in body
    assert "Import</button>" not in body
    # Said once: a second "Blocked" card repeated the first in other words ("Cannot import: ...").
    assert body.count("upload again</a>") == 1 and "Cannot import:" not in body
    listing = admin_client.get(reverse("schools:roster_upload", args=["alpha"])).content.decode()
    assert "Blocked" in listing and "waiting for confirmation" not in listing


def test_a_blocked_run_cannot_be_confirmed(admin_client, school_a):
    response = admin_client.post(
        reverse("schools:roster_upload", args=["alpha"]), {"files": [UPLOADS["a PNG"]()]}
    )
    refused = admin_client.post(response["Location"], {"skip_problem_rows": "on"})
    assert "stop the import" in refused.content.decode()
    with school_scope(school_a.school):
        assert ImportRun.objects.latest("pk").status == ImportRun.Status.BLOCKED


def test_the_api_reports_a_blocked_check_as_blocked(client, school_a):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_login(school_a.user("school_admin"))
    response = api.post("/api/v1/s/alpha/imports/", {"files": [UPLOADS["a PNG"]()]}, format="multipart")
    assert response.status_code in (200, 201), response.content
    assert response.json()["status"] == "blocked" and response.json()["blocking"] is True
