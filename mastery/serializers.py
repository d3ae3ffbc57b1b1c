"""API serializers. Students and authors get SEPARATE serializers: nothing a student can read before
submitting carries a correct answer, a grading key or an explanation."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mastery import rules
from mastery.bank_services import QUESTION_FIELDS
from mastery.models import CheckAttempt, MasteryState, PracticeAnswer, Question, QuestionBank


class BankSerializer(serializers.ModelSerializer):
    competency_code = serializers.CharField(source="competency.code", read_only=True)
    question_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = QuestionBank
        fields = ["id", "competency", "competency_code", "title", "question_count", "practice_exclusion_days"]


class AuthorQuestionSerializer(serializers.ModelSerializer):
    """For teachers and admins authoring a bank: the whole question, answers included."""

    class Meta:
        model = Question
        fields = ["id", "bank", *QUESTION_FIELDS, "is_active"]
        read_only_fields = ["id", "bank", "is_active"]


class StudentQuestionSerializer(serializers.Serializer):
    """What a student may see of a question before answering: no answers, no explanation."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    prompt = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField())


# An answer to one question (practice or a check), and the exercise item it was asked from. (A comment, not
# a docstring: the API schema would give it to both serializers as their description.)
class _AnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=2**62)
    response = serializers.JSONField(allow_null=True)
    item = serializers.IntegerField(
        min_value=1,
        max_value=2**62,
        required=False,
        help_text="The exercise item the practice comes from: answering starts it (in progress).",
    )


class PracticeAnswerInputSerializer(_AnswerInputSerializer):
    client_key = serializers.UUIDField(
        required=False,
        help_text="A UUID the client makes when the student answers. The same key again (a retry after a "
        "dropped connection) records nothing new and answers 200 with the answer first recorded.",
    )


class PracticeAnswerSerializer(serializers.ModelSerializer):
    """The result of a practice answer: sent only after the student answered, so the explanation is fine."""

    explanation = serializers.SerializerMethodField()

    class Meta:
        model = PracticeAnswer
        fields = [
            "id",
            "competency",
            "question",
            "response",
            "is_correct",
            "p_before",
            "p_after",
            "answered_at",
            "explanation",
            "client_key",
            "replayed",
        ]

    replayed = serializers.SerializerMethodField(help_text="True: this key was recorded before; nothing new.")

    def get_replayed(self, answer) -> bool:
        return getattr(answer, "replayed", False)

    def get_explanation(self, answer) -> str:
        return answer.question.explanation if answer.question else ""


class CheckRequestSerializer(serializers.Serializer):
    competency = serializers.IntegerField(min_value=1, max_value=2**62)


class CheckResponseInputSerializer(_AnswerInputSerializer):
    final = serializers.BooleanField(
        required=False,
        default=False,
        help_text="A check's answer that counts at once (one question at a time, as the student's page "
        "asks): the check ends, graded, as soon as its result is decided (e.g. 4 right or 2 wrong of 5). "
        "Without it the answer is only saved until the check is submitted.",
    )


