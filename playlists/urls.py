"""Pages of the playlists app, under /s/<school_slug>/playlists/ (joined in plp/urls.py)."""

from django.urls import path

from playlists.views import authoring, frameworks, projects, student

app_name = "playlists"

urlpatterns = [
    path("my-work/<int:playlist_id>/", student.student_playlist, name="student_playlist"),
    path("my-work/<int:playlist_id>/items/<int:item_id>/", student.student_item, name="student_item"),
    path("my-work/<int:playlist_id>/items/<int:item_id>/done/", student.item_done, name="item_done"),
    path(
        "my-work/<int:playlist_id>/items/<int:item_id>/file/",
        student.item_file_submit,
        name="item_file_submit",
    ),
    path("frameworks/", frameworks.framework_list, name="framework_list"),
    path("frameworks/import/", frameworks.framework_import_view, name="framework_import"),
    path("frameworks/<int:framework_id>/", frameworks.framework_detail, name="framework_detail"),
    path(
        "frameworks/<int:framework_id>/competencies/<int:competency_id>/",
        frameworks.competency_detail,
        name="competency_detail",
    ),
    path(
        "frameworks/<int:framework_id>/competencies/<int:competency_id>/prerequisites/",
        frameworks.prerequisite_add,
        name="prerequisite_add",
    ),
    path(
        "frameworks/<int:framework_id>/competencies/<int:competency_id>/prerequisites/<int:prerequisite_id>/"
        "remove/",
        frameworks.prerequisite_remove,
        name="prerequisite_remove",
    ),
    path("items/", authoring.item_list, name="item_list"),
    path("items/new/", authoring.item_create, name="item_create"),
    path("items/preview/", authoring.item_preview, name="item_preview"),
    path("items/<int:item_id>/edit/", authoring.item_edit, name="item_edit"),
    path("", authoring.playlist_list, name="playlist_list"),
    path("new/", authoring.playlist_create, name="playlist_create"),
    path("<int:playlist_id>/", authoring.playlist_detail, name="playlist_detail"),
    path("<int:playlist_id>/edit/", authoring.playlist_edit, name="playlist_edit"),
    path("<int:playlist_id>/items/", authoring.playlist_item_add, name="playlist_item_add"),
    path("<int:playlist_id>/boards/", authoring.board_create, name="board_create"),
    path("<int:playlist_id>/boards/<int:board_id>/", authoring.board_update, name="board_update"),
    path("<int:playlist_id>/boards/<int:board_id>/delete/", authoring.board_delete, name="board_delete"),
    path("<int:playlist_id>/assign/", authoring.playlist_assign, name="playlist_assign"),
    path(
        "<int:playlist_id>/placements/<int:placement_id>/",
        authoring.placement_update,
        name="placement_update",
    ),
    path(
        "<int:playlist_id>/placements/<int:placement_id>/move/",
        authoring.placement_move,
        name="placement_move",
    ),
    path(
        "<int:playlist_id>/placements/<int:placement_id>/remove/",
        authoring.placement_remove,
        name="placement_remove",
    ),
    path("projects/", projects.project_list, name="project_list"),
    path("projects/new/", projects.project_create, name="project_create"),
    path("projects/<int:project_id>/", projects.project_detail, name="project_detail"),
    path("projects/<int:project_id>/milestones/", projects.milestone_add, name="milestone_add"),
    path("projects/<int:project_id>/dimensions/", projects.dimension_add, name="dimension_add"),
    path(
        "projects/<int:project_id>/milestones/<int:milestone_id>/submit/",
        projects.milestone_submit,
        name="milestone_submit",
    ),
    path(
        "projects/<int:project_id>/students/<int:project_student_id>/score/",
        projects.project_score,
        name="project_score",
    ),
]
