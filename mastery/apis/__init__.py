"""The mastery API (DRF), scoped to the school in the URL. It calls the same selectors and services as the
pages. Object routes look the object up among what the caller may see first, so another school's id, or
an object outside the caller's reach, is a 404 for every role.

A package by who acts: ``learning`` (banks, practice, checks, states, the check preview) and ``staff``
(approve, invalidate, unlock, override); every view is re-exported here for the URL configuration."""

from mastery.apis.learning import (
    BankDetailApi,
    BankListApi,
    BankQuestionListApi,
    CheckAnswerApi,
    CheckDetailApi,
    CheckListApi,
    CheckSubmitApi,
    MasteryStateListApi,
    PracticeAnswerListApi,
    PracticeQuestionApi,
    StudentCheckPreviewApi,
)
from mastery.apis.staff import (
    CheckApproveApi,
    CheckInvalidateApi,
    StudentOverrideApi,
    StudentUnlockApi,
)

__all__ = [
    "BankDetailApi",
    "BankListApi",
    "BankQuestionListApi",
    "CheckAnswerApi",
    "CheckApproveApi",
    "CheckDetailApi",
    "CheckInvalidateApi",
    "CheckListApi",
    "CheckSubmitApi",
    "MasteryStateListApi",
    "PracticeAnswerListApi",
    "PracticeQuestionApi",
    "StudentCheckPreviewApi",
    "StudentOverrideApi",
    "StudentUnlockApi",
]
