"""Serializers of the dashboard API: what the pages show, as data. Check-ins carry shared fields only."""

from rest_framework import serializers


class DashboardCompetencyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    title = serializers.CharField()


class DashboardCellSerializer(serializers.Serializer):
    competency = serializers.IntegerField()
    status = serializers.CharField()
    p_mastered = serializers.FloatField(allow_null=True)


class DashboardFlagSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    student = serializers.IntegerField(source="student_id")
    kind = serializers.CharField()
    severity = serializers.CharField()
    summary = serializers.CharField()
    suggested_action = serializers.CharField()
    evidence = serializers.DictField()
    status = serializers.CharField()
    raised_at = serializers.DateTimeField()


class DashboardStudentRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    pace = serializers.CharField(help_text="Pace on the student's slowest playlist of the section.")
    pace_explanation = serializers.CharField(help_text="Why this pace, as every page shows it.")
    done_units = serializers.IntegerField(help_text="Required items done on the playlist that sets the pace.")
    needed_units = serializers.IntegerField(help_text="Required items of the playlist that sets the pace.")
    last_active = serializers.DateTimeField(allow_null=True)
    mastered = serializers.IntegerField()
    open_flags = serializers.IntegerField()
    cells = DashboardCellSerializer(many=True)


class DashboardReadySerializer(serializers.Serializer):
    student = serializers.IntegerField()
    competency = serializers.IntegerField()
    p_mastered = serializers.FloatField()


class DashboardGroupSerializer(serializers.Serializer):
    competency = serializers.IntegerField()
    students = serializers.ListField(child=serializers.IntegerField())
    items = serializers.ListField(child=serializers.IntegerField())


class _SectionParts(serializers.Serializer):
    """What both shapes share; each part is left out unless asked for by ``?fields=`` (default: all)."""

    section = serializers.IntegerField()
    name = serializers.CharField()
    digest = serializers.CharField(help_text="Changes whenever a student's row or the section changes.")
    shape = serializers.ChoiceField(choices=["full", "compact"])
    competencies = DashboardCompetencyRefSerializer(many=True, required=False)
    ready = DashboardReadySerializer(many=True, required=False)
    groups = DashboardGroupSerializer(many=True, required=False)
    flags = DashboardFlagSerializer(many=True, required=False)


class DashboardSectionSummarySerializer(_SectionParts):
    students = DashboardStudentRowSerializer(many=True, required=False)


# The cell statuses, in the order the compact shape's ``status`` matrix indexes them.
STATUSES = ["not_started", "practicing", "ready", "mastered"]


class DashboardStudentColumnsSerializer(serializers.Serializer):
    """The students as columns, one list per field in student order."""

    id = serializers.ListField(child=serializers.IntegerField())
    name = serializers.ListField(child=serializers.CharField())
    pace = serializers.ListField(child=serializers.CharField())
    pace_explanation = serializers.ListField(child=serializers.CharField())
    done_units = serializers.ListField(child=serializers.IntegerField())
    needed_units = serializers.ListField(child=serializers.IntegerField())
    last_active = serializers.ListField(child=serializers.DateTimeField(allow_null=True))
    mastered = serializers.ListField(child=serializers.IntegerField())
    open_flags = serializers.ListField(child=serializers.IntegerField())
    status = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=3)),
        help_text="Per student, per competency (in ``competencies`` order): an index into "
        + ", ".join(STATUSES)
        + ".",
    )
    p_mastered = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(allow_null=True)),
        help_text="Per student, per competency: the estimated chance of mastery, to three places.",
    )


class DashboardSectionCompactSerializer(_SectionParts):
    students = DashboardStudentColumnsSerializer(required=False)


class DashboardMasterySerializer(serializers.Serializer):
    competency = serializers.IntegerField(source="competency_id")
    code = serializers.CharField(source="competency.code")
    status = serializers.CharField()
    p_mastered = serializers.FloatField()
    mastered_at = serializers.DateTimeField(allow_null=True)


class DashboardNextUpSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    kind = serializers.CharField()
    item = serializers.IntegerField(source="item_id", allow_null=True)
    competency = serializers.IntegerField(source="competency_id", allow_null=True)
    reason = serializers.CharField()
    pinned = serializers.BooleanField()


class DashboardGoalSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    text = serializers.CharField()
    status = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)


class DashboardSharedCheckInSerializer(serializers.Serializer):
    date = serializers.DateField()
    shared_notes = serializers.CharField()
    next_steps = serializers.CharField()


class DashboardStudentSummarySerializer(serializers.Serializer):
    student = serializers.IntegerField()
    name = serializers.CharField()
    mastery = DashboardMasterySerializer(many=True)
    flags = DashboardFlagSerializer(many=True)
    next_up = DashboardNextUpSerializer(many=True)
    goals = DashboardGoalSerializer(many=True)
    check_ins = DashboardSharedCheckInSerializer(many=True)
