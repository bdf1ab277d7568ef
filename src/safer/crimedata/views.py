from __future__ import annotations

import csv
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safer.accounts.permissions import Permission, has_permission
from safer.core.periods import FinancialYear
from safer.crimedata import aggregates as agg
from safer.crimedata.actions import do_import_police_file, lsoa_areas
from safer.crimedata.charts import bar_chart, line_chart, point_map
from safer.crimedata.enums import ImportStatus
from safer.crimedata.filters import FilterError, build_filter
from safer.crimedata.forms import PictureFilterForm, UploadForm
from safer.crimedata.importers.sources import SourceError, sources_for
from safer.crimedata.models import PoliceImport
from safer.crimedata.picture import CSV_FIELDS, build_picture, default_force, picture_rows

# Importing police data changes what every page shows: the people who manage the agreement's
# data (analysts, administrators) may do it.
IMPORT_PERMISSION = Permission.IMPORT_DATA


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


def upload(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user, IMPORT_PERMISSION):
        raise PermissionDenied("Only analysts and administrators import police data.")
    form = UploadForm(request.POST or None, request.FILES or None)
    results: list[PoliceImport] = []
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        name = Path(uploaded.name).name
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            with path.open("wb") as out:
                for chunk in uploaded.chunks():
                    out.write(chunk)
            try:
                sources = list(sources_for(path, name))
            except SourceError as exc:
                form.add_error("file", str(exc))
                sources = []
            areas = lsoa_areas()
            user = request.user if request.user.is_authenticated else None
            for source in sources:
                results.append(do_import_police_file(source, acting_user=user, areas=areas))
        if results and all(r.status != ImportStatus.REFUSED for r in results):
            loaded = sum(r.rows_loaded for r in results)
            messages.success(request, f"Imported {len(results)} file(s): {loaded:,} rows loaded.")
            if not request.headers.get("HX-Request"):
                return redirect(reverse("crimedata:upload"))
    template = (
        "crimedata/partials/upload_result.html"
        if request.headers.get("HX-Request")
        else ("crimedata/upload.html")
    )
    return render(
        request,
        template,
        {
            "form": form,
            "results": results,
            "imports": PoliceImport.objects.select_related("force", "imported_by")[:30],
        },
    )


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
