"""API routes. Every school-scoped route starts with s/<school_slug>/."""

from django.urls import include, path

from accounts.apis import MyTokenDetailApi, MyTokenListApi, TokenObtainApi
from schools.apis import MySchoolsApi, SchoolDetailApi, SectionViewSet, TermViewSet

app_name = "api"

school = "s/<slug:school_slug>/"

urlpatterns = [
    path("auth/token/", TokenObtainApi.as_view(), name="token"),
    path("me/schools/", MySchoolsApi.as_view(), name="my_schools"),
    path("me/tokens/", MyTokenListApi.as_view(), name="my_tokens"),
    path("me/tokens/<int:token_id>/", MyTokenDetailApi.as_view(), name="my_token"),
    path(school, SchoolDetailApi.as_view(), name="school"),
    path(f"{school}terms/", TermViewSet.as_view({"get": "list"}), name="term_list"),
    path(
        f"{school}terms/<int:term_id>/",
        TermViewSet.as_view({"get": "retrieve"}),
        name="term_detail",
    ),
    path(f"{school}sections/", SectionViewSet.as_view({"get": "list"}), name="section_list"),
    path(
        f"{school}sections/<int:section_id>/",
        SectionViewSet.as_view({"get": "retrieve"}),
        name="section_detail",
    ),
    path(school, include("schools.api_urls")),
    path(school, include("learners.api_urls")),
    path(school, include("playlists.api_urls")),
    path(school, include("mastery.api_urls")),
    path(school, include("mentoring.api_urls")),
    path(school, include("engine.api_urls")),
    path(school, include("dashboard.api_urls")),
]
