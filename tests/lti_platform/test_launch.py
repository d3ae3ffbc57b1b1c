"""A student opens a tool item: PLP's third-party initiated login to the suite's tool, the tool's OIDC
authorization request, and the id_token PLP posts back, checked by the tool against PLP's key set."""

import html

import jwt
import pytest
import requests
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lti_platform.messages import LEARNER
from lti_platform.models import ToolLaunch, ToolSubject
from playlists.models import ItemProgress
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import EnrollmentFactory, MembershipFactory, UserFactory
from tests.lti.platform import path_of
from tests.lti_platform.conftest import finish_launch, start_launch, student_client
from tests.lti_platform.matrix_part import tool_item_make
from tests.lti_platform.tool import LTI

pytestmark = pytest.mark.django_db


def refused_page(response) -> str:
    """The refusal a student sees instead of the id_token form (which is not on the page)."""
    assert response.status_code == 200
    page = response.content.decode()
    assert "data-auto-post" not in page and "id_token" not in page
    return html.unescape(page)


def test_a_student_launches_the_tool_and_the_tool_trusts_the_id_token(tools, school_a):
    tool, item = tools["tool"], tools["item_a"]
    client = student_client(school_a)
    auth_url = start_launch(client, item)
    answer, page = finish_launch(client, auth_url)
    assert answer.status_code == 200
    assert page.status_code == 200, page.text
    assert "Submit 8/10" in page.text
    (launch,) = tool.launches.values()
    claims = launch.claims
    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        subject = ToolSubject.objects.get(user=student)
        assert ToolLaunch.objects.filter(student=student, tool_item=item).exists()
        assert ItemProgress.objects.get(student=student, item=item.item).status == "in_progress"
    assert claims["sub"] == subject.sub != str(student.pk)
    assert claims[LTI + "message_type"] == "LtiResourceLinkRequest"
    assert claims[LTI + "version"] == "1.3.0"
    assert claims[LTI + "roles"] == [LEARNER]
    assert claims[LTI + "deployment_id"] == tools["a"].deployment_id
    assert claims[LTI + "resource_link"]["id"] == str(item.public_id)
    assert claims[LTI + "context"]["title"] == school_a.section.name
    assert "email" not in claims and "name" not in claims  # the registration does not share them
    assert launch.lineitem.endswith(f"/lineitems/{item.public_id}")


def test_the_sub_is_stable_for_one_tool_and_the_name_is_sent_only_when_shared(tools, school_a):
    tool, item = tools["tool"], tools["item_a"]
    tools["a"].share_name_email = True
    tools["a"].save(update_fields=["share_name_email"])
    client = student_client(school_a)
    for _ in range(2):
        finish_launch(client, start_launch(client, item))
    first, second = tool.launches.values()
    assert first.sub == second.sub
    assert second.claims["email"] == school_a.user(Role.STUDENT).email


def test_an_id_token_signed_by_another_key_is_refused_by_the_tool(tools, school_a, school_b):
    """The tool checks PLP's signature against the school's published keys: a token of school B's key
    (another school's registration) in A's launch does not pass."""
    tool = tools["tool"]
    client = student_client(school_a)
    auth_url = start_launch(client, tools["item_a"])
    answer = client.get(path_of(auth_url))
    html = answer.content.decode()
    from tests.lti_platform.conftest import posted_form

    action, fields = posted_form(html)
    claims = jwt.decode(fields["id_token"], options={"verify_signature": False})
    b_config = tool.platforms[tools["b"].client_id]
    forged = _signed_by_school(school_b, claims)
    assert jwt.get_unverified_header(forged)["kid"] not in {
        k["kid"] for k in tool.fetch_jwks(tool.platforms[tools["a"].client_id].jwks_url)["keys"]
    }
    refused = requests.post(action, data={**fields, "id_token": forged}, timeout=10)
    assert refused.status_code == 400
    assert "refused" in refused.text
    assert b_config  # B's registration exists; its key simply is not A's
    assert not tool.launches


def _signed_by_school(world, claims):
    from lti_platform import signing

    return signing.sign(school_id=world.school.pk, claims=claims)


def test_a_replayed_authorization_request_gets_no_second_id_token(tools, school_a):
    client = student_client(school_a)
    auth_url = start_launch(client, tools["item_a"])
    _, page = finish_launch(client, auth_url)
    assert page.status_code == 200
    assert "already used" in refused_page(client.get(path_of(auth_url)))


