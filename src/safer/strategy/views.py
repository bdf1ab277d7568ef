from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from safer.strategy.forms import LinkedPlanFilterForm
from safer.strategy.models import Agreement, LinkedPlan, TargetArea, Theme
from safer.strategy.pyramid import pyramid_layout


def _themes_with_plan(agreement: Agreement) -> list[Theme]:
    return list(
        agreement.themes.order_by("number").prefetch_related(
            Prefetch("target_areas", queryset=TargetArea.objects.order_by("number"))
        )
    )


def agreement_overview(request: HttpRequest) -> HttpResponse:
    agreement = Agreement.objects.current()
    themes = _themes_with_plan(agreement)
    target_areas = list(
        agreement.target_areas.order_by("number").prefetch_related("items", "themes")
    )
    matrix = {ta.pk: [t.pk for t in ta.themes.all()] for ta in target_areas}
    rows = [
        (theme, [ta.pk in {t.pk for t in theme.target_areas.all()} for ta in target_areas])
        for theme in themes
    ]
    plan = agreement.first_plan
    return render(
        request,
        "strategy/agreement_overview.html",
        {
            "agreement": agreement,
            "plan": plan,
            "themes": themes,
            "target_areas": target_areas,
            "matrix_rows": rows,
            "pyramid": pyramid_layout(themes, matrix),
            "commitments": agreement.performance_commitments.all(),
            "counts": {
                "focus_areas": plan.focus_areas.count() if plan else 0,
                "actions": plan.actions.count() if plan else 0,
                "measures": plan.measures.count() if plan else 0,
                "linked_plans": agreement.linked_plans.count(),
            },
        },
    )


def agreement_text(request: HttpRequest) -> HttpResponse:
    agreement = Agreement.objects.current()
    return render(
        request,
        "strategy/agreement_text.html",
        {
            "agreement": agreement,
            "sections": agreement.sections.prefetch_related("passages"),
            "commitments": agreement.performance_commitments.all(),
        },
    )


def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = Agreement.objects.current()
    theme = get_object_or_404(agreement.themes, slug=slug)
    plan = agreement.first_plan
    themes = list(agreement.themes.order_by("number"))
    index = themes.index(theme)
    return render(
        request,
        "strategy/theme_detail.html",
        {
            "agreement": agreement,
            "plan": plan,
            "theme": theme,
            "previous_theme": themes[index - 1] if index > 0 else None,
            "next_theme": themes[index + 1] if index + 1 < len(themes) else None,
            "focus_areas": theme.focus_areas.filter(plan=plan),
            "actions": theme.actions.filter(plan=plan),
            "measures": theme.measures.filter(plan=plan),
            "target_areas": theme.target_areas.order_by("number").prefetch_related(
                "items", "themes"
            ),
            "linked_plans": sorted(
                theme.linked_plans.select_related("owner"), key=lambda p: p.title.casefold()
            ),
        },
    )


def linked_plans(request: HttpRequest) -> HttpResponse:
    agreement = Agreement.objects.current()
    form = LinkedPlanFilterForm(request.GET or None, agreement=agreement)
    plans = agreement.linked_plans.select_related("owner").prefetch_related("themes")
    if form.is_valid():
        if organisation := form.cleaned_data["organisation"]:
            plans = plans.filter(owner=organisation)
        if theme := form.cleaned_data["theme"]:
            plans = plans.filter(themes=theme)
        if (year := form.cleaned_data["current_in"]) is not None:
            plans = plans.filter(start_year__lte=year, end_year__gte=year)
    elif form.is_bound:
        plans = LinkedPlan.objects.none()
    results = sorted(plans, key=lambda p: p.title.casefold())
    template = (
        "strategy/partials/linked_plan_rows.html"
        if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")
        else "strategy/linked_plans.html"
    )
    return render(
        request,
        template,
        {
            "agreement": agreement,
            "form": form,
            "plans": results,
            "total": agreement.linked_plans.count(),
        },
    )
