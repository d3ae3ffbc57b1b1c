"""A student opens a tool item: PLP's third-party initiated login to the suite's tool, the tool's OIDC
authorization request, and the id_token PLP posts back, checked by the tool against PLP's key set."""

import jwt
import pytest
import requests
from django.urls import reverse

from lti_platform.messages import LEARNER
from lti_platform.models import ToolLaunch, ToolSubject
from playlists.models import ItemProgress
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.lti.platform import path_of
from tests.lti_platform.conftest import finish_launch, start_launch, student_client
from tests.lti_platform.tool import LTI

pytestmark = pytest.mark.django_db


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
    first, _ = finish_launch(client, auth_url)
    assert first.status_code == 200
    again = client.get(path_of(auth_url))
    assert again.status_code == 302 and again["Location"] == reverse("lti:refused")
    assert "already used" in client.get(again["Location"]).content.decode()


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
    assert first.status_code == 200
    second = client.get(path_of(start_launch(client, tools["item_a"])))
    assert second.status_code == 302 and second["Location"] == reverse("lti:refused")


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
    answer = client.get(path_of(start_launch(client, tools["item_a"])))
    assert answer.status_code == 302 and answer["Location"] == reverse("lti:refused")
    assert why in client.get(answer["Location"]).content.decode()


def test_another_person_cannot_use_a_students_launch(tools, school_a):
    """The login hint is bound to the signed-in student: the request, opened by the teacher's browser (or
    nobody's), gets no id_token."""
    auth_url = start_launch(student_client(school_a), tools["item_a"])
    teacher = student_client(school_a)
    teacher.force_login(school_a.user(Role.TEACHER))
    answer = teacher.get(path_of(auth_url))
    assert answer.status_code == 302 and answer["Location"] == reverse("lti:refused")


def test_another_schools_tool_cannot_answer_for_a_launch(tools, school_a):
    """School A's launch, asked for at school B's registration of the same tool: refused."""
    auth_url = start_launch(student_client(school_a), tools["item_a"])
    client = student_client(school_a)
    b_auth = reverse("lti_platform:auth", kwargs={"tool": tools["b"].public_id})
    answer = client.get(b_auth + "?" + auth_url.split("?", 1)[1])
    assert answer.status_code == 302 and answer["Location"] == reverse("lti:refused")


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


def test_the_launch_runs_in_a_constant_number_of_queries(tools, school_a, django_assert_max_num_queries):
    client = student_client(school_a)
    finish_launch(client, start_launch(client, tools["item_a"]))  # the first launch makes the sub
    with django_assert_max_num_queries(25):
        auth_url = start_launch(client, tools["item_a"])
    with django_assert_max_num_queries(14):
        answer = client.get(path_of(auth_url))
    assert answer.status_code == 200
