"""Every search box (a GET form) shows the query it found, so a person refines it instead of retyping.
The POST forms' keep-what-was-typed tests are in tests/<app>/test_forms_keep_input.py."""

import pytest
from django.urls import reverse

from schools.roles import Role
from tests.form_checks import assert_kept_with_error

QUERY = "Nobody & “quotes” <b>"


@pytest.mark.parametrize(
    ("role", "page"),
    [
        (Role.TEACHER, "learners:student_list"),
        (Role.TEACHER, "playlists:playlist_list"),
        (Role.TEACHER, "playlists:item_list"),
        (Role.TEACHER, "schools:section_list"),
        (Role.SCHOOL_ADMIN, "schools:people"),
        (Role.SCHOOL_ADMIN, "schools:mentor_assign"),
    ],
)
def test_a_search_box_keeps_its_query(client, school_a, role, page):
    client.force_login(school_a.user(role))
    response = client.get(reverse(page, args=["alpha"]), {"q": QUERY})
    assert response.status_code == 200
    assert_kept_with_error(response, name="q", typed=QUERY)
