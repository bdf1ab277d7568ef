from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from safer.strategy.models import Agreement


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """The public landing page: what Safer is and whose agreement it holds."""
    agreement = (
        Agreement.objects.select_related("board__organisation").order_by("-start_year").first()
    )
    themes = agreement.themes.order_by("number") if agreement else []
    return render(request, "core/home.html", {"agreement": agreement, "themes": themes})


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For a load balancer: 200 when this process can reach the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
