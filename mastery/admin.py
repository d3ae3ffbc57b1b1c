from django.contrib import admin

from mastery.models import (
    CheckAttempt,
    CheckResponse,
    CompetencyModelParams,
    EvidenceEvent,
    MasteryPolicy,
    MasteryState,
    PracticeAnswer,
    Question,
    QuestionBank,
    SectionCheckSetting,
)
from plp.admin_tools import AppendOnlyAdminMixin, UnscopedAdmin


@admin.register(QuestionBank)
class QuestionBankAdmin(UnscopedAdmin):
    list_display = ["title", "competency", "school"]
    list_select_related = ["competency", "school"]
    search_fields = ["title", "competency__code"]
    autocomplete_fields = ["competency"]


@admin.register(Question)
class QuestionAdmin(UnscopedAdmin):
    list_display = ["prompt", "kind", "bank", "is_active", "school"]
    list_select_related = ["bank", "school"]
    list_filter = ["kind", "is_active"]
    search_fields = ["prompt"]
    autocomplete_fields = ["bank"]


@admin.register(MasteryPolicy)
class MasteryPolicyAdmin(UnscopedAdmin):
    list_display = ["competency", "check_size", "pass_threshold", "readiness_rule", "school"]
    list_select_related = ["competency", "school"]
    autocomplete_fields = ["competency"]


@admin.register(SectionCheckSetting)
class SectionCheckSettingAdmin(UnscopedAdmin):
    list_display = ["section", "approval_required", "school"]
    list_select_related = ["section", "school"]
    autocomplete_fields = ["section"]


@admin.register(CompetencyModelParams)
class CompetencyModelParamsAdmin(UnscopedAdmin):
    list_display = ["competency", "p_init", "p_learn", "p_guess", "p_slip", "heldout_auc", "fitted_at"]
    list_select_related = ["competency"]
    autocomplete_fields = ["competency"]


@admin.register(MasteryState)
class MasteryStateAdmin(UnscopedAdmin):
    list_display = ["student", "competency", "status", "p_mastered", "school"]
    list_select_related = ["student", "competency", "school"]
    list_filter = ["status"]
    autocomplete_fields = ["student", "competency"]


@admin.register(PracticeAnswer)
class PracticeAnswerAdmin(UnscopedAdmin):
    list_display = ["student", "competency", "is_correct", "answered_at"]
    list_select_related = ["student", "competency"]
    autocomplete_fields = ["student", "competency", "question"]


@admin.register(CheckAttempt)
class CheckAttemptAdmin(UnscopedAdmin):
    list_display = ["student", "competency", "status", "correct_count", "total", "passed", "requested_at"]
    list_select_related = ["student", "competency"]
    list_filter = ["status", "passed"]
    search_fields = ["student__email"]
    autocomplete_fields = ["student", "competency", "approved_by", "invalidated_by"]


@admin.register(CheckResponse)
class CheckResponseAdmin(UnscopedAdmin):
    list_display = ["attempt", "question_id_in_form", "is_correct", "saved_at"]
    search_fields = ["attempt__pk"]
    autocomplete_fields = ["attempt"]


@admin.register(EvidenceEvent)
class EvidenceEventAdmin(AppendOnlyAdminMixin, UnscopedAdmin):
    """Read only: the ledger is append-only, written by the services."""

    list_display = ["student", "competency", "source", "status_before", "status_after", "created_at"]
    list_select_related = ["student", "competency"]
    list_filter = ["source"]
    search_fields = ["source_id", "reason"]
