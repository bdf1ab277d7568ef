from __future__ import annotations

from django.urls import path

from safer.partnership import views

app_name = "partnership"
urlpatterns = [
    path("board/", views.board_detail, name="board"),
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path("areas/", views.area_list, name="area-list"),
]
