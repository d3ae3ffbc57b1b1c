"""The flag note form (acknowledge / resolve) keeps the note on error, the message next to it; the
grid's filter form (GET) keeps its choices."""

import pytest
from django.urls import reverse

from schools.roles import Role
from tests.form_checks import assert_kept_with_error

HTMX = [pytest.param({"HTTP_HX_REQUEST": "true"}, id="htmx"), pytest.param({}, id="plain")]


def url(name, world, **kwargs):
    return reverse(f"dashboard:{name}", kwargs={"school_slug": world.school.slug, **kwargs})


@pytest.mark.parametrize("headers", HTMX)
def test_resolving_a_flag_without_a_note_says_so_next_to_the_note(client, school_a, classroom, headers):
    client.force_login(school_a.user(Role.TEACHER))
    response = client.post(url("flag_resolve", school_a, flag_id=classroom.flag.pk), {"note": " "}, **headers)
    assert response.status_code in {200, 400}
    assert_kept_with_error(response, name="note", typed=" ", error="Say how it was resolved")


@pytest.mark.parametrize("headers", HTMX)
def test_a_note_too_long_is_kept_whole(client, school_a, classroom, headers):
    client.force_login(school_a.user(Role.TEACHER))
    note = "Talked to her. " * 140  # 2,100 characters
    target = url("flag_acknowledge", school_a, flag_id=classroom.flag.pk)
    response = client.post(target, {"note": note}, **headers)
    assert_kept_with_error(response, name="note", typed=note, error="at most 2000 characters")


def test_the_grid_filters_keep_their_choices(client, school_a, classroom):
    client.force_login(school_a.user(Role.TEACHER))
    query = {"sort": "pace", "name": "Given", "flagged": "on", "competency": "999999"}
    response = client.get(url("section", school_a, section_id=school_a.section.pk), query)
    assert response.status_code == 200
    assert_kept_with_error(response, name="sort", typed="pace")
    assert_kept_with_error(response, name="name", typed="Given")
    assert_kept_with_error(response, name="flagged", typed=True)
