"""Pages of the playlists app, under /s/<school_slug>/playlists/ (joined in plp/urls.py)."""

from django.urls import path

from playlists import project_views, views

app_name = "playlists"

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("my-work/<int:playlist_id>/", views.student_playlist, name="student_playlist"),
    path("my-work/<int:playlist_id>/items/<int:item_id>/", views.student_item, name="student_item"),
    path("my-work/<int:playlist_id>/items/<int:item_id>/done/", views.item_done, name="item_done"),
    path(
        "my-work/<int:playlist_id>/items/<int:item_id>/file/", views.item_file_submit, name="item_file_submit"
    ),
    path("frameworks/", views.framework_list, name="framework_list"),
    path("frameworks/import/", views.framework_import_view, name="framework_import"),
    path("frameworks/<int:framework_id>/", views.framework_detail, name="framework_detail"),
    path(
        "frameworks/<int:framework_id>/competencies/<int:competency_id>/",
        views.competency_detail,
        name="competency_detail",
    ),
    path(
        "frameworks/<int:framework_id>/competencies/<int:competency_id>/prerequisites/",
        views.prerequisite_add,
        name="prerequisite_add",
    ),
    path(
        "frameworks/<int:framework_id>/competencies/<int:competency_id>/prerequisites/<int:prerequisite_id>/"
        "remove/",
        views.prerequisite_remove,
        name="prerequisite_remove",
    ),
    path("items/", views.item_list, name="item_list"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/preview/", views.item_preview, name="item_preview"),
    path("items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("", views.playlist_list, name="playlist_list"),
    path("import/cartridge/", views.cartridge_import_view, name="cartridge_import"),
    path("new/", views.playlist_create, name="playlist_create"),
    path("<int:playlist_id>/", views.playlist_detail, name="playlist_detail"),
    path("<int:playlist_id>/edit/", views.playlist_edit, name="playlist_edit"),
    path("<int:playlist_id>/items/", views.playlist_item_add, name="playlist_item_add"),
    path("<int:playlist_id>/boards/", views.board_create, name="board_create"),
    path("<int:playlist_id>/boards/<int:board_id>/", views.board_update, name="board_update"),
    path("<int:playlist_id>/boards/<int:board_id>/delete/", views.board_delete, name="board_delete"),
    path("<int:playlist_id>/assign/", views.playlist_assign, name="playlist_assign"),
    path("<int:playlist_id>/placements/<int:placement_id>/", views.placement_update, name="placement_update"),
    path(
        "<int:playlist_id>/placements/<int:placement_id>/move/", views.placement_move, name="placement_move"
    ),
    path(
        "<int:playlist_id>/placements/<int:placement_id>/remove/",
        views.placement_remove,
        name="placement_remove",
    ),
    path("projects/", project_views.project_list, name="project_list"),
    path("projects/new/", project_views.project_create, name="project_create"),
    path("projects/<int:project_id>/", project_views.project_detail, name="project_detail"),
    path("projects/<int:project_id>/milestones/", project_views.milestone_add, name="milestone_add"),
    path("projects/<int:project_id>/dimensions/", project_views.dimension_add, name="dimension_add"),
    path(
        "projects/<int:project_id>/milestones/<int:milestone_id>/submit/",
        project_views.milestone_submit,
        name="milestone_submit",
    ),
    path(
        "projects/<int:project_id>/students/<int:project_student_id>/score/",
        project_views.project_score,
        name="project_score",
    ),
]
