from __future__ import annotations

from django.urls import path

from safer.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="incident-list"),
    path("new/", views.incident_create, name="incident-create"),
    path("counts/", views.incident_counts_page, name="counts"),
    path("repeat-victims/", views.repeat_victims, name="repeat-victims"),
    path("<int:pk>/", views.incident_detail, name="incident-detail"),
    path("<int:pk>/share/", views.incident_share, name="incident-share"),
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/export.csv", views.person_export, name="person-export"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/share/", views.person_share, name="person-share"),
    path("people/<int:pk>/timeline/", views.person_timeline, name="person-timeline"),
    path("matches/", views.match_list, name="match-list"),
    path("matches/<int:pk>/", views.match_decision, name="match-decision"),
    path("api/people/<int:pk>/", views.person_api, name="person-api"),
]
