"""Handing a file in for an item follows the item's own rules, as its page applies them: only an item that
asks for a file takes one, a locked item takes none yet, and the student's level decides whether they may
start it; each refusal is a clear message, never a 500, and nothing is stored."""

import pytest
from django.urls import reverse

from playlists.models import ContentItem, ItemProgress
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.agency.conftest import place
from tests.factories import CompetencyFactory, PlaylistItemFactory
from tests.submissions import files
from tests.submissions.test_item_files import item_url, placement, upload_url  # noqa: F401 (a fixture)
from tests.submissions.test_views import stored


def _hand_in(client, world, placement):  # noqa: F811
    client.force_login(world.user(Role.STUDENT))
    return client.post(upload_url(placement), {"file": files.upload("mine.pdf", files.PDF)}, follow=True)


def test_an_item_that_does_not_ask_for_a_file_shows_no_hand_in_and_refuses_one(client, school_a, placement):  # noqa: F811
    with school_scope(school_a.school):
        ContentItem.objects.filter(pk=placement.item_id).update(asks_for_file=False)
    client.force_login(school_a.user(Role.STUDENT))
    page = client.get(item_url(placement)).content.decode()
    assert "Hand in a file" not in page and upload_url(placement) not in page
    response = _hand_in(client, school_a, placement)
    assert response.status_code == 200
    assert "does not ask for a file" in response.content.decode()
    assert stored(school_a) == []


def test_a_locked_item_takes_no_file_and_says_why(client, school_a, placement):  # noqa: F811
    with school_scope(school_a.school):
        needed = CompetencyFactory(framework__school=school_a.school, code="ALPHA.NS.1")
        builds = CompetencyFactory(framework=needed.framework, code="ALPHA.RP.2")
        builds.prerequisites.add(needed, through_defaults={"school": school_a.school})
        placement.item.competencies.set([builds])
    client.force_login(school_a.user(Role.STUDENT))
    page = client.get(item_url(placement)).content.decode()
    assert "Why it's locked" in page and "once the item is unlocked" in page
    assert upload_url(placement) not in page
    response = _hand_in(client, school_a, placement)
    body = response.content.decode()
    assert response.status_code == 200 and "This item is locked: it builds on ALPHA.NS.1" in body
    assert stored(school_a) == []


def test_the_students_level_decides_as_for_opening_the_item(client, school_a, placement):  # noqa: F811
    # After the first, wherever the factory's sequence has reached (a full run passes any fixed number).
    second = PlaylistItemFactory(
        playlist=placement.playlist, item__school=school_a.school, item__asks_for_file=True,
        position=placement.position + 1, item__title="Second worksheet",
    )  # fmt: skip
    student = school_a.user(Role.STUDENT)
    place(school_a, student, 1, by=Role.SCHOOL_ADMIN)  # Guided: the platform assigns the next
    response = _hand_in(client, school_a, second)
    assert response.status_code == 200 and "At Guided, the platform assigns your next item" in (
        response.content.decode()
    )
    assert stored(school_a) == []
    with school_scope(school_a.school):
        assert not ItemProgress.objects.filter(student=student, item=second.item).exists()
    # The assigned item takes the file, and handing it in starts it (as opening it would).
    assert _hand_in(client, school_a, placement).status_code == 200
    assert [f.item_id for f in stored(school_a)] == [placement.item_id]
    with school_scope(school_a.school):
        assert ItemProgress.objects.get(student=student, item=placement.item).status == "in_progress"


@pytest.mark.parametrize("kind", ["reading", "exercise"])
def test_an_author_sets_asks_for_a_file_on_the_item_form(client, school_a, kind):
    client.force_login(school_a.user(Role.TEACHER))
    data = {"title": "Worksheet", "kind": kind, "body": "Do it on paper.", "estimated_minutes": 10,
            "difficulty": 2, "asks_for_file": "on"}  # fmt: skip
    url = reverse("playlists:item_create", args=["alpha"])
    assert "asks for a file" in client.get(url).content.decode().lower()
    assert client.post(url, data).status_code == 302
    with school_scope(school_a.school):
        assert ContentItem.objects.get(title="Worksheet").asks_for_file


def test_an_external_tools_item_never_asks_for_a_file(school_a):
    from django.core.exceptions import ValidationError

    with school_scope(school_a.school):
        item = ContentItem(school=school_a.school, title="Tool", kind="lti_tool", asks_for_file=True)
        with pytest.raises(ValidationError) as refused:
            item.full_clean(exclude=["school"])
    assert "takes no file" in str(refused.value)
