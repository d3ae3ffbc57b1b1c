"""Choice boards on the playlist page: authors (teachers, school admins) rename a board, change its k
within its items, and delete it, its items staying in the playlist; with htmx or plain forms."""

import pytest
from django.urls import reverse

from playlists.models import ChoiceBoard, PlaylistItem
from plp.tenancy.context import school_scope
from schools.roles import DISTRICT_ADMIN, Role
from tests.factories import ChoiceBoardFactory
from tests.playlists.conftest import build_playlist


def _as(client, user):
    client.force_login(user)
    return client


def _url(name, ratios, **kwargs):
    kwargs = {"playlist_id": ratios.playlist.pk, **kwargs}
    return reverse(f"playlists:{name}", kwargs={"school_slug": "alpha", **kwargs})


def _board_data(board, label, choose):
    return {f"board-{board.pk}-label": label, f"board-{board.pk}-choose": choose}


def _board(school, board):
    with school_scope(school):
        return ChoiceBoard.objects.filter(pk=board.pk).values_list("label", "choose").first()


def _items(school, playlist):
    with school_scope(school):
        return list(
            PlaylistItem.objects.filter(playlist=playlist)
            .order_by("position")
            .values_list("item__title", "choice_board_id")
        )


def test_the_playlist_page_shows_each_board_with_its_form_and_what_deleting_it_does(client, school_a, ratios):
    body = _as(client, school_a.user(Role.TEACHER)).get(_url("playlist_detail", ratios)).content.decode()
    assert "<strong>Ratios board</strong>: students choose 2 of 4 items" in body
    assert f'name="board-{ratios.board.pk}-choose" id="id_board-{ratios.board.pk}-choose" value="2"' in body
    assert 'min="1" max="4"' in body
    assert (
        "Its 4 items will stay in the playlist, in place, as ordinary items, each required or optional as it "
        "is marked now: 4 of 4 required. Students then do every required one instead of choosing 2. "
        "Their progress is kept."
    ) in body


def test_a_teacher_renames_a_board_and_changes_its_k_with_htmx(client, school_a, ratios):
    response = _as(client, school_a.user(Role.TEACHER)).post(
        _url("board_update", ratios, board_id=ratios.board.pk),
        _board_data(ratios.board, "Show it", 3),
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "<strong>Show it</strong>: students choose 3 of 4 items" in body
    assert _board(school_a.school, ratios.board) == ("Show it", 3)


def test_a_school_admin_changes_a_board_without_javascript(client, school_a, ratios):
    response = _as(client, school_a.user(Role.SCHOOL_ADMIN)).post(
        _url("board_update", ratios, board_id=ratios.board.pk), _board_data(ratios.board, "Pick one", 1)
    )
    assert response.status_code == 302 and response["Location"] == _url("playlist_detail", ratios)
    assert _board(school_a.school, ratios.board) == ("Pick one", 1)


@pytest.mark.parametrize(
    ("choose", "message"),
    [
        (5, "“Ratios board” has 4 items: students can choose 1 to 4 of them, not 5."),
        (0, "Ensure this value is greater than or equal to 1."),  # next to the field, not prefixed on top
        ("", "This field is required."),
    ],
)
def test_k_outside_the_boards_items_is_refused_with_a_clear_message(
    client, school_a, ratios, choose, message
):
    _as(client, school_a.user(Role.TEACHER))
    target = _url("board_update", ratios, board_id=ratios.board.pk)
    part = client.post(
        target, _board_data(ratios.board, "Typed", choose), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f"<li>{message}</li>" in part
    assert 'value="Typed"' in part  # what was typed is kept
    page = client.post(target, _board_data(ratios.board, "Typed", choose), follow=True).content.decode()
    assert message in page and 'value="Typed"' in page  # without htmx: the page again, as typed
    assert _board(school_a.school, ratios.board) == ("Ratios board", 2)


def test_deleting_a_board_keeps_its_items_in_the_playlist(client, school_a, ratios):
    before = [title for title, _ in _items(school_a.school, ratios.playlist)]
    response = _as(client, school_a.user(Role.TEACHER)).post(
        _url("board_delete", ratios, board_id=ratios.board.pk), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Deleted the choice board “Ratios board”: its 4 items stay as ordinary items." in body
    assert "Ratios board" not in body.replace("“Ratios board”", "")
    assert body.count('<span class="badge">required</span>') == 7
    assert _board(school_a.school, ratios.board) is None
    assert _items(school_a.school, ratios.playlist) == [(title, None) for title in before]


def test_deleting_without_javascript_returns_to_the_page_with_the_message(client, school_a, ratios):
    response = _as(client, school_a.user(Role.TEACHER)).post(
        _url("board_delete", ratios, board_id=ratios.board.pk), follow=True
    )
    assert "its 4 items stay as ordinary items" in response.content.decode()
    assert len(_items(school_a.school, ratios.playlist)) == 7


def test_a_board_is_found_only_through_its_own_playlist(client, school_a, ratios):
    other = build_playlist(school_a, title="Other", required=1, board_items=1)
    _as(client, school_a.user(Role.TEACHER))
    wrong = _url("board_update", ratios, board_id=other.board.pk)
    assert client.post(wrong, _board_data(other.board, "Hijacked", 1)).status_code == 404
    assert client.post(_url("board_delete", ratios, board_id=other.board.pk)).status_code == 404
    assert _board(school_a.school, other.board) == ("Other board", 2)


def test_the_board_urls_take_only_posts(client, school_a, ratios):
    _as(client, school_a.user(Role.TEACHER))
    assert client.get(_url("board_update", ratios, board_id=ratios.board.pk)).status_code == 405
    assert client.get(_url("board_delete", ratios, board_id=ratios.board.pk)).status_code == 405
    assert _board(school_a.school, ratios.board) == ("Ratios board", 2)


@pytest.mark.parametrize(
    ("role", "status", "authors"),
    [
        (Role.STUDENT, 404, False),
        (Role.MENTOR, 403, False),
        (DISTRICT_ADMIN, 403, False),
        (Role.TEACHER, 302, True),
        (Role.SCHOOL_ADMIN, 302, True),
    ],
)
def test_only_authors_change_or_delete_boards(client, school_a, ratios, role, status, authors):
    spare = ChoiceBoardFactory(playlist=ratios.playlist, label="Spare")
    _as(client, school_a.user(role))
    page = client.get(_url("playlist_detail", ratios))
    assert ("Delete “Ratios board”" in page.content.decode()) is authors
    update = client.post(
        _url("board_update", ratios, board_id=ratios.board.pk), _board_data(ratios.board, "Changed", 1)
    )
    assert update.status_code == status
    assert client.post(_url("board_delete", ratios, board_id=spare.pk)).status_code == status
    assert (_board(school_a.school, ratios.board) == ("Changed", 1)) is authors
    assert (_board(school_a.school, spare) is None) is authors
