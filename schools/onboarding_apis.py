"""API for onboarding: people, enrollments, mentor assignments and roster import runs (upload, status,
report). School-wide roles only; for anyone else an object is simply not found (404)."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from plp.api.views import SchoolScopedAPIMixin
from plp.ids import id_or_none
from schools import mentor_assignments as assignments
from schools import onboarding, selectors
from schools.models import Enrollment
from schools.roles import DISTRICT_ADMIN, SCHOOL_WIDE_ROLES
from schools.rostering import selectors as run_selectors
from schools.rostering.services import (
    files_from_upload,
    import_run_confirm,
    import_run_create,
    import_run_progress,
)


class PersonOutput(serializers.Serializer):
    membership_id = serializers.IntegerField(source="pk")
    user_id = serializers.IntegerField()
    name = serializers.CharField(source="user.get_full_name")
    email = serializers.EmailField(source="user.email")
    role = serializers.CharField()
    is_active = serializers.BooleanField()


class PeopleApi(SchoolScopedAPIMixin, ListAPIView):
    """The school's people (one row per role), filtered like the people page."""

    allowed_roles = SCHOOL_WIDE_ROLES
    serializer_class = PersonOutput

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("role", str),
            OpenApiParameter("grade", str),
            OpenApiParameter("section", int),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.people_list(
            roles=self.request.school_roles,
            search=params.get("q", "")[:100],
            role=params.get("role", ""),
            grade=params.get("grade", "")[:10],
            section_id=id_or_none(params.get("section")),
        )


class EnrollmentOutput(serializers.ModelSerializer):
    class Meta:
        model = Enrollment
        fields = ["id", "section_id", "user_id", "role", "is_active", "sourced_id"]


class EnrollmentListApi(SchoolScopedAPIMixin, ListAPIView):
    """Enrollments of the school, optionally of one section (``?section=<id>``)."""

    allowed_roles = SCHOOL_WIDE_ROLES
    serializer_class = EnrollmentOutput

    @extend_schema(parameters=[OpenApiParameter("section", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        enrollments = Enrollment.objects.order_by("section_id", "role", "user_id", "pk")
        section_id = id_or_none(self.request.query_params.get("section"))
        if section_id is not None:
            enrollments = enrollments.filter(section_id=section_id)
        return enrollments


class AssignmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    mentor_id = serializers.IntegerField()
    student_id = serializers.IntegerField()
    is_primary = serializers.BooleanField()
    is_active = serializers.BooleanField()


class AssignmentInput(serializers.Serializer):
    mentor_id = serializers.IntegerField()
    student_ids = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=5000)
    is_primary = serializers.BooleanField(default=True)


class MentorAssignmentListApi(SchoolScopedAPIMixin, ListAPIView):
    """Active mentor assignments; POST assigns one mentor to many students (a new primary mentor replaces
    the student's previous one)."""

    allowed_roles = SCHOOL_WIDE_ROLES
    serializer_class = AssignmentOutput

    def get_queryset(self):
        return assignments.assignment_list(roles=self.request.school_roles).order_by("pk")

    @extend_schema(
        request=AssignmentInput,
        responses=inline_serializer(
            "AssignResult",
            {
                "created": serializers.IntegerField(),
                "made_primary": serializers.IntegerField(),
                "unchanged": serializers.IntegerField(),
                "ended": serializers.IntegerField(),
            },
        ),
    )
    def post(self, request, school_slug: str):
        data = AssignmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        mentor_id = data.validated_data["mentor_id"]
        if not assignments.mentors().filter(pk=mentor_id).exists():
            raise ApiValidationError({"mentor_id": "Not a mentor of this school."})
        wanted = set(data.validated_data["student_ids"])
        found = set(assignments.students().filter(pk__in=wanted).values_list("pk", flat=True))
        if found != wanted:
            raise ApiValidationError(
                {"student_ids": f"Not students of this school: {sorted(wanted - found)}."}
            )
        result = assignments.mentor_assign_bulk(
            pairs=[(mentor_id, s) for s in sorted(found)],
            assigned_by=request.user,
            is_primary=data.validated_data["is_primary"],
        )
        return Response(result.__dict__, status=status.HTTP_201_CREATED)


class MentorAssignmentDetailApi(SchoolScopedAPIMixin, APIView):
    """One active assignment; DELETE ends it (kept as history)."""

    @extend_schema(responses=AssignmentOutput)
    def get(self, request, school_slug: str, assignment_id: int):
        assignment = assignments.assignment_get(roles=request.school_roles, assignment_id=assignment_id)
        return Response(AssignmentOutput(assignment).data)

    @extend_schema(responses={204: None})
    def delete(self, request, school_slug: str, assignment_id: int):
        assignment = assignments.assignment_get(roles=request.school_roles, assignment_id=assignment_id)
        assignments.mentor_assignment_end(assignment=assignment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ImportRunOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    version = serializers.CharField()
    digests = serializers.DictField(child=serializers.CharField())
    counts = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))
    blocking = serializers.BooleanField()
    error_count = serializers.IntegerField()
    warning_count = serializers.IntegerField()
    progress = serializers.SerializerMethodField()
    message = serializers.CharField()

    def get_progress(self, run) -> int:
        return import_run_progress(run=run)


class ProblemOutput(serializers.Serializer):
    severity = serializers.CharField()
    file = serializers.CharField()
    line = serializers.IntegerField(allow_null=True)
    column = serializers.CharField()
    value = serializers.CharField()
    message = serializers.CharField()


class ImportRunListApi(SchoolScopedAPIMixin, ListAPIView):
    """Roster imports of the school. POST (multipart ``files``: a zip or the CSV files) checks an upload
    and returns its dry run; nothing is imported until it is confirmed."""

    allowed_roles = SCHOOL_WIDE_ROLES
    serializer_class = ImportRunOutput
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return run_selectors.import_run_list(roles=self.request.school_roles)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
            }
        },
        responses={201: ImportRunOutput},
    )
    def post(self, request, school_slug: str):
        try:
            run = import_run_create(
                files=files_from_upload(request.FILES.getlist("files")), user=request.user
            )
        except ValidationError as exc:
            raise ApiValidationError({"files": exc.messages}) from exc
        return Response(ImportRunOutput(run).data, status=status.HTTP_201_CREATED)


