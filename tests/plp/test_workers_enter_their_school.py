"""Celery tasks and management commands enter the school themselves, as a worker or a shell runs them: from
no scope at all. (Every other test runs inside the test's own every-school database scope, which would hide
a command or a beat task that forgot to enter one; on PostgreSQL, under row-level security, such a command
reads nothing.)"""

import io

import pytest
from django.core.management import call_command

from engine.services import sweep_plan
from mastery.tasks import fit_plan
from playlists.models import Competency
from plp.celery import app
from plp.tenancy.context import no_scope, school_scope
from plp.tenancy.tasks import SchoolTask
from schools.models import ImportRun
from tests.factories import CompetencyFactory
from tests.playlists.test_case_import import REAL_CASE
from tests.schools.test_rostering_import import FIXTURE

# Beat's cross-school tasks: each lists the schools' work itself (in each school's scope, or under an
# explicit every-school block) and fans out one SchoolTask per school. Tested below from no scope.
FAN_OUT = {
    "engine.sweep": "engine.services.sweep_plan",
    "mastery.fit_models_everywhere": "mastery.tasks.fit_plan",
    "privacy.retention_sweep": "the active schools' ids (School is no tenant table)",
    "xapi.drain_everywhere": "xapi.services.schools_with_statements_due (tests/xapi/test_delivery.py)",
}


def test_every_task_of_ours_takes_a_school_or_is_a_reviewed_fan_out():
    app.loader.import_default_modules()  # every app's tasks module, as a worker loads them
    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    unreviewed = [
        name for name, task in ours.items() if not isinstance(task, SchoolTask) and name not in FAN_OUT
    ]
    assert unreviewed == [], (
        f"tasks that neither take school_id (SchoolTask) nor are a reviewed fan-out: {unreviewed}"
    )
    assert set(FAN_OUT) <= set(ours)
    assert len(ours) >= 15


def test_the_sweep_plans_every_schools_students_from_no_scope(school_a, school_b):
    with no_scope():
        plan = sweep_plan(dirty_only=False, chunk_size=500)
    assert {school_a.school.pk, school_b.school.pk} <= {school_id for school_id, _ in plan}
    students = {school_id: set(ids) for school_id, ids in plan}
    assert students[school_a.school.pk] == {school_a.user("student").pk}


def test_the_weekly_refit_plans_every_schools_competencies_from_no_scope(school_a, school_b):
    mine = CompetencyFactory(framework__school=school_a.school)
    theirs = CompetencyFactory(framework__school=school_b.school)
    with no_scope():
        plan = dict(fit_plan(chunk_size=20))
    assert plan[school_a.school.pk] == [mine.pk]
    assert plan[school_b.school.pk] == [theirs.pk]


def test_import_case_writes_into_the_named_school_from_no_scope(school_a, school_b):
    out = io.StringIO()
    with no_scope():
        call_command(
            "import_case",
            "alpha",
            str(REAL_CASE),
            "--subject",
            "Mathematics",
            stdout=out,
            stderr=io.StringIO(),
        )
    assert "16 created" in out.getvalue()
    with school_scope(school_a.school):
        assert Competency.objects.count() == 16


def test_import_oneroster_writes_into_the_named_school_from_no_scope(school_a, capsys):
    with no_scope():
        call_command("import_oneroster", "alpha", str(FIXTURE))
    assert "Imported" in capsys.readouterr().out
    with school_scope(school_a.school):
        assert ImportRun.objects.get().status == ImportRun.Status.SUCCEEDED


@pytest.mark.parametrize("command", ["fit_mastery_model"])
def test_a_school_command_reads_the_named_school_from_no_scope(school_a, school_b, command):
    CompetencyFactory(framework__school=school_a.school, code="NOSCOPE.1")
    out = io.StringIO()
    with no_scope():
        call_command(command, "alpha", stdout=out)
    assert "NOSCOPE.1" in out.getvalue()
