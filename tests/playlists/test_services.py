"""Playlist writes: ordering, choice boards, assignments, progress and the on-commit recompute request."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from engine.models import StudentEngineState
from playlists import services
from playlists.models import ItemProgress, PlaylistItem
from plp.tenancy.context import school_scope
from tests.factories import ContentItemFactory, PlaylistFactory


def _order(playlist):
    return list(
        PlaylistItem.objects.filter(playlist=playlist)
        .order_by("position")
        .values_list("item__title", flat=True)
    )


def test_items_are_appended_in_order_and_moved_up_and_down(school_a):
    playlist = PlaylistFactory(school=school_a.school)
    items = [ContentItemFactory(school=school_a.school, title=t) for t in ("A", "B", "C")]
    with school_scope(school_a.school):
        placements = [services.playlist_item_add(playlist=playlist, item=item) for item in items]
        assert [p.position for p in placements] == [1, 2, 3]
        services.playlist_item_move(placement=placements[2], direction="up")
        assert _order(playlist) == ["A", "C", "B"]
        services.playlist_item_move(placement=PlaylistItem.objects.get(item=items[0]), direction="up")  # top
        assert _order(playlist) == ["A", "C", "B"]
        services.playlist_item_move(placement=PlaylistItem.objects.get(item=items[0]), direction="down")
        assert _order(playlist) == ["C", "A", "B"]
        services.playlist_item_remove(placement=PlaylistItem.objects.get(item=items[2]))
        assert _order(playlist) == ["A", "B"]
        assert list(PlaylistItem.objects.filter(playlist=playlist).values_list("position", flat=True)) == [
            1,
            2,
        ]
        with pytest.raises(ValidationError):
            services.playlist_item_move(
                placement=PlaylistItem.objects.get(item=items[0]), direction="sideways"
            )


def test_an_item_is_in_a_playlist_once(school_a):
    playlist = PlaylistFactory(school=school_a.school)
    item = ContentItemFactory(school=school_a.school)
    with school_scope(school_a.school):
        services.playlist_item_add(playlist=playlist, item=item)
        with pytest.raises(ValidationError, match="already"):
            services.playlist_item_add(playlist=playlist, item=item)


def test_a_choice_board_of_another_playlist_is_refused(school_a, ratios):
    other = PlaylistFactory(school=school_a.school)
    with school_scope(school_a.school):
        foreign = services.choice_board_create(playlist=other, label="Other", choose=1)
        with pytest.raises(ValidationError, match="another playlist"):
            services.playlist_item_update(placement=ratios.placements[0], required=True, board=foreign)
        with pytest.raises(ValidationError):
            services.choice_board_create(playlist=other, label="Zero", choose=0)


def test_an_assignment_goes_to_a_section_or_a_student_not_both(school_a):
    playlist = PlaylistFactory(school=school_a.school)
    target = dt.date.today() + dt.timedelta(days=10)
    with school_scope(school_a.school):
        with pytest.raises(ValidationError):
            services.playlist_assign(
                playlist=playlist,
                target_date=target,
                section=school_a.section,
                student=school_a.user("student"),
            )
        with pytest.raises(ValidationError):
            services.playlist_assign(
                playlist=playlist,
                target_date=dt.date.today() - dt.timedelta(days=1),
                section=school_a.section,
            )
        first = services.playlist_assign(playlist=playlist, target_date=target, section=school_a.section)
        again = services.playlist_assign(
            playlist=playlist, target_date=target + dt.timedelta(days=3), section=school_a.section
        )
        assert first.pk == again.pk and again.target_date == target + dt.timedelta(days=3)


def test_completing_an_item_records_progress_and_enqueues_a_recompute_on_commit(
    school_a, ratios, django_capture_on_commit_callbacks
):
    student = school_a.user("student")
    item = ratios.placements[0].item
    with school_scope(school_a.school):
        services.item_start(student=student, item=item)
        with django_capture_on_commit_callbacks() as callbacks:
            progress = services.item_complete(student=student, item=item)
        assert len(callbacks) == 1  # the enqueue waits for the commit
        assert progress.status == ItemProgress.Status.DONE and progress.completed_at and progress.started_at
        first_completion = progress.completed_at
        assert StudentEngineState.objects.get(student=student).dirty_since is not None  # durable mark
        again = services.item_complete(student=student, item=item)
        assert again.completed_at == first_completion
        assert ItemProgress.objects.filter(student=student).count() == 1


def test_reading_items_need_text_and_links_need_an_address(school_a):
    with school_scope(school_a.school):
        with pytest.raises(ValidationError):
            services.content_item_save(competencies=[], title="Empty", kind="reading", body="  ")
        with pytest.raises(ValidationError):
            services.content_item_save(competencies=[], title="Nowhere", kind="video", url="")
        with pytest.raises(ValidationError):
            services.content_item_save(
                competencies=[], title="Tags", kind="link", url="https://x.test", interest_tags=["Bad Tag"]
            )
        item = services.content_item_save(
            competencies=[], title="Ok", kind="link", url="https://x.test", interest_tags=["space-travel"]
        )
        assert item.pk


def test_cross_school_links_and_non_students_are_refused(school_a, school_b):
    playlist = PlaylistFactory(school=school_a.school)
    foreign_item = ContentItemFactory(school=school_b.school)
    with school_scope(school_a.school):
        with pytest.raises(ValidationError):
            services.playlist_item_add(playlist=playlist, item=foreign_item)
        with pytest.raises(ValidationError, match="not a student"):
            services.playlist_assign(
                playlist=playlist, target_date=dt.date.today(), student=school_a.user("teacher")
            )
