"""The mastery API a student works through and staff read: question banks, practice, checks and their
answers, mastery states, and the preview of a check asked for now."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditEntry
from audit.recorder import audits
from mastery import bank_services, selectors, services
from mastery.check_preview import check_preview
from mastery.models import CheckAttempt, CheckResponse, MasteryState, PracticeAnswer, Question
from mastery.serializers import (
    AuthorQuestionSerializer,
    BankSerializer,
    CheckAttemptSerializer,
    CheckPreviewSerializer,
    CheckRequestSerializer,
    CheckResponseInputSerializer,
    MasteryStateSerializer,
    PracticeAnswerInputSerializer,
    PracticeAnswerSerializer,
    StudentQuestionSerializer,
)
from playlists.services import exercise_practice_record
from plp.api.views import SchoolScopedAPIMixin
from schools import access
from schools.roles import Role


def refused_input(error: ValidationError):
    raise exceptions.ValidationError({"detail": error.messages})


def _require_student(request):
    if Role.STUDENT not in request.school_roles:
        raise exceptions.PermissionDenied("Only students take practice and checks.")


def _responses_by_attempt(attempts) -> dict[int, dict[int, CheckResponse]]:
    found: dict[int, dict[int, CheckResponse]] = {}
    for response in CheckResponse.objects.filter(attempt__in=[a.pk for a in attempts]):
        found.setdefault(response.attempt_id, {})[response.question_id_in_form] = response
    return found


class BankListApi(SchoolScopedAPIMixin, generics.ListAPIView):
    """Question banks (teachers and admins)."""

    serializer_class = BankSerializer
    allowed_roles = frozenset(selectors.AUTHOR_ROLES | {"district_admin"})

    def get_queryset(self):
        return selectors.banks_visible_to(roles=self.request.school_roles)


class BankDetailApi(SchoolScopedAPIMixin, APIView):
    @extend_schema(responses=BankSerializer)
    def get(self, request, school_slug: str, bank_id: int):
        return Response(BankSerializer(selectors.bank_get(roles=request.school_roles, bank_id=bank_id)).data)


class BankQuestionListApi(SchoolScopedAPIMixin, APIView):
    """A bank's questions WITH their answers, and new questions: authors only (the bank is not found for
    anyone else)."""

    @extend_schema(responses=AuthorQuestionSerializer(many=True))
    def get(self, request, school_slug: str, bank_id: int):
        bank = selectors.bank_get(roles=request.school_roles, bank_id=bank_id)
        questions = Question.objects.filter(bank=bank, is_active=True).order_by("pk")
        return Response(AuthorQuestionSerializer(questions, many=True).data)

    @extend_schema(request=AuthorQuestionSerializer, responses={201: AuthorQuestionSerializer})
    def post(self, request, school_slug: str, bank_id: int):
        bank = selectors.bank_get(roles=request.school_roles, bank_id=bank_id)
        data = AuthorQuestionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            question = bank_services.question_save(bank=bank, **data.validated_data)
        except ValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from error
        return Response(AuthorQuestionSerializer(question).data, status=status.HTTP_201_CREATED)


class PracticeQuestionApi(SchoolScopedAPIMixin, APIView):
    """A practice question for a student: prompt and choices only."""

    @extend_schema(responses=StudentQuestionSerializer)
    def get(self, request, school_slug: str, competency_id: int):
        competency = selectors.competency_get(competency_id=competency_id)
        _require_student(request)
        question = services.practice_question_draw(competency=competency)
        if question is None:
            raise Http404("No practice questions for this competency yet.")
        return Response(StudentQuestionSerializer(question).data)


class PracticeAnswerListApi(SchoolScopedAPIMixin, generics.ListAPIView):
    """A student's practice answers (GET), or a new answer graded at once (POST)."""

    serializer_class = PracticeAnswerSerializer
    allowed_roles = frozenset({Role.STUDENT})

    def get_queryset(self):
        return (
            PracticeAnswer.objects.filter(student=self.request.user)
            .select_related("question")
            .order_by("-pk")
        )

    @extend_schema(
        request=PracticeAnswerInputSerializer,
        responses={201: PracticeAnswerSerializer, 200: PracticeAnswerSerializer},
    )
    def post(self, request, school_slug: str):
        data = PracticeAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = Question.objects.filter(pk=data.validated_data["question"], is_active=True).first()
        if question is None and data.validated_data.get("client_key"):
            # Recorded before the question was retired: the replay still returns it.
            question = Question.objects.filter(pk=data.validated_data["question"]).first()
            recorded = question and services.practice_answer_replay(
                student=request.user, question=question, client_key=data.validated_data["client_key"]
            )
            if recorded:
                return Response(PracticeAnswerSerializer(recorded).data, status=status.HTTP_200_OK)
            question = None
        if question is None:
            raise exceptions.ValidationError({"question": ["No such question."]})
        with transaction.atomic():
            try:
                answer = services.practice_answer_submit(
                    student=request.user,
                    question=question,
                    response=data.validated_data["response"],
                    client_key=data.validated_data.get("client_key"),
                )
            except services.MasteryError as error:
                raise exceptions.ValidationError(error.message_dict) from error
            if "item" in data.validated_data:
                exercise_practice_record(
                    student=request.user,
                    item_id=data.validated_data["item"],
                    competency=question.bank.competency,
                )
        code = status.HTTP_200_OK if answer.replayed else status.HTTP_201_CREATED
        return Response(PracticeAnswerSerializer(answer).data, status=code)


