"""Pages of the playlists app, under /s/<school_slug>/playlists/ (joined in plp/urls.py). A prefix shared
by several pages (a playlist, a competency, a project) is written once, with ``include``."""

from django.urls import include, path

from playlists.views import authoring, frameworks, projects, student

app_name = "playlists"

# A student's playlist and its items (My work).
my_item = [
    path("", student.student_item, name="student_item"),
    path("done/", student.item_done, name="item_done"),
    path("file/", student.item_file_submit, name="item_file_submit"),
]

# A competency of a framework, and its prerequisites.
competency = [
    path("", frameworks.competency_detail, name="competency_detail"),
    path("prerequisites/", frameworks.prerequisite_add, name="prerequisite_add"),
    path(
        "prerequisites/<int:prerequisite_id>/remove/",
        frameworks.prerequisite_remove,
        name="prerequisite_remove",
    ),
]

# Authoring a playlist: its items, choice boards, placements and assignment.
playlist = [
    path("", authoring.playlist_detail, name="playlist_detail"),
    path("edit/", authoring.playlist_edit, name="playlist_edit"),
    path("items/", authoring.playlist_item_add, name="playlist_item_add"),
    path("boards/", authoring.board_create, name="board_create"),
    path("boards/<int:board_id>/", authoring.board_update, name="board_update"),
    path("boards/<int:board_id>/delete/", authoring.board_delete, name="board_delete"),
    path("assign/", authoring.playlist_assign, name="playlist_assign"),
    path("placements/<int:placement_id>/", authoring.placement_update, name="placement_update"),
    path("placements/<int:placement_id>/move/", authoring.placement_move, name="placement_move"),
    path("placements/<int:placement_id>/remove/", authoring.placement_remove, name="placement_remove"),
]

# A project: its milestones, rubric dimensions, submissions and scores.
project = [
    path("", projects.project_detail, name="project_detail"),
    path("milestones/", projects.milestone_add, name="milestone_add"),
    path("dimensions/", projects.dimension_add, name="dimension_add"),
    path("milestones/<int:milestone_id>/submit/", projects.milestone_submit, name="milestone_submit"),
    path("students/<int:project_student_id>/score/", projects.project_score, name="project_score"),
]

urlpatterns = [
    path("my-work/<int:playlist_id>/", student.student_playlist, name="student_playlist"),
    path("my-work/<int:playlist_id>/items/<int:item_id>/", include(my_item)),
    path("frameworks/", frameworks.framework_list, name="framework_list"),
    path("frameworks/import/", frameworks.framework_import_view, name="framework_import"),
    path("frameworks/<int:framework_id>/", frameworks.framework_detail, name="framework_detail"),
    path("frameworks/<int:framework_id>/competencies/<int:competency_id>/", include(competency)),
    path("items/", authoring.item_list, name="item_list"),
    path("items/new/", authoring.item_create, name="item_create"),
    path("items/preview/", authoring.item_preview, name="item_preview"),
    path("items/<int:item_id>/edit/", authoring.item_edit, name="item_edit"),
    path("", authoring.playlist_list, name="playlist_list"),
    path("new/", authoring.playlist_create, name="playlist_create"),
    path("<int:playlist_id>/", include(playlist)),
    path("projects/", projects.project_list, name="project_list"),
    path("projects/new/", projects.project_create, name="project_create"),
    path("projects/<int:project_id>/", include(project)),
]
