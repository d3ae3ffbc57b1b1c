"""A small learning world per school: three competencies (C1 before C2), a playlist assigned to a section."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from playlists.models import CompetencyPrerequisite
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import (
    CompetencyFactory,
    ContentItemFactory,
    FrameworkFactory,
    PlaylistAssignmentFactory,
    PlaylistFactory,
    PlaylistItemFactory,
    QuestionFactory,
)


@dataclass
class LearningWorld:
    school: object
    student: object
    competencies: list
    items: list
    playlist: object
    questions: dict


def build_learning_world(world) -> LearningWorld:
    school = world.school
    framework = FrameworkFactory(school=school)
    c1, c2, c3 = (
        CompetencyFactory(framework=framework, code=f"{world.school.slug.upper()}.{n}") for n in (1, 2, 3)
    )
    with school_scope(school):
        CompetencyPrerequisite.objects.create(school=school, competency=c2, prerequisite=c1)
    items = [
        ContentItemFactory(school=school, title="Ratios intro", interest_tags=[]),
        ContentItemFactory(school=school, title="Unit rates", interest_tags=[]),
        ContentItemFactory(school=school, title="Sports stats", interest_tags=["sports"]),
    ]
    for item, competency in zip(items, (c1, c2, c3), strict=True):
        item.competencies.add(competency)
    playlist = PlaylistFactory(school=school, title="Ratios")
    for position, item in enumerate(items, start=1):
        PlaylistItemFactory(playlist=playlist, item=item, position=position)
    today = timezone.localdate()
    PlaylistAssignmentFactory(
        playlist=playlist,
        section=world.section,
        start_date=today - dt.timedelta(days=10),
        target_date=today + dt.timedelta(days=10),
    )
    questions = {c.pk: QuestionFactory(bank__competency=c) for c in (c1, c2, c3)}
    for question in questions.values():  # enough for a check beside the question practised
        QuestionFactory.create_batch(5, bank=question.bank)
    return LearningWorld(school, world.user(Role.STUDENT), [c1, c2, c3], items, playlist, questions)


@pytest.fixture
def learning_a(school_a) -> LearningWorld:
    return build_learning_world(school_a)


@pytest.fixture
def learning_b(school_b) -> LearningWorld:
    return build_learning_world(school_b)
