"""A teacher's rubric score is mastery evidence for the dimension's competencies, counted once."""

import pytest

from mastery import services as mastery_services
from mastery.models import EvidenceEvent, MasteryState
from playlists.projects.services import rubric_score_record
from plp.tenancy.context import school_scope
from tests.factories import CompetencyFactory, MasteryPolicyFactory, RubricDimensionFactory


@pytest.fixture
def scored(school_a):
    with school_scope(school_a.school):
        fractions = CompetencyFactory(framework__school=school_a.school, code="ALPHA.FRAC.1")
        argument = CompetencyFactory(framework=fractions.framework, code="ALPHA.ARG.1")
        MasteryPolicyFactory(competency=fractions, pass_threshold=0.75)
        dimension = RubricDimensionFactory(project__section=school_a.section)
        dimension.competencies.set([fractions, argument])
        yield school_a, dimension, fractions, argument


def _score(world, dimension, level):
    student, teacher = world.user("student"), world.user("teacher")
    return rubric_score_record(dimension=dimension, student=student, level=level, feedback="", actor=teacher)


def test_scoring_a_dimension_writes_a_ledger_row_per_competency_and_moves_the_estimates(scored):
    world, dimension, fractions, argument = scored
    student = world.user("student")

    score = _score(world, dimension, 3)

    rows = EvidenceEvent.objects.filter(student=student, source="rubric_score").order_by("competency__code")
    assert [(r.competency, r.source_id, r.outcome, r.actor) for r in rows] == [
        (argument, f"rubric-score:{score.pk}", 0.75, world.user("teacher")),
        (fractions, f"rubric-score:{score.pk}", 0.75, world.user("teacher")),
    ]
    state = MasteryState.objects.get(student=student, competency=fractions)
    assert state.p_mastered > 0.2 and state.status == "practicing"  # 3/4 ≥ 0.75: proficient, not mastered


def test_rescoring_the_same_level_records_nothing_and_a_revised_level_counts_once(scored):
    world, dimension, fractions, _ = scored
    student = world.user("student")
    _score(world, dimension, 4)
    after_first = MasteryState.objects.get(student=student, competency=fractions).p_mastered

    _score(world, dimension, 4)  # the teacher saves the page again
    assert EvidenceEvent.objects.filter(competency=fractions, source="rubric_score").count() == 1
    assert MasteryState.objects.get(student=student, competency=fractions).p_mastered == after_first

    _score(world, dimension, 1)  # revised down: replaces the 4, does not add to it
    state = MasteryState.objects.get(student=student, competency=fractions)
    assert EvidenceEvent.objects.filter(competency=fractions, source="rubric_score").count() == 2
    assert state.p_mastered < 0.2  # one failing observation from the prior, not a pass then a fail
    _, replayed, _ = mastery_services.mastery_replay(student=student, competency=fractions)
    assert replayed == pytest.approx(state.p_mastered)
    _score(world, dimension, 4)  # and back up: the same estimate as a single 4
    assert MasteryState.objects.get(student=student, competency=fractions).p_mastered == pytest.approx(
        after_first
    )
