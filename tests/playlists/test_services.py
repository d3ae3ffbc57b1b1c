"""Playlist writes: ordering, choice boards (created, changed, deleted), assignments, progress, and telling
the engine (the on-commit recompute request, dirty marks)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from engine.models import StudentEngineState
from playlists import services
from playlists.models import ChoiceBoard, ItemProgress, PlaylistItem
from plp.tenancy.context import school_scope
from tests.factories import (
    ChoiceBoardFactory,
    ContentItemFactory,
    EnrollmentFactory,
    ItemProgressFactory,
    MembershipFactory,
    PlaylistAssignmentFactory,
    PlaylistFactory,
    UserFactory,
)


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
        # the engine's recompute waits for the commit (beside the dashboard's version bumps, with Redis)
        assert [cb for cb in callbacks if "recompute_on_commit" in cb.__qualname__]
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


# Choice boards renamed, changed and deleted.


def _dirty(school) -> set[int]:
    with school_scope(school):
        return set(
            StudentEngineState.objects.filter(dirty_since__isnull=False).values_list("student", flat=True)
        )


def test_a_board_is_renamed_and_its_k_changed_within_its_items(school_a, ratios):
    with school_scope(school_a.school):
        services.choice_board_update(board=ratios.board, label="Show what you know", choose=4)
        assert ChoiceBoard.objects.values_list("label", "choose").get(pk=ratios.board.pk) == (
            "Show what you know",
            4,
        )
        services.choice_board_update(board=ratios.board, label="Show what you know", choose=1)
        assert ChoiceBoard.objects.get(pk=ratios.board.pk).choose == 1


@pytest.mark.parametrize(
    ("label", "choose", "message"),
    [
        ("Ratios board", 5, "“Ratios board” has 4 items: students can choose 1 to 4 of them, not 5."),
        ("Ratios board", 0, "“Ratios board” has 4 items: students can choose 1 to 4 of them, not 0."),
        ("Taken", 2, "This playlist already has a choice board called “Taken”."),
    ],
)
def test_a_refused_board_change_says_why_and_saves_nothing(school_a, ratios, label, choose, message):
    ChoiceBoardFactory(playlist=ratios.playlist, label="Taken")
    with school_scope(school_a.school):
        with pytest.raises(ValidationError) as refused:
            services.choice_board_update(board=ratios.board, label=label, choose=choose)
        assert refused.value.messages == [message]
        assert ChoiceBoard.objects.values_list("label", "choose").get(pk=ratios.board.pk) == (
            "Ratios board",
            2,
        )
    assert not _dirty(school_a.school)


def test_an_empty_board_can_be_renamed_but_its_k_waits_for_items(school_a, ratios):
    empty = ChoiceBoardFactory(playlist=ratios.playlist, label="Later", choose=2)
    with school_scope(school_a.school):
        services.choice_board_update(board=empty, label="Coming soon", choose=2)
        with pytest.raises(ValidationError, match="“Coming soon” has no items yet"):
            services.choice_board_update(board=empty, label="Coming soon", choose=1)
        assert ChoiceBoard.objects.values_list("label", "choose").get(pk=empty.pk) == ("Coming soon", 2)


def test_deleting_a_board_keeps_its_items_in_place_as_ordinary_items_and_progress_untouched(school_a, ratios):
    student = school_a.user("student")
    optional = ratios.board_placements[3]
    with school_scope(school_a.school):
        PlaylistItem.objects.filter(pk=optional.pk).update(required=False)
    ItemProgressFactory(item=ratios.board_placements[0].item, student=student)
    before = _placements(ratios.playlist, school_a.school)
    with school_scope(school_a.school):
        progress_before = list(
            ItemProgress.objects.values_list("pk", "student", "item", "status", "completed_at")
        )

        assert services.choice_board_delete(board=ratios.board) == 4

        assert not ChoiceBoard.objects.filter(pk=ratios.board.pk).exists()
        assert list(ItemProgress.objects.values_list("pk", "student", "item", "status", "completed_at")) == (
            progress_before
        )
    after = _placements(ratios.playlist, school_a.school)
    assert [row[:3] for row in after] == [row[:3] for row in before]  # same items, same places, same flags
    assert {row[3] for row in after} == {None}
    assert [row[2] for row in after[3:]] == [True, True, True, False]


def _placements(playlist, school):
    with school_scope(school):
        return list(
            PlaylistItem.objects.filter(playlist=playlist)
            .order_by("position")
            .values_list("item_id", "position", "required", "choice_board_id")
        )


def test_changing_k_or_deleting_a_board_marks_the_playlists_students_dirty(school_a, school_b, ratios):
    in_section = school_a.user("student")
    one_by_one, left, elsewhere = UserFactory(), UserFactory(), UserFactory()
    PlaylistAssignmentFactory(playlist=ratios.playlist, student=one_by_one)
    EnrollmentFactory(section=school_a.section, user=left, role="student", is_active=False)
    EnrollmentFactory(section=school_a.other_section, user=elsewhere, role="student")
    with school_scope(school_a.school):
        services.choice_board_update(board=ratios.board, label="Renamed only", choose=2)
        assert _dirty(school_a.school) == set()  # a new name changes no student's work

        services.choice_board_update(board=ratios.board, label="Renamed only", choose=3)
        assert _dirty(school_a.school) == {in_section.pk, one_by_one.pk}

        StudentEngineState.objects.update(dirty_since=None)
        services.choice_board_delete(board=ratios.board)
        assert _dirty(school_a.school) == {in_section.pk, one_by_one.pk}
    assert not _dirty(school_b.school)


def test_every_change_to_a_playlists_items_or_assignments_marks_its_students_dirty(
    school_a, school_b, ratios
):
    in_section, one_by_one = school_a.user("student"), UserFactory()
    MembershipFactory(school=school_a.school, user=one_by_one, role="student")
    extra = ContentItemFactory(school=school_a.school)
    with school_scope(school_a.school):
        placement = PlaylistItem.objects.filter(playlist=ratios.playlist).order_by("position").first()
        changes = {
            "an item added": lambda: services.playlist_item_add(playlist=ratios.playlist, item=extra),
            "an item moved": lambda: services.playlist_item_move(placement=placement, direction="down"),
            "an item made optional": lambda: services.playlist_item_update(
                placement=placement, required=False, board=None
            ),
            "an item removed": lambda: services.playlist_item_remove(placement=placement),
            "a student assigned": lambda: services.playlist_assign(
                playlist=ratios.playlist, student=one_by_one, target_date=dt.date(2027, 1, 8)
            ),
        }
        for change, make in changes.items():
            StudentEngineState.objects.update(dirty_since=None)
            make()
            expected = {in_section.pk} | ({one_by_one.pk} if change == "a student assigned" else set())
            assert _dirty(school_a.school) == expected, change
    assert not _dirty(school_b.school)
