"""Onboarding API routes, in the ``api`` namespace under /api/v1/s/<school_slug>/ (see plp/api/urls.py)."""

from django.urls import path

from schools import onboarding_apis as apis

imports = "imports/<int:import_run_id>/"

urlpatterns = [
    path("district/schools/", apis.DistrictSchoolListApi.as_view(), name="district_school_list"),
    path("people/", apis.PeopleApi.as_view(), name="people_list"),
    path("enrollments/", apis.EnrollmentListApi.as_view(), name="enrollment_list"),
    path("mentor-assignments/", apis.MentorAssignmentListApi.as_view(), name="mentor_assignment_list"),
    path(
        "mentor-assignments/<int:assignment_id>/",
        apis.MentorAssignmentDetailApi.as_view(),
        name="mentor_assignment_detail",
    ),
    path("imports/", apis.ImportRunListApi.as_view(), name="import_run_list"),
    path(imports, apis.ImportRunDetailApi.as_view(), name="import_run_detail"),
    path(f"{imports}confirm/", apis.ImportRunConfirmApi.as_view(), name="import_run_confirm"),
    path(f"{imports}report/", apis.ImportRunReportApi.as_view(), name="import_run_report"),
]
