from __future__ import annotations

from django.urls import path

from safer.crimedata import views

app_name = "crimedata"
urlpatterns = [
    path("", views.picture, name="picture"),
    path("import/", views.upload, name="upload"),
    path("import/<int:pk>/", views.upload_detail, name="upload-detail"),
    path("import/<int:pk>/progress/", views.upload_progress, name="upload-progress"),
    path("assessment/", views.assessment, name="assessment"),
]
