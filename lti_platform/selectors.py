"""Reads of PLP as an LTI platform: a school's tools, the tool a public URL names, an item's tool."""

from django.http import Http404

from lti_platform.models import ToolItem, ToolRegistration
from plp.tenancy.context import school_scope
from schools.models import School


def tool_list(*, school: School) -> list[ToolRegistration]:
    with school_scope(school):
        return list(ToolRegistration.objects.all())


def tool_get(*, school: School, tool_id: int) -> ToolRegistration:
    """A tool of the school by id, for its admin pages: another school's id is a 404."""
    with school_scope(school):
        tool = ToolRegistration.objects.filter(pk=tool_id).first()
    if tool is None:
        raise Http404("No such tool.")
    return tool


def public_tool_get(*, public_id) -> ToolRegistration:
    """The tool a public platform URL names (its school active), inside ``sees_all_schools``."""
    # unscoped: the public URL names its tool by a random id before any school is active; the caller
    # enters the tool's school for everything it reads next.
    tool = (
        ToolRegistration.objects.unscoped()
        .filter(public_id=public_id, school__is_active=True)
        .select_related("school")
        .first()
    )
    if tool is None:
        raise Http404("No such tool.")
    return tool


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
