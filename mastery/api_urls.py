"""API routes of the mastery app, in the ``api`` namespace under /api/v1/ (joined in plp/api/urls.py)."""

from django.urls import path

from mastery import apis

urlpatterns = [
    path("mastery/banks/", apis.BankListApi.as_view(), name="mastery_bank_list"),
    path("mastery/banks/<int:bank_id>/", apis.BankDetailApi.as_view(), name="mastery_bank_detail"),
    path(
        "mastery/banks/<int:bank_id>/questions/",
        apis.BankQuestionListApi.as_view(),
        name="mastery_bank_questions",
    ),
    path(
        "mastery/competencies/<int:competency_id>/practice-question/",
        apis.PracticeQuestionApi.as_view(),
        name="mastery_practice_question",
    ),
    path("mastery/answers/", apis.PracticeAnswerListApi.as_view(), name="mastery_answer_list"),
    path("mastery/checks/", apis.CheckListApi.as_view(), name="mastery_check_list"),
    path("mastery/checks/<int:attempt_id>/", apis.CheckDetailApi.as_view(), name="mastery_check_detail"),
    path(
        "mastery/checks/<int:attempt_id>/answers/", apis.CheckAnswerApi.as_view(), name="mastery_check_answer"
    ),
    path(
        "mastery/checks/<int:attempt_id>/submit/", apis.CheckSubmitApi.as_view(), name="mastery_check_submit"
    ),
    path(
        "mastery/checks/<int:attempt_id>/approve/",
        apis.CheckApproveApi.as_view(),
        name="mastery_check_approve",
    ),
    path(
        "mastery/checks/<int:attempt_id>/invalidate/",
        apis.CheckInvalidateApi.as_view(),
        name="mastery_check_invalidate",
    ),
    path("mastery/states/", apis.MasteryStateListApi.as_view(), name="mastery_state_list"),
    path(
        "mastery/students/<int:student_id>/competencies/<int:competency_id>/check/",
        apis.StudentCheckPreviewApi.as_view(),
        name="mastery_student_check_preview",
    ),
    path(
        "mastery/students/<int:student_id>/competencies/<int:competency_id>/unlock/",
        apis.StudentUnlockApi.as_view(),
        name="mastery_student_unlock",
    ),
    path(
        "mastery/students/<int:student_id>/competencies/<int:competency_id>/override/",
        apis.StudentOverrideApi.as_view(),
        name="mastery_student_override",
    ),
]
