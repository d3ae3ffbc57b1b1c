"""An assignment's pace is judged with its own school's tolerance (``schools.SchoolSettings.pace_margin``, the
flags' own), read in the same query as the assignments; another school's setting changes nothing here."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from playlists.pace import Pace
from playlists.selectors import playlist_class_progress
from plp.tenancy.context import school_scope
from schools.models import SchoolSettings
from schools.roles import Role
from tests.playlists.conftest import build_playlist


def _paces(world, playlist):
    with school_scope(world.school):
        rows = playlist_class_progress(
            playlist=playlist, user=world.user(Role.TEACHER), roles=frozenset({Role.TEACHER}),
            today=dt.date.today(),
        )  # fmt: skip
    return {row.pace for row in rows}


def test_a_schools_own_pace_margin_decides_an_assignments_pace(school_a, school_b, django_assert_num_queries):
    # Half the planned time gone, nothing done: 50 points behind the plan.
    world = build_playlist(school_a, required=4, target_days=7)
    assert _paces(school_a, world.playlist) == {Pace.BEHIND}  # the default margin: 10 points

    SchoolSettings.objects.create(school=school_b.school, pace_margin=0.6)
    with CaptureQueriesContext(connection) as without_own:
        assert _paces(school_a, world.playlist) == {Pace.BEHIND}  # another school's margin is not ours

    SchoolSettings.objects.create(school=school_a.school, pace_margin=0.6)
    with django_assert_num_queries(len(without_own)):  # as without a setting of its own: the same query
        assert _paces(school_a, world.playlist) == {Pace.ON_TRACK}
