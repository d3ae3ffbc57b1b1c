"""API shapes for profiles, careers and plans. Staff-only fields live only in the staff serializers."""

from rest_framework import serializers

from learners.models import Career, LearningPlan, PlanFocus, StudentProfile
from schools.serializers import PersonSerializer


class CareerSerializer(serializers.ModelSerializer):
    competencies = serializers.SerializerMethodField()

    class Meta:
        model = Career
        fields = ["id", "name", "description", "interest_tags", "needed_courses", "competencies"]

    def get_competencies(self, career) -> list[dict]:
        return [{"id": c.pk, "code": c.code, "title": c.title} for c in career.competency_list]


class ProfileSerializer(serializers.ModelSerializer):
    """What the student (and anyone) may read: no accommodations."""

    student = PersonSerializer()
    aspiration_careers = serializers.SerializerMethodField()

    class Meta:
        model = StudentProfile
        fields = [
            "student",
            "strengths",
            "challenges",
            "interests",
            "passions",
            "learning_preferences",
            "college_aspiration",
            "career_aspiration",
            "aspiration_careers",
            "updated_at",
        ]

    def get_aspiration_careers(self, profile) -> list[dict]:
        return [{"id": c.pk, "name": c.name} for c in profile.aspiration_list]


class StaffProfileSerializer(ProfileSerializer):
    """For the student's teachers, mentors and admins: with accommodations."""

    class Meta(ProfileSerializer.Meta):
        fields = [*ProfileSerializer.Meta.fields, "accommodations"]


class ProfileUpdateSerializer(serializers.Serializer):
    """Any subset; the service refuses fields the caller may not edit (403)."""

    strengths = serializers.ListField(
        child=serializers.CharField(max_length=50), max_length=30, required=False
    )
    challenges = serializers.ListField(
        child=serializers.CharField(max_length=50), max_length=30, required=False
    )
    interests = serializers.ListField(
        child=serializers.CharField(max_length=50), max_length=30, required=False
    )
    passions = serializers.ListField(
        child=serializers.CharField(max_length=50), max_length=30, required=False
    )
    learning_preferences = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    accommodations = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    college_aspiration = serializers.CharField(max_length=200, required=False, allow_blank=True)
    career_aspiration = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PlanFocusSerializer(serializers.ModelSerializer):
    competency = serializers.SerializerMethodField()

    class Meta:
        model = PlanFocus
        fields = ["id", "competency", "focus_area", "target_date"]

    def get_competency(self, focus) -> dict | None:
        c = focus.competency
        return {"id": c.pk, "code": c.code, "title": c.title} if c else None


class PlanSerializer(serializers.ModelSerializer):
    student = PersonSerializer()
    term = serializers.SerializerMethodField()
    focuses = PlanFocusSerializer(many=True, source="focus_list")

    class Meta:
        model = LearningPlan
        fields = [
            "id",
            "student",
            "term",
            "college_goal",
            "career_goal",
            "courses_to_take",
            "focuses",
            "updated_at",
        ]

    def get_term(self, plan) -> dict:
        return {"id": plan.term_id, "name": plan.term.name}
