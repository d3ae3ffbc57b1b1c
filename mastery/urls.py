"""Pages of the mastery app, under /s/<school_slug>/mastery/ (joined in plp/urls.py)."""

from django.urls import include, path

from mastery import staff_views, views

app_name = "mastery"

STUDENT = "students/<int:student_id>/competencies/<int:competency_id>"

# A question bank: its page, its check policy, its exports and imports, its questions.
bank = [
    path("", staff_views.bank_detail, name="bank_detail"),
    path("policy/", staff_views.bank_policy, name="bank_policy"),
    path("export/", staff_views.bank_export, name="bank_export"),
    path("import/", staff_views.bank_import, name="bank_import"),
    path("qti/export/", staff_views.bank_qti_export, name="bank_qti_export"),
    path("qti/import/", staff_views.bank_qti_import, name="bank_qti_import"),
    path("questions/<int:question_id>/", staff_views.question_edit, name="question_edit"),
]

urlpatterns = [
    # students
    path("", views.my_levels, name="my_levels"),
    path("competencies/<int:competency_id>/", views.competency_detail, name="competency"),
    path("competencies/<int:competency_id>/practice/", views.practice, name="practice"),
    path("competencies/<int:competency_id>/check/", views.check_request, name="check_request"),
    path("checks/", views.check_history, name="check_history"),
    path("checks/<int:attempt_id>/", views.check_detail, name="check_detail"),
    path("checks/<int:attempt_id>/answer/", views.check_answer, name="check_answer"),
    path("checks/<int:attempt_id>/submit/", views.check_submit, name="check_submit"),
    # teachers and admins
    path("students/", staff_views.student_list, name="student_list"),
    path("students/<int:student_id>/", staff_views.student_detail, name="student_detail"),
    path(f"{STUDENT}/unlock/", staff_views.student_unlock, name="student_unlock"),
    path(f"{STUDENT}/override/", staff_views.student_override, name="student_override"),
    path("reviews/<int:attempt_id>/", staff_views.attempt_review, name="attempt_review"),
    path("reviews/<int:attempt_id>/approve/", staff_views.attempt_approve, name="attempt_approve"),
    path("reviews/<int:attempt_id>/invalidate/", staff_views.attempt_invalidate, name="attempt_invalidate"),
    path("sections/<int:section_id>/approval/", staff_views.section_approval, name="section_approval"),
    path("banks/", staff_views.bank_list, name="bank_list"),
    path("import/cartridge/", staff_views.cartridge_import_view, name="cartridge_import"),
    path("banks/<int:bank_id>/", include(bank)),
]
