"""Roster uploads are bounded once unpacked (all files together, and the zip's entries): a zip bomb is refused
with a plain message while it is being unpacked, on the page, in the API and in the command, and never held
in memory."""

import io
import struct
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from plp.tenancy.context import school_scope
from schools.rostering.models import ImportRun
from schools.rostering.services import files_from_upload
from tests.schools.roster_files import as_zip, roster

MB = 1024 * 1024
BOMB_MB = 200


def _bomb(megabytes: int = BOMB_MB) -> bytes:
    """A zip of one CSV of ``megabytes`` zeros (about a thousandth of that compressed), written as a
    stream: the test never holds the unpacked bytes either."""
    buffer = io.BytesIO()
    zero = bytes(MB)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("users.csv", "w") as entry,
    ):
        for _ in range(megabytes):
            entry.write(zero)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _bomb()


@pytest.fixture
def small_limits(settings):
    settings.ROSTER_MAX_UNCOMPRESSED_BYTES = MB
    settings.ROSTER_MAX_ZIP_ENTRIES = 20


def _understating(data: bytes, size: int) -> bytes:
    """The same zip with every declared uncompressed size rewritten to ``size`` (headers lie)."""
    patched = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = patched.find(signature)
        while at >= 0:
            patched[at + offset : at + offset + 4] = struct.pack("<I", size)
            at = patched.find(signature, at + 4)
    return bytes(patched)


def _refusal_and_peak(data: bytes, name: str = "roster.zip") -> tuple[str, int]:
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refused:
            files_from_upload([SimpleUploadedFile(name, data)])
        return " ".join(refused.value.messages), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_bomb_is_small_but_unpacks_far_past_the_bound(bomb):
    assert len(bomb) < MB and zipfile.ZipFile(io.BytesIO(bomb)).infolist()[0].file_size == BOMB_MB * MB


def test_a_zip_bomb_is_refused_while_unpacking_without_holding_it_in_memory(bomb, small_limits):
    message, peak = _refusal_and_peak(bomb)
    assert "unpacks to more than 1 MB" in message
    assert peak < 8 * MB, f"{peak / MB:.0f} MB held to refuse a {BOMB_MB} MB bomb"


def test_a_zip_whose_headers_understate_its_sizes_is_refused_without_unpacking_it(bomb, small_limits):
    message, peak = _refusal_and_peak(_understating(bomb, 100))
    assert "not a readable zip file" in message
    assert peak < 8 * MB


def test_a_zip_with_more_entries_than_the_bound_is_refused(small_limits):
    files = {f"notes-{n}.txt": b"" for n in range(21)}
    message, _ = _refusal_and_peak(as_zip(files))
    assert "holds more than 20 files" in message


def test_the_bound_counts_every_file_of_the_upload_together(settings):
    settings.ROSTER_MAX_UNCOMPRESSED_BYTES = 100_000
    big = b"sourcedId\n" + b"x" * 60_000
    assert files_from_upload([SimpleUploadedFile("users.csv", big)])
    with pytest.raises(ValidationError, match="unpacks to more than"):
        files_from_upload(
            [SimpleUploadedFile("users.csv", big), SimpleUploadedFile("x.zip", as_zip({"a.csv": big}))]
        )


def test_a_real_roster_is_within_the_default_bounds():
    files = files_from_upload([SimpleUploadedFile("roster.zip", as_zip(roster()))])
    assert set(files) == set(roster())


def test_the_upload_page_refuses_a_zip_bomb_with_a_message_and_records_nothing(
    client, school_a, bomb, small_limits
):
    client.force_login(school_a.user("school_admin"))
    response = client.post(
        reverse("schools:roster_upload", args=["alpha"]), {"files": [SimpleUploadedFile("roster.zip", bomb)]}
    )
    assert response.status_code == 200
    assert "unpacks to more than 1 MB" in response.content.decode()
    with school_scope(school_a.school):
        assert not ImportRun.objects.exists()


def test_the_api_refuses_a_zip_bomb_with_a_400(school_a, bomb, small_limits):
    api = APIClient()
    api.force_authenticate(school_a.user("school_admin"))
    response = api.post(
        "/api/v1/s/alpha/imports/", {"files": [SimpleUploadedFile("roster.zip", bomb)]}, format="multipart"
    )
    assert response.status_code == 400
    assert "unpacks to more than 1 MB" in response.json()["files"][0]


def test_the_import_command_refuses_a_zip_bomb_with_a_message(tmp_path, school_a, bomb, small_limits):
    path = tmp_path / "roster.zip"
    path.write_bytes(bomb)
    with pytest.raises(CommandError, match="unpacks to more than 1 MB"):
        call_command("import_oneroster", "alpha", str(path), "--dry-run")
