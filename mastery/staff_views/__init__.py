"""Teacher and admin pages of the mastery app, a module a job: ``students`` (the caller's students, a
student's checks and states, unlock and override), ``checks`` (a check's review, approval, invalidation,
and a section's approval switch), ``banks`` (question-bank authoring with JSON and QTI import and export)
and ``cartridge`` (the Common Cartridge import). Teachers act only on students of their own sections;
school and district admins on the whole school. Every view is re-exported here for ``mastery/urls.py``.
"""

from mastery.staff_views.banks import (
    bank_detail,
    bank_export,
    bank_import,
    bank_list,
    bank_policy,
    bank_qti_export,
    bank_qti_import,
    question_edit,
)
from mastery.staff_views.cartridge import cartridge_import_view
from mastery.staff_views.checks import attempt_approve, attempt_invalidate, attempt_review, section_approval
from mastery.staff_views.students import student_detail, student_list, student_override, student_unlock

__all__ = [
    "attempt_approve",
    "attempt_invalidate",
    "attempt_review",
    "bank_detail",
    "bank_export",
    "bank_import",
    "bank_list",
    "bank_policy",
    "bank_qti_export",
    "bank_qti_import",
    "cartridge_import_view",
    "question_edit",
    "section_approval",
    "student_detail",
    "student_list",
    "student_override",
    "student_unlock",
]
