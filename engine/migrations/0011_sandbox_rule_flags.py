"""A what-if compares the rule flags too: how many students' rule flags would change (and how many have one
on some day, before and after), and per changed student the days they differ and, on the first, the flags
before → after in words. What-ifs run before keep NULL counts (they did not compare the rule flags)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('engine', '0010_pace_and_check_in_settings_to_schools'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='sandboxchange',
            options={'ordering': ['run', '-attention_days', '-next_up_days', '-flag_days', 'student_id']},
        ),
        migrations.AddField(
            model_name='sandboxchange',
            name='flag_days',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='sandboxchange',
            name='flags_after',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name='sandboxchange',
            name='flags_before',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name='sandboxchange',
            name='flags_on',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='sandboxrun',
            name='flags_changed',
            field=models.PositiveIntegerField(blank=True, help_text='Students whose rule flags (kind and subject) differ on some day.', null=True),
        ),
        migrations.AddField(
            model_name='sandboxrun',
            name='rule_flagged_after',
            field=models.PositiveIntegerField(blank=True, help_text='…and after the change.', null=True),
        ),
        migrations.AddField(
            model_name='sandboxrun',
            name='rule_flagged_before',
            field=models.PositiveIntegerField(blank=True, help_text='Students with a rule flag on some day, before.', null=True),
        ),
    ]
