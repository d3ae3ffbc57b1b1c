"""Weekly goals may link to playlist items: in the goals page's form and in the API, same school only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mentoring import services
from mentoring.models import Goal
from plp.tenancy.context import school_scope
from schools.access import student_access_get
from schools.roles import Role
from tests.factories import ContentItemFactory, PlaylistAssignmentFactory, PlaylistItemFactory


@pytest.fixture
def assigned_item(school_a):
    placement = PlaylistItemFactory(
        playlist__school=school_a.school, item__title="Fraction drills", position=1
    )
    PlaylistAssignmentFactory(playlist=placement.playlist, section=school_a.section)
    return placement.item


def _goal_items(world):
    with school_scope(world.school):
        return [(goal.text, [i.title for i in goal.items.all()]) for goal in Goal.objects.order_by("pk")]


def test_a_student_links_a_weekly_goal_to_an_item_of_their_playlists_and_sees_it(
    client, school_a, assigned_item
):
    client.force_login(school_a.user(Role.STUDENT))
    url = reverse("mentoring:my_goals", args=["alpha"])
    form = client.get(url).content.decode()
    assert "Playlist items these goals work on" in form and "Fraction drills" in form

    response = client.post(
        url, {"action": "weekly", "goal_1": "Finish the drills", "items": [assigned_item.pk]}
    )

    assert response.status_code == 302
    assert _goal_items(school_a) == [("Finish the drills", ["Fraction drills"])]
    assert "Playlist items: “Fraction drills”" in client.get(url).content.decode()


def test_the_form_refuses_an_unassigned_or_foreign_item_and_keeps_the_text(client, school_a, school_b):
    unassigned = ContentItemFactory(school=school_a.school, title="Not in my playlists")
    foreign = ContentItemFactory(school=school_b.school)
    client.force_login(school_a.user(Role.STUDENT))
    url = reverse("mentoring:my_goals", args=["alpha"])
    for item in (unassigned, foreign):
        response = client.post(url, {"action": "weekly", "goal_1": "Typed goal", "items": [item.pk]})
        body = response.content.decode()
        assert response.status_code == 200 and "Select a valid choice" in body and "Typed goal" in body
    assert _goal_items(school_a) == []


def test_the_api_sets_weekly_goals_with_items_and_refuses_another_schools_item(
    school_a, school_b, assigned_item
):
    client = APIClient()
    client.force_authenticate(school_a.user(Role.STUDENT))
    url = reverse("api:mentoring_goal_list", args=["alpha"])
    foreign = ContentItemFactory(school=school_b.school)

    refused = client.post(url, {"texts": ["Other school"], "items": [foreign.pk]}, format="json")
    created = client.post(url, {"texts": ["Finish the drills"], "items": [assigned_item.pk]}, format="json")

    assert refused.status_code == 400 and "items" in refused.json()
    assert created.status_code == 201 and created.json()[0]["items"] == [assigned_item.pk]
    listed = client.get(url).json()
    assert [goal["items"] for goal in listed["results"]] == [[assigned_item.pk]]
    assert _goal_items(school_a) == [("Finish the drills", ["Fraction drills"])]


def test_the_service_refuses_an_item_of_another_school(school_a, school_b):
    foreign = ContentItemFactory(school=school_b.school)
    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        access = student_access_get(user=student, roles=frozenset({Role.STUDENT}), student_id=student.pk)
        with pytest.raises(ValidationError, match="items of this school"):
            services.weekly_goals_set(
                access=access, actor=student, week_of=timezone.localdate(), texts=["x"], items=[foreign]
            )
        assert not Goal.objects.exists()
