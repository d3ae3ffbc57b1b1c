"""Every time a person sees is in the school's time zone, in one format per kind (a day; a day and time)."""

import datetime as dt
import zoneinfo

from django.urls import reverse
from django.utils import timezone

from plp.tenancy.context import school_scope
from plp.timefmt import format_day, format_moment
from tests.factories import GoalFactory


def test_a_moment_is_shown_in_the_active_time_zone_and_a_day_is_the_local_day():
    late_evening_utc = dt.datetime(2026, 12, 4, 3, 30, tzinfo=dt.UTC)  # still Dec 3 in Chicago
    with timezone.override(zoneinfo.ZoneInfo("America/Chicago")):
        assert format_moment(late_evening_utc) == "Dec 3, 2026, 21:30"
        assert format_day(late_evening_utc) == "Dec 3, 2026"
    assert format_day(dt.date(2026, 1, 9)) == "Jan 9, 2026"


def test_a_teacher_page_and_a_student_page_show_the_same_day_the_same_way(client, school_a):
    today = timezone.localdate(timezone.now(), zoneinfo.ZoneInfo(school_a.school.timezone))
    monday = today - dt.timedelta(days=today.weekday())
    due = monday + dt.timedelta(days=4)
    student = school_a.user("student")
    with school_scope(school_a.school):
        GoalFactory(school=school_a.school, student=student, week_of=monday, due_date=due, text="Read ch. 4")
    shown = f"{due:%b} {due.day}, {due.year}"

    client.force_login(student)
    student_page = client.get(reverse("mentoring:my_goals", kwargs={"school_slug": "alpha"})).content.decode()
    client.force_login(school_a.user("teacher"))
    teacher_page = client.get(
        reverse("dashboard:student", kwargs={"school_slug": "alpha", "student_id": student.pk})
    ).content.decode()

    for page in (student_page, teacher_page):
        assert "Read ch. 4" in page
        assert f"due {shown}" in page
        assert due.isoformat() not in page


def test_a_flags_evidence_shows_its_days_in_the_one_day_format():
    from django.template import Context, Template

    rendered = Template("{% for k, v in e.items %}{{ k }}={{ v|shown }};{% endfor %}").render(
        Context({"e": {"last_active_on": "2026-11-20", "answers": 12, "competency": "6.RP.1"}})
    )
    assert rendered == "last_active_on=Nov 20, 2026;answers=12;competency=6.RP.1;"
