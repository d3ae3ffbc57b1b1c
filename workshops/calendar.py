"""The iCalendar (RFC 5545) form of a person's week, written with the ``icalendar`` package: stable UIDs
(a subscriber updates an event, never doubles it), times in UTC, all-day entries as dates, text escaped by
the package."""

from __future__ import annotations

import datetime as dt

import icalendar
from django.utils import timezone

from workshops import selectors

PAST_DAYS = 14  # what a calendar keeps of the weeks behind
AHEAD_DAYS = 56  # and shows of the weeks ahead


def week_feed(*, person, roles: frozenset[str], school, today: dt.date | None = None) -> bytes:
    today = today or timezone.localdate()
    entries = selectors.week_entries(
        person=person,
        roles=roles,
        school=school,
        start=today - dt.timedelta(days=PAST_DAYS),
        end=today + dt.timedelta(days=AHEAD_DAYS),
    )
    cal = icalendar.Calendar()
    cal.add("prodid", "-//PLP//My week//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{school.name}: my week")
    cal.add("x-wr-timezone", school.timezone)
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("summary", entry.title)
        if entry.starts_at is not None:
            event.add("dtstart", entry.starts_at.astimezone(dt.UTC))
            event.add("dtend", entry.ends_at.astimezone(dt.UTC))
        else:
            event.add("dtstart", entry.day)
            event.add("dtend", entry.day + dt.timedelta(days=1))
        if entry.location:
            event.add("location", entry.location)
        if entry.detail:
            event.add("description", entry.detail)
        event.add("categories", [entry.kind.replace("_", "-")])
        event.add("transp", "TRANSPARENT" if entry.kind in ("block", "goal") else "OPAQUE")
        cal.add_component(event)
    return cal.to_ical()
