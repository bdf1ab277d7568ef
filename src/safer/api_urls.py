"""The REST API, version 1 (`/api/v1/`): every app's endpoints, the OpenAPI schema and its
docs page. DRF authenticates each request itself (a token or a verified session), so the
endpoints are exempt from the sign-in redirect and answer 401 instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from safer.accounts.personal_data import personal_data_view
from safer.incidents import api as incidents


def _api(view: Callable[..., Any]) -> Callable[..., Any]:
    return login_not_required(view)


app_name = "api"
urlpatterns = [
    path(
        "incidents/",
        _api(personal_data_view(kind="api")(incidents.IncidentListCreate.as_view())),
        name="incident-list",
    ),
    path(
        "incidents/<int:pk>/",
        _api(personal_data_view(kind="api", record="incident")(incidents.IncidentDetail.as_view())),
        name="incident-detail",
    ),
    path(
        "people/<int:pk>/",
        _api(personal_data_view(kind="api", record="person")(incidents.PersonDetail.as_view())),
        name="person-detail",
    ),
    # The schema describes the API, not anyone's records: it is public, like the source code.
    path("schema/", _api(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", _api(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
]
