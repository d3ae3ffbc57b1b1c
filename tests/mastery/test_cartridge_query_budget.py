"""The Common Cartridge import page reads in a constant number of queries: its page, and the dry run of a
course export with few or many modules and pages (and a re-check once they were imported)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools.roles import Role
from tests.playlists.cartridges import make_zip

URL = reverse("mastery:cartridge_import", kwargs={"school_slug": "alpha"})


def _course(modules: int) -> bytes:
    """A CC 1.1 export of ``modules`` modules, each with two web pages."""
    items, resources, files = [], [], {}
    for m in range(modules):
        pages = []
        for p in range(2):
            ident = f"page-{m}-{p}"
            files[f"{ident}.html"] = f"<h1>Page {m}.{p}</h1><p>Ratios, part {p}.</p>"
            resources.append(
                f'<resource identifier="{ident}" type="webcontent" href="{ident}.html">'
                f'<file href="{ident}.html"/></resource>'
            )
            pages.append(
                f'<item identifier="i-{ident}" identifierref="{ident}"><title>Page {m}.{p}</title></item>'
            )
        items.append(f'<item identifier="m{m}"><title>Week {m}</title>{"".join(pages)}</item>')
    files["imsmanifest.xml"] = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="budget" xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1">
  <metadata><schema>IMS Common Cartridge</schema><schemaversion>1.1.0</schemaversion></metadata>
  <organizations><organization identifier="org" structure="rooted-hierarchy"><item identifier="root">
    {"".join(items)}
  </item></organization></organizations>
  <resources>{"".join(resources)}</resources>
</manifest>"""
    return make_zip(files)


def _check(client, data: bytes, action: str = "check"):
    upload = SimpleUploadedFile("course.imscc", data, "application/zip")
    return client.post(URL, {"subject": "Math", "action": action, "file": upload})


def test_the_page_reads_in_constant_queries(client, school_a, django_assert_max_num_queries):
    client.force_login(school_a.user(Role.TEACHER))
    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("modules", [2, 40])
def test_the_dry_run_reads_in_constant_queries(client, school_a, modules, django_assert_max_num_queries):
    client.force_login(school_a.user(Role.TEACHER))
    data = _course(modules)
    with django_assert_max_num_queries(14):
        response = _check(client, data)
    assert response.status_code == 200, response.content[:2000]
    assert response.context["report"].ok
    imported = _check(client, data, action="import")
    assert imported.context["report"].imported
    with django_assert_max_num_queries(14):  # the re-check finds every module and page already there
        again = _check(client, data)
    assert again.status_code == 200
