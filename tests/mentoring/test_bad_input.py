"""Bad input to the learners and mentoring routes: never a 500, never another school's data."""

import pytest
from rest_framework.test import APIClient

from tests.factories import CheckInFactory

HUGE = "9" * 25

BAD_REQUESTS = [
    ("mentor", "get", f"/s/alpha/mentoring/students/{HUGE}/"),
    ("mentor", "get", f"/s/alpha/mentoring/check-ins/{HUGE}/"),
    ("mentor", "get", f"/s/alpha/mentoring/check-ins/{HUGE}/edit/"),
    ("mentor", "post", f"/s/alpha/mentoring/check-ins/{HUGE}/edit/"),
    ("student", "post", f"/s/alpha/mentoring/goals/{HUGE}/reflect/"),
    ("student", "get", f"/s/alpha/learners/students/{HUGE}/plan/?term={HUGE}"),
    ("student", "get", "/s/alpha/learners/my-plan/?term=-1"),
    ("student", "get", "/s/alpha/learners/careers/?page=-5"),
    ("teacher", "get", f"/s/alpha/learners/careers/{HUGE}/"),
    ("school_admin", "get", "/s/alpha/learners/?q=" + "x" * 500),
    ("mentor", "get", "/s/alpha/mentoring/?page=99999999999999999999"),
    ("mentor", "get", f"/api/v1/s/alpha/mentoring/goals/?student={HUGE}"),
    ("mentor", "get", "/api/v1/s/alpha/mentoring/check-ins/?student=x&page=abc"),
    ("mentor", "get", f"/api/v1/s/alpha/mentoring/check-ins/{HUGE}/"),
    ("mentor", "patch", f"/api/v1/s/alpha/mentoring/check-ins/{HUGE}/"),
    ("student", "patch", f"/api/v1/s/alpha/learners/profiles/{HUGE}/"),
    ("student", "post", "/api/v1/s/alpha/mentoring/check-ins/"),
    ("student", "post", "/api/v1/s/alpha/mentoring/goals/"),
    ("mentor", "delete", "/api/v1/s/alpha/mentoring/check-ins/"),
]


@pytest.mark.parametrize(("who", "method", "url"), BAD_REQUESTS)
def test_bad_input_never_gives_a_server_error(who, method, url, school_a, school_b):
    client = APIClient()
    client.force_login(school_a.user(who))
    response = getattr(client, method)(url)
    assert response.status_code in {200, 302, 400, 403, 404, 405}, (url, response.status_code)
    assert b"bravo" not in response.content.lower()


@pytest.mark.parametrize(
    "payload",
    [
        {"student": "abc", "date": "2026-01-01"},
        {"student": 1, "date": "not a date"},
        {"student": 1, "date": "2026-01-01", "reviews": {"x": "met"}},
        {"student": 1, "date": "2026-01-01", "shared_notes": "nul\x00byte"},
        {"student": int(HUGE), "date": "2026-01-01"},
        {"student": 1, "date": "2026-01-01", "reviews": {HUGE: "met"}},
    ],
)
def test_malformed_check_in_payloads_are_400_or_404(school_a, payload):
    client = APIClient()
    client.force_login(school_a.user("mentor"))
    response = client.post("/api/v1/s/alpha/mentoring/check-ins/", payload, format="json")
    assert response.status_code in {400, 404}


@pytest.mark.parametrize(
    "payload", [[], ["date"], "text", {"date": "2026-13-45"}, {"collaboration": "abc"}, {"follow_up_date": 7}]
)
def test_malformed_check_in_corrections_are_400(school_a, mentee, payload):
    check_in = CheckInFactory(school=school_a.school, student=mentee, mentor=school_a.user("mentor"))
    client = APIClient()
    client.force_login(school_a.user("mentor"))
    response = client.patch(f"/api/v1/s/alpha/mentoring/check-ins/{check_in.pk}/", payload, format="json")
    assert response.status_code == 400
