"""Journeys in a real browser. Each reads like what a person does."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import TEST_PASSWORD, MembershipFactory


def test_a_teacher_logs_in_and_lands_on_their_schools_home(page, school_a, school_b):
    log_in(page, "teacher@alpha.example.test", TEST_PASSWORD)

    expect(page).to_have_url(re.compile(r"/s/alpha/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha Academy")
    expect(page.get_by_role("heading", name="Sections you teach")).to_be_visible()
    page.get_by_role("link", name="ALPHA-SECTION-ONE").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ALPHA-SECTION-ONE")
    expect(page.get_by_text(school_a.user("student").get_full_name())).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Bravo")

    page.get_by_role("button", name=re.compile("Log out")).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_a_person_in_two_schools_picks_one(page, school_a, school_b):
    MembershipFactory(user=school_a.user("teacher"), school=school_b.school, role="mentor")
    log_in(page, "teacher@alpha.example.test", TEST_PASSWORD)

    expect(page.get_by_role("heading", name="Choose a school")).to_be_visible()
    page.get_by_role("link", name="Bravo Secret Prep").click()
    expect(page).to_have_url(re.compile(r"/s/bravo/$"))
    expect(page.get_by_role("heading", name="Mentoring")).to_be_visible()


def test_a_wrong_password_shows_an_error_and_keeps_the_email(page, school_a):
    log_in(page, "teacher@alpha.example.test", "not the password")
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    expect(page.get_by_label("Email")).to_have_value("teacher@alpha.example.test")


def test_an_admin_searches_sections_without_reloading_the_page(page, school_a):
    log_in(page, "school_admin@alpha.example.test", TEST_PASSWORD)
    page.goto("/s/alpha/sections/")
    page.evaluate("window.__marker = 'same page'")
    page.get_by_label("Search by name, code or subject").fill("two")
    expect(page.get_by_role("link", name="ALPHA-SECTION-ONE")).to_have_count(0)
    expect(page.get_by_role("link", name="ALPHA-SECTION-TWO")).to_be_visible()
    assert page.evaluate("window.__marker") == "same page"
