"""List pages and APIs cost the same number of queries with one row or many."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import (
    CompetencyFactory,
    ContentItemFactory,
    ItemProgressFactory,
    MilestoneFactory,
    PlaylistAssignmentFactory,
    PlaylistItemFactory,
)


def _rows(school_a, n: int) -> None:
    for _ in range(n):
        competency = CompetencyFactory(framework__school=school_a.school)
        item = ContentItemFactory(school=school_a.school)
        item.competencies.add(competency)
        placement = PlaylistItemFactory(playlist__school=school_a.school, item=item)
        PlaylistAssignmentFactory(playlist=placement.playlist, section=school_a.section)
        ItemProgressFactory(item=item, student=school_a.user("student"))
        MilestoneFactory(project__section=school_a.section)


PAGES = [
    "playlists:playlist_list",
    "playlists:item_list",
    "playlists:framework_list",
    "playlists:project_list",
]
APIS = [
    "api:playlists_framework_list",
    "api:playlists_competency_list",
    "api:playlists_item_list",
    "api:playlists_playlist_list",
    "api:playlists_assignment_list",
    "api:playlists_progress",
    "api:playlists_project_list",
]


@pytest.mark.parametrize("name", PAGES + APIS)
def test_one_row_and_many_rows_cost_the_same_queries(name, school_a, django_assert_max_num_queries):
    client = APIClient()
    client.force_login(school_a.user("teacher"))
    target = reverse(name, kwargs={"school_slug": "alpha"})
    _rows(school_a, 1)
    with django_assert_max_num_queries(20) as one:
        assert client.get(target).status_code == 200
    _rows(school_a, 12)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(target).status_code == 200
