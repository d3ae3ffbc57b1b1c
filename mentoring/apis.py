"""School-scoped API for goals and check-ins. Private notes are serialized only for the student's mentors
and school admins (CheckInPrivateSerializer); everyone else gets CheckInSharedSerializer."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditEntry
from audit.recorder import audits
from learners.apis import paginate
from mentoring import selectors, services
from mentoring.models import Goal
from mentoring.serializers import (
    CheckInInputSerializer,
    CheckInPrivateDetailSerializer,
    CheckInPrivateSerializer,
    CheckInSharedDetailSerializer,
    CheckInSharedSerializer,
    CheckInUpdateInputSerializer,
    GoalSerializer,
    ReflectionInputSerializer,
    WeeklyGoalsInputSerializer,
)
from playlists.models import Competency, ContentItem
from plp.api.pagination import PagePagination
from plp.api.views import SchoolScopedAPIMixin
from schools.access import (
    student_access_get,
    students_sharing_private_notes_with,
    students_visible_to,
)

MAX_ID = 2**63  # ids past a 64-bit integer are refused before they reach the database


def _drf_errors(error: DjangoValidationError):
    detail = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    return exceptions.ValidationError(detail)


class _Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"


def _call(fn, **kwargs):
    """Run a service, turning Django's errors into DRF's (400 / 403; 409 for a check-in corrected by
    someone else since the caller read it, with its current version)."""
    try:
        return fn(**kwargs)
    except DjangoPermissionDenied as error:
        raise exceptions.PermissionDenied(str(error)) from None
    except services.CheckInChangedMeanwhile as error:
        raise _Conflict({"detail": " ".join(error.messages), "version": error.current_version}) from None
    except DjangoValidationError as error:
        raise _drf_errors(error) from None


def _items(ids: list[int]) -> list[ContentItem]:
    """The school's content items with these ids; an unknown (or another school's) id is a 400."""
    items = list(ContentItem.objects.filter(pk__in=set(ids)))
    if len(items) != len(set(ids)):
        raise exceptions.ValidationError({"items": ["Unknown item id."]})
    return items


def _competencies(ids: list[int]) -> list[Competency]:
    """The school's competencies with these ids; an unknown (or another school's) id is a 400. Whether
    they are the student's own is the service's rule."""
    competencies = list(Competency.objects.filter(pk__in=set(ids)))
    if len(competencies) != len(set(ids)):
        raise exceptions.ValidationError({"competencies": ["Unknown competency id."]})
    return competencies


def _student_param(request, value) -> int:
    try:
        student_id = int(value)
    except (TypeError, ValueError):
        student_id = 0
    if not 0 < student_id < MAX_ID:
        raise exceptions.ValidationError({"student": "A student id is expected."})
    return student_id


def _of_visible_students(request, rows):
    """``rows`` of the students the caller may see (``schools.access``), narrowed by ``?student=<id>``."""
    rows = rows.filter(student__in=students_visible_to(user=request.user, roles=request.school_roles))
    if "student" in request.query_params:
        rows = rows.filter(student_id=_student_param(request, request.query_params["student"]))
    return rows


@audits(AuditEntry.Kind.GOALS)
class GoalListApi(SchoolScopedAPIMixin, APIView):
    """Goals of the students the caller may see; ``?student=<id>`` narrows. POST sets weekly goals."""

    pagination_class = PagePagination

    @extend_schema(responses=GoalSerializer(many=True))
    def get(self, request, school_slug: str):
        goals = _of_visible_students(
            request,
            Goal.objects.select_related("student")
            .prefetch_related(selectors.GOAL_COMPETENCIES, selectors.GOAL_ITEMS)
            .order_by("student_id", "-week_of", "pk"),
        )
        return paginate(self, request, goals, lambda g: GoalSerializer(g).data)

    @extend_schema(request=WeeklyGoalsInputSerializer, responses={201: GoalSerializer(many=True)})
    def post(self, request, school_slug: str):
        data = WeeklyGoalsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        student_id = data.validated_data.get("student", request.user.pk)
        access = student_access_get(user=request.user, roles=request.school_roles, student_id=student_id)
        goals = _call(
            services.weekly_goals_set,
            access=access,
            actor=request.user,
            week_of=data.validated_data.get("week_of") or timezone.localdate(),
            texts=data.validated_data["texts"],
            items=_items(data.validated_data.get("items", [])),
            competencies=_competencies(data.validated_data.get("competencies", [])),
        )
        return Response(GoalSerializer(goals, many=True).data, status=status.HTTP_201_CREATED)


@audits(AuditEntry.Kind.GOALS)
class GoalDetailApi(SchoolScopedAPIMixin, APIView):
    @extend_schema(responses=GoalSerializer)
    def get(self, request, school_slug: str, goal_id: int):
        goal, _ = selectors.goal_get(user=request.user, roles=request.school_roles, goal_id=goal_id)
        return Response(GoalSerializer(goal).data)

    @extend_schema(request=ReflectionInputSerializer, responses=GoalSerializer)
    def patch(self, request, school_slug: str, goal_id: int):
        """The student reflects on their goal: met, partly or not met, with a sentence."""
        goal, access = selectors.goal_get(user=request.user, roles=request.school_roles, goal_id=goal_id)
        data = ReflectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        goal = _call(
            services.goal_reflect, access=access, actor=request.user, goal=goal, **data.validated_data
        )
        return Response(GoalSerializer(goal).data)


def _private_student_ids(request) -> set[int]:
    """Students whose private notes the caller may read (``schools.access``)."""
    readable = students_sharing_private_notes_with(user=request.user, roles=request.school_roles)
    return set(readable.values_list("pk", flat=True))


def _check_in_data(check_in, private_ids) -> dict:
    private = check_in.student_id in private_ids
    return (CheckInPrivateSerializer if private else CheckInSharedSerializer)(check_in).data


@audits(AuditEntry.Kind.CHECK_INS, shows=("private_notes",))
class CheckInListApi(SchoolScopedAPIMixin, APIView):
    """Check-ins of the students the caller may see (``?student=<id>``). POST: a mentor records one."""

    pagination_class = PagePagination

    @extend_schema(responses=CheckInPrivateSerializer(many=True))
    def get(self, request, school_slug: str):
        check_ins = _of_visible_students(
            request, selectors.check_ins_of_any().select_related("student").order_by("-date", "-pk")
        )
        private_ids = _private_student_ids(request)
        return paginate(self, request, check_ins, lambda c: _check_in_data(c, private_ids))

    @extend_schema(request=CheckInInputSerializer, responses={201: CheckInPrivateSerializer})
    def post(self, request, school_slug: str):
        data = CheckInInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        access = student_access_get(
            user=request.user, roles=request.school_roles, student_id=fields.pop("student")
        )
        try:
            reviews = {int(goal_id): value for goal_id, value in fields.pop("reviews", {}).items()}
        except ValueError:
            reviews = {0: ""}
        if not all(0 < goal_id < MAX_ID for goal_id in reviews):
            raise exceptions.ValidationError({"reviews": "Keys are goal ids."})
        check_in = _call(
            services.check_in_record, access=access, actor=request.user, data=fields, reviews=reviews
        )
        check_in = selectors.check_ins_of_any().select_related("student").get(pk=check_in.pk)
        return Response(CheckInPrivateSerializer(check_in).data, status=status.HTTP_201_CREATED)


def _check_in_detail_data(check_in, access) -> dict:
    private = access.sees_private_notes
    return (CheckInPrivateDetailSerializer if private else CheckInSharedDetailSerializer)(check_in).data


@audits(AuditEntry.Kind.CHECK_INS, shows=("private_notes",))
class CheckInDetailApi(SchoolScopedAPIMixin, APIView):
    """One check-in with the corrections the caller may see. PATCH: the student's mentors correct it."""

    @extend_schema(responses=CheckInPrivateDetailSerializer)
    def get(self, request, school_slug: str, check_in_id: int):
        check_in, access = selectors.check_in_with_history(
            user=request.user, roles=request.school_roles, check_in_id=check_in_id
        )
        return Response(_check_in_detail_data(check_in, access))

    @extend_schema(request=CheckInUpdateInputSerializer, responses=CheckInPrivateDetailSerializer)
    def patch(self, request, school_slug: str, check_in_id: int):
        """Correct the check-in's own fields (not its goal reviews). Those who may read it but not record
        check-ins get 403, before their input is looked at; anyone else 404."""
        check_in, access = selectors.check_in_get(
            user=request.user, roles=request.school_roles, check_in_id=check_in_id
        )
        if not access.records_check_ins:
            raise exceptions.PermissionDenied("Only the student's mentors correct their check-ins.")
        data = CheckInUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        expected_version = fields.pop("version", None)
        _call(
            services.check_in_update,
            access=access,
            actor=request.user,
            check_in=check_in,
            data=fields,
            expected_version=expected_version,
        )
        check_in, access = selectors.check_in_with_history(
            user=request.user, roles=request.school_roles, check_in_id=check_in_id
        )
        return Response(_check_in_detail_data(check_in, access))
