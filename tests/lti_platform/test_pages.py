"""The school admin's pages for external tools and the teacher's page to place one in a playlist; who may
use them."""

import pytest
from django.urls import reverse

from lti import keys
from lti_platform.models import PlatformKey, ToolItem, ToolRegistration
from playlists.models import ContentItem, PlaylistItem
from plp.tenancy.context import school_scope
from schools.roles import DISTRICT_ADMIN, Role
from tests.factories import CompetencyFactory, FrameworkFactory, PlaylistFactory
from tests.lti_platform.matrix_part import tool_make

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Fraction Lab",
    "login_url": "https://lab.example.org/lti/login",
    "launch_url": "https://lab.example.org/lti/launch",
    "key_set_url": "https://lab.example.org/lti/jwks",
    "more_redirect_uris": "https://lab.example.org/lti/launch2\n",
    "is_enabled": "on",
}


def test_an_admin_registers_a_tool_and_sees_what_to_give_it(client, school_a):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    response = client.post(reverse("lti_platform:tool_new", kwargs={"school_slug": "alpha"}), FORM)
    assert response.status_code == 302
    with school_scope(school_a.school):
        tool = ToolRegistration.objects.get()
        key = PlatformKey.objects.get()
    assert tool.redirect_uris == ["https://lab.example.org/lti/launch2"]
    assert not tool.share_name_email
    page = client.get(response["Location"]).content.decode()
    for name in ("auth", "token", "jwks"):
        assert "http://testserver" + reverse(f"lti_platform:{name}", kwargs={"tool": tool.public_id}) in page
    assert tool.client_id in page and tool.deployment_id in page
    assert keys.private_pem(key.private_key_encrypted).startswith("-----BEGIN PRIVATE KEY-----")
    assert "PRIVATE KEY" not in page


def test_bad_input_gets_field_errors_and_keeps_what_was_typed(client, school_a):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    response = client.post(
        reverse("lti_platform:tool_new", kwargs={"school_slug": "alpha"}),
        {**FORM, "key_set_url": "nope nope"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"key_set_url"}
    assert "lab.example.org/lti/login" in response.content.decode()


def test_rotating_keeps_the_previous_key_published_until_the_next_rotation(client, school_a):
    tool = tool_make(school_a)
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    url = reverse("lti_platform:tools", kwargs={"school_slug": "alpha"})
    jwks_url = reverse("lti_platform:jwks", kwargs={"tool": tool.public_id})
    first = client.get(jwks_url).json()["keys"]
    assert client.post(url).status_code == 302
    second = client.get(jwks_url).json()["keys"]
    assert len(second) == 2 and first[0] in second
    client.post(url)
    third = client.get(jwks_url).json()["keys"]
    assert len(third) == 2 and first[0] not in third
    assert all("d" not in key for key in third)  # public halves only


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.MENTOR])
def test_only_school_admins_manage_tools(client, school_a, role):
    tool = tool_make(school_a)
    client.force_login(school_a.user(role))
    assert client.get(reverse("lti_platform:tools", kwargs={"school_slug": "alpha"})).status_code == 403
    assert client.post(reverse("lti_platform:tools", kwargs={"school_slug": "alpha"})).status_code == 403
    assert client.get(reverse("lti_platform:tool_new", kwargs={"school_slug": "alpha"})).status_code == 403
    edit = reverse("lti_platform:tool_edit", kwargs={"school_slug": "alpha", "tool_registration_id": tool.pk})
    assert client.post(edit, {**FORM, "name": "Hijacked"}).status_code == 404
    with school_scope(school_a.school):
        assert ToolRegistration.objects.get().name == tool.name


def test_a_district_admin_manages_the_schools_tools(client, school_a):
    client.force_login(school_a.user(DISTRICT_ADMIN))
    assert client.get(reverse("lti_platform:tools", kwargs={"school_slug": "alpha"})).status_code == 200


def _item_form(school_a, tool):
    framework = FrameworkFactory(school=school_a.school)
    competency = CompetencyFactory(framework=framework)
    playlist = PlaylistFactory(school=school_a.school, subject=framework.subject)
    data = {
        "title": "Ratio tables in the lab",
        "tool": tool.pk,
        "competencies": [competency.pk],
        "playlist": playlist.pk,
        "score_maximum": "10",
        "estimated_minutes": "25",
    }
    return data, competency, playlist


def test_a_teacher_adds_a_tool_item_to_a_playlist(client, school_a):
    tool = tool_make(school_a)
    data, competency, playlist = _item_form(school_a, tool)
    client.force_login(school_a.user(Role.TEACHER))
    url = reverse("lti_platform:item_new", kwargs={"school_slug": "alpha"})
    assert client.get(url + f"?playlist={playlist.pk}").status_code == 200
    response = client.post(url, data)
    assert response.status_code == 302
    with school_scope(school_a.school):
        item = ContentItem.objects.get(kind=ContentItem.Kind.LTI_TOOL)
        assert list(item.competencies.all()) == [competency]
        assert ToolItem.objects.get(item=item).tool == tool
        assert PlaylistItem.objects.get(item=item).playlist == playlist
    assert response["Location"] == reverse(
        "playlists:playlist_detail", kwargs={"school_slug": "alpha", "playlist_id": playlist.pk}
    )


def test_students_and_mentors_cannot_add_tool_items(client, school_a):
    tool = tool_make(school_a)
    data, _, _ = _item_form(school_a, tool)
    url = reverse("lti_platform:item_new", kwargs={"school_slug": "alpha"})
    for role in (Role.STUDENT, Role.MENTOR):
        client.force_login(school_a.user(role))
        assert client.post(url, data).status_code == 403
    assert not ContentItem.objects.unscoped().filter(kind=ContentItem.Kind.LTI_TOOL).exists()


def test_another_schools_tool_is_not_a_choice(client, school_a, school_b):
    b_tool = tool_make(school_b)
    data, _, _ = _item_form(school_a, tool_make(school_a))
    client.force_login(school_a.user(Role.TEACHER))
    response = client.post(
        reverse("lti_platform:item_new", kwargs={"school_slug": "alpha"}), {**data, "tool": b_tool.pk}
    )
    assert response.status_code == 200 and "tool" in response.context["form"].errors


def test_the_tools_page_is_a_constant_number_of_queries(client, school_a, django_assert_max_num_queries):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    url = reverse("lti_platform:tools", kwargs={"school_slug": "alpha"})
    tool_make(school_a)
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    for n in range(5):
        tool_make(school_a, name=f"Tool {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_content_list_leads_authors_to_the_tool_pages(client, school_a):
    url = reverse("playlists:item_list", kwargs={"school_slug": "alpha"})
    client.force_login(school_a.user(Role.TEACHER))
    page = client.get(url).content.decode()
    assert reverse("lti_platform:item_new", kwargs={"school_slug": "alpha"}) in page
    tools = 'href="{}"'.format(reverse("lti_platform:tools", kwargs={"school_slug": "alpha"}))
    assert tools not in page
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    assert tools in client.get(url).content.decode()


def test_a_key_set_address_inside_the_network_is_refused(client, school_a, settings):
    """PLP's server reads the tool's key set: an internal address is a field error (plp/outbound.py)."""
    settings.ALLOW_PRIVATE_OUTBOUND = False
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    response = client.post(
        reverse("lti_platform:tool_new", kwargs={"school_slug": "alpha"}),
        {**FORM, "key_set_url": "http://169.254.169.254/latest/meta-data/"},
    )
    assert response.status_code == 200 and set(response.context["form"].errors) == {"key_set_url"}
    assert not ToolRegistration.objects.unscoped().exists()
