"""``manage.py fit_mastery_model``: fits per competency from a school's history, reports held-out quality."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from mastery.bkt import BKTParams
from mastery.fitting import simulate
from mastery.models import CompetencyModelParams, PracticeAnswer
from plp.tenancy.context import school_scope
from tests.factories import CompetencyFactory

TRUE = BKTParams(p_init=0.25, p_learn=0.15, p_guess=0.2, p_slip=0.1)


def _history(school, competency, students=200, answers=20):
    users = User.objects.bulk_create(
        [User(email=f"sim{n}@example.test", given_name="Sim", family_name=str(n)) for n in range(students)]
    )
    rows = []
    for user, sequence in zip(users, simulate(TRUE, students, answers, seed=21), strict=True):
        rows += [
            PracticeAnswer(
                school=school, student=user, competency=competency, is_correct=c, p_before=0, p_after=0
            )
            for c in sequence
        ]
    PracticeAnswer.objects.bulk_create(rows)


def test_the_command_fits_known_parameters_and_reports_held_out_quality(school_a, school_b):
    competency = CompetencyFactory(framework__school=school_a.school, code="SIM.1")
    sparse = CompetencyFactory(framework__school=school_a.school, code="SIM.2")
    with school_scope(school_a.school):
        _history(school_a.school, competency)
    out = StringIO()
    call_command("fit_mastery_model", "alpha", stdout=out)
    text = out.getvalue()
    assert "SIM.1: 200 students, 4000 answers" in text
    assert "held-out log-loss=" in text and "AUC=0." in text
    assert "SIM.2: 0 students, 0 answers — skipped" in text
    assert "Fitted 1 of 2 competencies" in text
    with school_scope(school_a.school):
        params = CompetencyModelParams.objects.get(competency=competency)
        assert not CompetencyModelParams.objects.filter(competency=sparse).exists()
    for name in ("p_init", "p_learn", "p_guess", "p_slip"):
        assert getattr(params, name) == pytest.approx(getattr(TRUE, name), abs=0.07), name
    assert params.heldout_auc > 0.7
    assert params.heldout_log_loss < 0.69
    with school_scope(school_b.school):
        assert not CompetencyModelParams.objects.exists()  # school B untouched


def test_an_unknown_school_is_an_error(db):
    with pytest.raises(CommandError, match="No school"):
        call_command("fit_mastery_model", "nowhere")
