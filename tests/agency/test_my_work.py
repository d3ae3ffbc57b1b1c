"""The student's "My work" page: Next up with its reason, each playlist with progress and pace, projects."""

import pytest
from django.urls import reverse

from playlists.models import Playlist, PlaylistAssignment
from plp.tenancy.context import school_scope
from tests.factories import ItemProgressFactory, MembershipFactory, MilestoneFactory, UserFactory
from tests.playlists.conftest import build_playlist


@pytest.fixture
def ratios(school_a):
    return build_playlist(school_a, board_items=4, choose=2)


def _client(client, user):
    client.force_login(user)
    return client


MY_WORK = reverse("agency:my_work", kwargs={"school_slug": "alpha"})


def test_my_work_shows_next_up_with_its_reason_and_each_playlist_with_progress_and_pace(
    client, school_a, ratios
):
    student = school_a.user("student")
    ItemProgressFactory(item=ratios.placements[0].item, student=student)
    later = build_playlist(school_a, title="Proportions", required=1, target_days=60)

    response = _client(client, student).get(MY_WORK)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Ratios item 2" in body.split("My playlists")[0]  # next up: nearest deadline, first unfinished
    assert "Chosen by nearest deadline: the engine has not ranked your work yet." in body
    assert "1 of 5 done (20%)" in body  # 3 required + choose 2 of 4
    assert '<progress id="progress-' in body
    assert "choose 2 of 4 — 0 done" in body
    assert later.playlist.title in body
    assert body.index("Ratios") < body.index("Proportions")


def test_my_work_is_for_students(client, school_a):
    assert _client(client, school_a.user("teacher")).get(MY_WORK).status_code == 403


def test_my_work_has_an_empty_state(client, school_a):
    body = _client(client, school_a.user("student")).get(MY_WORK).content.decode()
    assert "Nothing is assigned to you yet." in body


def test_my_work_query_count_does_not_grow_with_playlists_and_items(
    client, school_a, django_assert_max_num_queries
):
    student = school_a.user("student")
    _client(client, student)
    build_playlist(school_a, title="One", required=1)
    MilestoneFactory(project__section=school_a.section)
    with django_assert_max_num_queries(16) as one:
        assert client.get(MY_WORK).status_code == 200
    for n in range(8):
        world = build_playlist(school_a, title=f"Many {n}", required=6, board_items=3)
        ItemProgressFactory(item=world.placements[0].item, student=student)
        MilestoneFactory(project__section=school_a.section)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(MY_WORK)
    assert response.content.decode().count("<progress") == 9


def test_students_see_their_projects_on_my_work(client, school_a):
    MilestoneFactory(project__section=school_a.section, project__title="Fair lunch", title="Pitch")
    MilestoneFactory(project__section=school_a.other_section, project__title="Not mine")
    body = _client(client, school_a.user("student")).get(MY_WORK).content.decode()
    assert "Fair lunch" in body and "Pitch" in body and "Not mine" not in body


def test_an_individually_assigned_playlist_reaches_only_that_student(client, school_a):
    world = build_playlist(school_a, title="Just for you", required=1)
    lone = UserFactory()
    MembershipFactory(school=school_a.school, user=lone, role="student")
    with school_scope(school_a.school):
        PlaylistAssignment.objects.filter(playlist=world.playlist).update(section=None, student=lone)
    assert "Just for you" in _client(client, lone).get(MY_WORK).content.decode()
    client.logout()
    assert "Just for you" not in _client(client, school_a.user("student")).get(MY_WORK).content.decode()


def test_my_work_and_the_playlist_page_describe_a_playlist_alike(client, school_a, ratios):
    """My work said "Power focus area · Mathematics" and the playlist's page "Power focus area · Ratios"."""
    with school_scope(school_a.school):
        Playlist.objects.filter(pk=ratios.playlist.pk).update(tier="power", focus_area="Proportions")
    subject = ratios.playlist.subject.name
    line = f"Power focus area · {subject} · Proportions"
    _client(client, school_a.user("student"))
    assert line in client.get(MY_WORK).content.decode()
    page = reverse("playlists:student_playlist", args=["alpha", ratios.playlist.pk])
    assert line in client.get(page).content.decode()
