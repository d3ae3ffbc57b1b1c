"""A school admin onboards a roster in a real browser: errors first, then the fixed files, then the people."""

import re

from playwright.sync_api import expect

from plp.tenancy.context import school_scope
from schools.rostering.models import ImportRun
from schools.rostering.tasks import roster_import_task
from tests.e2e.conftest import log_in
from tests.factories import TEST_PASSWORD
from tests.schools.roster_files import USERS, roster


def write_set(folder, files):
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [str(folder / name) for name in files]


def test_a_school_admin_uploads_a_roster_with_errors_fixes_it_imports_and_sees_the_people(
    page, school_a, school_b, tmp_path
):
    broken = write_set(tmp_path / "broken", roster(users=USERS.replace("student,sue", "pupil,sue")))
    fixed = write_set(tmp_path / "fixed", roster())
    log_in(page, "school_admin@alpha.example.test", TEST_PASSWORD)

    page.get_by_role("link", name="Roster import").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import the roster")
    page.get_by_label("OneRoster files").set_input_files(broken)
    page.get_by_role("button", name="Check the files").click()

    expect(page.get_by_role("heading", name=re.compile(r"Report: \d+ errors"))).to_be_visible()
    expect(page.get_by_role("cell", name="“pupil” is not a user role", exact=False)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Students"))).to_contain_text("1")
    page.get_by_role("link", name="upload again").first.click()

    page.get_by_label("OneRoster files").set_input_files(fixed)
    page.get_by_role("button", name="Check the files").click()
    expect(page.get_by_text("No errors.")).to_be_visible()
    page.get_by_role("button", name="Import").click()

    # The worker's part: run the queued task body (in eager mode it has run already; again is a no-op).
    with school_scope(school_a.school):
        run = ImportRun.objects.latest("pk")
    roster_import_task.apply(kwargs={"school_id": school_a.school.pk, "run_id": run.pk})
    expect(page.get_by_role("status").filter(has_text="Done.")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "100")

    page.get_by_role("link", name="See the people").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    expect(page.get_by_role("rowheader", name=re.compile("Sue Stu"))).to_be_visible()
    page.get_by_label("Role", exact=True).select_option("teacher")
    expect(page.get_by_role("rowheader", name=re.compile("Tina Teach"))).to_be_visible()
    expect(page.get_by_role("rowheader", name=re.compile("Sue Stu"))).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("Bravo")
