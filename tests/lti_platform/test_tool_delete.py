"""Deleting an external tool (not only switching it off): a confirmation page lists the items that use it and
the playlists they are in; the POST deletes the tool, its items (out of every playlist), their progress and
the scores, launches and opaque ids the tool held, while the evidence its scores gave stays in the mastery
ledger. School admins only."""

import pytest
from django.test import Client
from django.urls import reverse

from lti_platform.models import ToolItem, ToolLaunch, ToolRegistration, ToolScore, ToolSubject
from mastery.models import EvidenceEvent, MasteryState
from playlists.models import ContentItem, ItemProgress, PlaylistItem
from plp.tenancy.context import school_scope
from schools.roles import DISTRICT_ADMIN, Role
from tests.lti_platform.conftest import finish_launch, start_launch, student_client
from tests.lti_platform.matrix_part import tool_item_make, tool_make

pytestmark = pytest.mark.django_db


def _url(tool: ToolRegistration) -> str:
    return reverse(
        "lti_platform:tool_delete",
        kwargs={"school_slug": tool.school.slug, "tool_registration_id": tool.pk},
    )


@pytest.fixture
def scored(tools, school_a):
    """School A's student launched A's tool item and the tool sent a final score (evidence recorded)."""
    client = student_client(school_a)
    finish_launch(client, start_launch(client, tools["item_a"]))
    (launch,) = tools["tool"].launches.values()
    assert tools["tool"].score_post(launch, 8, 10)[0] == 200
    return tools


def test_the_confirmation_page_lists_the_items_their_playlists_and_what_stays(client, scored, school_a):
    tool_item = scored["item_a"]
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    response = client.get(_url(scored["a"]))
    assert response.status_code == 200
    page = response.content.decode()
    with school_scope(school_a.school):
        playlist = tool_item.item.placements.get().playlist
    assert tool_item.item.title in page and playlist.title in page
    assert "1 student" in page and "1 piece of evidence" in page
    with school_scope(school_a.school):  # a GET deletes nothing
        assert ToolRegistration.objects.filter(pk=scored["a"].pk).exists()
        assert ToolScore.objects.count() == 1


def test_deleting_takes_the_items_and_scores_but_the_evidence_stays(client, scored, school_a, school_b):
    a, tool_item = scored["a"], scored["item_a"]
    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        state_before = MasteryState.objects.get(student=student)
        evidence_before = list(EvidenceEvent.objects.values_list("pk", "source", "outcome"))
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    response = client.post(_url(a))
    assert response.status_code == 302
    assert response["Location"] == reverse("lti_platform:tools", kwargs={"school_slug": "alpha"})
    with school_scope(school_a.school):
        assert not ToolRegistration.objects.filter(pk=a.pk).exists()
        assert not ToolItem.objects.exists() and not ContentItem.objects.filter(pk=tool_item.item_id).exists()
        assert not PlaylistItem.objects.filter(item_id=tool_item.item_id).exists()
        assert not ItemProgress.objects.filter(item_id=tool_item.item_id).exists()
        assert not (ToolScore.objects.exists() or ToolLaunch.objects.exists() or ToolSubject.objects.exists())
        assert list(EvidenceEvent.objects.values_list("pk", "source", "outcome")) == evidence_before
        state = MasteryState.objects.get(student=student)
        assert (state.status, state.p_mastered) == (state_before.status, state_before.p_mastered)
    with school_scope(school_b.school):  # school B's registration of the same tool is untouched
        assert ToolRegistration.objects.filter(pk=scored["b"].pk).exists()
        assert ToolItem.objects.filter(pk=scored["item_b"].pk).exists()
    assert "deleted" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("role", [Role.TEACHER, Role.STUDENT, Role.MENTOR])
def test_only_the_schools_admins_reach_the_delete_page(client, school_a, role):
    tool = tool_make(school_a)
    client.force_login(school_a.user(role))
    assert client.get(_url(tool)).status_code == 404
    assert client.post(_url(tool)).status_code == 404
    with school_scope(school_a.school):
        assert ToolRegistration.objects.filter(pk=tool.pk).exists()


def test_a_district_admin_may_delete_a_schools_tool(client, school_a):
    tool = tool_make(school_a)
    client.force_login(school_a.user(DISTRICT_ADMIN))
    assert client.get(_url(tool)).status_code == 200
    assert client.post(_url(tool)).status_code == 302
    with school_scope(school_a.school):
        assert not ToolRegistration.objects.filter(pk=tool.pk).exists()


def test_another_schools_tool_is_a_404_and_is_kept(client, school_a, school_b):
    tool_b = tool_make(school_b)
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    url = reverse(
        "lti_platform:tool_delete", kwargs={"school_slug": "alpha", "tool_registration_id": tool_b.pk}
    )
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    with school_scope(school_b.school):
        assert ToolRegistration.objects.filter(pk=tool_b.pk).exists()


def test_delete_takes_get_and_post_only(client, school_a):
    tool = tool_make(school_a)
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    assert client.put(_url(tool)).status_code == 405


@pytest.mark.parametrize("items", [1, 12])
def test_the_confirmation_page_and_the_delete_run_in_a_constant_number_of_queries(
    school_a, items, django_assert_max_num_queries
):
    tool = tool_make(school_a)
    for _ in range(items):
        tool_item_make(school_a, tool)
    client = Client()
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    with django_assert_max_num_queries(24):
        page = client.get(_url(tool)).content.decode()
    assert page.count("<li><strong>") == items
    with django_assert_max_num_queries(60):
        assert client.post(_url(tool)).status_code == 302
