from rest_framework import serializers

from accounts.models import User
from schools.models import Enrollment, School, Section, Term
from schools.roles import ROLE_LABELS


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name")

    class Meta:
        model = User
        fields = ["id", "name", "email"]


class SchoolSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name")

    class Meta:
        model = School
        fields = ["id", "slug", "name", "timezone", "organization"]


class SchoolMembershipSerializer(serializers.Serializer):
    school = SchoolSerializer()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=list(ROLE_LABELS)))


class TermSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["id", "name", "start_date", "end_date"]


class SectionSerializer(serializers.ModelSerializer):
    term = TermSerializer()
    student_count = serializers.IntegerField()
    teachers = serializers.SerializerMethodField()

    class Meta:
        model = Section
        fields = ["id", "name", "code", "subject", "term", "student_count", "teachers"]

    def get_teachers(self, section) -> list[dict]:
        return PersonSerializer([e.user for e in section.teacher_enrollments], many=True).data


class EnrollmentSerializer(serializers.ModelSerializer):
    person = PersonSerializer(source="user")

    class Meta:
        model = Enrollment
        fields = ["id", "role", "person"]


class SectionDetailSerializer(serializers.ModelSerializer):
    term = TermSerializer()
    teachers = EnrollmentSerializer(many=True)
    students = EnrollmentSerializer(many=True, help_text="Empty for students: they see no classmates.")

    class Meta:
        model = Section
        fields = ["id", "name", "code", "subject", "term", "teachers", "students"]
