from rest_framework import serializers

from playlists.models import (
    ChoiceBoard,
    Competency,
    ContentItem,
    Framework,
    ItemProgress,
    Playlist,
    PlaylistAssignment,
    PlaylistItem,
)
from playlists.projects.models import Milestone, Project, RubricDimension
from plp.ids import MAX_ID


class FrameworkSerializer(serializers.ModelSerializer):
    subject = serializers.CharField(source="subject.name")
    competency_count = serializers.IntegerField()

    class Meta:
        model = Framework
        fields = ["id", "title", "subject", "case_identifier", "case_uri", "competency_count"]


def _codes(rows) -> list[str]:
    return [row.code for row in rows]


class CompetencySerializer(serializers.ModelSerializer):
    prerequisites = serializers.SerializerMethodField()

    def get_prerequisites(self, competency) -> list[str]:
        """Codes of the prerequisites (prefetched as ``prerequisite_list``)."""
        rows = getattr(competency, "prerequisite_list", None)
        return _codes(rows if rows is not None else competency.prerequisites.all())

    class Meta:
        model = Competency
        fields = [
            "id", "framework", "code", "title", "description", "grade_band", "standard_codes", "item_type",
            "case_identifier", "parent", "position", "prerequisites",
        ]  # fmt: skip


class FrameworkDetailSerializer(FrameworkSerializer):
    competencies = CompetencySerializer(many=True, source="competency_rows")

    class Meta(FrameworkSerializer.Meta):
        fields = [*FrameworkSerializer.Meta.fields, "competencies"]


class ContentItemSerializer(serializers.ModelSerializer):
    competencies = serializers.SerializerMethodField()

    def get_competencies(self, item) -> list[str]:
        rows = getattr(item, "competency_list", None)
        return _codes(rows if rows is not None else item.competencies.all())

    class Meta:
        model = ContentItem
        fields = [
            "id", "title", "kind", "body", "url", "estimated_minutes", "difficulty", "competencies",
            "interest_tags", "accessibility_note",
        ]  # fmt: skip


class ChoiceBoardSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChoiceBoard
        fields = ["id", "label", "choose"]


class PlaylistItemSerializer(serializers.ModelSerializer):
    item = ContentItemSerializer()
    choice_board = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)  # null: not on a board

    class Meta:
        model = PlaylistItem
        fields = ["id", "position", "required", "choice_board", "item"]


class PlaylistSerializer(serializers.ModelSerializer):
    subject = serializers.CharField(source="subject.name")

    class Meta:
        model = Playlist
        fields = ["id", "title", "focus_area", "description", "tier", "subject"]


class PlaylistDetailSerializer(PlaylistSerializer):
    items = PlaylistItemSerializer(many=True, source="placement_rows")
    choice_boards = ChoiceBoardSerializer(many=True, source="board_rows")

    class Meta(PlaylistSerializer.Meta):
        fields = [*PlaylistSerializer.Meta.fields, "items", "choice_boards"]


class PlaylistAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlaylistAssignment
        fields = ["id", "playlist", "section", "student", "start_date", "target_date"]


class ItemProgressSerializer(serializers.ModelSerializer):
    class Meta:
        model = ItemProgress
        fields = ["id", "student", "item", "status", "seconds_spent", "started_at", "completed_at"]


class ItemCompleteSerializer(serializers.Serializer):
    playlist = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    item = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_date", "position"]


class RubricDimensionSerializer(serializers.ModelSerializer):
    competencies = serializers.SerializerMethodField()

    def get_competencies(self, dimension) -> list[str]:
        rows = getattr(dimension, "competency_list", None)
        return _codes(rows if rows is not None else dimension.competencies.all())

    class Meta:
        model = RubricDimension
        fields = ["id", "name", "level_1", "level_2", "level_3", "level_4", "competencies"]


class ProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "title", "driving_question", "description", "section"]


class ProjectDetailSerializer(ProjectSerializer):
    milestones = MilestoneSerializer(many=True, source="milestone_list")
    dimensions = RubricDimensionSerializer(many=True, source="dimension_list")

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "milestones", "dimensions"]
