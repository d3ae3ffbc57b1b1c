"""API routes of the mastery app, in the ``api`` namespace under /api/v1/ (joined in plp/api/urls.py). A
prefix shared by several routes (a check, a student's competency) is written once, with ``include``."""

from django.urls import include, path

from mastery import apis

# One check attempt: read it, answer it, submit it; a teacher approves or invalidates it.
check = [
    path("", apis.CheckDetailApi.as_view(), name="mastery_check_detail"),
    path("answers/", apis.CheckAnswerApi.as_view(), name="mastery_check_answer"),
    path("submit/", apis.CheckSubmitApi.as_view(), name="mastery_check_submit"),
    path("approve/", apis.CheckApproveApi.as_view(), name="mastery_check_approve"),
    path("invalidate/", apis.CheckInvalidateApi.as_view(), name="mastery_check_invalidate"),
]

# What a teacher does about one student's competency.
student_competency = [
    path("check/", apis.StudentCheckPreviewApi.as_view(), name="mastery_student_check_preview"),
    path("unlock/", apis.StudentUnlockApi.as_view(), name="mastery_student_unlock"),
    path("override/", apis.StudentOverrideApi.as_view(), name="mastery_student_override"),
]

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
    path("mastery/checks/<int:attempt_id>/", include(check)),
    path("mastery/states/", apis.MasteryStateListApi.as_view(), name="mastery_state_list"),
    path("mastery/students/<int:student_id>/competencies/<int:competency_id>/", include(student_competency)),
]