class CheckItemSerializer(serializers.Serializer):
    """One question of a check: correctness and explanation only once the check is graded."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    prompt = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField())
    response = serializers.JSONField(allow_null=True)
    is_correct = serializers.BooleanField(allow_null=True)
    explanation = serializers.CharField(allow_null=True)


class CheckAttemptSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField()
    to_pass = serializers.SerializerMethodField(
        help_text="Right answers needed to pass, on the check's real number of questions (null before the "
        "form is drawn)."
    )
    competency_code = serializers.CharField(source="competency.code", read_only=True)
    end_line = serializers.SerializerMethodField(
        help_text='Why the check ended, once graded ("4 of 4 right: passed", "2 wrong: not yet, practise X").'
    )
    questions = serializers.IntegerField(
        read_only=True,
        help_text="The check's number of questions: the carried practice answers (its first) and the items.",
    )
    carried = serializers.IntegerField(
        read_only=True,
        help_text="Right practice answers given just before the check that count as its first questions "
        "(at most 2, never enough to pass alone); fixed when the form is drawn. ``correct_count`` and "
        "``total`` include them.",
    )
    carried_answers = serializers.SerializerMethodField(
        help_text="The ids of those practice answers, oldest first (GET /mastery/answers/)."
    )
    carried_note = serializers.SerializerMethodField(
        help_text="What the student reads before the first question when practice answers carry "
        "(\"Your last 2 practice answers on X were right: they count as the check's first 2 questions; 3 to "
        'go, and 2 more right pass it."); empty when none do.'
    )

    class Meta:
        model = CheckAttempt
        fields = [
            "id",
            "student",
            "competency",
            "competency_code",
            "status",
            "pass_threshold",
            "requested_at",
            "started_at",
            "submitted_at",
            "correct_count",
            "total",
            "passed",
            "to_pass",
            "questions",
            "carried",
            "carried_answers",
            "carried_note",
            "invalidated_at",
            "invalidation_reason",
            "end_line",
            "items",
        ]

    def get_end_line(self, attempt) -> str | None:
        if attempt.status != CheckAttempt.Status.GRADED:
            return None
        right = attempt.correct_count or 0
        wrong = (attempt.total or 0) - right
        return rules.check_end_line(
            right, wrong, attempt.questions, attempt.pass_threshold, attempt.competency.code, attempt.carried
        )

    def get_to_pass(self, attempt) -> int | None:
        return rules.questions_to_pass(attempt.questions, attempt.pass_threshold) if attempt.form else None

    def get_carried_answers(self, attempt) -> list[int]:
        return [a.pk for a in sorted(attempt.carried_answers.all(), key=lambda a: (a.answered_at, a.pk))]

    def get_carried_note(self, attempt) -> str:
        questions = attempt.questions
        to_pass = rules.questions_to_pass(questions, attempt.pass_threshold) if questions else 0
        return rules.carried_line(attempt.carried, questions, to_pass, attempt.competency.code)

    @extend_schema_field(CheckItemSerializer(many=True))
    def get_items(self, attempt) -> list[dict]:
        graded = attempt.status == CheckAttempt.Status.GRADED
        saved = self.context.get("responses", {}).get(attempt.pk, {})
        items = []
        for item in attempt.form:
            response = saved.get(item["id"])
            items.append(
                {
                    "id": item["id"],
                    "kind": item["kind"],
                    "prompt": item["prompt"],
                    "choices": item["choices"],
                    "response": response.response if response else None,
                    "is_correct": response.is_correct if (graded and response) else None,
                    "explanation": item.get("explanation", "") if graded else None,
                }
            )
        return items


class MasteryStateSerializer(serializers.ModelSerializer):
    competency_code = serializers.CharField(source="competency.code", read_only=True)

    class Meta:
        model = MasteryState
        fields = [
            "id",
            "student",
            "competency",
            "competency_code",
            "status",
            "p_mastered",
            "practice_answers",
            "mastered_at",
            "updated_at",
        ]


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class ApprovalInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "decline"], default="approve")


class OverrideInputSerializer(serializers.Serializer):
    mastered = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000)


class CheckPreviewSerializer(serializers.Serializer):
    """What a check asked for now would be (``mastery.check_preview``, which the competency page reads):
    whether it opens, its real size and pass mark, and the right practice answers it would count as its
    first questions. Nothing is decided here: the check's start applies the same rule when it is asked."""

    student = serializers.IntegerField(source="state.student_id")
    competency = serializers.IntegerField(source="competency.pk")
    competency_code = serializers.CharField(source="competency.code")
    status = serializers.CharField(
        source="status_now",
        help_text='The stored status, except "waiting" when it is ready by the rule but a retry time or the '
        "question bank keeps the check closed now.",
    )
    p_mastered = serializers.FloatField(source="state.p_mastered")
    can_request = serializers.BooleanField(
        help_text="A check asked for now (POST /mastery/checks/) opens, or goes to a teacher for approval."
    )
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why it cannot be asked for now, as the student reads it."
    )
    retry_opens_at = serializers.DateTimeField(source="eligibility.retry_opens_at", allow_null=True)
    practice_needed = serializers.IntegerField(
        source="eligibility.practice_needed", help_text="Practice answers still owed after a failed check."
    )
    open_check = serializers.IntegerField(
        source="open_attempt.pk", allow_null=True, default=None, help_text="The check already open, if any."
    )
    check_size = serializers.IntegerField(source="plan.asked", help_text="The policy's number of questions.")
    questions = serializers.IntegerField(
        source="plan.questions",
        help_text="The check's real number of questions: the carried practice answers (its first) and as "
        "many questions as the bank supplies without one practised recently, up to ``check_size``.",
    )
    to_pass = serializers.IntegerField(
        source="plan.to_pass", help_text="Right answers needed, on ``questions``."
    )
    carried = serializers.IntegerField(
        source="plan.carried",
        help_text="Right practice answers given just before that would count as its first questions (at most "
        "2, never enough to pass alone); 0 when a check cannot be asked for now.",
    )
    carried_answers = serializers.ListField(
        source="carried_answer_ids",
        child=serializers.IntegerField(),
        help_text="The ids of those practice answers, oldest first (GET /mastery/answers/).",
    )
    carried_note = serializers.CharField(
        source="carried_line", help_text="What the student reads about them before asking; empty when none."
    )
