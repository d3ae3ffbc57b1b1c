"""The mastery API's staff actions on a student's work: approve or invalidate a check, unlock a check,
override a competency's mastery. Each looks the object up among the caller's students first (404), then
the method, then the role."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditEntry
from audit.recorder import audits
from mastery import selectors, services
from mastery.apis.learning import attempt_data, refused_input
from mastery.models import CheckAttempt, MasteryState
from mastery.serializers import (
    ApprovalInputSerializer,
    CheckAttemptSerializer,
    MasteryStateSerializer,
    OverrideInputSerializer,
    ReasonInputSerializer,
)
from plp.api.views import SchoolScopedAPIMixin


def _staff_attempt(request, attempt_id: int) -> CheckAttempt:
    return selectors.attempt_for_staff(user=request.user, roles=request.school_roles, attempt_id=attempt_id)


class _StaffPostOnlyApi(SchoolScopedAPIMixin, APIView):
    """Teacher actions on a check: the attempt is looked up first (404 outside the caller's students), the
    input validated with ``input_serializer``, then :meth:`act` answers the changed attempt."""

    input_serializer: type[serializers.Serializer]

    @extend_schema(exclude=True)
    def get(self, request, school_slug: str, attempt_id: int):
        _staff_attempt(request, attempt_id)
        raise exceptions.MethodNotAllowed("GET")

    def post(self, request, school_slug: str, attempt_id: int):
        attempt = _staff_attempt(request, attempt_id)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            attempt = self.act(attempt=attempt, teacher=request.user, data=data.validated_data)
        except services.MasteryError as error:  # e.g. the bank cannot supply the check now: say why
            refused_input(error)
        return Response(attempt_data(attempt))

    def act(self, *, attempt: CheckAttempt, teacher, data: dict) -> CheckAttempt:
        raise NotImplementedError


@audits(AuditEntry.Kind.CHECK_ATTEMPT)
@extend_schema_view(post=extend_schema(request=ApprovalInputSerializer, responses=CheckAttemptSerializer))
class CheckApproveApi(_StaffPostOnlyApi):
    """Approve (draw the form) or decline a check request waiting for a teacher."""

    input_serializer = ApprovalInputSerializer

    def act(self, *, attempt, teacher, data):
        if data["decision"] == "decline":
            return services.check_decline(attempt=attempt, teacher=teacher)
        return services.check_approve(attempt=attempt, teacher=teacher)


@audits(AuditEntry.Kind.CHECK_ATTEMPT)
@extend_schema_view(post=extend_schema(request=ReasonInputSerializer, responses=CheckAttemptSerializer))
class CheckInvalidateApi(_StaffPostOnlyApi):
    """Invalidate a graded check with a reason (kept in the history)."""

    input_serializer = ReasonInputSerializer

    def act(self, *, attempt, teacher, data):
        return services.check_invalidate(attempt=attempt, teacher=teacher, reason=data["reason"])


class _StudentCompetencyApi(SchoolScopedAPIMixin, APIView):
    """A teacher's decision about one student's competency: the student is looked up first (404 outside the
    caller's students), then the competency, the input validated with ``input_serializer``; :meth:`act`
    answers the student's state."""

    input_serializer: type[serializers.Serializer]

    def _lookup(self, request, student_id: int, competency_id: int):
        student = selectors.student_get(user=request.user, roles=request.school_roles, student_id=student_id)
        return student, selectors.competency_get(competency_id=competency_id)

    @extend_schema(exclude=True)
    def get(self, request, school_slug: str, student_id: int, competency_id: int):
        self._lookup(request, student_id, competency_id)
        raise exceptions.MethodNotAllowed("GET")

    def post(self, request, school_slug: str, student_id: int, competency_id: int):
        student, competency = self._lookup(request, student_id, competency_id)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            state = self.act(
                student=student, competency=competency, teacher=request.user, data=data.validated_data
            )
        except services.MasteryError as error:
            refused_input(error)
        return Response(MasteryStateSerializer(state).data)

    def act(self, *, student, competency, teacher, data: dict) -> MasteryState:
        raise NotImplementedError


@audits(AuditEntry.Kind.MASTERY)
@extend_schema_view(post=extend_schema(request=ReasonInputSerializer, responses=MasteryStateSerializer))
class StudentUnlockApi(_StudentCompetencyApi):
    """Let one of the caller's students take the next check now (readiness and retake rules waived once)."""

    input_serializer = ReasonInputSerializer

    def act(self, *, student, competency, teacher, data):
        return services.check_unlock(
            student=student, competency=competency, teacher=teacher, reason=data["reason"]
        )


@audits(AuditEntry.Kind.MASTERY)
@extend_schema_view(post=extend_schema(request=OverrideInputSerializer, responses=MasteryStateSerializer))
class StudentOverrideApi(_StudentCompetencyApi):
    """Set a student's mastery by a teacher's judgement, with a reason (audited in the ledger)."""

    input_serializer = OverrideInputSerializer

    def act(self, *, student, competency, teacher, data):
        return services.mastery_override(student=student, competency=competency, teacher=teacher, **data)
