from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Safer administration"
admin.site.site_title = "Safer"
admin.site.index_title = "Records"

urlpatterns = [
    path("", include("safer.core.urls")),
    path("accounts/", include("safer.accounts.urls")),
    path("agreement/", include("safer.strategy.urls")),
    path("partnership/", include("safer.partnership.urls")),
    path("performance/", include("safer.strategy.performance_urls")),
    path("incidents/", include("safer.incidents.urls")),
    path("safeguarding/", include("safer.safeguarding.urls")),
    path("crime/", include("safer.crimedata.urls")),
    path("reports/", include("safer.reports.urls")),
    path("api/v1/", include("safer.api_urls")),
    path("admin/", admin.site.urls),
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=static("safer/favicon.svg"), permanent=True)),
    ),
]
