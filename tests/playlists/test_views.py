"""Pages: the student's playlist and item pages, framework import, content and playlist authoring."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from playlists.models import ContentItem, Framework, ItemProgress, Playlist, PlaylistAssignment, PlaylistItem
from plp.tenancy.context import school_scope
from tests.factories import ContentItemFactory, ItemProgressFactory, UserFactory
from tests.playlists.conftest import build_playlist
from tests.playlists.test_case_import import REAL_CASE


def _client(client, user):
    client.force_login(user)
    return client


def url(name, **kwargs):
    return reverse(f"playlists:{name}", kwargs={"school_slug": "alpha", **kwargs})


def test_a_student_opens_an_item_starts_it_and_marks_it_done_with_htmx(client, school_a, ratios):
    student = school_a.user("student")
    placement = ratios.placements[0]
    _client(client, student)
    page = client.get(url("student_item", playlist_id=ratios.playlist.pk, item_id=placement.item_id))
    assert page.status_code == 200
    assert "<strong>carefully</strong>" in page.content.decode()  # markdown rendered
    with school_scope(school_a.school):
        assert ItemProgress.objects.get(student=student).status == "in_progress"

    done_url = url("item_done", playlist_id=ratios.playlist.pk, item_id=placement.item_id)
    assert client.get(done_url).status_code == 405
    response = client.post(done_url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Trigger"] == "itemDone"
    assert "✓ Done" in response.content.decode() and "<html" not in response.content.decode()
    with school_scope(school_a.school):
        assert ItemProgress.objects.get(student=student).status == "done"

    playlist_page = client.get(url("student_playlist", playlist_id=ratios.playlist.pk)).content.decode()
    assert "1 of 5 done" in playlist_page


def test_reading_html_is_shown_as_text(client, school_a, ratios):
    item = ratios.placements[0].item
    with school_scope(school_a.school):
        ContentItem.objects.filter(pk=item.pk).update(
            body="<script>alert('x')</script> [bad](javascript:alert(1))"
        )
    body = (
        _client(client, school_a.user("student"))
        .get(url("student_item", playlist_id=ratios.playlist.pk, item_id=item.pk))
        .content.decode()
    )
    assert "<script>alert" not in body and "&lt;script&gt;" in body
    assert 'href="javascript:' not in body


def test_a_student_cannot_open_a_playlist_or_item_not_assigned_to_them(client, school_a, ratios):
    other = build_playlist(school_a, title="Elsewhere", required=1)
    with school_scope(school_a.school):
        PlaylistAssignment.objects.filter(playlist=other.playlist).update(section=school_a.other_section)
    _client(client, school_a.user("student"))
    assert client.get(url("student_playlist", playlist_id=other.playlist.pk)).status_code == 404
    item_id = other.placements[0].item_id
    assert client.get(url("student_item", playlist_id=other.playlist.pk, item_id=item_id)).status_code == 404
    assert client.post(url("item_done", playlist_id=other.playlist.pk, item_id=item_id)).status_code == 404
    # An item of an assigned playlist, asked for through the wrong playlist: 404 too.
    assert client.get(url("student_item", playlist_id=ratios.playlist.pk, item_id=item_id)).status_code == 404


def test_a_teacher_imports_the_real_case_file_through_the_page(client, school_a):
    _client(client, school_a.user("teacher"))
    upload = SimpleUploadedFile("ccss.json", REAL_CASE.read_bytes(), content_type="application/json")
    response = client.post(url("framework_import"), {"file": upload, "subject": "Mathematics"})
    assert response.status_code == 200  # warnings are shown before moving on
    body = response.content.decode()
    assert "Imported" in body and "not in this package" in body
    with school_scope(school_a.school):
        framework = Framework.objects.get()
    detail = client.get(url("framework_detail", framework_id=framework.pk)).content.decode()
    assert "CCSS.Math.Content.6.RP.A.3a" in detail and "Requires: CCSS.Math.Content.6.RP.A.1" in detail


def test_an_invalid_csv_upload_lists_row_errors_and_keeps_the_form(client, school_a):
    _client(client, school_a.user("school_admin"))
    upload = SimpleUploadedFile(
        "math.csv", b"code,title,prerequisites\nA,a,B\nB,b,A\n", content_type="text/csv"
    )
    response = client.post(url("framework_import"), {"file": upload, "subject": "Math", "title": "Loop"})
    assert response.status_code == 400
    assert "prerequisites form a cycle: A → B → A" in response.content.decode()
    assert 'value="Math"' in response.content.decode()


@pytest.mark.parametrize("role", ["student", "mentor"])
def test_only_teachers_and_admins_import(client, school_a, role):
    assert _client(client, school_a.user(role)).get(url("framework_import")).status_code == 403


def test_a_teacher_builds_a_playlist_from_scratch(client, school_a):
    teacher = school_a.user("teacher")
    _client(client, teacher)
    response = client.post(
        url("item_create"),
        {"title": "Intro to ratios", "kind": "reading", "body": "A ratio compares.", "estimated_minutes": 10,
         "difficulty": 1, "interest_tags": "Sports, music"},
    )  # fmt: skip
    assert response.status_code == 302
    with school_scope(school_a.school):
        reading = ContentItem.objects.get(title="Intro to ratios")
        assert reading.interest_tags == ["sports", "music"]
    video = ContentItemFactory(
        school=school_a.school, title="Ratio video", kind="video", url="https://v.test/1"
    )

    response = client.post(
        url("playlist_create"), {"title": "Ratios 101", "tier": "power", "new_subject": "Mathematics"}
    )
    with school_scope(school_a.school):
        playlist = Playlist.objects.get(title="Ratios 101")
    assert response.status_code == 302
    for item in (reading, video):
        client.post(url("playlist_item_add", playlist_id=playlist.pk), {"item": item.pk, "required": "on"})
    client.post(url("board_create", playlist_id=playlist.pk), {"label": "Show it", "choose": 1})
    with school_scope(school_a.school):
        second = PlaylistItem.objects.get(playlist=playlist, item=video)
    response = client.post(
        url("placement_move", playlist_id=playlist.pk, placement_id=second.pk),
        {"direction": "up"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.content.decode().index("Ratio video") < response.content.decode().index("Intro to ratios")

    target = dt.date.today() + dt.timedelta(days=14)
    response = client.post(
        url("playlist_assign", playlist_id=playlist.pk),
        {"section": school_a.section.pk, "start_date": dt.date.today(), "target_date": target},
    )
    assert response.status_code == 302
    with school_scope(school_a.school):
        assert PlaylistAssignment.objects.get(playlist=playlist).section_id == school_a.section.pk


def test_a_teacher_cannot_assign_to_a_section_they_do_not_teach(client, school_a, ratios):
    _client(client, school_a.user("teacher"))
    response = client.post(
        url("playlist_assign", playlist_id=ratios.playlist.pk),
        {"section": school_a.other_section.pk, "start_date": "2026-09-01", "target_date": "2026-10-01"},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert (
        _client(client, school_a.user("school_admin"))
        .get(url("playlist_assign", playlist_id=ratios.playlist.pk))
        .status_code
        == 403
    )


def test_a_form_with_errors_keeps_what_was_typed(client, school_a):
    _client(client, school_a.user("teacher"))
    response = client.post(url("playlist_create"), {"title": "Half typed", "tier": "power"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Half typed"' in body and "Choose a subject or name a new one." in body


def test_students_get_404_on_authoring_pages_and_403_on_lists(client, school_a, ratios):
    _client(client, school_a.user("student"))
    assert client.get(url("playlist_detail", playlist_id=ratios.playlist.pk)).status_code == 404
    assert client.get(url("playlist_list")).status_code == 403
    placement = ratios.placements[0]
    move = url("placement_move", playlist_id=ratios.playlist.pk, placement_id=placement.pk)
    assert client.post(move, {"direction": "down"}).status_code == 404


def test_mentors_read_playlists_but_do_not_author(client, school_a, ratios):
    _client(client, school_a.user("mentor"))
    assert client.get(url("playlist_detail", playlist_id=ratios.playlist.pk)).status_code == 200
    move = url("placement_move", playlist_id=ratios.playlist.pk, placement_id=ratios.placements[0].pk)
    assert client.post(move, {"direction": "down"}).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/s/alpha/playlists/?page=-1",
        "/s/alpha/playlists/items/?q=%00",
        "/s/alpha/playlists/frameworks/?page=abc",
        "/s/alpha/playlists/99999999999999999999/",
        "/s/alpha/playlists/my-work/0/items/0/",
    ],
)
def test_bad_input_is_never_a_server_error(client, school_a, path):
    response = _client(client, school_a.user("teacher")).get(path)
    assert response.status_code in {200, 400, 403, 404}


def test_teachers_see_progress_of_their_own_sections_students_only(client, school_a, ratios):
    student = school_a.user("student")
    ItemProgressFactory(item=ratios.placements[0].item, student=student)
    page = _client(client, school_a.user("teacher")).get(
        url("playlist_detail", playlist_id=ratios.playlist.pk)
    )
    body = page.content.decode()
    assert student.get_full_name() in body and "1 of 5" in body
    other = _client(client, school_a.user("other_teacher")).get(
        url("playlist_detail", playlist_id=ratios.playlist.pk)
    )
    assert student.get_full_name() not in other.content.decode()
    assert "No students of yours have this playlist yet." in other.content.decode()


def test_the_playlist_page_query_count_does_not_grow_with_students_and_items(
    client, school_a, ratios, django_assert_max_num_queries
):
    from tests.factories import EnrollmentFactory

    _client(client, school_a.user("teacher"))
    target = url("playlist_detail", playlist_id=ratios.playlist.pk)
    with django_assert_max_num_queries(30) as one:
        client.get(target)
    for n in range(15):
        learner = UserFactory()
        EnrollmentFactory(section=school_a.section, user=learner, role="student")
        ItemProgressFactory(item=ratios.placements[n % 3].item, student=learner)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(target)
    assert response.content.decode().count('class="pace pace-') == 16


def test_a_teacher_edits_an_item_and_a_playlist_and_a_duplicate_title_is_a_form_error(
    client, school_a, ratios
):
    _client(client, school_a.user("teacher"))
    item = ratios.placements[0].item
    page = client.get(url("item_edit", item_id=item.pk)).content.decode()
    assert item.title in page
    response = client.post(
        url("item_edit", item_id=item.pk),
        {"title": "Renamed", "kind": "reading", "body": "Text", "estimated_minutes": 5, "difficulty": 2},
    )
    assert response.status_code == 302
    with school_scope(school_a.school):
        assert ContentItem.objects.get(pk=item.pk).title == "Renamed"
    other = build_playlist(school_a, title="Other", required=1)
    response = client.post(
        url("playlist_edit", playlist_id=other.playlist.pk),
        {"title": "Ratios", "tier": "power", "subject": other.playlist.subject_id},
    )
    assert response.status_code == 200 and "already exists" in response.content.decode()


def test_a_garbage_upload_is_a_400_with_the_reason(client, school_a):
    _client(client, school_a.user("teacher"))
    upload = SimpleUploadedFile("x.json", b"\x00\xff not json", content_type="application/json")
    response = client.post(url("framework_import"), {"file": upload, "subject": "Math"})
    assert response.status_code == 400 and "is not valid JSON" in response.content.decode()
