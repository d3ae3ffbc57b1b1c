"""A journey in a real browser: a student hands in a milestone file from their project page (a disguised
program first, refused in place), the teacher opens it from the scoring page, and another school's admin
who has the file's address gets a 404."""

from pathlib import Path

from playwright.sync_api import expect

from schools.roles import Role
from tests.e2e.conftest import log_in
from tests.factories import TEST_PASSWORD, MilestoneFactory
from tests.submissions import files


def _signed_in(browser, live_server, email):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, email, TEST_PASSWORD)
    return context, page


def test_a_student_hands_in_a_file_the_teacher_opens_it_and_another_school_cannot(
    page, browser, live_server, school_a, school_b
):
    milestone = MilestoneFactory(project__section=school_a.section, title="Survey results")
    project = milestone.project
    log_in(page, "student@alpha.example.test", TEST_PASSWORD)
    page.goto(f"/s/alpha/playlists/projects/{project.pk}/")

    form = page.locator(f"#milestone-form-{milestone.pk}")
    form.get_by_label("Your work").fill("Our class survey, charted.")
    disguised = {"name": "survey.pdf", "mimeType": "application/pdf", "buffer": files.WINDOWS_PROGRAM}
    form.get_by_label("Attach a file").set_input_files(disguised)
    form.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("The file is named .pdf but it is a Windows program")).to_be_visible()
    expect(page.locator(f"#milestone-form-{milestone.pk}").get_by_label("Your work")).to_have_value(
        "Our class survey, charted."
    )

    form = page.locator(f"#milestone-form-{milestone.pk}")
    real = {"name": "Survey results.pdf", "mimeType": "application/pdf", "buffer": files.PDF}
    form.get_by_label("Attach a file").set_input_files(real)
    form.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("✓ Submitted")).to_be_visible()
    link = page.get_by_role("link", name="Survey results.pdf")
    expect(link).to_be_visible()
    expect(page.get_by_text("Current file")).to_be_visible()
    file_path = link.get_attribute("href")
    assert file_path.startswith("/s/alpha/files/") and "Survey" not in file_path

    teacher_context, teacher = _signed_in(browser, live_server, "teacher@alpha.example.test")
    try:
        student = school_a.user(Role.STUDENT)
        teacher.goto(f"/s/alpha/playlists/projects/{project.pk}/students/{student.pk}/score/")
        expect(teacher.get_by_text("Our class survey, charted.")).to_be_visible()
        with teacher.expect_download() as opened:
            teacher.get_by_role("link", name="Survey results.pdf").click()
        download = opened.value
        assert download.suggested_filename == "Survey results.pdf"
        assert Path(download.path()).read_bytes() == files.PDF
    finally:
        teacher_context.close()

    other_context, other = _signed_in(browser, live_server, "school_admin@bravo.example.test")
    try:
        assert other.request.get(file_path).status == 404
        assert other.request.get(file_path.replace("/s/alpha/", "/s/bravo/")).status == 404
    finally:
        other_context.close()


def test_a_student_hands_in_a_file_for_an_exercise_and_the_teacher_opens_it_from_the_drill_down(
    page, browser, live_server, school_a
):
    from tests.factories import PlaylistAssignmentFactory, PlaylistItemFactory

    placement = PlaylistItemFactory(
        playlist__school=school_a.school,
        item__school=school_a.school,
        item__kind="exercise",
        item__title="Ratio tables worksheet",
        item__asks_for_file=True,
    )
    PlaylistAssignmentFactory(playlist=placement.playlist, section=school_a.section)
    log_in(page, "student@alpha.example.test", TEST_PASSWORD)
    page.goto(f"/s/alpha/playlists/my-work/{placement.playlist_id}/items/{placement.item_id}/")
    disguised = {"name": "sheet.pdf", "mimeType": "application/pdf", "buffer": files.WEB_PAGE}
    page.get_by_label("Attach a file").set_input_files(disguised)
    page.get_by_role("button", name="Hand in the file").click()
    expect(page.get_by_text("The file is named .pdf but it is a web page")).to_be_visible()
    real = {"name": "Worksheet.pdf", "mimeType": "application/pdf", "buffer": files.PDF}
    page.get_by_label("Attach a file").set_input_files(real)
    page.get_by_role("button", name="Hand in the file").click()
    expect(page.get_by_text("is handed in")).to_be_visible()
    expect(page.get_by_role("link", name="Worksheet.pdf")).to_be_visible()

    teacher_context, teacher = _signed_in(browser, live_server, "teacher@alpha.example.test")
    try:
        teacher.goto(f"/s/alpha/dashboard/students/{school_a.user(Role.STUDENT).pk}/")
        with teacher.expect_download() as opened:
            teacher.get_by_role("link", name="Worksheet.pdf").click()
        assert Path(opened.value.path()).read_bytes() == files.PDF
    finally:
        teacher_context.close()
