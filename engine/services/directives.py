"""Teachers' directives on a student's items: pin one (do it next) or veto one (not this), and end them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from engine import selectors
from engine.enqueue import recompute_on_commit
from engine.models import ItemDirective
from playlists.models import PlaylistItem
from playlists.selectors import student_assignments
from plp.tenancy.context import current_school_id

REASON_MAX = 300


@transaction.atomic
def directive_add(*, student, item, kind: str, reason: str, by) -> ItemDirective:
    """A teacher pins an item for the student (do it next) or vetoes it (not this), with a reason.

    The item must be in a playlist assigned to the student, and a pinned one must be open to them now (not
    done, not locked by unmastered prerequisites: the engine never suggests those, so such a pin is refused
    with its reason). A new directive on the same item replaces the old one (which is ended, not deleted).
    The engine recomputes the student after commit."""
    reason = " ".join((reason or "").split())
    if kind not in ItemDirective.Kind.values:
        raise ValidationError({"kind": "Pin or veto."})
    if not reason:
        raise ValidationError({"reason": "Say why: the student and the next adult will read it."})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason under {REASON_MAX} characters."})
    playlists = student_assignments(student=student).values("playlist_id")
    if not PlaylistItem.objects.filter(playlist_id__in=playlists, item_id=item.pk).exists():
        raise ValidationError({"item": "That item is not in any playlist assigned to this student."})
    if kind == ItemDirective.Kind.PIN:
        # A pin the engine cannot follow would be listed as active and never suggested: refuse it and say
        # why (the page offers the same reason beside each item).
        blocker = selectors.pin_blockers(student=student, item_ids=[item.pk]).get(item.pk)
        if blocker:
            raise ValidationError(
                {"item": f"“{item.title}” cannot be pinned: it is {blocker}. Pin an item they can start now."}
            )
    now = timezone.now()
    ItemDirective.objects.filter(student=student, item=item, is_active=True).update(
        is_active=False, ended_by=by, ended_at=now
    )
    directive = ItemDirective(
        school_id=current_school_id(), student=student, item=item, kind=kind, reason=reason, created_by=by
    )
    directive.full_clean()
    directive.save()
    recompute_on_commit(student_id=student.pk)
    return directive


@transaction.atomic
def directive_end(*, directive: ItemDirective, by) -> ItemDirective:
    if directive.is_active:
        directive.is_active, directive.ended_by, directive.ended_at = False, by, timezone.now()
        directive.save(update_fields=["is_active", "ended_by", "ended_at"])
        recompute_on_commit(student_id=directive.student_id)
    return directive
