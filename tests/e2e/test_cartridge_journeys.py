"""A teacher imports a real Common Cartridge from the home page: finds the page by links, reads the dry
run, imports, and opens a new playlist with the cartridge's items in order."""

from playwright.sync_api import expect

from playlists.models import Playlist
from plp.tenancy.context import school_scope
from tests.e2e.conftest import log_in
from tests.factories import TEST_PASSWORD
from tests.playlists.cartridges import FIXTURES


def test_a_teacher_checks_a_cartridge_imports_it_and_opens_the_new_playlist(page, school_a):
    log_in(page, "teacher@alpha.example.test", TEST_PASSWORD)
    page.get_by_role("link", name="Playlists").first.click()
    page.get_by_role("link", name="Import a Common Cartridge").click()

    page.get_by_label("Common Cartridge file").set_input_files(str(FIXTURES / "py4e_export.imscc"))
    page.get_by_label("Subject").fill("Computing")
    page.get_by_role("button", name="Check (dry run)").click()
    expect(page.get_by_role("heading", name="Dry run: what the import would do")).to_be_visible()
    expect(page.get_by_role("row", name="Playlists 17 0")).to_be_visible()
    expect(page.get_by_role("row", name="Content items 131 0")).to_be_visible()
    expect(page.get_by_role("row", name="Tool: Autograder: Write Hello World").first).to_contain_text(
        "an LTI tool link"
    )
    with school_scope(school_a.school):
        assert not Playlist.objects.exists()

    page.get_by_role("button", name="Import").click()  # the checked file rides along: no second upload
    expect(page.get_by_role("heading", name="Imported", exact=True)).to_be_visible()
    page.get_by_role("link", name="Why Program?").click()
    expect(page.get_by_role("heading", name="Why Program?")).to_be_visible()
    expect(page.get_by_text("1. Video: Why Program - Part 1")).to_be_visible()
    expect(page.get_by_text("2. Video: Why Program - Part 2")).to_be_visible()
    with school_scope(school_a.school):
        assert Playlist.objects.count() == 17
