"""The deep-linking picker: a search box (htmx, and a plain GET without JavaScript) and a page of playlists
and one of competencies, in a constant number of queries however many the school holds; and the launch's
own query budget."""

import pytest
from django.urls import reverse

from lti.models import LtiUserLink
from playlists.models import Competency, Playlist
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import FrameworkFactory, MembershipFactory, PlaylistItemFactory, UserFactory
from tests.lti.conftest import lms_launch

PICKER = reverse("lti:deep_link", kwargs={"school_slug": "alpha"})


def _content(school, count: int):
    """``count`` playlists and ``count`` competencies of the school (bulk: the budget is about the page)."""
    framework = FrameworkFactory(school=school)
    with school_scope(school):
        Playlist.objects.bulk_create(
            Playlist(
                school=school, subject=framework.subject, title=f"Ratios week {n:03}", focus_area="Ratios"
            )
            for n in range(count)
        )
        Competency.objects.bulk_create(
            Competency(
                school=school,
                framework=framework,
                subject=framework.subject,
                code=f"6.RP.{n:03}",
                title=f"Unit rates {n:03}",
            )
            for n in range(count)
        )


@pytest.fixture
def picking(client, lms, school_a):
    """School A's teacher, launched from the LMS to place content."""
    response, _ = lms_launch(
        client, lms["platform"], lms["a"], login_hint="alpha-teacher", message_type="LtiDeepLinkingRequest"
    )
    assert response["Location"] == PICKER
    return client


def test_the_picker_shows_one_page_of_each_and_pages_on(picking, school_a):
    _content(school_a.school, 45)
    page = picking.get(PICKER)
    playlists, competencies = page.context["playlists"], page.context["competencies"]
    assert len(playlists.object_list) == 20 and playlists.paginator.count == 45
    assert len(competencies.object_list) == 20 and competencies.paginator.count == 45
    text = page.content.decode()
    assert "Ratios week 000" in text and "Ratios week 020" not in text
    third = picking.get(PICKER, {"playlists_page": 3})
    assert [p.title for p in third.context["playlists"].object_list] == [
        f"Ratios week {n:03}" for n in range(40, 45)
    ]
    assert third.context["competencies"].number == 1
    assert "?playlists_page=2" in third.content.decode()


def test_the_search_works_without_javascript_and_with_htmx(picking, school_a):
    _content(school_a.school, 30)
    found = picking.get(PICKER, {"q": "week 017"})
    assert [p.title for p in found.context["playlists"].object_list] == ["Ratios week 017"]
    assert found.context["competencies"].object_list == []
    assert 'value="week 017"' in found.content.decode()  # the box keeps the query
    by_code = picking.get(PICKER, {"q": "6.rp.02"})
    assert [c.code for c in by_code.context["competencies"].object_list] == [
        f"6.RP.{n:03}" for n in range(20, 30)
    ]
    partial = picking.get(PICKER, {"q": "week 017"}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert body.lstrip().startswith('<div id="choices"') and "<html" not in body
    assert "Ratios week 017" in body
    nothing = picking.get(PICKER, {"q": "geometry"})
    assert "No playlist matches" in nothing.content.decode()


def test_a_choice_from_a_later_page_is_placed(picking, school_a, lms):
    _content(school_a.school, 30)
    with school_scope(school_a.school):
        last = Playlist.objects.get(title="Ratios week 029")
    platform = lms["platform"]
    platform.tool_jwks[lms["a"].client_id] = picking.get(
        reverse("lti:jwks", kwargs={"registration": lms["a"].public_id})
    ).json()
    sent = picking.post(PICKER, {"choice": f"playlist:{last.pk}"})
    assert sent.status_code == 200 and 'id="lti-deep-link-return"' in sent.content.decode()


@pytest.mark.parametrize("count", [5, 200])
def test_the_picker_reads_in_constant_queries(picking, school_a, count, django_assert_max_num_queries):
    _content(school_a.school, count)
    with django_assert_max_num_queries(14):
        page = picking.get(PICKER)
    assert page.status_code == 200
    with django_assert_max_num_queries(14):
        assert picking.get(PICKER, {"q": "week", "playlists_page": 2}).status_code == 200


@pytest.mark.parametrize("count", [1, 40])
def test_the_launch_signs_in_in_constant_queries(client, lms, school_a, count, django_assert_max_num_queries):
    """The whole launch (login initiation, the LMS, the launch POST) of a playlist with many items, in a
    school with many playlists and people the LMS launched: what it reads does not grow."""
    _content(school_a.school, count)
    with school_scope(school_a.school):
        playlist = Playlist.objects.order_by("pk").first()
    for n in range(count):
        PlaylistItemFactory(playlist=playlist)
        user = UserFactory()
        MembershipFactory(school=school_a.school, user=user, role=Role.STUDENT)
        with school_scope(school_a.school):
            LtiUserLink.objects.create(
                school=school_a.school, registration=lms["a"], lms_user_id=f"x{n}", user=user
            )
    with django_assert_max_num_queries(70):
        response, _ = lms_launch(
            client, lms["platform"], lms["a"], login_hint="alpha-student",
            custom={"plp_playlist_id": str(playlist.pk)}, resource_link_id=f"link-{count}",
        )  # fmt: skip
    assert response.status_code == 302
