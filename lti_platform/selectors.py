"""Reads of PLP as an LTI platform: a school's tools, the tool a public URL names, an item's tool, the
results of a line item."""

from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404

from lti_platform.models import ToolItem, ToolRegistration, ToolScore, ToolSubject
from mastery.models import EvidenceEvent
from playlists.models import PlaylistItem
from plp.tenancy.context import school_scope
from plp.tenancy.lookups import public_object_get, school_object_get
from schools.models import School


def tool_list(*, school: School) -> list[ToolRegistration]:
    with school_scope(school):
        return list(ToolRegistration.objects.all())


def tool_get(*, school: School, tool_id: int) -> ToolRegistration:
    """A tool of the school by id, for its admin pages: another school's id is a 404."""
    return school_object_get(ToolRegistration, school=school, pk=tool_id, missing="No such tool.")


def public_tool_get(*, public_id) -> ToolRegistration:
    """The tool a public platform URL names (its school active), inside ``sees_all_schools``."""
    return public_object_get(ToolRegistration, public_id=public_id, missing="No such tool.")


def tool_item_get(*, tool: ToolRegistration, public_id) -> ToolItem:
    """The line item (tool item) a public URL names, only among this tool's own items."""
    with school_scope(tool.school_id):
        tool_item = ToolItem.objects.filter(tool=tool, public_id=public_id).select_related("item").first()
    if tool_item is None:
        raise Http404("No such line item.")
    return tool_item


def tool_item_of(*, item_id: int) -> ToolItem | None:
    """The tool an item launches (inside the school's scope)."""
    return ToolItem.objects.filter(item_id=item_id).select_related("tool").first()


def line_item_results(
    *, tool_item: ToolItem, user_id: str | None, after: int, limit: int
) -> list[tuple[int, str, ToolScore]]:
    """The results of a line item, one per student the tool scored, each with the opaque id the tool knows
    the student by: (cursor, sub, score), in one query, ``limit`` of them after the cursor ``after``;
    ``user_id`` keeps only that student's (an id the tool does not know gives none)."""
    with school_scope(tool_item.school_id):
        subject = ToolSubject.objects.filter(tool_id=tool_item.tool_id, user=OuterRef("student_id"))
        rows = (
            ToolScore.objects.filter(tool_item=tool_item, pk__gt=after)
            .annotate(sub=Subquery(subject.values("sub")[:1]))
            .order_by("pk")
        )
        if user_id is not None:
            rows = rows.filter(sub=user_id)
        return [(row.pk, row.sub, row) for row in rows[:limit]]


@dataclass(frozen=True)
class ToolDeletion:
    """What deleting a tool takes with it, for the confirmation page: its items (each with the playlists
    it is placed in), the students whose scores it holds, and the evidence those scores gave, which stays."""

    items: list[ToolItem]
    scored_students: int
    evidence_kept: int


def tool_deletion_preview(*, tool: ToolRegistration) -> ToolDeletion:
    """Four queries whatever the number of items, playlists or scores."""
    with school_scope(tool.school_id):
        placements = PlaylistItem.objects.select_related("playlist").order_by("playlist__title", "pk")
        items = list(
            ToolItem.objects.filter(tool=tool)
            .select_related("item")
            .prefetch_related(Prefetch("item__placements", queryset=placements))
            .order_by("item__title", "pk")
        )
        scored = ToolScore.objects.filter(tool_item__tool=tool).values("student").distinct().count()
        keys = [f"lti-item:{tool_item.pk}" for tool_item in items]
        evidence = EvidenceEvent.objects.filter(
            source=EvidenceEvent.Source.TOOL_SCORE, source_id__in=keys
        ).count() if keys else 0  # fmt: skip
    return ToolDeletion(items=items, scored_students=scored, evidence_kept=evidence)
