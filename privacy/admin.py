from django.contrib import admin

from plp.admin_tools import ReadOnlyAdminMixin, UnscopedAdmin
from privacy.models import Departure, Erasure, EvidenceAggregate, ParentalConsent, PrivacySettings


@admin.register(PrivacySettings)
class PrivacySettingsAdmin(UnscopedAdmin):
    list_display = ["school", "audit_retention_days", "erase_departed_after_days", "evidence_on_erasure"]


@admin.register(ParentalConsent)
class ParentalConsentAdmin(UnscopedAdmin):
    list_display = ["student", "under_13", "status", "recorded_by", "recorded_at", "school"]
    autocomplete_fields = ["student", "recorded_by"]
    search_fields = ["student__email"]


@admin.register(Departure)
class DepartureAdmin(ReadOnlyAdminMixin, UnscopedAdmin):
    list_display = ["student", "noticed_at", "school"]


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdminMixin, UnscopedAdmin):
    list_display = ["pseudonym", "reason", "evidence", "erased_by", "erased_at", "school"]


@admin.register(EvidenceAggregate)
class EvidenceAggregateAdmin(ReadOnlyAdminMixin, UnscopedAdmin):
    list_display = ["competency", "students", "practice_answers", "checks", "mastered", "school"]
