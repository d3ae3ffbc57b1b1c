"""The lti_platform app's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py).

The admin's and teacher's pages are school routes: another school's tool id is a 404, and a student's launch
of another school's item is the playlists' 404 (the item is in no playlist assigned to them). The endpoints a
tool calls are public; each names a tool by its public id and is asked here for school A's own tool: it
shows A's key set, never B's. That B's tool can neither get a token for, nor post a score to, A's line item
is tested in tests/lti_platform/test_ags.py.
"""

from lti_platform.models import PlatformKey, ToolItem, ToolRegistration
from lti_platform.services import tool_item_create, tool_save
from plp.tenancy.context import school_scope
from tests.conftest import SchoolWorld
from tests.factories import CompetencyFactory, FrameworkFactory, PlaylistAssignmentFactory, PlaylistFactory
from tests.support import SchoolRoute


def tool_make(world: SchoolWorld, **fields) -> ToolRegistration:
    """A tool registered by the world's school (a tool that is not running unless ``fields`` say so)."""
    slug = world.school.slug
    values = {
        "name": f"{world.school.name} Fraction Lab",
        "login_url": f"https://tool.{slug}.example.test/login",
        "launch_url": f"https://tool.{slug}.example.test/launch",
        "key_set_url": f"https://tool.{slug}.example.test/jwks",
        **fields,
    }
    return tool_save(tool=ToolRegistration(school=world.school, **values))


def tool_item_make(world: SchoolWorld, tool: ToolRegistration | None = None) -> ToolItem:
    """A tool item aligned to a competency, in a playlist assigned to the world's section."""
    tool = tool or world.once("lti_tool", tool_make)
    school = world.school
    framework = FrameworkFactory(school=school)
    competency = CompetencyFactory(framework=framework)
    playlist = PlaylistFactory(school=school, subject=framework.subject)
    PlaylistAssignmentFactory(playlist=playlist, section=world.section)
    with school_scope(school):
        item = tool_item_create(
            tool=tool, title="Fraction lab: equivalent ratios", competencies=[competency], playlist=playlist
        )
        return ToolItem.objects.select_related("item", "tool").get(item=item)


SCHOOL_B_OBJECT = {"tool_registration_id": lambda b: b.once("lti_tool", tool_make).pk}

SCHOOL_ROUTES = {
    "lti_platform:tools": SchoolRoute(),
    "lti_platform:tool_new": SchoolRoute(),
    "lti_platform:tool_edit": SchoolRoute(),
    "lti_platform:tool_delete": SchoolRoute(),
    "lti_platform:item_new": SchoolRoute(),
    "lti_platform:launch": SchoolRoute(),
}

GLOBAL_ROUTES = {
    "lti_platform:auth": "answers only a launch this browser's person started, for the named tool, once",
    "lti_platform:token": "POST only; a token only for the named tool's signed assertion (score scope)",
    "lti_platform:jwks": "the public half of the named tool's school's platform keys; no school data",
    "lti_platform:scores": "POST only; a score only with the named tool's token, for its own line items",
    "lti_platform:lineitem": "GET only, with the named tool's token (line item scope), its own line items",
    "lti_platform:results": "GET only, with the named tool's token (result scope), its own line items",
}


def _a_tool(a: SchoolWorld) -> dict:
    return {"tool": a.once("lti_tool", tool_make).public_id}


def _a_line_item(a: SchoolWorld) -> dict:
    tool_item = a.once("lti_tool_item", tool_item_make)
    return {"tool": tool_item.tool.public_id, "item": tool_item.public_id}


GLOBAL_KWARGS = {
    "lti_platform:auth": _a_tool,
    "lti_platform:token": _a_tool,
    "lti_platform:jwks": _a_tool,
    "lti_platform:scores": _a_line_item,
    "lti_platform:lineitem": _a_line_item,
    "lti_platform:results": _a_line_item,
}


def snapshot(world: SchoolWorld):
    """School B's tools and platform keys, which no request from school A may change."""
    tools = list(ToolRegistration.objects.order_by("pk").values_list("pk", "name", "login_url", "is_enabled"))
    keys = list(PlatformKey.objects.order_by("pk").values_list("pk", "kid", "retired_at"))
    return tools, keys
