"""engine/0010 moves each school's pace tolerance and check-in cadence and grace from the engine's thresholds
to the school's own settings (schools/0006), and back when unapplied: no school's values are lost either way.

Migrated for real (the owner runs migrations: the app role the suite runs as owns no table), then put back
to the latest state with its row-level security and grants, as ``migrate`` leaves them."""

import contextlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from plp.tenancy.rls import app_role, apply_rls

BEFORE = [("engine", "0009_learning_p_mastered"), ("schools", "0005_mentor_assignment")]
AFTER = [("engine", "0010_pace_and_check_in_settings_to_schools"), ("schools", "0006_school_settings")]
MOVED = ("pace_margin", "check_in_days", "check_in_grace_days")


@contextlib.contextmanager
def _as_the_owner():
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    try:
        yield
    finally:
        apply_rls(connection)  # the re-made table's policy and grants, as after ``migrate``
        with connection.cursor() as cursor:
            cursor.execute(f'GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO "{app_role()}"')
            cursor.execute(f'SET ROLE "{app_role()}"')


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_each_schools_settings_are_copied_forward_and_back(school_a, school_b):
    with _as_the_owner():
        try:
            old = _migrate(BEFORE)
            thresholds = old.get_model("engine", "SchoolThresholds")._base_manager
            thresholds.create(
                school_id=school_a.school.pk, pace_margin=0.25, check_in_days=7, check_in_grace_days=0,
                wheel_spin_answers=6,
            )  # fmt: skip
            # school_b has no row: it keeps using the defaults, and gets no settings row.

            new = _migrate(AFTER)
            settings = new.get_model("schools", "SchoolSettings")._base_manager
            assert list(settings.values_list("school_id", *MOVED)) == [(school_a.school.pk, 0.25, 7, 0)]
            kept = new.get_model("engine", "SchoolThresholds")._base_manager.get()
            assert kept.wheel_spin_answers == 6 and not any(hasattr(kept, f) for f in MOVED)

            settings.filter(school_id=school_a.school.pk).update(pace_margin=0.3)  # set after the move
            settings.create(
                school_id=school_b.school.pk, pace_margin=0.2, check_in_days=10, check_in_grace_days=2
            )
            old = _migrate(BEFORE)
            rows = old.get_model("engine", "SchoolThresholds")._base_manager.order_by("school_id")
            assert list(rows.values_list("school_id", *MOVED, "wheel_spin_answers")) == [
                (school_a.school.pk, 0.3, 7, 0, 6),
                (school_b.school.pk, 0.2, 10, 2, 10),  # made for the settings, the defaults for the rest
            ]
        finally:
            _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
