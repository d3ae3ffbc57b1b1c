"""A school's pace tolerance and check-in cadence and grace move from the engine's thresholds to the school's
own settings (``schools.SchoolSettings``, made by schools/0006), below the apps that read them.

Each school's values are copied first, then the engine's columns go. Backwards, the columns come back with
their defaults, each school's settings are copied into its thresholds row (a school with settings but no
thresholds row gets one holding the defaults for the rest) and the settings rows are deleted, as before
this migration. The copies run inside ``all_schools()``: the tables have row-level security forced on
their owner, so without it a migration run as the owner (not a superuser) would see no school's rows.
"""

from django.db import migrations

from plp.tenancy.context import all_schools

MOVED = ("pace_margin", "check_in_days", "check_in_grace_days")


def to_school_settings(apps, schema_editor):
    SchoolThresholds = apps.get_model("engine", "SchoolThresholds")
    SchoolSettings = apps.get_model("schools", "SchoolSettings")
    with all_schools():  # unscoped: a migration runs outside any school; it copies every school's row
        SchoolSettings._base_manager.bulk_create(
            [
                SchoolSettings(school_id=row["school_id"], **{f: row[f] for f in MOVED})
                for row in SchoolThresholds._base_manager.values("school_id", *MOVED)
            ]
        )


def to_engine_thresholds(apps, schema_editor):
    SchoolThresholds = apps.get_model("engine", "SchoolThresholds")
    SchoolSettings = apps.get_model("schools", "SchoolSettings")
    with all_schools():  # unscoped: a migration runs outside any school; it copies every school's row
        for row in SchoolSettings._base_manager.values("school_id", *MOVED):
            SchoolThresholds._base_manager.update_or_create(
                school_id=row["school_id"], defaults={f: row[f] for f in MOVED}
            )
        SchoolSettings._base_manager.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("engine", "0009_learning_p_mastered"),
        ("schools", "0006_school_settings"),
    ]

    operations = [
        migrations.RunPython(to_school_settings, to_engine_thresholds),
        migrations.RemoveField(model_name="schoolthresholds", name="pace_margin"),
        migrations.RemoveField(model_name="schoolthresholds", name="check_in_days"),
        migrations.RemoveField(model_name="schoolthresholds", name="check_in_grace_days"),
    ]
