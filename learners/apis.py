"""School-scoped API for profiles, careers and plans. Students reach only their own; staff by relation."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditEntry
from audit.recorder import audits, student_seen
from learners import selectors, services
from learners.models import Career, LearningPlan, StudentProfile
from learners.serializers import (
    CareerSerializer,
    PlanSerializer,
    ProfileSerializer,
    ProfileUpdateSerializer,
    StaffProfileSerializer,
)
from plp.api.pagination import PagePagination
from plp.api.views import SchoolScopedAPIMixin
from schools import access
from schools.roles import STAFF_ROLES


def paginate(view, request, rows, serialize):
    """One page of ``rows``, paged by the view's ``pagination_class`` (which also tells the schema so)."""
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response([serialize(row) for row in page])


@audits(AuditEntry.Kind.PROFILE, shows=("accommodations",))
class ProfileListApi(SchoolScopedAPIMixin, APIView):
    """Profiles of the students the caller may see (students: their own). An adult's page of profiles is
    recorded in the audit log, one entry per student on it (one INSERT for the page)."""

    pagination_class = PagePagination

    @extend_schema(responses=StaffProfileSerializer(many=True))
    def get(self, request, school_slug: str):
        students = access.students_visible_to(user=request.user, roles=request.school_roles)
        profiles = (
            StudentProfile.objects.filter(student__in=students)
            .select_related("student")
            .prefetch_related(selectors.ASPIRATIONS)
            .order_by("student__family_name", "student__given_name", "pk")
        )
        is_staff = not request.school_roles.isdisjoint(STAFF_ROLES)

        def serialize(profile):
            own = profile.student_id == request.user.pk
            if is_staff and not own:
                student_seen(student_id=profile.student_id, object_type="profile", object_id=profile.pk)
                return StaffProfileSerializer(profile).data
            return ProfileSerializer(profile).data

        return paginate(self, request, profiles, serialize)


@audits(AuditEntry.Kind.PROFILE, shows=("accommodations",))
class ProfileDetailApi(SchoolScopedAPIMixin, APIView):
    """One student's profile. PATCH changes only the fields the caller may edit (others: 403)."""

    def _access(self, request, student_id):
        return access.student_access_get(user=request.user, roles=request.school_roles, student_id=student_id)

    @staticmethod
    def _data(access, profile):
        cls = StaffProfileSerializer if access.sees_staff_fields else ProfileSerializer
        return cls(profile).data

    @extend_schema(responses=StaffProfileSerializer)
    def get(self, request, school_slug: str, student_id: int):
        access = self._access(request, student_id)
        return Response(self._data(access, selectors.profile_for(student=access.student)))

    @extend_schema(request=ProfileUpdateSerializer, responses=StaffProfileSerializer)
    def patch(self, request, school_slug: str, student_id: int):
        access = self._access(request, student_id)
        serializer = ProfileUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.profile_update(access=access, actor=request.user, data=serializer.validated_data)
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        return Response(self._data(access, selectors.profile_for(student=access.student)))


class CareerListApi(SchoolScopedAPIMixin, APIView):
    pagination_class = PagePagination

    @extend_schema(responses=CareerSerializer(many=True))
    def get(self, request, school_slug: str):
        careers = Career.objects.prefetch_related(selectors.CAREER_COMPETENCIES).order_by("name", "pk")
        return paginate(self, request, careers, lambda c: CareerSerializer(c).data)


class CareerDetailApi(SchoolScopedAPIMixin, APIView):
    @extend_schema(responses=CareerSerializer)
    def get(self, request, school_slug: str, career_id: int):
        return Response(CareerSerializer(selectors.career_get(career_id=career_id)).data)


def _plans():
    return (
        LearningPlan.objects.select_related("student", "term")
        .prefetch_related(selectors.PLAN_FOCUSES)
        .order_by("student__family_name", "student_id", "-term__start_date", "pk")
    )


class PlanListApi(SchoolScopedAPIMixin, APIView):
    """Plans of the students the caller may see (students: their own)."""

    pagination_class = PagePagination

    @extend_schema(responses=PlanSerializer(many=True))
    def get(self, request, school_slug: str):
        students = access.students_visible_to(user=request.user, roles=request.school_roles)
        plans = _plans().filter(student__in=students)
        return paginate(self, request, plans, lambda p: PlanSerializer(p).data)


@audits(AuditEntry.Kind.LEARNING_PLAN)
class PlanDetailApi(SchoolScopedAPIMixin, APIView):
    @extend_schema(responses=PlanSerializer)
    def get(self, request, school_slug: str, plan_id: int):
        students = access.students_visible_to(user=request.user, roles=request.school_roles)
        plan = _plans().filter(student__in=students, pk=plan_id).first()
        if plan is None:
            raise Http404("No such plan.")
        return Response(PlanSerializer(plan).data)
