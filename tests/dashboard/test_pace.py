"""Pace is one rule (engine/policy/pace.py): one reading per student per section (their slowest playlist
there), with one explanation that the section dashboard, its CSV and API, the drill-down, My work and the
school overview all show."""

import csv
import datetime as dt
import io
from html import escape

from django.urls import reverse

from dashboard.selectors.grid import section_dashboard
from engine.policy.pace import Pace, read_pace
from plp.tenancy.context import school_scope
from schools.models import SchoolSettings
from schools.roles import Role
from tests.dashboard.test_views import url
from tests.factories import (
    ContentItemFactory,
    ItemProgressFactory,
    PlaylistAssignmentFactory,
    PlaylistItemFactory,
)
from tests.support import school_today


def _second_playlist(world, student):
    """A playlist far from its target on which ``student`` has done its one item: ahead there."""
    today = school_today(world.school)
    assignment = PlaylistAssignmentFactory(
        playlist__school=world.school, playlist__title="Long projects", section=world.section,
        start_date=today - dt.timedelta(days=1), target_date=today + dt.timedelta(days=99),
    )  # fmt: skip
    item = ContentItemFactory(school=world.school, title="Project one")
    PlaylistItemFactory(playlist=assignment.playlist, item=item, position=1)
    ItemProgressFactory(school=world.school, student=student, item=item, status="done")
    return assignment


def _expected(classroom, *, tolerance=0.10, done=1):
    """The ratios playlist of the fixture for its first student: 3 required items, half its time gone, and
    one counted done though none is marked: RP.1, mastered, is all its first item works on."""
    today = school_today(classroom.items[0].school)
    return read_pace(
        done=done, needed=3, start=today - dt.timedelta(days=10), target=today + dt.timedelta(days=10),
        today=today, tolerance=tolerance, title=_ratios_title(classroom),
    )  # fmt: skip


def _ratios_title(classroom):
    from playlists.models import PlaylistItem

    return (
        PlaylistItem.objects.unscoped().select_related("playlist").get(item=classroom.items[0]).playlist.title
    )


def test_the_dashboard_pace_cell_is_the_slowest_playlist_and_says_why(client, school_a, classroom):
    student = classroom.students[0]
    _second_playlist(school_a, student)
    expected = _expected(classroom)
    assert expected.pace is Pace.BEHIND
    client.force_login(school_a.user(Role.TEACHER))
    body = client.get(url("section", school_a, section_id=school_a.section.pk)).content.decode()
    row = body.split(f'id="student-{student.pk}"')[1].split("</tr>")[0]
    # "Behind 1/3" is the ratios playlist's own numbers (not a sum over playlists), with its sentence.
    assert f"Behind <small>1/3</small><i>{escape(expected.explanation)}</i>" in row
    assert "2 of 4 required items done" not in row and "2/4" not in row
    assert "slowest playlist there" in body  # the legend defines the number


def test_the_csv_and_the_api_carry_the_same_pace_and_explanation(client, school_a, classroom):
    expected = _expected(classroom)
    client.force_login(school_a.user(Role.TEACHER))
    response = client.get(url("section_csv", school_a, section_id=school_a.section.pk))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, first = rows[0], rows[1]
    assert (
        first[header.index("pace")] == "Behind" and first[header.index("pace: why")] == expected.explanation
    )
    api = reverse(
        "api:dashboard_section_summary",
        kwargs={"school_slug": school_a.school.slug, "section_id": school_a.section.pk},
    )
    data = client.get(api).json()
    # The other two students have mastered nothing there: none of the three counted done.
    others = _expected(classroom, done=0).explanation
    assert {s["pace_explanation"] for s in data["students"]} == {expected.explanation, others}


def test_the_drilldown_and_my_work_show_the_same_reading_as_the_dashboard(client, school_a, classroom):
    student = classroom.students[0]
    _second_playlist(school_a, student)
    expected = _expected(classroom)
    client.force_login(school_a.user(Role.TEACHER))
    drill = client.get(
        reverse("dashboard:student", kwargs={"school_slug": school_a.school.slug, "student_id": student.pk})
    ).content.decode()
    section_line = drill.split("Pace in each section")[1].split("</ul>")[0]
    assert school_a.section.name in section_line and escape(expected.explanation) in section_line
    client.force_login(student)
    mine = client.get(reverse("agency:my_work", kwargs={"school_slug": school_a.school.slug})).content
    # My work shows each playlist with its own sentence (the playlist's title is already the heading).
    start = expected_start(school_a)
    untitled = read_pace(
        done=1, needed=3, start=start, target=start + dt.timedelta(days=20),
        today=school_today(school_a.school),
    )  # fmt: skip
    assert escape(untitled.explanation) in mine.decode()
    assert "1 required item done" in mine.decode() or "all 1 required item done" in mine.decode()


def expected_start(world):
    return school_today(world.school) - dt.timedelta(days=10)


def test_pace_is_judged_with_the_schools_own_tolerance_as_the_flags_are(school_a, classroom):
    with school_scope(school_a.school):
        SchoolSettings.objects.create(school=school_a.school, pace_margin=0.6)
        dashboard = section_dashboard(section=school_a.section, today=school_today(school_a.school))
    # 1 (or 0) of 3 done at half time trails the plan by 17 (or 50) points: within the school's 60, so on
    # track.
    assert {row.pace for row in dashboard.rows} == {Pace.ON_TRACK}
    assert dashboard.rows[0].reading == _expected(classroom, tolerance=0.6)


def test_the_drilldowns_progress_chart_dates_an_item_by_the_schools_day_not_utcs(school_a, classroom):
    """An item marked done at 9 pm in Chicago is done that day there, though it is already tomorrow in UTC
    (the day the mastery credit, My work and the pace use)."""
    import zoneinfo

    from django.utils import timezone

    from dashboard.selectors.student import student_drilldown

    student, item = classroom.students[0], classroom.items[1]
    chicago = zoneinfo.ZoneInfo(school_a.school.timezone)
    today = school_today(school_a.school)
    evening = dt.datetime.combine(today - dt.timedelta(days=2), dt.time(21), tzinfo=chicago)
    assert evening.astimezone(dt.UTC).date() != evening.date()
    ItemProgressFactory(
        school=school_a.school, student=student, item=item, status="done", completed_at=evening
    )
    with school_scope(school_a.school), timezone.override(chicago):
        chart = student_drilldown(student=student, today=today)["plans"][0]
    assert evening.date() in [point.day for point in chart.points]
    assert evening.astimezone(dt.UTC).date() not in [point.day for point in chart.points]
