# Mentor assignments now live in the schools app (schools/migrations/0005_mentor_assignment.py, which keeps
# the table): drop the model from mentoring's state only, never the table.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('mentoring', '0005_alter_goalchange_changed_at'),
        ('schools', '0005_mentor_assignment'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='MentorAssignment')],
            database_operations=[],
        ),
    ]
