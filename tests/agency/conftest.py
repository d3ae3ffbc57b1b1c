"""Fixtures of the agency tests: school A's student has a playlist of five items, ranked by the engine, and a
mentor; ``place`` puts a student on a rung as their mentor would."""

import pytest

from agency import services
from engine.services import students_recompute
from plp.tenancy.context import school_scope
from schools.access import student_access_get
from schools.roles import Role
from tests.factories import (
    MentorAssignmentFactory,
    PlaylistAssignmentFactory,
    PlaylistFactory,
    PlaylistItemFactory,
)


def make_mentee(world):
    student = world.user(Role.STUDENT)
    MentorAssignmentFactory(school=world.school, mentor=world.user(Role.MENTOR), student=student)
    return student


def make_playlist(world, student, *, items: int = 5):
    """Required items, assigned to the student's section; the engine has ranked them."""
    playlist = PlaylistFactory(school=world.school, title="Ratios playlist")
    for n in range(1, items + 1):
        PlaylistItemFactory(playlist=playlist, position=n, item__title=f"Ratio item {n}")
    PlaylistAssignmentFactory(playlist=playlist, section=world.section)
    with school_scope(world.school):
        students_recompute(student_ids=[student.pk])
    return playlist


@pytest.fixture
def mentee(school_a):
    return make_mentee(school_a)


@pytest.fixture
def playlist(school_a, mentee):
    return make_playlist(school_a, mentee)


def items_of(world, playlist):
    with school_scope(world.school):
        return [p.item for p in playlist.playlist_items.order_by("position").select_related("item")]


def access_of(world, role, student):
    return student_access_get(user=world.user(role), roles=frozenset({role}), student_id=student.pk)


def place(world, student, rank: int, *, by=Role.MENTOR, reason="Placed for the test."):
    with school_scope(world.school):
        return services.level_change(
            access=access_of(world, by, student), actor=world.user(by), to_rank=rank, reason=reason
        )
