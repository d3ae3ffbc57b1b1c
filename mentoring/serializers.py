"""API shapes for goals and check-ins. Private notes exist only in ``CheckInPrivateSerializer``, which is
used solely for the student's mentors and school admins: a student's serializer has no such field."""

from rest_framework import serializers

from mentoring.models import CheckIn, CheckInChange, Goal
from schools.serializers import PersonSerializer


class GoalSerializer(serializers.ModelSerializer):
    student = PersonSerializer()
    competencies = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()

    class Meta:
        model = Goal
        fields = [
            "id",
            "student",
            "kind",
            "text",
            "week_of",
            "due_date",
            "status",
            "reflection",
            "reflected_at",
            "competencies",
            "items",
            "created_at",
        ]

    def get_competencies(self, goal) -> list[int]:
        listed = getattr(goal, "competency_list", None)
        return [c.pk for c in (listed if listed is not None else goal.competencies.all())]

    def get_items(self, goal) -> list[int]:
        """Ids of the playlist items (content items) the goal works on."""
        listed = getattr(goal, "item_list", None)
        return [i.pk for i in (listed if listed is not None else goal.items.all())]


class WeeklyGoalsInputSerializer(serializers.Serializer):
    student = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="Defaults to the caller (a student)."
    )
    week_of = serializers.DateField(required=False, help_text="Any day of the week; defaults to this week.")
    texts = serializers.ListField(child=serializers.CharField(max_length=300), min_length=1, max_length=3)
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=20,
        help_text="Ids of playlist (content) items of this school the goals work on.",
    )
    competencies = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=20,
        help_text="Ids of the student's own competencies the goals work on (those of their playlists, "
        "their plan and their mastery evidence).",
    )


class ReflectionInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["met", "partly", "not_met"])
    reflection = serializers.CharField(max_length=1000)


class GoalReviewSerializer(serializers.Serializer):
    goal = serializers.IntegerField(source="goal_id")
    status = serializers.CharField()


# What a check-in records that the student (and their teachers) may read, as read and as written.
CHECK_IN_SHARED_FIELDS = (
    "date",
    "format",
    "self_direction",
    "perseverance",
    "collaboration",
    "organization",
    "shared_notes",
)


class CheckInSharedSerializer(serializers.ModelSerializer):
    """What the student (and their teachers) may read."""

    student = PersonSerializer()
    mentor = PersonSerializer()
    goal_reviews = GoalReviewSerializer(many=True, source="review_list")

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "student",
            "mentor",
            *CHECK_IN_SHARED_FIELDS,
            "next_steps",
            "follow_up_date",
            "goal_reviews",
        ]


class CheckInPrivateSerializer(CheckInSharedSerializer):
    """For the student's mentors and school admins only."""

    class Meta(CheckInSharedSerializer.Meta):
        fields = [*CheckInSharedSerializer.Meta.fields, "private_notes"]


class CheckInChangeSerializer(serializers.ModelSerializer):
    """One correction of a check-in: a field's value before and after, as people read it."""

    field = serializers.ChoiceField(choices=list(CheckIn.OWN_FIELDS))
    changed_by = PersonSerializer(allow_null=True)

    class Meta:
        model = CheckInChange
        fields = ["field", "old_value", "new_value", "changed_by", "changed_at"]


class CheckInSharedDetailSerializer(CheckInSharedSerializer):
    """One check-in with the corrections its reader may see (``selectors.check_in_with_history`` leaves
    out changes of private notes for those who may not read them)."""

    changes = CheckInChangeSerializer(many=True, source="change_list")

    class Meta(CheckInSharedSerializer.Meta):
        fields = [*CheckInSharedSerializer.Meta.fields, "changes"]


class CheckInPrivateDetailSerializer(CheckInPrivateSerializer):
    """One check-in with private notes and all its corrections: the student's mentors and school admins."""

    changes = CheckInChangeSerializer(many=True, source="change_list")
    version = serializers.CharField(
        read_only=True,
        required=False,  # for the schema: only the student's mentors and school admins receive it
        help_text="Send it back with a PATCH: a check-in corrected since is refused (409). Only for those "
        "who may correct the check-in.",
    )

    class Meta(CheckInPrivateSerializer.Meta):
        fields = [*CheckInPrivateSerializer.Meta.fields, "changes", "version"]


class CheckInUpdateInputSerializer(serializers.ModelSerializer):
    """A correction (PATCH): any of the check-in's own fields. A key it does not know is refused, so a
    client that sends ``reviews`` or ``student`` hears that they are not corrected here."""

    version = serializers.CharField(
        required=False,
        max_length=64,
        help_text="The check-in's version as read: refused (409) if it has changed since.",
    )

    class Meta:
        model = CheckIn
        fields = [*CheckIn.OWN_FIELDS, "version"]

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            refused = ["This field is not corrected here."]
            raise serializers.ValidationError({name: refused for name in unknown})
        return attrs


class CheckInInputSerializer(serializers.ModelSerializer):
    student = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    reviews = serializers.DictField(
        child=serializers.ChoiceField(choices=Goal.Status.choices),
        required=False,
        help_text="goal id → status",
    )

    class Meta:
        model = CheckIn
        fields = [
            "student",
            *CHECK_IN_SHARED_FIELDS,
            "private_notes",
            "next_steps",
            "follow_up_date",
            "reviews",
        ]
