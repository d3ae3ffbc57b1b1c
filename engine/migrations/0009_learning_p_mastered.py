"""The column holding the estimate that counts as learning is named for it, as the policy names it.

It was ``ready_p_mastered``, which read as readiness for a mastery check (each competency's own policy
decides that). What-ifs already run on it keep pointing at it."""

from django.db import migrations

OLD, NEW = "ready_p_mastered", "learning_p_mastered"


def _renamed(old, new):
    def run(apps, schema_editor):
        apps.get_model("engine", "SandboxRun").objects.filter(field=old).update(field=new)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("engine", "0008_attention_thresholds_prerequisites"),
    ]

    operations = [
        migrations.RenameField(model_name="schoolthresholds", old_name=OLD, new_name=NEW),
        migrations.RunPython(_renamed(OLD, NEW), _renamed(NEW, OLD)),
    ]
