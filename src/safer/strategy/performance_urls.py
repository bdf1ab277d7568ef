from __future__ import annotations

from django.urls import path

from safer.strategy import performance_views as views

app_name = "performance"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("my-updates/", views.my_updates, name="my-updates"),
    path("measures/<int:pk>/", views.measure_detail, name="measure-detail"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure-edit"),
    path("measures/<int:pk>/targets/", views.target_set, name="target-set"),
    path("measures/<int:pk>/<str:code>/", views.measure_update, name="measure-update"),
    path("actions/<int:pk>/", views.action_plan, name="action-plan"),
    path("actions/<int:pk>/<str:code>/", views.action_update, name="action-update"),
    path("values/<int:pk>/correct/", views.value_correct, name="value-correct"),
    path("review/", views.review, name="review"),
    path("review/<str:kind>/<int:pk>/", views.review_decision, name="review-decision"),
    path("reminders/", views.reminders, name="reminders"),
    path("periods/", views.periods, name="periods"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:year>/", views.plan_changes, name="plan-changes"),
    path("plans/<int:year>/add/", views.plan_item_add, name="plan-item-add"),
    path("plans/<int:year>/approve/", views.plan_approve, name="plan-approve"),
    path("plans/lines/<str:kind>/<int:pk>/", views.plan_item_change, name="plan-item-change"),
]
