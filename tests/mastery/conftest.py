"""Fixtures of the mastery tests: a competency with a bank of five single-choice questions in school A."""

import pytest

from plp.tenancy.context import school_scope
from tests.factories import CompetencyFactory, MasteryPolicyFactory, QuestionBankFactory, QuestionFactory

RIGHT, WRONG = 1, 0  # the factory's correct and a wrong choice index


@pytest.fixture
def bank(school_a):
    competency = CompetencyFactory(
        framework__school=school_a.school, code="ALPHA.FRAC.1", title="Add fractions"
    )
    bank = QuestionBankFactory(competency=competency)
    for _ in range(5):
        QuestionFactory(bank=bank)
    return bank


@pytest.fixture
def competency(bank):
    return bank.competency


@pytest.fixture
def policy(competency):
    """N=3 questions, pass at 0.8 (3 of 3 needed... 0.8*3=2.4 → 3), retake after 2 answers and 30 minutes."""
    return MasteryPolicyFactory(
        competency=competency,
        check_size=3,
        cooldown_minutes=30,
        practice_before_retake=2,
        readiness_rule="teacher_unlock",
    )


@pytest.fixture
def scope_a(school_a):
    with school_scope(school_a.school):
        yield school_a
