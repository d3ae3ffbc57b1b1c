"""Deep linking from the test LMS: a teacher places a playlist in a course; the LMS checks PLP's signed
answer against PLP's JWKS; a student then opens the placed link, masters, and the gradebook gets it."""

import re

import pytest
import requests
from django.urls import reverse

from lti import grades
from mastery.services import mastery_override
from playlists.models import PlaylistAssignment
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import CompetencyFactory, FrameworkFactory, PlaylistFactory, PlaylistItemFactory
from tests.lti.conftest import lms_launch


@pytest.fixture
def course(client, lms, school_a):
    platform, registration = lms["platform"], lms["a"]
    platform.tool_jwks[registration.client_id] = client.get(
        reverse("lti:jwks", kwargs={"registration": registration.public_id})
    ).json()
    framework = FrameworkFactory(school=school_a.school)
    competency = CompetencyFactory(framework=framework, code="6.RP.1")
    playlist = PlaylistFactory(school=school_a.school, subject=framework.subject, title="Ratios week 1")
    PlaylistItemFactory(playlist=playlist).item.competencies.add(competency)
    return {
        "platform": platform,
        "registration": registration,
        "playlist": playlist,
        "competency": competency,
    }


def _deep_link(client, course, login_hint="alpha-teacher"):
    response, _ = lms_launch(
        client, course["platform"], course["registration"], login_hint=login_hint,
        message_type="LtiDeepLinkingRequest",
    )  # fmt: skip
    return response


def _return_form(page: str) -> tuple[str, str]:
    action = re.search(r'<form method="post" action="([^"]+)" id="lti-deep-link-return">', page).group(1)
    token = re.search(r'<input type="hidden" name="JWT" value="([^"]+)">', page).group(1)
    return action.replace("&amp;", "&"), token


def test_a_teacher_places_a_playlist_and_a_student_who_opens_it_is_graded_in_the_lms(
    client, course, school_a
):
    platform = course["platform"]
    response = _deep_link(client, course)
    assert response["Location"] == reverse("lti:deep_link", kwargs={"school_slug": "alpha"})
    page = client.get(response["Location"]).content.decode()
    assert "Ratios week 1" in page and "6.RP.1" in page
    sent = client.post(response["Location"], {"choice": f"playlist:{course['playlist'].pk}"})
    assert sent.status_code == 200
    assert platform.issuer in sent["Content-Security-Policy"].split("form-action")[1].split(";")[0]
    action, token = _return_form(sent.content.decode())
    placed = requests.post(action, data={"JWT": token}, timeout=10)
    assert placed.status_code == 200, placed.text
    (item,) = platform.placed
    assert item["type"] == "ltiResourceLink" and item["title"] == "Ratios week 1"
    assert item["url"] == f"http://testserver/lti/{course['registration'].public_id}/launch/"
    assert item["custom"] == {"plp_playlist_id": str(course["playlist"].pk)}
    assert item["lineItem"]["scoreMaximum"] == 1
    # The choice is sent once.
    assert "Nothing to place right now" in client.get(response["Location"]).content.decode()

    # The LMS made the gradebook column; a student opens the placed link.
    client.logout()
    lineitem = platform.lineitem_url("placed-1")
    opened, _ = lms_launch(
        client, platform, course["registration"], login_hint="alpha-student",
        custom=item["custom"], lineitem=lineitem, resource_link_id="placed-1",
    )  # fmt: skip
    assert opened["Location"] == reverse(
        "playlists:student_playlist", kwargs={"school_slug": "alpha", "playlist_id": course["playlist"].pk}
    )
    # Opening a placed playlist assigns it to the student (once): the link lands on it, not on a 404.
    assert "Ratios week 1" in client.get(opened["Location"]).content.decode()
    with school_scope(school_a.school):
        (assignment,) = PlaylistAssignment.objects.filter(playlist=course["playlist"])
    assert assignment.student_id == school_a.user(Role.STUDENT).pk and assignment.assigned_by_id is None
    lms_launch(client, platform, course["registration"], login_hint="alpha-student", custom=item["custom"],
               lineitem=lineitem, resource_link_id="placed-1")  # fmt: skip
    with school_scope(school_a.school):
        assert PlaylistAssignment.objects.filter(playlist=course["playlist"]).count() == 1
    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        teacher = school_a.user(Role.TEACHER)
        mastery_override(student=student, competency=course["competency"], teacher=teacher,
                         mastered=True, reason="Check passed on paper")  # fmt: skip
        assert grades.scores_pass_back(student_ids=[student.pk]) == 1
    score = platform.gradebook[lineitem]["lms-alpha-student"]
    assert (score["scoreGiven"], score["scoreMaximum"], score["activityProgress"]) == (1.0, 1.0, "Completed")


def test_a_lms_that_does_not_know_plps_key_refuses_the_placement(client, course):
    course["platform"].tool_jwks["plp-alpha"] = {"keys": []}
    response = _deep_link(client, course)
    sent = client.post(response["Location"], {"choice": f"competency:{course['competency'].pk}"})
    action, token = _return_form(sent.content.decode())
    assert requests.post(action, data={"JWT": token}, timeout=10).status_code == 400
    assert course["platform"].placed == []


def test_another_schools_playlist_cannot_be_placed(client, course, school_b):
    other = PlaylistFactory(school=school_b.school, title="Bravo secret playlist")
    response = _deep_link(client, course)
    assert client.post(response["Location"], {"choice": f"playlist:{other.pk}"}).status_code == 404
    assert client.post(response["Location"], {"choice": "playlist:abc"}).status_code == 404


def test_a_student_launched_to_place_content_cannot(client, course):
    response = _deep_link(client, course, login_hint="alpha-student")
    assert client.get(response["Location"]).status_code == 403