def test_a_replayed_id_token_is_refused_by_the_tool(tools, school_a):
    """The tool's state and nonce are single use: the same id_token form posted again launches nobody."""
    from tests.lti_platform.conftest import posted_form

    tool = tools["tool"]
    client = student_client(school_a)
    answer = client.get(path_of(start_launch(client, tools["item_a"])))
    action, fields = posted_form(answer.content.decode())
    assert requests.post(action, data=fields, timeout=10).status_code == 200
    assert requests.post(action, data=fields, timeout=10).status_code == 400
    assert len(tool.launches) == 1


def test_a_nonce_used_before_is_refused_by_plp(tools, school_a):
    tool = tools["tool"]
    client = student_client(school_a)
    tool.knobs.auth_overrides = {"nonce": "the-same-nonce"}
    first, _ = finish_launch(client, start_launch(client, tools["item_a"]))
    assert "data-auto-post" in first.content.decode()  # the first time, PLP answers with an id_token
    assert "nonce already used" in refused_page(client.get(path_of(start_launch(client, tools["item_a"]))))


@pytest.mark.parametrize(
    ("override", "why"),
    [
        ({"redirect_uri": "https://evil.example.test/launch"}, "redirect_uri is not registered"),
        ({"prompt": "login"}, "prompt must be none"),
        ({"client_id": "someone-else"}, "client_id is not this tool"),
        ({"login_hint": "another-student"}, "login_hint is not the signed-in person"),
    ],
)
def test_a_bad_authorization_request_is_refused(tools, school_a, override, why):
    tools["tool"].knobs.auth_overrides = override
    client = student_client(school_a)
    assert why in refused_page(client.get(path_of(start_launch(client, tools["item_a"]))))


def test_another_person_cannot_use_a_students_launch(tools, school_a):
    """The login hint is bound to the signed-in student: the request, opened by the teacher's browser (or
    nobody's), gets no id_token."""
    auth_url = start_launch(student_client(school_a), tools["item_a"])
    teacher = student_client(school_a)
    teacher.force_login(school_a.user(Role.TEACHER))
    assert "another person" in refused_page(teacher.get(path_of(auth_url)))


def test_another_schools_tool_cannot_answer_for_a_launch(tools, school_a):
    """School A's launch, asked for at school B's registration of the same tool: refused."""
    auth_url = start_launch(student_client(school_a), tools["item_a"])
    client = student_client(school_a)
    b_auth = reverse("lti_platform:auth", kwargs={"tool": tools["b"].public_id})
    assert "already used" in refused_page(client.get(b_auth + "?" + auth_url.split("?", 1)[1]))


def test_only_the_student_of_the_playlist_launches(tools, school_a, school_b):
    from tests.lti_platform.conftest import launch_url

    with school_scope(school_a.school):
        url = launch_url(tools["item_a"])
    teacher = student_client(school_a)
    teacher.force_login(school_a.user(Role.TEACHER))
    assert teacher.get(url).status_code == 404  # no playlist of the teacher's
    assert student_client(school_a).post(url).status_code == 405
    b_student = student_client(school_b)
    assert b_student.get(url.replace("/s/alpha/", "/s/bravo/")).status_code == 404


def _launch_queries(client, tool_item) -> tuple[int, int]:
    """Queries of the launch (PLP's start) and of the id_token answer, for a student who launched before."""
    with CaptureQueriesContext(connection) as start:
        auth_url = start_launch(client, tool_item)
    with CaptureQueriesContext(connection) as answer:
        response = client.get(path_of(auth_url))
    assert "data-auto-post" in response.content.decode()
    return len(start), len(answer)


def test_the_launch_runs_in_a_constant_number_of_queries(tools, school_a, django_assert_max_num_queries):
    """The same ceilings with one tool item and one launch, and with more items, playlists and students who
    launched them."""
    client = student_client(school_a)
    finish_launch(client, start_launch(client, tools["item_a"]))  # the first launch makes the sub
    small = _launch_queries(client, tools["item_a"])
    assert small[0] <= 25 and small[1] <= 14, small
    for n in range(4):
        tool_item_make(school_a, tools["a"])
        other = UserFactory(email=f"more{n}@alpha.example.test")
        MembershipFactory(school=school_a.school, user=other, role=Role.STUDENT)
        EnrollmentFactory(section=school_a.section, user=other, role="student")
        other_client = Client()
        other_client.force_login(other)
        finish_launch(other_client, start_launch(other_client, tools["item_a"]))
    large = _launch_queries(client, tools["item_a"])
    assert large[0] <= small[0] and large[1] <= small[1], (small, large)
