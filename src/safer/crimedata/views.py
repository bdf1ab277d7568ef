from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from safer.accounts.models import User
from safer.accounts.permissions import has_permission
from safer.core.periods import FinancialYear
from safer.crimedata import aggregates as agg
from safer.crimedata.actions import (
    IMPORT_PERMISSION,
    do_request_police_upload,
    police_upload_limit,
)
from safer.crimedata.charts import bar_chart, line_chart, point_map
from safer.crimedata.enums import ImportStatus
from safer.crimedata.filters import FilterError, build_filter
from safer.crimedata.forms import PictureFilterForm, UploadForm
from safer.crimedata.models import PoliceImport, PoliceUpload
from safer.crimedata.picture import CSV_FIELDS, build_picture, default_force, picture_rows


def picture(request: HttpRequest) -> HttpResponse:
    months = [f"{m:%Y-%m}" for m in agg.loaded_months()]
    data = request.GET.copy()
    if not data.get("force"):
        data["force"] = default_force() or ""
    form = PictureFilterForm(data, months=months)
    picture = None
    if form.is_valid():
        try:
            crime_filter = build_filter(
                force=form.cleaned_data["force"] or None,
                area=form.cleaned_data["area"] or None,
                start=form.cleaned_data["start"] or None,
                end=form.cleaned_data["end"] or None,
                crime_type=form.cleaned_data["crime"] or None,
            )
        except FilterError as exc:
            form.add_error(None, str(exc))
        else:
            picture = build_picture(crime_filter)
    if picture is not None and request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="crime-picture.csv"'
        writer = csv.DictWriter(response, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(picture_rows(picture))
        return response
    context: dict[str, object] = {
        "form": form,
        "picture": picture,
        "can_import": has_permission(request.user, IMPORT_PERMISSION),
    }
    if picture is not None and picture.months:
        context["trend_chart"] = line_chart(picture.months, picture.trend)
        chosen = picture.crime_filter.area.name if picture.crime_filter.area else None
        context["area_chart"] = bar_chart(
            [
                (
                    f"{row['label']} (chosen)" if row["label"] == chosen else row["label"],
                    row["rate"] if row["rate"] is not None else None,
                    f"{row['rate']} per 1,000" if row["rate"] is not None else f"{row['count']:,}",
                )
                for row in picture.areas
            ]
        )
        context["type_chart"] = bar_chart(
            [(row["label"], row["count"], f"{row['count']:,}") for row in picture.types]
        )
        context["map"] = point_map(picture.points)
        loaded = set(picture.loaded)
        context["trend_rows"] = [
            {
                "month": month,
                "missing": month not in loaded,
                "values": [values.get(month, 0) for _, values in picture.trend],
            }
            for month in picture.months
        ]
        for row in picture.types:
            row["changes"] = [
                row["month_on_month"],
                row["quarter_on_quarter"],
                row["year_on_year"],
            ]
        query = request.GET.copy()
        query["format"] = "csv"
        context["csv_url"] = f"{request.path}?{query.urlencode()}"
        context["selected_area"] = (
            picture.crime_filter.area.name if picture.crime_filter.area else None
        )
        context["peer_group"] = peer_group(
            picture.areas, context["selected_area"], form.cleaned_data.get("peers") or []
        )
    return render(request, "crimedata/picture.html", context)


def peer_group(
    areas: list[dict[str, Any]], chosen: object, peers: list[str]
) -> dict[str, Any] | None:
    """The chosen area's rate beside its peer group's: each peer and the group's mean rate."""
    if not chosen or not peers:
        return None
    by_label = {row["label"]: row for row in areas}
    members = [by_label[name] for name in peers if name in by_label and name != chosen]
    rates = [row["rate"] for row in members if row["rate"] is not None]
    if chosen not in by_label or not rates:
        return None
    mean = (sum(rates) / len(rates)).quantize(Decimal("0.01"))
    own = by_label[chosen]["rate"]
    return {
        "area": by_label[chosen],
        "members": members,
        "mean": mean,
        "difference": None if own is None else own - mean,
    }


def _importer(request: HttpRequest) -> User:
    """The signed-in user, if they may import police data; 403 otherwise (as the page always
    has: police.uk data is open, so an upload's existence is no secret)."""
    user = request.user
    if not isinstance(user, User) or not has_permission(user, IMPORT_PERMISSION):
        raise PermissionDenied("Only analysts and administrators import police data.")
    return user


def upload(request: HttpRequest) -> HttpResponse:
    """Upload a police.uk CSV or zip: it is kept and imported in the background."""
    user = _importer(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        record = do_request_police_upload(form.cleaned_data["file"], acting_user=user)
        if request.headers.get("HX-Request"):
            response = HttpResponse()
            response["HX-Redirect"] = record.get_absolute_url()
            return response
        return redirect(record)
    return render(
        request,
        "crimedata/upload.html",
        {
            "form": form,
            "limit": police_upload_limit(),
            "uploads": PoliceUpload.objects.select_related("uploaded_by")[:10],
            "imports": PoliceImport.objects.select_related("force", "imported_by")[:30],
        },
    )


def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An upload: its progress while it runs, then each file's result."""
    _importer(request)
    record = get_object_or_404(PoliceUpload.objects.select_related("uploaded_by"), pk=pk)
    return render(
        request,
        "crimedata/upload_detail.html",
        {"record": record, **_results(record)},
    )


def upload_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, which htmx polls every second; once the import has finished it
    reloads the page, which shows each file's result."""
    _importer(request)
    record = get_object_or_404(PoliceUpload, pk=pk)
    response = render(request, "crimedata/partials/upload_progress.html", {"record": record})
    if record.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


def _results(record: PoliceUpload) -> dict[str, Any]:
    results = list(record.imports.select_related("force").order_by("pk"))
    status = Counter(str(r.status) for r in results)
    return {
        "results": results,
        "rows_loaded": sum(r.rows_loaded for r in results),
        "files_loaded": status[ImportStatus.LOADED] + status[ImportStatus.REPLACED],
        "files_unchanged": status[ImportStatus.UNCHANGED],
        "files_refused": status[ImportStatus.REFUSED],
    }


def assessment(request: HttpRequest) -> HttpResponse:
    """The strategic assessment: this financial year against the last, by priority and area."""
    force = request.GET.get("force") or default_force()
    loaded = agg.loaded_months(force)
    years = sorted({FinancialYear.containing(m) for m in loaded}, reverse=True)
    chosen = request.GET.get("year")
    year = next((y for y in years if y.label == chosen), years[0] if years else None)
    months, rows = agg.strategic_assessment(force, year) if year else ([], [])
    return render(
        request,
        "crimedata/assessment.html",
        {
            "force": force,
            "years": years,
            "year": year,
            "months": months,
            "rows": rows,
            "groups": [g.label for g in agg.PRIORITY_GROUPS] + ["All crime and ASB"],
        },
    )
