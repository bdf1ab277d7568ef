from __future__ import annotations

from django.urls import path

from safer.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.pack_list, name="list"),
    path("<int:pk>/", views.pack_detail, name="detail"),
    path("<int:pk>/progress/", views.pack_progress, name="progress"),
    path("<int:pk>/view/", views.pack_view, name="view"),
    path("<int:pk>/publish/", views.pack_publish, name="publish"),
    path("<int:pk>/file/<str:fmt>/", views.pack_download, name="download"),
    path("public/", views.public_report, name="public"),
    path("public/<str:name>", views.public_file, name="public-file"),
]
