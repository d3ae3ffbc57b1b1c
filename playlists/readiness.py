"""The playlists app's answer to mastery's ``items_done`` readiness rule (plugged in by ``PlaylistsConfig``).

A student is ready for a check of a competency when every required item aligned to it, in the playlists
assigned to them (through a section or individually), is done. Choice-board and optional items never block.

It counts the items marked done, without the pace rule's mastery credit (``done_with_mastery``: an item
counts as done once its competencies are all mastered), and need not read it: the credit can never change
this answer where it is asked. Every item read here is aligned to the competency checked, so the credit
would count one only once that competency is mastered; and for a mastered competency this answer is
never used (``rules.eligibility`` answers "already mastered" before it, the bulk verdicts skip mastered
states, and a mastered status is never re-derived: ``mastery.services.core._refresh_status``). Reading the
credit would cost a query and change nothing.
"""

from mastery.rules import Readiness
from playlists.models import Competency, ItemProgress, PlaylistItem
from playlists.selectors import student_assignments

MAX_NAMED = 3  # the reason names the first few items left, then says how many more


def items_done_rule(*, student, competency: Competency) -> Readiness:
    """Two queries whatever the number of playlists and items."""
    required = (
        PlaylistItem.objects.filter(
            playlist_id__in=student_assignments(student=student).values("playlist_id"),
            item__competencies=competency,
            required=True,
            choice_board__isnull=True,
        )
        .order_by("playlist__title", "position")
        .values_list("item_id", "item__title")
    )
    titles: dict[int, str] = {}
    for item_id, title in required:
        titles.setdefault(item_id, title)
    if not titles:
        return Readiness(
            False,
            f"No required playlist item of yours covers {competency.code} yet: ask your teacher to unlock "
            "the check.",
        )
    done = set(
        ItemProgress.objects.filter(
            student=student, item_id__in=list(titles), status=ItemProgress.Status.DONE
        ).values_list("item_id", flat=True)
    )
    left = [title for item_id, title in titles.items() if item_id not in done]
    if not left:
        return Readiness(True, f"You have done every required playlist item for {competency.code}.")
    named = ", ".join(f"“{title}”" for title in left[:MAX_NAMED])
    more = f" and {len(left) - MAX_NAMED} more" if len(left) > MAX_NAMED else ""
    return Readiness(
        False,
        f"Finish the required playlist items for {competency.code} first: {named}{more} "
        f"({len(titles) - len(left)} of {len(titles)} done).",
    )
