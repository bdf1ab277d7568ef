from __future__ import annotations

from django.urls import path

from safer.strategy import views

app_name = "strategy"
urlpatterns = [
    path("", views.agreement_overview, name="agreement"),
    path("text/", views.agreement_text, name="agreement-text"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme-detail"),
    path("linked-plans/", views.linked_plans, name="linked-plans"),
]
