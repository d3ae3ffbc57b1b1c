"""The suite's LTI tool (tests/lti_platform/tool.py), registered by school A and by school B, and a launch as
a browser goes through it."""

import html
import re

import pytest
import requests
from django.test import Client
from django.urls import reverse

from lti_platform.models import ToolItem, ToolRegistration
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.lti.platform import path_of
from tests.lti_platform.matrix_part import tool_item_make, tool_make
from tests.lti_platform.tool import ClientHttp, PlatformConfig, TestTool, lti_tool  # noqa: F401

BASE = "http://testserver"


def platform_config(tool: ToolRegistration, base: str = BASE) -> PlatformConfig:
    """What the tool's admin types in from PLP's page for this registration."""

    def url(name: str) -> str:
        return base + reverse(name, kwargs={"tool": tool.public_id})

    return PlatformConfig(
        issuer=base,
        client_id=tool.client_id,
        deployment_id=tool.deployment_id,
        auth_url=url("lti_platform:auth"),
        token_url=url("lti_platform:token"),
        jwks_url=url("lti_platform:jwks"),
    )


def registered(world, test_tool: TestTool, base: str = BASE) -> ToolRegistration:
    """The world's school's registration of the running test tool, and the tool's of PLP (at ``base``)."""
    tool = tool_make(
        world,
        login_url=test_tool.login_url,
        launch_url=test_tool.launch_url,
        key_set_url=test_tool.key_set_url,
    )
    test_tool.register(platform_config(tool, base))
    return tool


@pytest.fixture
def tools(lti_tool, school_a, school_b):  # noqa: F811
    """The tool as both schools registered it, each with a tool item in a playlist of its first section.
    The tool reaches PLP through a Django client (server to server); it checks id_tokens against the key
    sets PLP published (read here through PLP's JWKS endpoint, as the tool's admin would fetch them)."""
    lti_tool.reset()
    a, b = registered(school_a, lti_tool), registered(school_b, lti_tool)
    items = {"a": tool_item_make(school_a, a), "b": tool_item_make(school_b, b)}
    lti_tool.http = ClientHttp(Client())
    reader = Client()
    published = {
        config.jwks_url: reader.get(path_of(config.jwks_url)).json() for config in lti_tool.platforms.values()
    }
    lti_tool.fetch_jwks = published.__getitem__
    return {"tool": lti_tool, "a": a, "b": b, "item_a": items["a"], "item_b": items["b"]}


_FORM = re.compile(r'<form data-auto-post method="post" action="([^"]+)">(.*?)</form>', re.S)
_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def posted_form(page: str) -> tuple[str, dict[str, str]]:
    match = _FORM.search(page)
    assert match, page[:800]
    return html.unescape(match.group(1)), {n: html.unescape(v) for n, v in _INPUT.findall(match.group(2))}


def launch_url(tool_item: ToolItem) -> str:
    placement = tool_item.item.placements.first()
    return reverse(
        "lti_platform:launch",
        kwargs={
            "school_slug": tool_item.school.slug,
            "playlist_id": placement.playlist_id,
            "item_id": tool_item.item_id,
        },
    )


def student_client(world) -> Client:
    client = Client()
    client.force_login(world.user(Role.STUDENT))
    return client


def start_launch(client: Client, tool_item: ToolItem) -> str:
    """The student presses "Open the tool": PLP's redirect to the tool's login initiation, followed (real
    HTTP) to the tool's authorization request to PLP. Returns that request's address."""
    with school_scope(tool_item.school_id):
        url = launch_url(tool_item)
    response = client.get(url)
    assert response.status_code == 302, response.content[:300]
    login = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert login.status_code == 302, login.text
    return login.headers["Location"]


def finish_launch(client: Client, auth_url: str):
    """PLP answers the authorization request; the browser posts the id_token form to the tool (real HTTP)."""
    answer = client.get(path_of(auth_url))
    if answer.status_code != 200 or "data-auto-post" not in answer.content.decode():
        return answer, None  # refused: no id_token
    action, fields = posted_form(answer.content.decode())
    return answer, requests.post(action, data=fields, timeout=10)
