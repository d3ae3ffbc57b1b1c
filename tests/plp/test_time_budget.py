"""Reading uploads within a time budget: a pathological file is refused with a message, never a worker held
for minutes (issue 17, item 5)."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plp.tenancy.context import school_scope
from plp.time_budget import OverTime, budget_check, time_budget
from schools.roles import Role
from schools.rostering.models import ImportRun
from schools.rostering.services import import_run_create
from tests.schools.roster_files import roster

# Hundreds of thousands of rows in a file a few hundred kilobytes long: small enough for every size limit,
# slow to read row by row (each is checked, each is a problem to report).
PATHOLOGICAL_ROWS = 200_000


def test_the_budget_stops_a_parse_once_spent_and_only_inside_its_block():
    budget_check()  # no budget: never refuses (management commands read unbounded)
    with time_budget(seconds=60, what="roster"):
        budget_check()
    with time_budget(seconds=0.01, what="roster"):
        time.sleep(0.02)
        with pytest.raises(OverTime, match=r"Reading the roster took longer than 0\.01 seconds"):
            budget_check()
    budget_check()  # the block's deadline is gone with it


def test_a_pathological_roster_is_blocked_with_why_not_checked_for_minutes(school_a, settings):
    settings.UPLOAD_PARSE_SECONDS = 0.05
    users = "sourcedId,role,givenName,familyName\n" + "x,\n" * PATHOLOGICAL_ROWS
    started = time.monotonic()
    with school_scope(school_a.school):
        run = import_run_create(files=roster(users=users), background=False)
    assert time.monotonic() - started < 30
    assert run.status == ImportRun.Status.BLOCKED and run.blocking and run.counts == {}
    (problem,) = run.report
    assert problem["severity"] == "error"
    assert "Reading the roster took longer than 0.05 seconds" in problem["message"]


def test_the_roster_page_says_why_a_pathological_upload_stopped(client, school_a, settings):
    settings.UPLOAD_PARSE_SECONDS = 0.05
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    users = ("sourcedId,role,givenName,familyName\n" + "x,\n" * PATHOLOGICAL_ROWS).encode()
    upload = SimpleUploadedFile("users.csv", users, content_type="text/csv")
    others = [SimpleUploadedFile(name, data) for name, data in roster(users=None).items()]
    response = client.post(
        reverse("schools:roster_upload", args=["alpha"]), {"files": [upload, *others]}, follow=True
    )
    assert response.status_code == 200
    assert "took longer than 0.05 seconds" in response.content.decode()


def test_a_pathological_framework_file_gets_a_400_report(client, school_a, settings):
    settings.UPLOAD_PARSE_SECONDS = 0.05
    client.force_login(school_a.user(Role.TEACHER))
    rows = "".join(f"C{n},Title {n}\n" for n in range(PATHOLOGICAL_ROWS))
    upload = SimpleUploadedFile("big.csv", f"code,title\n{rows}".encode(), content_type="text/csv")
    url = reverse("playlists:framework_import", args=["alpha"])
    response = client.post(url, {"file": upload, "subject": "Mathematics"})
    assert response.status_code == 400
    assert "Reading the framework file took longer than 0.05 seconds" in response.content.decode()
