"""The Common Cartridge import page: who may use it, the dry run and the import, and field errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mastery.forms import CartridgeImportForm
from playlists.models import ContentItem, Playlist
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.playlists.cartridges import cartridge_bytes, make_zip, manifest

URL = reverse("mastery:cartridge_import", kwargs={"school_slug": "alpha"})


def _upload(name="py4e_export.imscc", data=None):
    return SimpleUploadedFile(name, cartridge_bytes(name) if data is None else data, "application/zip")


def _post(client, user, **data):
    client.force_login(user)
    return client.post(URL, {"subject": "Computing", "action": "check", **data})


@pytest.mark.parametrize("role", [Role.TEACHER, Role.SCHOOL_ADMIN])
def test_teachers_and_school_admins_find_the_page_from_the_playlists_list(client, school_a, role):
    client.force_login(school_a.user(role))
    listing = client.get(reverse("playlists:playlist_list", kwargs={"school_slug": "alpha"})).content.decode()
    assert f'href="{URL}"' in listing
    page = client.get(URL)
    assert page.status_code == 200 and "Import a Common Cartridge" in page.content.decode()


@pytest.mark.parametrize("role", [Role.STUDENT, Role.MENTOR])
def test_students_and_mentors_may_not_import(client, school_a, role):
    client.force_login(school_a.user(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"subject": "X", "file": _upload()}).status_code == 403


def test_check_shows_the_dry_run_and_writes_nothing(client, school_a):
    response = _post(client, school_a.user("teacher"), file=_upload())

    body = response.content.decode()
    assert response.status_code == 200
    assert "Dry run: what the import would do" in body
    assert '<th scope="row">Playlists</th><td>17</td><td>0</td>' in body
    assert "an LTI tool link; it needs the tool registered for the school" in body
    assert response.context["carried"]
    with school_scope(school_a.school):
        assert not Playlist.objects.exists() and not ContentItem.objects.exists()


def test_import_of_the_checked_file_writes_it_and_links_the_new_playlists(client, school_a):
    teacher = school_a.user("teacher")
    carried = _post(client, teacher, file=_upload()).context["carried"]

    response = _post(client, teacher, carried=carried, action="import")

    body = response.content.decode()
    assert response.status_code == 200 and "Imported" in body
    with school_scope(school_a.school):
        playlist = Playlist.objects.get(title="Installing Python")
        assert Playlist.objects.count() == 17
    assert reverse("playlists:playlist_detail", args=["alpha", playlist.pk]) in body


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (_upload("roster.csv", b"sourcedId,name\n1,A\n"), "This is not a zip file"),
        (_upload("empty.imscc", make_zip({"page.html": "<p>x</p>"})), "The zip has no imsmanifest.xml"),
    ],
)
def test_not_a_cartridge_is_a_field_error(client, school_a, upload, message):
    response = _post(client, school_a.user("teacher"), file=upload)

    assert response.status_code == 400
    assert message in str(response.context["form"].errors["file"])


def test_too_big_a_file_is_a_field_error(client, school_a, monkeypatch):
    monkeypatch.setattr(CartridgeImportForm, "MAX_BYTES", 1000)
    response = _post(client, school_a.user("teacher"), file=_upload())

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["The file is larger than 0 MB."]


def test_missing_file_and_subject_are_field_errors(client, school_a):
    client.force_login(school_a.user("teacher"))
    response = client.post(URL, {"action": "check"})

    errors = response.context["form"].errors
    assert response.status_code == 400
    assert errors["file"] == ["Choose the cartridge file."] and errors["subject"] == [
        "This field is required."
    ]


def test_an_altered_carried_file_is_refused(client, school_a):
    response = _post(client, school_a.user("teacher"), carried="forged:token", action="import")

    assert response.status_code == 400
    assert "expired or was altered" in str(response.context["form"].errors["file"])


def test_a_cartridge_with_a_broken_resource_is_blocked_with_its_line(client, school_a):
    resources = (
        '<resource identifier="gone" type="webcontent" href="gone.html"><file href="gone.html"/></resource>'
    )
    data = make_zip({"imsmanifest.xml": manifest(resources)})

    response = _post(client, school_a.user("teacher"), file=_upload("broken.imscc", data), action="import")

    body = response.content.decode()
    assert response.status_code == 400
    assert "Blocked: nothing can be imported" in body
    assert "its file &#x27;gone.html&#x27; is missing from the zip" in body
    with school_scope(school_a.school):
        assert not ContentItem.objects.exists()


def test_a_manifest_nested_past_the_bound_is_a_field_error_not_a_crash(client, school_a):
    """The modules are walked recursively: a manifest of a few kilobytes nesting thousands of items deep
    must be refused with a message (it used to be a RecursionError, a 500)."""
    deep = "".join(f'<item identifier="i{n}"><title>T{n}</title>' for n in range(3000)) + "</item>" * 3000
    data = make_zip({"imsmanifest.xml": manifest("", items=deep)})
    response = _post(client, school_a.user("teacher"), file=_upload("deep.imscc", data))

    assert response.status_code == 400
    assert "nests more than" in str(response.context["form"].errors["file"])
