"""Writes of content items, playlists (ordering, choice boards, assignments) and student progress."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.template.defaultfilters import pluralize
from django.utils import timezone

from playlists import evidence
from playlists.models import (
    ChoiceBoard,
    Competency,
    ContentItem,
    ItemProgress,
    Playlist,
    PlaylistAssignment,
    PlaylistItem,
    Subject,
)
from playlists.selectors import playlist_student_ids, student_assignments, unmet_prerequisites
from plp import self_direction
from plp.recompute import recompute_on_commit, students_mark_dirty
from plp.saving import validated_update
from plp.tenancy.context import current_school_id
from schools.models import Membership
from schools.roles import Role
from xapi import outbox as xapi_outbox

CONTENT_FIELDS = (
    "title", "kind", "body", "url", "estimated_minutes", "difficulty", "interest_tags", "accessibility_note",
    "asks_for_file",
)  # fmt: skip
PLAYLIST_FIELDS = ("title", "focus_area", "description", "tier", "subject")
MAX_SECONDS_PER_ITEM = 2 * 3600  # a tab left open overnight is not two days of work


@transaction.atomic
def content_item_save(
    *, item: ContentItem | None = None, competencies: list[Competency], actor=None, **values
) -> ContentItem:
    """Create (``item`` None) or update a content item and its competencies."""
    if item is None:
        item = ContentItem(school_id=current_school_id(), created_by=actor)
    validated_update(item, values, fields=CONTENT_FIELDS)
    item.competencies.set(competencies)
    return item


@transaction.atomic
def playlist_save(*, playlist: Playlist | None = None, actor=None, **values) -> Playlist:
    if playlist is None:
        playlist = Playlist(school_id=current_school_id(), created_by=actor)
    return validated_update(playlist, values, fields=PLAYLIST_FIELDS)


def subject_get_or_create(*, name: str) -> Subject:
    subject = Subject.objects.filter(name=name).first()
    if subject is None:
        subject = Subject(school_id=current_school_id(), name=name)
        subject.full_clean()
        subject.save()
    return subject


@transaction.atomic
def playlist_item_add(
    *, playlist: Playlist, item: ContentItem, required: bool = True, board: ChoiceBoard | None = None
) -> PlaylistItem:
    """Append ``item`` at the end of ``playlist``."""
    Playlist.objects.select_for_update().filter(pk=playlist.pk).first()  # serialise appends
    if PlaylistItem.objects.filter(playlist=playlist, item=item).exists():
        raise ValidationError("This item is already in the playlist.")
    last = PlaylistItem.objects.filter(playlist=playlist).aggregate(last=Max("position"))["last"]
    placement = PlaylistItem(
        school_id=playlist.school_id,
        playlist=playlist,
        item=item,
        position=(last or 0) + 1,
        required=required,
        choice_board=board,
    )
    placement.full_clean()
    placement.save()
    _playlist_students_dirty(playlist)
    return placement


@transaction.atomic
def playlist_item_move(*, placement: PlaylistItem, direction: str) -> None:
    """Swap ``placement`` with its neighbour ("up" or "down"); at either end nothing moves."""
    if direction not in {"up", "down"}:
        raise ValidationError("Move up or down.")
    siblings = PlaylistItem.objects.select_for_update().filter(playlist_id=placement.playlist_id)
    if direction == "up":
        neighbour = siblings.filter(position__lt=placement.position).order_by("-position").first()
    else:
        neighbour = siblings.filter(position__gt=placement.position).order_by("position").first()
    if neighbour is None:
        return
    mine, theirs = placement.position, neighbour.position
    # Through a free position: (school, playlist, position) is unique.
    free = (siblings.aggregate(last=Max("position"))["last"] or 0) + 1
    PlaylistItem.objects.filter(pk=placement.pk).update(position=free)
    PlaylistItem.objects.filter(pk=neighbour.pk).update(position=mine)
    PlaylistItem.objects.filter(pk=placement.pk).update(position=theirs)
    placement.position = theirs
    _playlist_students_dirty(placement.playlist)


@transaction.atomic
def playlist_item_update(
    *, placement: PlaylistItem, required: bool, board: ChoiceBoard | None
) -> PlaylistItem:
    if board is not None and board.playlist_id != placement.playlist_id:
        raise ValidationError("That choice board belongs to another playlist.")
    placement.required, placement.choice_board = required, board
    placement.full_clean()
    placement.save(update_fields=["required", "choice_board"])
    _playlist_students_dirty(placement.playlist)
    return placement


@transaction.atomic
def playlist_item_remove(*, placement: PlaylistItem) -> None:
    """Remove the item from the playlist and close the gap (progress stays with the item)."""
    playlist_id, position = placement.playlist_id, placement.position
    placement.delete()
    for later in PlaylistItem.objects.filter(playlist_id=playlist_id, position__gt=position).order_by(
        "position"
    ):
        PlaylistItem.objects.filter(pk=later.pk).update(position=F("position") - 1)
    _playlist_students_dirty(Playlist(pk=playlist_id))


@transaction.atomic
def choice_board_create(*, playlist: Playlist, label: str, choose: int) -> ChoiceBoard:
    board = ChoiceBoard(school_id=playlist.school_id, playlist=playlist, label=label, choose=choose)
    board.full_clean()
    board.save()
    return board


def _playlist_students_dirty(playlist: Playlist) -> None:
    """What the playlist asks of its students changed (its items, their order or rules, its boards, an
    assignment): the engine's sweep recomputes everyone it is assigned to (through a section or one by
    one), so Next up never points at a removed item for longer than a sweep."""
    students_mark_dirty(student_ids=playlist_student_ids(playlist=playlist))


@transaction.atomic
def choice_board_update(*, board: ChoiceBoard, label: str, choose: int) -> ChoiceBoard:
    """Rename a board or change how many of its items students choose: from 1 to the number of items on
    it. An empty board keeps the number it has until items are added (so it can still be renamed)."""
    items = PlaylistItem.objects.filter(choice_board=board).count()
    if items == 0 and choose != board.choose:
        raise ValidationError(
            f"“{board.label}” has no items yet: add some before changing how many to choose."
        )
    if items and not 1 <= choose <= items:
        raise ValidationError(
            f"“{board.label}” has {items} item{pluralize(items)}: students can choose 1 to {items} of them, "
            f"not {choose}."
        )
    label = label.strip()
    if ChoiceBoard.objects.filter(playlist_id=board.playlist_id, label=label).exclude(pk=board.pk).exists():
        raise ValidationError(f"This playlist already has a choice board called “{label}”.")
    changed_choose = choose != board.choose
    board.label, board.choose = label, choose
    board.full_clean()
    board.save(update_fields=["label", "choose"])
    if changed_choose:
        _playlist_students_dirty(board.playlist)
    return board


@transaction.atomic
def choice_board_delete(*, board: ChoiceBoard) -> int:
    """Delete the board. Its items stay in the playlist, in place, as ordinary items (required or optional
    as each is marked); students' progress is untouched. Returns how many items it held."""
    freed = PlaylistItem.objects.filter(choice_board=board).update(choice_board=None)
    playlist = board.playlist
    board.delete()
    _playlist_students_dirty(playlist)
    return freed