class ImportRunDetailApi(SchoolScopedAPIMixin, APIView):
    """An import's status, counts and progress (poll it while it runs)."""

    @extend_schema(responses=ImportRunOutput)
    def get(self, request, school_slug: str, import_run_id: int):
        run = run_selectors.import_run_get(roles=request.school_roles, run_id=import_run_id)
        return Response(ImportRunOutput(run).data)


class ImportRunConfirmApi(SchoolScopedAPIMixin, APIView):
    """Confirm a checked import: it runs in the background. ``skip_problem_rows`` must be true if the report
    has errors."""

    @extend_schema(responses=ImportRunOutput)
    def get(self, request, school_slug: str, import_run_id: int):
        """The run, so that an unknown id is a 404 whatever the method."""
        run = run_selectors.import_run_get(roles=request.school_roles, run_id=import_run_id)
        return Response(ImportRunOutput(run).data)

    @extend_schema(
        request=inline_serializer(
            "ImportConfirm", {"skip_problem_rows": serializers.BooleanField(default=False)}
        ),
        responses={202: ImportRunOutput},
    )
    def post(self, request, school_slug: str, import_run_id: int):
        run = run_selectors.import_run_get(roles=request.school_roles, run_id=import_run_id)
        skip = str(request.data.get("skip_problem_rows", "")).lower() in {"true", "1", "on"}
        try:
            import_run_confirm(run=run, skip_problem_rows=skip)
        except ValidationError as exc:
            raise ApiValidationError({"detail": exc.messages}) from exc
        return Response(ImportRunOutput(run).data, status=status.HTTP_202_ACCEPTED)


class ImportRunReportApi(SchoolScopedAPIMixin, APIView):
    """Every problem of an import's report: file, line, column, value, severity, message."""

    @extend_schema(responses=ProblemOutput(many=True))
    def get(self, request, school_slug: str, import_run_id: int):
        run = run_selectors.import_run_get(roles=request.school_roles, run_id=import_run_id)
        return Response(ProblemOutput(run.report, many=True).data)


class DistrictSchoolOutput(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    timezone = serializers.CharField()


class DistrictSchoolInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=80)
    timezone = serializers.CharField(max_length=64)
    admin_email = serializers.EmailField()
    admin_given_name = serializers.CharField(max_length=150)
    admin_family_name = serializers.CharField(max_length=150)


class DistrictSchoolListApi(SchoolScopedAPIMixin, ListAPIView):
    """District admins: the schools of this school's organization; POST opens a new one and names its first
    school admin (invited by email when they have no account yet)."""

    allowed_roles = frozenset({DISTRICT_ADMIN})
    serializer_class = DistrictSchoolOutput

    def get_queryset(self):
        return selectors.district_schools(school=self.request.school, roles=self.request.school_roles)

    @extend_schema(request=DistrictSchoolInput, responses={201: DistrictSchoolOutput})
    def post(self, request, school_slug: str):
        data = DistrictSchoolInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            school = onboarding.school_create(
                organization=request.school.organization,
                created_by=request.user,
                base_url=request.build_absolute_uri("/"),
                **data.validated_data,
            )
        except ValidationError as exc:
            raise ApiValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            ) from exc
        return Response(DistrictSchoolOutput(school).data, status=status.HTTP_201_CREATED)
