"""The brief's parts from the other apps: competencies mastered since the last check-in, pace per
assigned playlist, and the student's live flags; in a constant number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from engine.models import Flag
from mastery.models import MasteryState
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import (
    CheckInFactory,
    CompetencyFactory,
    ItemProgressFactory,
    PlaylistAssignmentFactory,
    PlaylistItemFactory,
)

DAYS_AGO = 10


@pytest.fixture
def brief_url(school_a, mentee):
    CheckInFactory(
        school=school_a.school,
        student=mentee,
        mentor=school_a.user(Role.MENTOR),
        date=timezone.localdate() - dt.timedelta(days=DAYS_AGO),
    )
    return reverse("mentoring:brief", args=["alpha", mentee.pk])


def _mastered(world, student, code, *, days_ago):
    competency = CompetencyFactory(framework__school=world.school, code=code, title=f"Title of {code}")
    return MasteryState.objects.create(
        school=world.school,
        student=student,
        competency=competency,
        status="mastered",
        p_mastered=0.95,
        mastered_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def _playlist(world, student, title, *, done):
    placement = PlaylistItemFactory(playlist__school=world.school, playlist__title=title, position=1)
    PlaylistAssignmentFactory(playlist=placement.playlist, section=world.section)
    if done:
        ItemProgressFactory(item=placement.item, student=student)


def _flag(world, student, kind, *, status="open", severity="medium", summary="Needs a hand"):
    now = timezone.now()
    return Flag.objects.create(
        school=world.school,
        student=student,
        kind=kind,
        subject=f"{kind}:{student.pk}",
        severity=severity,
        summary=summary,
        suggested_action="Talk with them",
        status=status,
        raised_at=now,
        updated_at=now,
    )


def _parts(response):
    return {part.key: part for part in response.context["parts"]}


def test_the_brief_shows_competencies_mastered_since_the_last_check_in_only(
    client, school_a, mentee, brief_url
):
    with school_scope(school_a.school):
        _mastered(school_a, mentee, "ALPHA.NEW.1", days_ago=2)
        _mastered(school_a, mentee, "ALPHA.OLD.1", days_ago=DAYS_AGO + 5)
    client.force_login(school_a.user(Role.MENTOR))
    response = client.get(brief_url)
    body = response.content.decode()
    assert "Competencies mastered since then" in body
    assert "ALPHA.NEW.1" in body and "ALPHA.OLD.1" not in body


def test_the_brief_shows_pace_per_assigned_playlist(client, school_a, mentee, brief_url):
    _playlist(school_a, mentee, "Ratios", done=True)
    _playlist(school_a, mentee, "Fractions", done=False)
    client.force_login(school_a.user(Role.MENTOR))
    response = client.get(brief_url)
    body = response.content.decode()
    rows = _parts(response)["pace"].context["rows"]
    assert sorted(r.playlist.title for r in rows) == ["Fractions", "Ratios"]
    assert "1 of 1 (100%)" in body and "Complete" in body and "0 of 1 (0%)" in body


def test_the_brief_lists_open_and_acknowledged_flags_but_not_closed_ones(client, school_a, mentee, brief_url):
    with school_scope(school_a.school):
        _flag(school_a, mentee, "inactive", summary="No activity for 9 days", severity="low")
        _flag(
            school_a,
            mentee,
            "behind_pace",
            status="acknowledged",
            summary="Behind on Ratios",
            severity="high",
        )
        _flag(school_a, mentee, "wheel_spinning", status="resolved", summary="Spinning on fractions")
    client.force_login(school_a.user(Role.MENTOR))
    body = client.get(brief_url).content.decode()
    assert "No activity for 9 days" in body and "Behind on Ratios" in body and "(acknowledged)" in body
    assert "Spinning on fractions" not in body
    assert body.index("Behind on Ratios") < body.index("No activity for 9 days")  # high severity first


def test_the_brief_says_there_are_no_flags_and_leaves_out_empty_parts(client, school_a, mentee, brief_url):
    client.force_login(school_a.user(Role.MENTOR))
    response = client.get(brief_url)
    assert "No open flags." in response.content.decode()
    assert "mastered" not in _parts(response) and "pace" not in _parts(response)


def test_the_brief_query_count_does_not_grow_with_mastery_playlists_and_flags(
    client, school_a, mentee, brief_url, django_assert_max_num_queries
):
    client.force_login(school_a.user(Role.MENTOR))
    with school_scope(school_a.school):
        _mastered(school_a, mentee, "ALPHA.ONE", days_ago=1)
        _flag(school_a, mentee, "inactive")
    _playlist(school_a, mentee, "One", done=True)
    with django_assert_max_num_queries(40) as one:
        assert client.get(brief_url).status_code == 200
    with school_scope(school_a.school):
        for n in range(8):
            _mastered(school_a, mentee, f"ALPHA.MANY.{n}", days_ago=1)
        for kind in ("behind_pace", "wheel_spinning", "failed_checks", "overdue_goals"):
            _flag(school_a, mentee, kind)
    for n in range(6):
        _playlist(school_a, mentee, f"Many {n}", done=n % 2 == 0)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(brief_url)
    parts = _parts(response)
    assert len(parts["mastered"].context["states"]) == 9
    assert len(parts["pace"].context["rows"]) == 7 and len(parts["flags"].context["flags"]) == 5


def test_the_brief_leads_with_the_needs_attention_entry_then_the_rule_flags_behind_it(
    client, school_a, mentee, brief_url
):
    with school_scope(school_a.school):
        _flag(school_a, mentee, "failed_checks", summary="3 failed checks on RP.1", severity="high")
        _flag(school_a, mentee, "needs_attention", summary="Blocked on RP.1", severity="low")
    client.force_login(school_a.user(Role.MENTOR))
    body = client.get(brief_url).content.decode()
    assert body.index("Blocked on RP.1") < body.index("3 failed checks on RP.1")