@transaction.atomic
def playlist_assign(
    *,
    playlist: Playlist,
    target_date: dt.date,
    section=None,
    student=None,
    start_date: dt.date | None = None,
    actor=None,
) -> PlaylistAssignment:
    """Assign to a section or one student of the school (or move the existing assignment's dates)."""
    start_date = start_date or timezone.localdate()
    if (
        student is not None
        and not Membership.objects.filter(user=student, role=Role.STUDENT, is_active=True).exists()
    ):
        raise ValidationError({"student": "This person is not a student of this school."})
    assignment = PlaylistAssignment.objects.filter(
        playlist=playlist, section=section, student=student
    ).first()
    if assignment is None:
        assignment = PlaylistAssignment(
            school_id=playlist.school_id,
            playlist=playlist,
            section=section,
            student=student,
            assigned_by=actor,
        )
    assignment.start_date, assignment.target_date = start_date, target_date
    assignment.full_clean()
    assignment.save()
    _playlist_students_dirty(playlist)  # new work, or new dates for pace
    return assignment


@transaction.atomic
def _pick_check(*, student, item: ContentItem) -> None:
    """Starting something new is governed by the student's self-direction level (agency): refused with
    what they may do instead. Work already started or done stays theirs."""
    self_direction.item_pick_check(student=student, item_id=item.pk)


def item_start(*, student, item: ContentItem) -> ItemProgress:
    """Opening an item starts it (once), when the student's level lets them pick it (else
    ``PermissionDenied`` with the reason)."""
    progress = ItemProgress.objects.filter(student=student, item=item).first()
    if progress is None or progress.status == ItemProgress.Status.NOT_STARTED:
        _pick_check(student=student, item=item)
    progress, _ = ItemProgress.objects.get_or_create(school_id=item.school_id, student=student, item=item)
    if progress.status == ItemProgress.Status.NOT_STARTED:
        progress.status, progress.started_at = ItemProgress.Status.IN_PROGRESS, timezone.now()
        progress.save(update_fields=["status", "started_at", "updated_at"])
    return progress


