from __future__ import annotations

from django.db.models import Count, Prefetch, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from safer.partnership.enums import OrganisationKind
from safer.partnership.models import CspArea, Organisation
from safer.strategy.models import Agreement, LinkedPlan


def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.annotate(plan_count=Count("plans")).order_by("name")
    groups = [
        (kind.label, [org for org in organisations if org.kind == kind])
        for kind in OrganisationKind
    ]
    return render(
        request,
        "partnership/organisation_list.html",
        {"groups": groups, "total": len(organisations)},
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    areas = (
        CspArea.objects.filter(council=organisation)
        | CspArea.objects.filter(partnership=organisation)
        | CspArea.objects.filter(local_authority=organisation)
    )
    return render(
        request,
        "partnership/organisation_detail.html",
        {
            "organisation": organisation,
            "areas": areas.distinct().order_by("name"),
            "plans": organisation.plans.prefetch_related("themes").order_by("title"),
            "members": organisation.users.filter(is_active=True).order_by("last_name"),
        },
    )


def area_list(request: HttpRequest) -> HttpResponse:
    areas = CspArea.objects.select_related("local_authority", "council", "partnership")
    areas = areas.order_by("kind", "name").prefetch_related(
        Prefetch("partnership__plans", queryset=LinkedPlan.objects.order_by("title"))
    )
    shared = {
        row["partnership"]
        for row in CspArea.objects.values("partnership").annotate(n=Count("pk")).filter(n__gt=1)
    }
    return render(
        request,
        "partnership/area_list.html",
        {
            "areas": sorted(areas, key=lambda a: (a.kind != "unitary", a.name)),
            "shared_partnerships": shared,
            "population": areas.aggregate(total=Sum("population"))["total"],
            "local_authorities": Organisation.objects.filter(areas_as_local_authority__isnull=False)
            .distinct()
            .order_by("name"),
        },
    )


def board_detail(request: HttpRequest) -> HttpResponse:
    agreement = Agreement.objects.current()
    board = agreement.board
    return render(
        request,
        "partnership/board_detail.html",
        {
            "agreement": agreement,
            "board": board,
            "facts": board.profile_facts.all(),
            "commitments": agreement.performance_commitments.all(),
            "statutory": Organisation.objects.filter(kind=OrganisationKind.STATUTORY)
            .exclude(pk=board.organisation_id)
            .order_by("name"),
            "non_statutory": Organisation.objects.filter(
                kind=OrganisationKind.NON_STATUTORY
            ).order_by("name"),
        },
    )
