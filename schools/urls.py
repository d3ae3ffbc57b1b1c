from django.urls import path

from schools import views

app_name = "schools"

urlpatterns = [
    path("", views.school_picker, name="picker"),
    path("s/<slug:school_slug>/", views.school_home, name="home"),
    path("s/<slug:school_slug>/sections/", views.section_list, name="section_list"),
    path(
        "s/<slug:school_slug>/sections/<int:section_id>/",
        views.section_detail,
        name="section_detail",
    ),
]
