"""``manage.py fit_mastery_model``: fits per competency from a school's history, reports held-out quality."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from accounts.models import User
from mastery import tasks
from mastery.bkt import BKTParams
from mastery.fitting import simulate
from mastery.models import CompetencyModelParams, PracticeAnswer
from plp.tenancy.context import school_scope
from tests.factories import CompetencyFactory

TRUE = BKTParams(p_init=0.25, p_learn=0.15, p_guess=0.2, p_slip=0.1)
STUCK = BKTParams(p_init=0.0, p_learn=0.0, p_guess=0.2, p_slip=0.1)  # a student who cannot learn it


def _history(school, competency, students=200, answers=20, params=TRUE, seed=21, prefix="sim"):
    users = User.objects.bulk_create(
        [
            User(email=f"{prefix}{n}@example.test", given_name="Sim", family_name=str(n))
            for n in range(students)
        ]
    )
    rows = []
    for user, sequence in zip(users, simulate(params, students, answers, seed=seed), strict=True):
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


def test_wheel_spinning_students_are_left_out_of_the_fit(school_a):
    """Forty students stuck on the competency (never learning it) beside 200 who learn it: counted in, they
    pull the fitted learning rate to about half the truth; left out, it is the truth's."""
    competency = CompetencyFactory(framework__school=school_a.school, code="SIM.1")
    with school_scope(school_a.school):
        _history(school_a.school, competency)
        _history(school_a.school, competency, students=40, params=STUCK, seed=22, prefix="stuck")
    out = StringIO()
    call_command("fit_mastery_model", "alpha", stdout=out)
    left_out = int(re.search(r"\((\d+) wheel-spinning students left out\)", out.getvalue())[1])
    assert 30 <= left_out <= 60  # the stuck, and a few who had not learnt it in 20 answers
    with school_scope(school_a.school):
        params = CompetencyModelParams.objects.get(competency=competency)
    assert params.students == 240
    assert params.p_learn == pytest.approx(TRUE.p_learn, abs=0.05)


def test_thin_data_keeps_an_earlier_fit(school_a):
    competency = CompetencyFactory(framework__school=school_a.school, code="SIM.1")
    with school_scope(school_a.school):
        CompetencyModelParams.objects.create(school=school_a.school, competency=competency, p_learn=0.3)
        _history(school_a.school, competency, students=4)
    call_command("fit_mastery_model", "alpha", stdout=StringIO())
    with school_scope(school_a.school):
        assert CompetencyModelParams.objects.get(competency=competency).p_learn == 0.3


def test_beat_refits_every_school_weekly_in_chunks_of_competencies(school_a, school_b):
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == tasks.fit_models_everywhere.name
    )
    assert entry["schedule"].day_of_week == {0}  # Sunday, once a week
    fitted = [CompetencyFactory(framework__school=school_a.school, code=f"SIM.{n}") for n in range(3)]
    CompetencyFactory(framework__school=school_b.school, code="B.1")
    with school_scope(school_a.school):
        _history(school_a.school, fitted[2])
    plan = tasks.fit_plan(chunk_size=2)
    assert plan == [
        (school_a.school.pk, [fitted[0].pk, fitted[1].pk]),
        (school_a.school.pk, [fitted[2].pk]),
        (school_b.school.pk, [plan[2][1][0]]),
    ]
    from plp.celery import app

    saved = app.conf["task_always_eager"]
    app.conf.update(
        task_always_eager=True
    )  # the chunks run inline (with REDIS_URL no worker would take them)
    try:
        result = tasks.fit_models_everywhere.delay(chunk_size=2).get()
    finally:
        app.conf.update(task_always_eager=saved)
    assert result == {"chunks": 3, "competencies": 4}
    with school_scope(school_a.school):
        row = CompetencyModelParams.objects.get()
    assert row.competency_id == fitted[2].pk and row.students == 200 and row.fitted_at is not None
    assert row.heldout_auc > 0.7
