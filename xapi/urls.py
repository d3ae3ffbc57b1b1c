from django.urls import path

from xapi import views

app_name = "xapi"

urlpatterns = [
    path("", views.xapi_settings, name="settings"),
]
