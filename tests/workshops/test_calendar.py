"""The iCalendar feed: valid RFC 5545 (parsed back with the icalendar package, folded CRLF lines), stable
UIDs, UTC times and all-day dates, escaped text, and a private address that revoking ends."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from plp.tenancy.context import school_scope
from schools.models import Membership
from schools.roles import Role
from tests.factories import CheckInFactory, CompetencyFactory, GoalFactory
from tests.workshops.conftest import add_block, add_student, make_workshop, next_weekday
from workshops import services

pytestmark = pytest.mark.django_db

TRICKY = "Room 12; back table, by the window \\ east wing"


def _feed(world, role=Role.STUDENT):
    with school_scope(world.school):
        return services.feed_issue(user=world.user(role))


def _fetch(client, token):
    return client.get(reverse("calendar_feed", args=[token]))


def _events(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and "PLP" in str(calendar["PRODID"])
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def week(school_a, competency, block, monday):
    student = school_a.user(Role.STUDENT)
    workshop = make_workshop(
        school_a, competency=competency, block=block, day=monday, invite=[student], location=TRICKY
    )
    CheckInFactory(school=school_a.school, student=student, mentor=school_a.user(Role.MENTOR), date=monday)
    GoalFactory(
        school=school_a.school,
        student=student,
        week_of=monday,
        due_date=monday + dt.timedelta(days=4),
        text="Finish fractions, then decimals; no excuses",
    )
    return workshop


def test_the_feed_is_valid_icalendar_with_utc_times_dates_and_escaped_text(client, school_a, week, monday):
    response = _fetch(client, _feed(school_a).token)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    # RFC 5545 §3.1: CRLF line breaks, lines folded at 75 octets.
    lines = body.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)
    assert b"\n" not in body.replace(b"\r\n", b"")
    events = _events(body)
    workshop = events[f"workshop-{week.pk}@alpha.plp"]
    assert workshop["DTSTART"].dt == week.starts_at and workshop["DTSTART"].dt.utcoffset() == dt.timedelta(0)
    assert body.count(b"DTSTART:") and b"Z\r\n" in body  # UTC form: 20261207T150000Z
    assert str(workshop["LOCATION"]) == TRICKY  # escaped on the wire, the same text once parsed
    assert b"Room 12\\; back table\\, by the window \\\\ east wing" in body
    assert "Invited because" in str(workshop["DESCRIPTION"])
    goal = next(e for uid, e in events.items() if uid.startswith("goal-"))
    assert goal["DTSTART"].dt == monday + dt.timedelta(days=4)  # an all-day date, not a time
    assert goal["DTSTART"].params.get("VALUE") == "DATE"
    assert str(goal["SUMMARY"]) == "Goal due: Finish fractions, then decimals; no excuses"
    assert any(uid.startswith("check-in-") for uid in events)
    assert f"block-{week.block_id}-{monday:%Y%m%d}@alpha.plp" in events


def test_uids_are_stable_from_one_fetch_to_the_next(client, school_a, week):
    token = _feed(school_a).token
    first, second = _events(_fetch(client, token).content), _events(_fetch(client, token).content)
    assert set(first) == set(second) and len(first) > 5
    assert len(set(first)) == len(first)


def test_a_teachers_feed_lists_who_is_coming(client, school_a, week):
    events = _events(_fetch(client, _feed(school_a, Role.TEACHER).token).content)
    workshop = events[f"workshop-{week.pk}@alpha.plp"]
    assert "1 of 4 seats taken: ALPHAGivenStudent" in str(workshop["DESCRIPTION"])


def test_revoking_or_renewing_the_address_makes_the_old_one_404(client, school_a, week):
    old = _feed(school_a)
    assert _fetch(client, old.token).status_code == 200
    new = _feed(school_a)  # a new address revokes the old one
    assert _fetch(client, old.token).status_code == 404
    assert _fetch(client, new.token).status_code == 200
    with school_scope(school_a.school):
        services.feed_revoke(user=school_a.user(Role.STUDENT))
    assert _fetch(client, new.token).status_code == 404


@pytest.mark.parametrize("token", ["nope", "x" * 64, "x" * 500, "%00"])
def test_an_unknown_token_is_a_404(client, school_a, token):
    _feed(school_a)
    assert _fetch(client, token).status_code == 404


def test_a_person_who_left_the_school_has_no_feed(client, school_a, week):
    feed = _feed(school_a)
    with school_scope(school_a.school):
        Membership.objects.filter(user=school_a.user(Role.STUDENT)).update(is_active=False)
    assert _fetch(client, feed.token).status_code == 404


def test_a_token_of_school_a_never_shows_school_b(client, school_a, school_b, week):
    other = CompetencyFactory(framework__school=school_b.school, code="BRAVO.X", title="bravo secret")
    b_block = add_block(school_b)
    b_student = add_student(school_b, given_name="Bravo")
    make_workshop(
        school_b,
        competency=other,
        block=b_block,
        day=next_weekday(school_b),
        invite=[b_student],
        location="bravo room",
    )
    with school_scope(school_b.school):
        b_feed = services.feed_issue(user=b_student)
    body = _fetch(client, _feed(school_a).token).content
    assert b"bravo" not in body.lower()
    assert b"bravo room" in _fetch(client, b_feed.token).content  # and B's own token does show B


def test_the_week_page_offers_the_address_and_its_revocation(client, school_a, week):
    client.force_login(school_a.user(Role.STUDENT))
    page = reverse("workshops:week", args=["alpha"])
    assert "Make my calendar address" in client.get(page).content.decode()
    client.post(reverse("workshops:feed_new", args=["alpha"]))
    html = client.get(page).content.decode()
    with school_scope(school_a.school):
        token = services.selectors.live_feed(user=school_a.user(Role.STUDENT)).token
    assert f"http://testserver/calendar/{token}.ics" in html
    client.post(reverse("workshops:feed_revoke", args=["alpha"]))
    assert _fetch(client, token).status_code == 404
