"""Pages of the workshops app, under /s/<school_slug>/workshops/ (joined in plp/urls.py). The calendar
feed has no school in its address: plp/urls.py serves it at /calendar/<token>.ics."""

from django.urls import path

from workshops import views

app_name = "workshops"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:workshop_id>/", views.detail, name="detail"),
    path("<int:workshop_id>/signup/", views.signup, name="signup"),
    path("<int:workshop_id>/leave/", views.leave, name="leave"),
    path("<int:workshop_id>/attendance/", views.attendance, name="attendance"),
    path("<int:workshop_id>/cancel/", views.cancel, name="cancel"),
    path("blocks/", views.blocks, name="blocks"),
    path("blocks/<int:block_id>/", views.block_edit, name="block_edit"),
    path("blocks/<int:block_id>/delete/", views.block_delete, name="block_delete"),
    path("week/", views.week, name="week"),
    path("week/students/<int:student_id>/", views.student_week, name="student_week"),
    path("week/calendar/new/", views.feed_new, name="feed_new"),
    path("week/calendar/revoke/", views.feed_revoke, name="feed_revoke"),
]
