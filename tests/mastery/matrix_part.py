"""The mastery app's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py)."""

from mastery.models import (
    CheckAttempt,
    CheckResponse,
    EvidenceEvent,
    MasteryPolicy,
    MasteryState,
    PracticeAnswer,
    Question,
    QuestionBank,
    SectionCheckSetting,
)
from plp.tenancy.context import school_scope
from tests.conftest import SchoolWorld
from tests.factories import QuestionBankFactory, QuestionFactory
from tests.playlists.matrix_part import competency_of
from tests.support import SchoolRoute


def _bank(b: SchoolWorld) -> QuestionBank:
    return QuestionBankFactory(competency=competency_of(b), title="bravo bank")


def _question(b: SchoolWorld) -> Question:
    return QuestionFactory(bank=b.once("bank", _bank), prompt="bravo question?", explanation="bravo why")


def _attempt(b: SchoolWorld) -> CheckAttempt:
    question = b.once("question", _question)
    with school_scope(b.school):
        return CheckAttempt.objects.create(
            school=b.school,
            student=b.user("student"),
            competency=question.bank.competency,
            status=CheckAttempt.Status.IN_PROGRESS,
            pass_threshold=0.8,
            form=[{"id": question.pk, "kind": "single", "prompt": "bravo", "choices": ["a", "b"], "key": {}}],
        )


SCHOOL_B_OBJECT = {
    "competency_id": lambda b: b.once("bank", _bank).competency_id,
    "bank_id": lambda b: b.once("bank", _bank).pk,
    "question_id": lambda b: b.once("question", _question).pk,
    "attempt_id": lambda b: b.once("attempt", _attempt).pk,
    "student_id": lambda b: b.user("student").pk,
}

SCHOOL_ROUTES = {
    name: SchoolRoute()
    for name in (
        "mastery:my_levels",
        "mastery:competency",
        "mastery:practice",
        "mastery:check_request",
        "mastery:check_history",
        "mastery:check_detail",
        "mastery:check_answer",
        "mastery:check_submit",
        "mastery:student_list",
        "mastery:student_detail",
        "mastery:student_unlock",
        "mastery:student_override",
        "mastery:attempt_review",
        "mastery:attempt_approve",
        "mastery:attempt_invalidate",
        "mastery:section_approval",
        "mastery:bank_list",
        "mastery:cartridge_import",
        "mastery:bank_detail",
        "mastery:bank_policy",
        "mastery:bank_export",
        "mastery:bank_import",
        "mastery:bank_qti_export",
        "mastery:bank_qti_import",
        "mastery:question_edit",
    )
}
SCHOOL_ROUTES.update(
    {
        f"api:mastery_{name}": SchoolRoute(api=True)
        for name in (
            "bank_list",
            "bank_detail",
            "bank_questions",
            "practice_question",
            "answer_list",
            "check_list",
            "check_detail",
            "check_answer",
            "check_submit",
            "state_list",
            "check_approve",
            "check_invalidate",
            "student_check_preview",
            "student_unlock",
            "student_override",
        )
    }
)


def snapshot(world: SchoolWorld):
    """Called inside the world's school scope."""
    return (
        sorted(QuestionBank.objects.values_list("pk", "title", "competency_id")),
        sorted(Question.objects.values_list("pk", "prompt", "is_active", "correct_choices")),
        sorted(MasteryPolicy.objects.values_list("pk", "check_size", "readiness_rule")),
        sorted(SectionCheckSetting.objects.values_list("pk", "approval_required")),
        sorted(MasteryState.objects.values_list("pk", "status", "p_mastered", "check_unlocked")),
        sorted(PracticeAnswer.objects.values_list("pk")),
        sorted(CheckAttempt.objects.values_list("pk", "status", "passed", "invalidated_at")),
        sorted(CheckResponse.objects.values_list("pk", "response")),
        EvidenceEvent.objects.count(),
    )
