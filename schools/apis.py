"""School-scoped API: the school itself, its terms and sections (read-only in the foundation)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from plp.api.views import SchoolScopedAPIMixin, SchoolScopedReadOnlyViewSet
from schools import selectors
from schools.models import Term
from schools.serializers import (
    SchoolMembershipSerializer,
    SectionDetailSerializer,
    SectionSerializer,
    TermSerializer,
)


class MySchoolsApi(APIView):
    """The schools the caller may enter, with their roles in each."""

    @extend_schema(responses=SchoolMembershipSerializer(many=True))
    def get(self, request):
        choices = selectors.schools_for_user(user=request.user)
        bound = getattr(request.auth, "school_id", None)  # a token bound to one school reaches that one only
        if bound is not None:
            choices = [choice for choice in choices if choice.school.pk == bound]
        data = [{"school": choice.school, "roles": list(choice.roles)} for choice in choices]
        return Response(SchoolMembershipSerializer(data, many=True).data)


class SchoolDetailApi(SchoolScopedAPIMixin, APIView):
    """The active school and the caller's roles in it."""

    @extend_schema(responses=SchoolMembershipSerializer)
    def get(self, request, school_slug: str):
        data = {"school": request.school, "roles": sorted(request.school_roles)}
        return Response(SchoolMembershipSerializer(data).data)


class TermViewSet(SchoolScopedReadOnlyViewSet):
    """The school's terms. Every member may read them."""

    serializer_class = TermSerializer
    lookup_url_kwarg = "term_id"

    def get_queryset(self):
        return Term.objects.all()


class SectionViewSet(SchoolScopedReadOnlyViewSet):
    """Sections the caller may see: all for school and district admins, else those they teach or attend.
    Students see a section's teachers, never its other students."""

    serializer_class = SectionSerializer
    lookup_url_kwarg = "section_id"

    def get_queryset(self):
        return selectors.section_list(user=self.request.user, roles=self.request.school_roles)

    @extend_schema(responses=SectionDetailSerializer)
    def retrieve(self, request, school_slug: str, section_id: int):
        roles = request.school_roles
        section = selectors.section_get(user=request.user, roles=roles, section_id=section_id)
        roster = selectors.section_roster(section=section, roles=roles)
        section.teachers = roster["teachers"]
        section.students = roster["students"]
        return Response(SectionDetailSerializer(section).data)
