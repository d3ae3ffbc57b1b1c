"""API routes of the learners app, in the ``api`` namespace under /api/v1/ (joined in plp/api/urls.py)."""

from django.urls import path

from learners import apis

urlpatterns = [
    path("learners/profiles/", apis.ProfileListApi.as_view(), name="learner_profile_list"),
    path(
        "learners/profiles/<int:student_id>/", apis.ProfileDetailApi.as_view(), name="learner_profile_detail"
    ),
    path("learners/careers/", apis.CareerListApi.as_view(), name="learner_career_list"),
    path("learners/careers/<int:career_id>/", apis.CareerDetailApi.as_view(), name="learner_career_detail"),
    path("learners/plans/", apis.PlanListApi.as_view(), name="learner_plan_list"),
    path("learners/plans/<int:plan_id>/", apis.PlanDetailApi.as_view(), name="learner_plan_detail"),
]
