from __future__ import annotations

from django.urls import path

from safer.safeguarding import views

app_name = "safeguarding"
urlpatterns = [
    path("", views.conference_list, name="conference-list"),
    path("assessments/new/", views.assessment_create, name="assessment-create"),
    path("assessments/", views.review_list, name="review-list"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("referrals/new/", views.referral_create, name="referral-create"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral-detail"),
    path("conferences/new/", views.conference_create, name="conference-create"),
    path("conferences/<int:pk>/", views.conference_detail, name="conference-detail"),
    path("conferences/<int:pk>/agenda/", views.conference_export, name="conference-export"),
    path("figures/", views.panel_figures, name="panel-figures"),
    path("figures/data-return.csv", views.data_return, name="data-return"),
    path("actions/", views.action_list, name="action-list"),
    path("actions/completion/", views.action_completion, name="action-completion"),
    path("cse/", views.cse_list, name="cse-list"),
    path("cse/new/", views.cse_create, name="cse-create"),
    path("cse/counts/", views.cse_counts, name="cse-counts"),
    path("cse/<int:pk>/", views.cse_detail, name="cse-detail"),
]
