# Mentor assignments move from the mentoring app to schools (a relation of the school's people, read by the
# access module): in Django's state only. The table keeps its name (db_table) and its rows, indexes,
# constraints and row-level security policy; mentoring/0006 drops the model from mentoring's state. The
# content type follows, so permissions and admin history stay attached.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor, *, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label=target, model="mentorassignment").exists():
        return
    ContentType.objects.filter(app_label=source, model="mentorassignment").update(app_label=target)


def content_type_to_schools(apps, schema_editor):
    _move_content_type(apps, schema_editor, source="mentoring", target="schools")


def content_type_to_mentoring(apps, schema_editor):
    _move_content_type(apps, schema_editor, source="schools", target="mentoring")


class Migration(migrations.Migration):

    dependencies = [
        ('schools', '0004_school_idle_minutes'),
        ('mentoring', '0001_mentor_assignment'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='MentorAssignment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('is_primary', models.BooleanField(default=True)),
                        ('is_active', models.BooleanField(default=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('ended_at', models.DateTimeField(blank=True, null=True)),
                        ('assigned_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('mentor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('school', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='schools.school')),
                        ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'mentoring_mentorassignment',
                        'ordering': ['school_id', 'mentor_id', 'student_id'],
                        'indexes': [models.Index(fields=['school', 'mentor', 'is_active'], name='assignment_mentor'), models.Index(fields=['school', 'student', 'is_active'], name='assignment_student')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('is_active', True)), fields=('school', 'mentor', 'student'), name='one_active_assignment_per_mentor_student'), models.UniqueConstraint(condition=models.Q(('is_active', True), ('is_primary', True)), fields=('school', 'student'), name='one_active_primary_mentor_per_student', violation_error_message='This student already has a primary mentor.'), models.CheckConstraint(condition=models.Q(('mentor', models.F('student')), _negated=True), name='mentor_is_not_student')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_schools, content_type_to_mentoring),
    ]