class CheckListApi(SchoolScopedAPIMixin, generics.ListAPIView):
    """The caller's own checks (students) or their students' checks (teachers, admins); POST requests one."""

    serializer_class = CheckAttemptSerializer

    def get_queryset(self):
        roles, user = self.request.school_roles, self.request.user
        mine = CheckAttempt.objects.filter(student=user)
        if roles.isdisjoint(selectors.TEACHING_ROLES):
            return mine.select_related("competency").prefetch_related("carried_answers").order_by("-pk")
        students = access.students_assessed_by(user=user, roles=roles)
        return (
            CheckAttempt.objects.filter(student__in=students)
            .select_related("competency")
            .prefetch_related("carried_answers")
            .order_by("-pk")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        page = getattr(self, "_page", None)
        context["responses"] = _responses_by_attempt(page or [])
        return context

    def paginate_queryset(self, queryset):
        self._page = super().paginate_queryset(queryset)
        return self._page

    @extend_schema(request=CheckRequestSerializer, responses={201: CheckAttemptSerializer})
    def post(self, request, school_slug: str):
        _require_student(request)
        data = CheckRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            competency = selectors.competency_get(competency_id=data.validated_data["competency"])
        except Http404 as error:
            raise exceptions.ValidationError({"competency": ["No such competency."]}) from error
        try:
            attempt = services.check_request(student=request.user, competency=competency)
        except services.MasteryError as error:
            refused_input(error)
        return Response(CheckAttemptSerializer(attempt).data, status=status.HTTP_201_CREATED)


def _own_attempt(request, attempt_id: int) -> CheckAttempt:
    return selectors.attempt_for_student(student=request.user, attempt_id=attempt_id)


def attempt_data(attempt: CheckAttempt) -> dict:
    return CheckAttemptSerializer(attempt, context={"responses": _responses_by_attempt([attempt])}).data


@audits(AuditEntry.Kind.CHECK_ATTEMPT)
class CheckDetailApi(SchoolScopedAPIMixin, APIView):
    """One check: the student's own, or one of a teacher's students'."""

    @extend_schema(responses=CheckAttemptSerializer)
    def get(self, request, school_slug: str, attempt_id: int):
        attempt = CheckAttempt.objects.filter(student=request.user, pk=attempt_id).first()
        if attempt is None:
            attempt = selectors.attempt_for_staff(
                user=request.user, roles=request.school_roles, attempt_id=attempt_id
            )
        return Response(attempt_data(attempt))


class _PostOnlyAttemptApi(SchoolScopedAPIMixin, APIView):
    """POST-only routes still look the attempt up on GET, so a foreign id is a 404 before it is a 405."""

    @extend_schema(exclude=True)
    def get(self, request, school_slug: str, attempt_id: int):
        _own_attempt(request, attempt_id)
        raise exceptions.MethodNotAllowed("GET")


class CheckAnswerApi(_PostOnlyAttemptApi):
    """Save one answer of the student's open check; with ``final``, it counts at once and the check ends
    as soon as its result is decided."""

    @extend_schema(request=CheckResponseInputSerializer, responses=CheckAttemptSerializer)
    def post(self, request, school_slug: str, attempt_id: int):
        attempt = _own_attempt(request, attempt_id)
        data = CheckResponseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        save = services.check_answer if data.validated_data["final"] else services.check_response_save
        try:
            save(
                attempt=attempt,
                question_id=data.validated_data["question"],
                response=data.validated_data["response"],
            )
        except services.MasteryError as error:
            refused_input(error)
        attempt.refresh_from_db()
        return Response(attempt_data(attempt))


class CheckSubmitApi(_PostOnlyAttemptApi):
    """Grade the check once; a replay returns the same result."""

    @extend_schema(request=None, responses=CheckAttemptSerializer)
    def post(self, request, school_slug: str, attempt_id: int):
        attempt = _own_attempt(request, attempt_id)
        try:
            attempt = services.check_submit(attempt=attempt)
        except services.MasteryError as error:
            refused_input(error)
        return Response(attempt_data(attempt))


class MasteryStateListApi(SchoolScopedAPIMixin, generics.ListAPIView):
    """Mastery states: a student's own, or those of a teacher's students (``?student=<id>`` narrows)."""

    serializer_class = MasteryStateSerializer

    def get_queryset(self):
        roles, user = self.request.school_roles, self.request.user
        if roles.isdisjoint(selectors.TEACHING_ROLES):
            states = MasteryState.objects.filter(student=user)
        else:
            states = MasteryState.objects.filter(
                student__in=access.students_assessed_by(user=user, roles=roles)
            )
            student = self.request.query_params.get("student", "")
            if student:
                if not student.isdigit() or len(student) > 18:
                    raise exceptions.ValidationError({"student": ["Give a student id."]})
                states = states.filter(student_id=int(student))
        return states.select_related("competency").order_by("competency__code", "student_id")


@audits(AuditEntry.Kind.MASTERY)
class StudentCheckPreviewApi(SchoolScopedAPIMixin, APIView):
    """The check a student would get by asking now, before asking (what the competency page shows): whether
    it opens and why not, its real size and pass mark, and the right practice answers it would count as its
    first questions. A student reads their own (their id); a teacher their sections' students, an admin the
    school's; anyone else gets a 404."""

    @extend_schema(responses=CheckPreviewSerializer)
    def get(self, request, school_slug: str, student_id: int, competency_id: int):
        if student_id == request.user.pk and Role.STUDENT in request.school_roles:
            student = request.user
        else:
            student = selectors.student_get(
                user=request.user, roles=request.school_roles, student_id=student_id
            )
        competency = selectors.competency_get(competency_id=competency_id)
        return Response(CheckPreviewSerializer(check_preview(student=student, competency=competency)).data)
