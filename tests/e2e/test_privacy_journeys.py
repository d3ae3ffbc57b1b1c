"""A school admin of the demo school reads the audit log, records a parent's consent, exports a student's
data and erases them, in Chromium."""

import io
import re
import zipfile
from io import StringIO

from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from tests.e2e.conftest import log_in

DEMO_PASSWORD = "plp-demo-2026"


def test_a_school_admin_sees_who_read_a_student_then_exports_and_erases_them(page):
    call_command("seed_demo", "--students", "4", stdout=StringIO())
    student = User.objects.get(email="student002.cedar@demo.plp.test")
    name = student.get_full_name()

    # A teacher opens the student's drill-down: the read the admin will find.
    log_in(page, "teacher.cedar@demo.plp.test", DEMO_PASSWORD)
    page.goto(f"/s/cedar-ridge/dashboard/students/{student.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(student.given_name)
    page.get_by_role("button", name=re.compile("Log out")).click()

    log_in(page, "admin.cedar@demo.plp.test", DEMO_PASSWORD)
    page.goto("/s/cedar-ridge/")
    page.get_by_role("link", name="Audit log", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    page.get_by_label("Student").select_option(label=student.picker_label)
    page.get_by_role("button", name="Filter").click()
    row = page.get_by_role("row").filter(has_text="Student drill-down")
    expect(row).to_contain_text("teacher.cedar@demo.plp.test")
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Export as CSV").click()
    with open(csv_download.value.path()) as exported:
        assert "Student drill-down" in exported.read()

    page.get_by_role("link", name="Privacy").first.click()
    page.get_by_label("Search by name or email").fill(student.given_name)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)

    # Under 13 and no consent yet: the export is refused with the reason.
    page.get_by_label("Under 13").check()
    page.get_by_label("Parental consent").select_option("pending")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Consent recorded.")).to_be_visible()
    page.get_by_role("button", name="Export this student's data").click()
    expect(page.get_by_role("status")).to_contain_text("the export is refused")

    page.get_by_label("Parental consent").select_option("granted")
    page.get_by_label("Note (how the parent answered)").fill("Signed form at the office")
    page.get_by_role("button", name="Record").click()
    with page.expect_download() as zip_download:
        page.get_by_role("button", name="Export this student's data").click()
    with open(zip_download.value.path(), "rb") as exported:
        archive = zipfile.ZipFile(io.BytesIO(exported.read()))
    assert "student.json" in archive.namelist() and "csv/audit_trail.csv" in archive.namelist()

    page.get_by_role("link", name="Erase this student…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Erase {name}")
    expect(page.get_by_role("cell", name="Practice answers")).to_be_visible()
    page.get_by_label("Type ERASE to confirm").fill("erase")
    page.get_by_role("button", name="Erase the student").click()
    expect(page.get_by_text("Type ERASE, in capitals, to confirm.")).to_be_visible()
    page.get_by_label("Type ERASE to confirm").fill("ERASE")
    page.get_by_role("button", name="Erase the student").click()
    expect(page.get_by_role("status")).to_contain_text("The student was erased")
    pseudonym = re.search(r"“(Erased student \w+)”", page.get_by_role("status").inner_text()).group(1)
    expect(page.get_by_text(name, exact=False)).to_have_count(0)

    page.get_by_role("link", name="Audit log", exact=True).click()
    expect(page.get_by_role("row").filter(has_text="Erasure")).to_contain_text(pseudonym)
    expect(page.get_by_role("row").filter(has_text="Student drill-down").first).to_contain_text(pseudonym)
