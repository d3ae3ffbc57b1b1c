"""School-scoped API of the playlists app. Students read their own assigned playlists and progress and
record completions; adults read the school's frameworks, content and playlists; teachers see the
progress of students in the sections they teach."""

from django.db.models import Count, Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from playlists import selectors, services
from playlists.models import Competency, Framework, PlaylistAssignment
from playlists.projects import selectors as project_selectors
from playlists.projects.models import Milestone, RubricDimension
from playlists.serializers import (
    CompetencySerializer,
    ContentItemSerializer,
    FrameworkDetailSerializer,
    FrameworkSerializer,
    ItemCompleteSerializer,
    ItemProgressSerializer,
    PlaylistAssignmentSerializer,
    PlaylistDetailSerializer,
    PlaylistSerializer,
    ProjectDetailSerializer,
    ProjectSerializer,
)
from plp.api.views import SchoolScopedAPIMixin
from schools import access
from schools.roles import SCHOOL_WIDE_ROLES, STAFF_ROLES, Role

_competencies = selectors.prerequisite_codes()


class FrameworkListApi(SchoolScopedAPIMixin, generics.ListAPIView):
    serializer_class = FrameworkSerializer

    def get_queryset(self):
        return selectors.framework_list()


class FrameworkDetailApi(SchoolScopedAPIMixin, generics.GenericAPIView):
    serializer_class = FrameworkDetailSerializer

    def get(self, request, school_slug: str, framework_id: int):
        framework = (
            Framework.objects.select_related("subject")
            .annotate(competency_count=Count("competencies"))
            .filter(pk=framework_id)
            .first()
        )
        if framework is None:
            raise Http404
        framework.competency_rows = list(
            Competency.objects.filter(framework=framework)
            .prefetch_related(_competencies)
            .order_by("position")
        )
        return Response(self.get_serializer(framework).data)


class CompetencyListApi(SchoolScopedAPIMixin, generics.ListAPIView):
    serializer_class = CompetencySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("framework", int, description="Only this framework's competencies."),
            OpenApiParameter("q", str, description="Code or title contains."),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        competencies = selectors.competency_list(search=self.request.query_params.get("q", "")[:100])
        framework = self.request.query_params.get("framework", "")
        if framework.isdigit() and len(framework) < 19:
            competencies = competencies.filter(framework_id=int(framework))
        return competencies.prefetch_related(_competencies)


class ContentItemListApi(SchoolScopedAPIMixin, generics.ListAPIView):
    """The school's content library (adults)."""

    serializer_class = ContentItemSerializer
    allowed_roles = STAFF_ROLES

    def get_queryset(self):
        return selectors.content_item_list()


class ContentItemDetailApi(SchoolScopedAPIMixin, generics.RetrieveAPIView):
    """One content item, for adults (404 for students, as for any object they cannot see)."""

    serializer_class = ContentItemSerializer
    lookup_url_kwarg = "item_id"

    def get_queryset(self):
        if self.request.school_roles.isdisjoint(STAFF_ROLES):
            return selectors.content_item_list().none()
        return selectors.content_item_list()


def _visible_playlists(request):
    playlists = selectors.playlist_list()
    if request.school_roles.isdisjoint(STAFF_ROLES):
        assigned = selectors.student_assignments(student=request.user).values("playlist_id")
        playlists = playlists.filter(pk__in=assigned)
    return playlists


class PlaylistListApi(SchoolScopedAPIMixin, generics.ListAPIView):
    """Adults: every playlist of the school; students: the playlists assigned to them."""

    serializer_class = PlaylistSerializer

    def get_queryset(self):
        return _visible_playlists(self.request)


class PlaylistDetailApi(SchoolScopedAPIMixin, generics.GenericAPIView):
    serializer_class = PlaylistDetailSerializer

    def get(self, request, school_slug: str, playlist_id: int):
        playlist = _visible_playlists(request).filter(pk=playlist_id).first()
        if playlist is None:
            raise Http404
        playlist.placement_rows = selectors.playlist_placements(playlist=playlist)
        playlist.board_rows = list(playlist.choice_boards.all())
        return Response(self.get_serializer(playlist).data)


class PlaylistAssignmentListApi(SchoolScopedAPIMixin, generics.ListAPIView):
    """Students: their own assignments (section or individual); teachers: those of their sections and
    students; school-wide roles: all."""

    serializer_class = PlaylistAssignmentSerializer

    def get_queryset(self):
        user, roles = self.request.user, self.request.school_roles
        if not roles.isdisjoint(SCHOOL_WIDE_ROLES):
            return PlaylistAssignment.objects.order_by("target_date", "pk")
        visible = selectors.student_assignments(student=user)
        if Role.TEACHER in roles:
            students = [s.pk for s in access.students_taught_by(user=user)]
            visible = (
                visible
                | PlaylistAssignment.objects.filter(section__in=access.sections_taught(user=user))
                | PlaylistAssignment.objects.filter(student_id__in=students)
            )
        return visible.distinct().order_by("target_date", "pk")


class ItemProgressApi(SchoolScopedAPIMixin, generics.ListAPIView):
    """GET: progress rows the caller may see (students only their own). POST (students): mark an item of
    an assigned playlist done; the next-item recompute is requested after the commit."""

    serializer_class = ItemProgressSerializer

    @extend_schema(parameters=[OpenApiParameter("student", int, description="Only this student's rows.")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        rows = selectors.progress_visible_to(user=self.request.user, roles=self.request.school_roles)
        student = self.request.query_params.get("student", "")
        if student.isdigit() and len(student) < 19:
            rows = rows.filter(student_id=int(student))
        return rows.order_by("student_id", "item_id")

    @extend_schema(request=ItemCompleteSerializer, responses={201: ItemProgressSerializer})
    def post(self, request, school_slug: str):
        if Role.STUDENT not in request.school_roles:
            return Response({"detail": "Only students record their own progress."}, status=403)
        data = ItemCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _, placement, _ = selectors.student_item(
            student=request.user,
            playlist_id=data.validated_data["playlist"],
            item_id=data.validated_data["item"],
        )
        progress = services.item_mark_done(student=request.user, item=placement.item)
        return Response(ItemProgressSerializer(progress).data, status=status.HTTP_201_CREATED)


class ProjectListApi(SchoolScopedAPIMixin, generics.ListAPIView):
    serializer_class = ProjectSerializer

    def get_queryset(self):
        return project_selectors.projects_visible_to(
            user=self.request.user, roles=self.request.school_roles
        ).order_by("title", "pk")


class ProjectDetailApi(SchoolScopedAPIMixin, generics.GenericAPIView):
    serializer_class = ProjectDetailSerializer

    def get(self, request, school_slug: str, project_id: int):
        project = project_selectors.projects_visible_to(user=request.user, roles=request.school_roles).filter(
            pk=project_id
        )
        project = project.prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.all(), to_attr="milestone_list"),
            Prefetch(
                "dimensions",
                queryset=RubricDimension.objects.prefetch_related(selectors.competency_codes()),
                to_attr="dimension_list",
            ),
        ).first()
        if project is None:
            raise Http404
        return Response(self.get_serializer(project).data)
