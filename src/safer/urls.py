from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Safer administration"
admin.site.site_title = "Safer"
admin.site.index_title = "Records"

urlpatterns = [
    path("", include("safer.core.urls")),
    path("accounts/", include("safer.accounts.urls")),
    path("agreement/", include("safer.strategy.urls")),
    path("partnership/", include("safer.partnership.urls")),
    path("admin/", admin.site.urls),
]
