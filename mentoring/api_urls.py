"""API routes of the mentoring app, in the ``api`` namespace under /api/v1/ (joined in plp/api/urls.py)."""

from django.urls import path

from mentoring import apis

urlpatterns = [
    path("mentoring/goals/", apis.GoalListApi.as_view(), name="mentoring_goal_list"),
    path("mentoring/goals/<int:goal_id>/", apis.GoalDetailApi.as_view(), name="mentoring_goal_detail"),
    path("mentoring/check-ins/", apis.CheckInListApi.as_view(), name="mentoring_check_in_list"),
    path(
        "mentoring/check-ins/<int:check_in_id>/",
        apis.CheckInDetailApi.as_view(),
        name="mentoring_check_in_detail",
    ),
]