def locked_message(codes: list[str]) -> str:
    """What a student is told when an item's prerequisites are not mastered (``codes``: what unlocks it)."""
    them = "it" if len(codes) == 1 else "them"
    return (
        f"This item is locked: it builds on {', '.join(codes)}, which you have not mastered yet. "
        f"Master {them} first (practice, then a mastery check), or ask your teacher."
    )


def item_hand_in_open(*, student, item: ContentItem, needs_first: list[str] | None = None) -> ItemProgress:
    """May the student hand a file in for ``item`` (a placement of a playlist assigned to them, found by
    ``selectors.student_item`` as for the item's page)? Raises ``PermissionDenied`` with what to tell them:
    the item does not ask for a file; it is locked (the prerequisite rule the page shows,
    ``selectors.unmet_prerequisites``); or their level does not let them start it (``item_start``, the rule
    opening the item applies). Otherwise the item is started, as opening it would, and its progress returned.
    ``needs_first``: the lock's codes when the caller already read them."""
    if not item.asks_for_file:
        raise PermissionDenied(f"“{item.title}” does not ask for a file: there is nothing to hand in here.")
    if needs_first is None:
        needs_first = unmet_prerequisites(student=student, item_ids=[item.pk]).get(item.pk)
    if needs_first:
        raise PermissionDenied(locked_message(needs_first))
    return item_start(student=student, item=item)


def item_mark_done(*, student, item: ContentItem) -> ItemProgress:
    """The student marks ``item`` done themselves (its page, the API): refused with ``PermissionDenied`` while
    the item is locked (the prerequisite rule its page shows), as handing a file in is, so that finishing a
    locked item cannot make a check "ready" under the items-done rule. An item already done stays done."""
    done = ItemProgress.objects.filter(student=student, item=item, status=ItemProgress.Status.DONE).exists()
    if not done and (needs_first := unmet_prerequisites(student=student, item_ids=[item.pk]).get(item.pk)):
        raise PermissionDenied(locked_message(needs_first))
    return item_complete(student=student, item=item)


def item_complete(*, student, item: ContentItem) -> ItemProgress:
    """Mark the item done in one transaction; after commit, ask the worker to recompute the student's
    next item. Time spent is measured on the server (opened → done, capped); completing twice keeps the
    first completion."""
    with transaction.atomic():
        progress, _ = ItemProgress.objects.select_for_update().get_or_create(
            school_id=item.school_id, student=student, item=item
        )
        if progress.status == ItemProgress.Status.NOT_STARTED:
            _pick_check(student=student, item=item)  # finishing an unstarted item is picking it
        now = timezone.now()
        first_completion = False
        if progress.status != ItemProgress.Status.DONE:
            if progress.started_at:
                elapsed = int((now - progress.started_at).total_seconds())
                progress.seconds_spent += max(0, min(elapsed, MAX_SECONDS_PER_ITEM))
            progress.started_at = progress.started_at or now
            progress.status, progress.completed_at = ItemProgress.Status.DONE, now
            first_completion = True
        progress.full_clean()
        progress.save()
        if first_completion:
            xapi_outbox.item_done(progress)  # its xAPI statement, queued in this transaction (one INSERT)
        # Under mastery's "items done" rule, finishing an item may make a check ready.
        evidence.items_done(student=student, competencies=list(item.competencies.all()))
        recompute_on_commit(student_id=student.pk)
    return progress


def exercise_practice_record(*, student, item_id, competency: Competency) -> ItemProgress | None:
    """Practice answered from an exercise item counts as work on that item: it starts it (in progress).

    Only an "exercise" item aligned to ``competency`` and placed in a playlist assigned to the student
    counts; anything else (a stale or forged id) is ignored, never an error. The student still marks the
    item done themselves, as for every other item: practising is not finishing."""
    item = (
        ContentItem.objects.filter(
            pk=item_id,
            kind=ContentItem.Kind.EXERCISE,
            competencies=competency,
            placements__playlist_id__in=student_assignments(student=student).values("playlist_id"),
        )
        .distinct()
        .first()
    )
    if item is None:
        return None
    try:
        return item_start(student=student, item=item)
    except PermissionDenied:
        return None  # practice is never refused; the item stays unstarted when the level keeps it closed
