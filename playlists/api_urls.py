"""API routes of the playlists app, in the ``api`` namespace under /api/v1/s/<school_slug>/."""

from django.urls import path

from playlists import apis

urlpatterns = [
    path("playlists/frameworks/", apis.FrameworkListApi.as_view(), name="playlists_framework_list"),
    path(
        "playlists/frameworks/<int:framework_id>/",
        apis.FrameworkDetailApi.as_view(),
        name="playlists_framework_detail",
    ),
    path("playlists/competencies/", apis.CompetencyListApi.as_view(), name="playlists_competency_list"),
    path("playlists/items/", apis.ContentItemListApi.as_view(), name="playlists_item_list"),
    path("playlists/items/<int:item_id>/", apis.ContentItemDetailApi.as_view(), name="playlists_item_detail"),
    path("playlists/playlists/", apis.PlaylistListApi.as_view(), name="playlists_playlist_list"),
    path(
        "playlists/playlists/<int:playlist_id>/",
        apis.PlaylistDetailApi.as_view(),
        name="playlists_playlist_detail",
    ),
    path(
        "playlists/assignments/", apis.PlaylistAssignmentListApi.as_view(), name="playlists_assignment_list"
    ),
    path("playlists/progress/", apis.ItemProgressApi.as_view(), name="playlists_progress"),
    path("playlists/projects/", apis.ProjectListApi.as_view(), name="playlists_project_list"),
    path(
        "playlists/projects/<int:project_id>/",
        apis.ProjectDetailApi.as_view(),
        name="playlists_project_detail",
    ),
]
