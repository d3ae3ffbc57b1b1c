"""The playlists cards of the school home page: a student's "Next up", a teacher's section playlists."""

from django.urls import reverse

from tests.factories import ItemProgressFactory, PlaylistAssignmentFactory, PlaylistFactory, SectionFactory
from tests.playlists.conftest import build_playlist

HOME = reverse("schools:home", args=["alpha"])


def test_a_student_sees_next_up_on_the_home_page_with_a_link_to_my_work(client, school_a, ratios):
    student = school_a.user("student")
    ItemProgressFactory(item=ratios.placements[0].item, student=student)
    client.force_login(student)
    body = client.get(HOME).content.decode()
    item_url = reverse(
        "playlists:student_item", args=["alpha", ratios.playlist.pk, ratios.placements[1].item_id]
    )
    assert "Next up" in body and f'href="{item_url}"' in body and "Ratios item 2" in body
    assert f'href="{reverse("agency:my_work", args=["alpha"])}"' in body


def test_a_student_with_nothing_assigned_sees_the_empty_state(client, school_a):
    client.force_login(school_a.user("student"))
    assert "Nothing is assigned to you yet." in client.get(HOME).content.decode()


def test_the_student_home_query_count_does_not_grow_with_playlists(
    client, school_a, django_assert_max_num_queries
):
    client.force_login(school_a.user("student"))
    build_playlist(school_a, title="One", required=1)
    with django_assert_max_num_queries(14) as one:
        assert client.get(HOME).status_code == 200
    for n in range(6):
        build_playlist(school_a, title=f"Many {n}", required=4, board_items=2)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(HOME).status_code == 200


def test_a_teacher_sees_the_playlists_of_the_sections_they_teach_only(client, school_a, ratios):
    other_section = SectionFactory(school=school_a.school, term=school_a.term, name="Not mine")
    PlaylistAssignmentFactory(
        playlist=PlaylistFactory(school=school_a.school, title="Elsewhere"), section=other_section
    )
    client.force_login(school_a.user("teacher"))
    body = client.get(HOME).content.decode()
    assert "Playlists of your sections" in body
    assert f'href="{reverse("playlists:playlist_detail", args=["alpha", ratios.playlist.pk])}"' in body
    assert "Elsewhere" not in body


def test_students_and_mentors_get_no_section_playlists_card(client, school_a, ratios):
    for role in ("student", "mentor"):
        client.force_login(school_a.user(role))
        assert "Playlists of your sections" not in client.get(HOME).content.decode()
