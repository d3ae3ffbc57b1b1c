from django.contrib import admin

from plp.admin_tools import UnscopedAdmin
from privacy.models import Departure, Erasure, EvidenceAggregate, ParentalConsent, PrivacySettings


@admin.register(PrivacySettings)
class PrivacySettingsAdmin(UnscopedAdmin):
    list_display = ["school", "audit_retention_days", "erase_departed_after_days", "evidence_on_erasure"]


@admin.register(ParentalConsent)
class ParentalConsentAdmin(UnscopedAdmin):
    list_display = ["student", "under_13", "status", "recorded_by", "recorded_at", "school"]
    autocomplete_fields = ["student", "recorded_by"]
    search_fields = ["student__email"]


class _ReadOnly(UnscopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Departure)
class DepartureAdmin(_ReadOnly):
    list_display = ["student", "noticed_at", "school"]


@admin.register(Erasure)
class ErasureAdmin(_ReadOnly):
    list_display = ["pseudonym", "reason", "evidence", "erased_by", "erased_at", "school"]


@admin.register(EvidenceAggregate)
class EvidenceAggregateAdmin(_ReadOnly):
    list_display = ["competency", "students", "practice_answers", "checks", "mastered", "school"]
