"""A roster check stopped by a whole-file problem is "Blocked", no longer "Checked, waiting for confirmation"."""

from django.db import migrations, models


def mark_blocked(apps, schema_editor):
    ImportRun = apps.get_model("schools", "ImportRun")
    # unscoped: a migration runs outside any school; it touches every school's blocked checks alike.
    ImportRun._base_manager.filter(status="checked", blocking=True).update(status="blocked")


def unmark_blocked(apps, schema_editor):
    ImportRun = apps.get_model("schools", "ImportRun")
    # unscoped: as above, in reverse.
    ImportRun._base_manager.filter(status="blocked").update(status="checked")


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0002_rostering"),
    ]

    operations = [
        migrations.AlterField(
            model_name="importrun",
            name="status",
            field=models.CharField(
                choices=[
                    ("checking", "Checking the files"),
                    ("checked", "Checked, waiting for confirmation"),
                    ("blocked", "Blocked: the files cannot be imported"),
                    ("queued", "Queued"),
                    ("running", "Importing"),
                    ("succeeded", "Imported"),
                    ("failed", "Failed"),
                ],
                default="checked",
                max_length=20,
            ),
        ),
        migrations.RunPython(mark_blocked, unmark_blocked),
    ]
