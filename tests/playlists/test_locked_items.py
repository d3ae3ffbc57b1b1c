""" "Why it's locked": items whose competencies' prerequisites the student has not mastered say so, naming
the prerequisite codes (gating must never fail silently)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from engine.policy.next_item import locked_items
from engine.snapshots import load_snapshots
from mastery.models import MasteryState
from playlists.models import ItemProgress
from playlists.selectors import unmet_prerequisites
from plp.tenancy.context import school_scope
from tests.factories import CompetencyFactory, ItemProgressFactory
from tests.playlists.conftest import build_playlist


@pytest.fixture
def gated(school_a, ratios):
    """Ratios item 1 works on RP.2, which needs RP.1 and NS.1; item 2 on RP.1, which needs nothing."""
    with school_scope(school_a.school):
        rp1 = CompetencyFactory(framework__school=school_a.school, code="ALPHA.RP.1")
        ns1 = CompetencyFactory(framework=rp1.framework, code="ALPHA.NS.1")
        rp2 = CompetencyFactory(framework=rp1.framework, code="ALPHA.RP.2")
        rp2.prerequisites.add(rp1, ns1, through_defaults={"school": school_a.school})
        ratios.placements[0].item.competencies.set([rp2])
        ratios.placements[1].item.competencies.set([rp1])
    return ratios, rp1, ns1


def _master(world, competency):
    with school_scope(world.school):
        MasteryState.objects.create(
            school=world.school, student=world.user("student"), competency=competency, status="mastered"
        )


def test_an_item_page_says_why_it_is_locked_naming_the_prerequisites_not_mastered(client, school_a, gated):
    ratios, rp1, _ = gated
    _master(school_a, rp1)
    client.force_login(school_a.user("student"))
    locked = reverse(
        "playlists:student_item", args=["alpha", ratios.playlist.pk, ratios.placements[0].item_id]
    )
    free = reverse("playlists:student_item", args=["alpha", ratios.playlist.pk, ratios.placements[1].item_id])
    body = client.get(locked).content.decode()
    assert "Why it's locked" in body and "ALPHA.NS.1" in body and "ALPHA.RP.1" not in body
    assert "Why it's locked" not in client.get(free).content.decode()


def test_my_work_and_the_playlist_page_name_what_the_next_item_needs_first(client, school_a, gated):
    ratios, _, _ = gated
    client.force_login(school_a.user("student"))
    my_work = client.get(reverse("agency:my_work", args=["alpha"])).content.decode()
    assert "Needs first:</strong> ALPHA.NS.1, ALPHA.RP.1" in my_work.split("My playlists")[0]
    playlist = client.get(reverse("playlists:student_playlist", args=["alpha", ratios.playlist.pk])).content
    assert playlist.decode().count("Needs first:") == 1


def test_once_every_prerequisite_is_mastered_nothing_is_locked(school_a, gated):
    ratios, rp1, ns1 = gated
    _master(school_a, rp1)
    _master(school_a, ns1)
    with school_scope(school_a.school):
        ids = [p.item_id for p in ratios.placements]
        assert unmet_prerequisites(student=school_a.user("student"), item_ids=ids) == {}
        assert unmet_prerequisites(student=school_a.user("teacher"), item_ids=ids) == {
            ratios.placements[0].item_id: ["ALPHA.NS.1", "ALPHA.RP.1"]
        }  # mastery is per student


def test_the_playlist_page_query_count_does_not_grow_with_locked_items(
    client, school_a, gated, django_assert_max_num_queries
):
    ratios, rp1, _ = gated
    client.force_login(school_a.user("student"))
    url = reverse("playlists:student_playlist", args=["alpha", ratios.playlist.pk])
    with django_assert_max_num_queries(20) as one:
        assert client.get(url).status_code == 200
    with school_scope(school_a.school):
        for placement in ratios.placements + ratios.board_placements:
            placement.item.competencies.add(CompetencyFactory(framework=rp1.framework))
            ItemProgressFactory(item=placement.item, student=school_a.user("student"), status="in_progress")
        for competency in rp1.framework.competencies.exclude(code__startswith="ALPHA"):
            competency.prerequisites.add(rp1, through_defaults={"school": school_a.school})
    build_playlist(school_a, title="Other")
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count("Needs first:") == 6  # not item 2: it works on RP.1 itself, so RP.1 does not lock it


def test_items_of_a_mastered_competency_do_not_look_locked(client, school_a, gated):
    """RP.2 mastered (a passed check, or a teacher's override) while RP.1 and NS.1 are not: RP.2's item
    must not say "Needs first" on any page."""
    ratios, _, _ = gated
    with school_scope(school_a.school):
        rp2 = ratios.placements[0].item.competencies.get()
    _master(school_a, rp2)
    client.force_login(school_a.user("student"))
    item = reverse("playlists:student_item", args=["alpha", ratios.playlist.pk, ratios.placements[0].item_id])
    playlist = reverse("playlists:student_playlist", args=["alpha", ratios.playlist.pk])
    my_work = reverse("agency:my_work", args=["alpha"])
    for url in (item, playlist, my_work):
        body = client.get(url).content.decode()
        assert "Needs first" not in body and "Why it's locked" not in body, url


def test_an_item_working_on_its_own_prerequisite_is_not_locked_by_it(school_a, gated):
    ratios, rp1, _ = gated
    with school_scope(school_a.school):
        ratios.placements[0].item.competencies.add(rp1)  # it works on RP.2 and on RP.1 itself
        item_id = ratios.placements[0].item_id
        assert unmet_prerequisites(student=school_a.user("student"), item_ids=[item_id]) == {
            item_id: ["ALPHA.NS.1"]
        }


@pytest.mark.parametrize("mastered", [(), ("rp1",), ("rp2",), ("rp1", "ns1")])
def test_the_pages_and_the_engine_lock_the_same_items_for_the_same_reasons(school_a, gated, mastered):
    ratios, rp1, ns1 = gated
    with school_scope(school_a.school):
        rp2 = ratios.placements[0].item.competencies.get()
    for name in mastered:
        _master(school_a, {"rp1": rp1, "ns1": ns1, "rp2": rp2}[name])
    student = school_a.user("student")
    with school_scope(school_a.school):
        snapshot = load_snapshots(student_ids=[student.pk], today=timezone.localdate())[student.pk]
        ids = [p.item_id for p in ratios.placements + ratios.board_placements]
        shown = unmet_prerequisites(student=student, item_ids=ids)
    assert shown == {locked.item_id: list(locked.missing_codes) for locked in locked_items(snapshot)}


def test_a_locked_item_cannot_be_marked_done_by_page_htmx_or_api_and_says_why(client, school_a, gated):
    ratios, _, _ = gated
    locked = ratios.placements[0]
    student = school_a.user("student")
    client.force_login(student)
    page_url = reverse("playlists:student_item", args=["alpha", ratios.playlist.pk, locked.item_id])
    page = client.get(page_url).content.decode()
    done_url = reverse("playlists:item_done", args=["alpha", ratios.playlist.pk, locked.item_id])
    assert "once it is unlocked" in page and done_url not in page

    refused = client.post(done_url, follow=True)
    assert refused.redirect_chain[-1][0] == page_url
    assert "This item is locked: it builds on ALPHA.NS.1, ALPHA.RP.1" in refused.content.decode()
    swapped = client.post(done_url, headers={"HX-Request": "true"})
    assert swapped.status_code == 200 and swapped["HX-Redirect"] == page_url  # a whole page, not the part
    api = APIClient()
    api.force_authenticate(student)
    answer = api.post(
        "/api/v1/s/alpha/playlists/progress/",
        {"playlist": ratios.playlist.pk, "item": locked.item_id},
        format="json",
    )
    assert answer.status_code == 403 and "This item is locked" in answer.json()["detail"]
    with school_scope(school_a.school):
        assert ItemProgress.objects.get(student=student, item=locked.item).status == "in_progress"


def test_an_unlocked_item_is_marked_done_as_before(client, school_a, gated):
    ratios, rp1, ns1 = gated
    _master(school_a, rp1)
    _master(school_a, ns1)
    client.force_login(school_a.user("student"))
    url = reverse("playlists:item_done", args=["alpha", ratios.playlist.pk, ratios.placements[0].item_id])
    assert client.post(url).status_code == 302
    with school_scope(school_a.school):
        progress = ItemProgress.objects.get(student=school_a.user("student"), item=ratios.placements[0].item)
    assert progress.status == "done"
