from __future__ import annotations

from django.urls import path

from safer.crimedata import views

app_name = "crimedata"
urlpatterns = [
    path("", views.picture, name="picture"),
    path("import/", views.upload, name="upload"),
    path("assessment/", views.assessment, name="assessment"),
]
