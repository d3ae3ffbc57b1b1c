"""The onboarding wizard in the browser's shoes: upload, review, confirm, progress, report, new schools."""

import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from plp.tenancy.context import school_scope
from schools.models import Membership, School, Term
from schools.roles import DISTRICT_ADMIN
from schools.rostering.models import ImportRun, RosterPerson
from schools.rostering.reading import files_from_path
from schools.rostering.services import upload_limits
from schools.rostering.tasks import roster_import_task
from tests.schools.roster_files import FIXTURE, USERS, as_zip, roster


def upload(client, files: dict[str, bytes], as_one_zip=True):
    if as_one_zip:
        payload = [SimpleUploadedFile("roster.zip", as_zip(files), content_type="application/zip")]
    else:
        payload = [SimpleUploadedFile(name, data, content_type="text/csv") for name, data in files.items()]
    return client.post(reverse("schools:roster_upload", args=["alpha"]), {"files": payload})


def the_run(school) -> ImportRun:
    with school_scope(school):
        return ImportRun.objects.latest("pk")


@pytest.fixture
def admin_client(client, school_a):
    client.force_login(school_a.user("school_admin"))
    return client


def test_school_details_are_saved_with_a_term_and_lead_to_the_upload(admin_client, school_a):
    response = admin_client.post(
        reverse("schools:onboarding", args=["alpha"]),
        {
            "name": "Alpha Academy Renamed",
            "timezone": "Europe/Paris",
            "grade_levels": ["09", "10"],
            "term_name": "2026-27",
            "term_start": "2026-09-01",
            "term_end": "2027-06-30",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("/onboarding/upload/")
    school = School.objects.get(pk=school_a.school.pk)
    assert (school.name, school.timezone, school.grade_levels) == (
        "Alpha Academy Renamed",
        "Europe/Paris",
        ["09", "10"],
    )
    with school_scope(school):
        assert Term.objects.filter(name="2026-27").exists()


def test_school_details_keep_what_was_typed_on_error(admin_client):
    response = admin_client.post(
        reverse("schools:onboarding", args=["alpha"]),
        {"name": "Typed Name", "timezone": "Mars/Base", "term_name": "Half a term"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        'value="Typed Name"' in body
        and "Half a term" in body
        and "give its name, start date and end date" in body
    )


def test_the_fixture_upload_shows_its_report_and_dry_run_and_writes_nothing(admin_client, school_a):
    response = upload(admin_client, files_from_path(FIXTURE, limits=upload_limits()), as_one_zip=False)
    run = the_run(school_a.school)
    assert response["Location"] == reverse("schools:import_detail", args=["alpha", run.pk])
    with school_scope(school_a.school):
        assert not RosterPerson.objects.exists()
    body = admin_client.get(response["Location"]).content.decode()
    assert "should be written “true”" in body and "courses.csv is not in the set" in body
    assert "0 errors" in body and "What the import would do" in body
    assert run.counts["students"]["create"] == 3 and run.status == "checked"
    assert set(run.digests) == {p.name for p in FIXTURE.iterdir()}


def test_confirming_queues_the_task_which_imports_exactly_the_dry_run(
    admin_client, school_a, django_capture_on_commit_callbacks
):
    upload(admin_client, roster())
    run = the_run(school_a.school)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(reverse("schools:import_detail", args=["alpha", run.pk]))
    assert response.status_code == 302 and len(callbacks) == 1
    run.refresh_from_db()
    assert run.status == "queued"
    progress = admin_client.get(
        reverse("schools:import_progress", args=["alpha", run.pk]), HTTP_HX_REQUEST="true"
    )
    assert 'hx-trigger="every 1s' in progress.content.decode()
    # The task body, as the worker runs it (outside any school; it enters its own).
    assert (
        roster_import_task.apply(kwargs={"school_id": school_a.school.pk, "run_id": run.pk}).get()
        == "succeeded"
    )
    with school_scope(school_a.school):
        assert RosterPerson.objects.count() == 3
    done = admin_client.get(reverse("schools:import_progress", args=["alpha", run.pk])).content.decode()
    assert "hx-trigger" not in done and "See the people" in done and "100%" in done
    # Running the task again (a redelivery) changes nothing.
    assert (
        roster_import_task.apply(kwargs={"school_id": school_a.school.pk, "run_id": run.pk}).get()
        == "succeeded"
    )


def test_rows_with_errors_are_skipped_only_when_the_admin_says_so(admin_client, school_a, settings):
    upload(admin_client, roster(users=USERS.replace("student,sam", "pupil,sam")))
    run = the_run(school_a.school)
    url = reverse("schools:import_detail", args=["alpha", run.pk])
    body = admin_client.get(url).content.decode()
    assert "3 errors in the rows" in body and "“pupil” is not a user role" in body
    refused = admin_client.post(url, {})
    assert "Some rows have errors" in refused.content.decode()
    run.refresh_from_db()
    assert run.status == "checked"
    assert admin_client.post(url, {"skip_problem_rows": "on"}).status_code == 302
    run.refresh_from_db()
    assert run.status in {"queued", "succeeded"} and run.skip_problem_rows


def test_a_file_level_problem_cannot_be_confirmed(admin_client, school_a):
    upload(admin_client, roster(users=USERS.replace(",", ";")))
    run = the_run(school_a.school)
    url = reverse("schools:import_detail", args=["alpha", run.pk])
    assert "Blocked: nothing can be imported" in admin_client.get(url).content.decode()
    assert "stop the import" in admin_client.post(url, {"skip_problem_rows": "on"}).content.decode()


def test_an_upload_that_is_not_a_zip_or_empty_is_refused_with_a_message(admin_client):
    bad = SimpleUploadedFile("roster.zip", b"PK\x03\x04 not really a zip")
    body = admin_client.post(
        reverse("schools:roster_upload", args=["alpha"]), {"files": [bad]}
    ).content.decode()
    assert "not a readable zip file" in body
    body = admin_client.post(reverse("schools:roster_upload", args=["alpha"]), {}).content.decode()
    assert "This field is required" in body


def test_the_report_downloads_as_csv_with_formulas_defused(admin_client, school_a):
    users = USERS.replace("t-1,,,true,org-1,teacher,tina", "t-1,,,true,org-1,=HYPERLINK(1),tina")
    upload(admin_client, roster(users=users))
    run = the_run(school_a.school)
    response = admin_client.get(reverse("schools:import_report_csv", args=["alpha", run.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["severity", "file", "line", "column", "value", "message"]
    assert rows[1][:5] == ["error", "users.csv", "2", "role", "'=HYPERLINK(1)"]


@pytest.mark.parametrize("role", ["student", "teacher", "mentor"])
def test_other_roles_cannot_upload_and_do_not_see_imports(client, school_a, role):
    with school_scope(school_a.school):
        run = ImportRun.objects.create(school=school_a.school, archive=b"", report=[], counts={})
    client.force_login(school_a.user(role))
    assert client.get(reverse("schools:roster_upload", args=["alpha"])).status_code == 403
    assert client.get(reverse("schools:import_detail", args=["alpha", run.pk])).status_code == 404
    assert client.post(reverse("schools:import_detail", args=["alpha", run.pk])).status_code == 404


def test_a_district_admin_opens_a_school_and_its_first_admin_is_invited(
    client, school_a, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(school_a.user(DISTRICT_ADMIN))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("schools:school_create", args=["alpha"]),
            {
                "name": "Alpha Annex",
                "slug": "alpha-annex",
                "timezone": "America/Chicago",
                "admin_email": "New.Head@Example.test",
                "admin_given_name": "Nia",
                "admin_family_name": "Head",
            },
        )
    assert response.status_code == 302 and response["Location"] == "/s/alpha-annex/onboarding/"
    annex = School.objects.get(slug="alpha-annex")
    assert annex.organization == school_a.school.organization
    head = User.objects.get(email="new.head@example.test")
    with school_scope(annex):
        assert Membership.objects.filter(user=head, role="school_admin", is_active=True).exists()
    assert len(mailoutbox) == 1 and "/accounts/invitation/?u=" in mailoutbox[0].body
    assert client.get(response["Location"]).status_code == 200  # the district admin may enter it


def test_naming_an_existing_person_as_first_admin_gives_a_membership_not_a_new_account(client, school_a):
    client.force_login(school_a.user(DISTRICT_ADMIN))
    teacher = school_a.user("teacher")
    client.post(
        reverse("schools:school_create", args=["alpha"]),
        {
            "name": "Alpha Two",
            "slug": "alpha-two",
            "timezone": "America/Chicago",
            "admin_email": teacher.email.upper(),
            "admin_given_name": "X",
            "admin_family_name": "Y",
        },
    )
    assert User.objects.filter(email=teacher.email).count() == 1
    assert mail.outbox == []  # they have a password already
    with school_scope(School.objects.get(slug="alpha-two")):
        assert Membership.objects.filter(user=teacher, role="school_admin").exists()


def test_a_school_admin_who_is_not_a_district_admin_cannot_open_schools(admin_client):
    assert admin_client.get(reverse("schools:school_create", args=["alpha"])).status_code == 403


def test_confirming_twice_queues_the_import_once(admin_client, school_a, django_capture_on_commit_callbacks):
    upload(admin_client, roster())
    run = the_run(school_a.school)
    url = reverse("schools:import_detail", args=["alpha", run.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        admin_client.post(url)
        second = admin_client.post(url)
    assert len(callbacks) == 1
    assert "already been started" in second.content.decode()


@pytest.mark.parametrize("runs", [1, 12])
def test_the_upload_page_query_count_does_not_grow_with_runs(
    admin_client, school_a, runs, django_assert_max_num_queries
):
    with school_scope(school_a.school):
        for _ in range(runs):
            ImportRun.objects.create(
                school=school_a.school,
                created_by=school_a.user("school_admin"),
                archive=b"",
                report=[],
                counts={},
            )
    with django_assert_max_num_queries(8):
        assert admin_client.get(reverse("schools:roster_upload", args=["alpha"])).status_code == 200


@pytest.mark.parametrize("problems", [1, 600])
def test_the_review_page_shows_the_first_problems_in_constant_queries(
    admin_client, school_a, problems, django_assert_max_num_queries
):
    report = [
        {
            "severity": "error",
            "file": "users.csv",
            "line": n,
            "column": "role",
            "value": "x",
            "message": "Bad.",
        }
        for n in range(problems)
    ]
    with school_scope(school_a.school):
        run = ImportRun.objects.create(school=school_a.school, archive=b"", report=report, counts={})
    with django_assert_max_num_queries(8):
        body = admin_client.get(reverse("schools:import_detail", args=["alpha", run.pk])).content.decode()
    assert ("the CSV has them all" in body) == (problems > 500)


def test_a_second_upload_of_the_same_roster_says_it_changes_nothing(admin_client, school_a):
    with school_scope(school_a.school):
        from schools.rostering.validation import parse_roster
        from schools.rostering.writer import roster_write

        roster_write(roster=parse_roster(roster()))
    response = upload(admin_client, roster())
    assert "This roster changes nothing" in admin_client.get(response["Location"]).content.decode()


def test_a_large_upload_is_checked_in_the_background_while_the_page_polls(
    admin_client, school_a, settings, django_capture_on_commit_callbacks
):
    from schools.rostering.tasks import roster_check_task

    settings.ROSTER_CHECK_IN_REQUEST_MAX_BYTES = 100  # every upload counts as large here
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(admin_client, roster(users=USERS.replace("student,sam", "pupil,sam")))
    run = the_run(school_a.school)
    assert run.status == "checking" and run.report == [] and len(callbacks) == 1
    page = admin_client.get(response["Location"]).content.decode()
    assert "Checking the files" in page and "Import</button>" not in page
    refused = admin_client.post(response["Location"], {"skip_problem_rows": "on"})
    assert "still being checked" in refused.content.decode()
    progress = reverse("schools:import_progress", args=["alpha", run.pk]) + "?checking=1"
    assert "Checking the files" in admin_client.get(progress, HTTP_HX_REQUEST="true").content.decode()

    assert (
        roster_check_task.apply(kwargs={"school_id": school_a.school.pk, "run_id": run.pk}).get() == "checked"
    )
    done = admin_client.get(progress, HTTP_HX_REQUEST="true")
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    page = admin_client.get(response["Location"]).content.decode()
    assert "“pupil” is not a user role" in page and "What the import would do" in page
