"""The "items done" readiness rule the playlists app plugs into mastery checks."""

import pytest

from mastery import services
from mastery.models import MasteryState
from mastery.readiness import items_done_readiness
from playlists.models import ContentItem
from playlists.readiness import items_done_rule
from playlists.services import item_complete
from plp.tenancy.context import school_scope
from tests.factories import (
    ChoiceBoardFactory,
    CompetencyFactory,
    ContentItemFactory,
    ItemProgressFactory,
    MasteryPolicyFactory,
    PlaylistAssignmentFactory,
    PlaylistFactory,
    PlaylistItemFactory,
    QuestionBankFactory,
    QuestionFactory,
)


def _aligned_playlist(world, competency, *, titles, student=None, required=True, section=True):
    """A playlist of items aligned to ``competency``, assigned to the section (or one student)."""
    playlist = PlaylistFactory(school=world.school)
    items = []
    for position, title in enumerate(titles, start=1):
        item = ContentItemFactory(school=world.school, title=title, kind=ContentItem.Kind.EXERCISE, body="")
        item.competencies.set([competency])
        PlaylistItemFactory(playlist=playlist, item=item, position=position, required=required)
        items.append(item)
    if section:
        PlaylistAssignmentFactory(playlist=playlist, section=world.section)
    else:
        PlaylistAssignmentFactory(playlist=playlist, student=student)
    return items


@pytest.fixture
def scope(school_a):
    with school_scope(school_a.school):
        yield school_a


@pytest.fixture
def fractions(scope):
    competency = CompetencyFactory(framework__school=scope.school, code="ALPHA.FRAC.1")
    bank = QuestionBankFactory(competency=competency)
    for _ in range(3):
        QuestionFactory(bank=bank)
    return competency


def test_the_rule_is_plugged_into_mastery_at_start_up(scope, fractions):
    verdict = items_done_readiness(student=scope.user("student"), competency=fractions)
    assert verdict is not None and verdict.available


def test_not_ready_while_required_items_are_left_and_the_reason_names_them(scope, fractions):
    student = scope.user("student")
    first, _ = _aligned_playlist(scope, fractions, titles=["Drill one", "Drill two"])
    (mine,) = _aligned_playlist(scope, fractions, titles=["Just for me"], student=student, section=False)
    _aligned_playlist(scope, fractions, titles=["Optional extra"], required=False)
    ItemProgressFactory(item=first, student=student)
    ItemProgressFactory(item=mine, student=student, status="in_progress")

    verdict = items_done_rule(student=student, competency=fractions)

    assert not verdict.ready
    assert "“Drill two”" in verdict.reason and "“Just for me”" in verdict.reason
    assert "Drill one" not in verdict.reason and "Optional extra" not in verdict.reason
    assert "1 of 3 done" in verdict.reason


def test_ready_when_every_required_aligned_item_is_done_and_boards_do_not_block(scope, fractions):
    student = scope.user("student")
    items = _aligned_playlist(scope, fractions, titles=["Drill one", "Drill two"])
    board_item = ContentItemFactory(school=scope.school, kind="exercise", body="")
    board_item.competencies.set([fractions])
    playlist = items[0].placements.get().playlist
    PlaylistItemFactory(
        playlist=playlist, item=board_item, position=9, choice_board=ChoiceBoardFactory(playlist=playlist)
    )
    for item in items:
        ItemProgressFactory(item=item, student=student)

    verdict = items_done_rule(student=student, competency=fractions)

    assert verdict.ready, verdict.reason


def test_another_students_work_and_unassigned_playlists_do_not_count(scope, fractions):
    student, other = scope.user("student"), scope.user("teacher")
    (assigned,) = _aligned_playlist(scope, fractions, titles=["Assigned drill"])
    ItemProgressFactory(item=assigned, student=other)
    unassigned = PlaylistFactory(school=scope.school)
    PlaylistItemFactory(playlist=unassigned, item__school=scope.school, item__title="Not yours", position=1)
    unassigned.playlist_items.get().item.competencies.set([fractions])

    verdict = items_done_rule(student=student, competency=fractions)

    assert not verdict.ready and "Assigned drill" in verdict.reason and "Not yours" not in verdict.reason


def test_with_no_aligned_required_item_the_student_is_sent_to_their_teacher(scope, fractions):
    verdict = items_done_rule(student=scope.user("student"), competency=fractions)
    assert not verdict.ready and "ask your teacher" in verdict.reason


def test_the_rule_runs_in_two_queries_whatever_the_number_of_playlists(
    scope, fractions, django_assert_num_queries
):
    student = scope.user("student")
    _aligned_playlist(scope, fractions, titles=["One"])
    with django_assert_num_queries(2):
        items_done_rule(student=student, competency=fractions)
    for n in range(5):
        for item in _aligned_playlist(scope, fractions, titles=[f"Many {n}.{k}" for k in range(4)]):
            ItemProgressFactory(item=item, student=student)
    with django_assert_num_queries(2):
        items_done_rule(student=student, competency=fractions)


def test_a_check_request_under_the_items_done_rule_opens_only_once_the_items_are_done(scope, fractions):
    student = scope.user("student")
    MasteryPolicyFactory(competency=fractions, check_size=3, readiness_rule="items_done")
    (drill,) = _aligned_playlist(scope, fractions, titles=["Fraction drill"])
    with pytest.raises(services.MasteryError, match="“Fraction drill”"):
        services.check_request(student=student, competency=fractions)

    ItemProgressFactory(item=drill, student=student)

    assert services.check_request(student=student, competency=fractions).status == "in_progress"


def test_finishing_the_last_required_item_makes_the_stored_status_ready(scope, fractions):
    student = scope.user("student")
    MasteryPolicyFactory(competency=fractions, readiness_rule="items_done")
    first, second = _aligned_playlist(scope, fractions, titles=["Drill one", "Drill two"])
    item_complete(student=student, item=first)
    assert MasteryState.objects.get(student=student, competency=fractions).status == "not_started"

    item_complete(student=student, item=second)

    assert MasteryState.objects.get(student=student, competency=fractions).status == "ready"


def test_finishing_an_item_leaves_competencies_under_other_rules_alone(scope, fractions):
    student = scope.user("student")
    (drill,) = _aligned_playlist(scope, fractions, titles=["Drill"])
    item_complete(student=student, item=drill)
    assert not MasteryState.objects.filter(student=student).exists()
