"""Pages of the quarterly performance cycle: dashboard, my updates, review, periods, refresh."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from safer.accounts.models import User
from safer.accounts.permissions import Permission, has_permission, require_permission
from safer.core.periods import Quarter, sentence
from safer.partnership.models import CspArea
from safer.strategy import actions
from safer.strategy.enums import MeasureSourceKind, PlanChangeKind, UpdateStatus
from safer.strategy.models import (
    Action,
    ActionUpdate,
    Agreement,
    ChangeRecord,
    DeliveryPlan,
    FocusArea,
    Measure,
    MeasureValue,
    ReportingPeriod,
)
from safer.strategy.performance_forms import (
    ActionPlanForm,
    ActionUpdateForm,
    CorrectionForm,
    MeasureDefinitionForm,
    MeasureValueForm,
    OpenPeriodForm,
    PlanItemAddForm,
    PlanItemChangeForm,
    RefreshForm,
    ReturnForm,
    TargetForm,
)
from safer.strategy.rag import is_overdue, rag_for_action
from safer.strategy.reminders import missing_updates
from safer.strategy.responsibility import lines_for, may_update
from safer.strategy.status import default_quarter, off_track, plan_for, theme_summaries


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # LoginRequiredMiddleware has run: this is a signed-in user
        raise PermissionDenied
    return user


def _require(request: HttpRequest, permission: Permission) -> User:
    user = _user(request)
    require_permission(user, permission)
    return user


def _apply(form: Form, error: ValidationError) -> None:
    """Show an action's refusal on the form, on the field it names where the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for message in errors:
                form.add_error(
                    field if field in form.fields else None,
                    message.message % (message.params or {}),
                )
    else:
        for text in error.messages:
            form.add_error(None, text)


def _period(agreement: Agreement, code: str) -> ReportingPeriod:
    try:
        quarter = Quarter.parse(code)
    except ValueError:
        raise Http404(f"No reporting period {code!r}") from None
    return get_object_or_404(
        ReportingPeriod, agreement=agreement, start_year=quarter.start_year, quarter=quarter.number
    )


def dashboard(request: HttpRequest) -> HttpResponse:
    agreement = Agreement.objects.current()
    today = timezone.localdate()
    quarter = default_quarter(agreement, today)
    errors = []
    if code := request.GET.get("quarter"):
        try:
            quarter = Quarter.parse(code)
        except ValueError as exc:
            errors.append(("quarter", sentence(str(exc))))
    area = None
    if ons_code := request.GET.get("area"):
        area = CspArea.objects.filter(ons_code=ons_code).first()
        if area is None:
            errors.append(("area", f"There is no area with the code {ons_code!r}"))
    themes = list(agreement.themes.order_by("number").select_related("lead"))
    shown = themes
    if slug := request.GET.get("theme"):
        shown = [t for t in themes if t.slug == slug]
        if not shown:
            errors.append(("theme", f"There is no theme {slug!r}"))
            shown = themes
    elif request.GET.get("mine") and (led := [t for t in themes if t.lead_id == request.user.pk]):
        shown = led
    summaries = theme_summaries(agreement, quarter, today=today, area=area, themes=shown)
    periods = list(agreement.reporting_periods.order_by("start_year", "quarter"))
    return render(
        request,
        "performance/dashboard.html",
        {
            "agreement": agreement,
            "quarter": quarter,
            "plan": plan_for(agreement, quarter),
            "summaries": summaries,
            "off_track": off_track(summaries),
            "themes": themes,
            "selected_theme": shown[0] if len(shown) == 1 else None,
            "areas": CspArea.objects.order_by("name"),
            "area": area,
            "periods": periods,
            "errors": errors,
            "has_demo": MeasureValue.objects.filter(is_demo=True).exists(),
            "leads_a_theme": any(t.lead_id == request.user.pk for t in themes),
        },
    )


def my_updates(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    agreement = Agreement.objects.current()
    periods = list(
        agreement.reporting_periods.filter(status="open").order_by("start_year", "quarter")
    )
    rows = []
    for period in periods:
        plan_filter = {"plan": plan_for(agreement, period.period)}
        measures = lines_for(user, Measure).filter(**plan_filter, source=MeasureSourceKind.ENTERED)
        actions_ = lines_for(user, Action).filter(**plan_filter)
        values = {
            v.measure_id: v
            for v in MeasureValue.objects.filter(period=period, area=None, measure__in=measures)
        }
        updates = {
            u.action_id: u for u in ActionUpdate.objects.filter(period=period, action__in=actions_)
        }
        rows.append(
            {
                "period": period,
                "measures": [(m, values.get(m.pk)) for m in measures.select_related("theme")],
                "actions": [(a, updates.get(a.pk)) for a in actions_.select_related("theme")],
            }
        )
    return render(
        request,
        "performance/my_updates.html",
        {
            "agreement": agreement,
            "rows": rows,
            "can_submit": has_permission(user, Permission.SUBMIT_PERFORMANCE),
        },
    )


def measure_update(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    user = _user(request)
    measure = get_object_or_404(Measure.objects.select_related("theme", "plan"), pk=pk)
    period = _period(measure.plan.agreement, code)
    if not may_update(user, measure):
        raise PermissionDenied(
            "Only the theme lead, the line's named lead or an analyst may update this."
        )
    existing = MeasureValue.objects.filter(measure=measure, period=period, area=None).first()
    initial = (
        {
            "value": existing.value,
            "milestone_status": existing.milestone_status,
            "comment": existing.comment,
            "evidence_url": existing.evidence_url,
        }
        if existing
        else {}
    )
    form = MeasureValueForm(
        request.POST or None, request.FILES or None, measure=measure, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_save_measure_value(
                measure,
                period,
                value=data.get("value"),
                milestone_status=data.get("milestone_status", ""),
                comment=data["comment"],
                evidence_file=data["evidence_file"],
                evidence_url=data["evidence_url"],
                submit="submit" in request.POST,
                acting_user=user,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            verb = "submitted for review" if "submit" in request.POST else "saved as a draft"
            messages.success(request, f"Your {period} value is {verb}.")
            return redirect("performance:my-updates")
    return render(
        request,
        "performance/measure_update.html",
        {"measure": measure, "period": period, "form": form, "existing": existing},
    )


def action_update(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    user = _user(request)
    action = get_object_or_404(Action.objects.select_related("theme", "plan"), pk=pk)
    period = _period(action.plan.agreement, code)
    if not may_update(user, action):
        raise PermissionDenied(
            "Only the theme lead, the line's named lead or an analyst may update this."
        )
    existing = ActionUpdate.objects.filter(action=action, period=period).first()
    initial = (
        {"action_status": existing.action_status, "progress_note": existing.progress_note}
        if existing
        else {"action_status": action.status}
    )
    form = ActionUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_action_update(
                action,
                period,
                action_status=form.cleaned_data["action_status"],
                progress_note=form.cleaned_data["progress_note"],
                submit="submit" in request.POST,
                acting_user=user,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            verb = "submitted for review" if "submit" in request.POST else "saved as a draft"
            messages.success(request, f"Your {period} progress note is {verb}.")
            return redirect("performance:my-updates")
    return render(
        request,
        "performance/action_update.html",
        {"action": action, "period": period, "form": form, "existing": existing},
    )


def review(request: HttpRequest) -> HttpResponse:
    _require(request, Permission.REVIEW_PERFORMANCE)
    values = MeasureValue.objects.filter(status=UpdateStatus.SUBMITTED).select_related(
        "measure__theme", "period", "submitted_by", "area"
    )
    updates = ActionUpdate.objects.filter(status=UpdateStatus.SUBMITTED).select_related(
        "action__theme", "period", "submitted_by"
    )
    return render(request, "performance/review.html", {"values": values, "updates": updates})


def _update_for(kind: str, pk: int) -> MeasureValue | ActionUpdate:
    if kind == "value":
        return get_object_or_404(
            MeasureValue.objects.select_related("measure__theme", "period"), pk=pk
        )
    if kind == "action":
        return get_object_or_404(
            ActionUpdate.objects.select_related("action__theme", "period"), pk=pk
        )
    raise Http404("No such kind of update")


@require_POST
def review_decision(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Approve or return one update; htmx swaps just its row."""
    user = _require(request, Permission.REVIEW_PERFORMANCE)
    update = _update_for(kind, pk)
    form = ReturnForm(request.POST if request.POST.get("decision") == "return" else None)
    error: str | None = None
    try:
        if request.POST.get("decision") == "approve":
            actions.do_approve_update(update, acting_user=user)
        elif request.POST.get("decision") == "return":
            if form.is_valid():
                actions.do_return_update(
                    update, comment=form.cleaned_data["comment"], acting_user=user
                )
            else:
                error = str(form.errors["comment"][0])
        else:
            error = "Choose to approve or to return the update"
    except ValidationError as exc:
        error = str(exc.messages[0])
    template = "performance/partials/review_row.html"
    context = {
        "update": update,
        "kind": kind,
        "error": error,
        "comment": request.POST.get("comment", ""),
    }
    if request.headers.get("HX-Request"):
        return render(request, template, context, status=422 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"{update.get_status_display()}: {update}")
    return redirect("performance:review")


def reminders(request: HttpRequest) -> HttpResponse:
    user = _require(request, Permission.REVIEW_PERFORMANCE)
    agreement = Agreement.objects.current()
    periods = agreement.reporting_periods.filter(status="open").order_by("start_year", "quarter")
    if request.method == "POST":
        period = get_object_or_404(periods, pk=request.POST.get("period"))
        sent = actions.do_send_reminders(period, acting_user=user)
        messages.success(
            request, f"Reminders e-mailed to {sent} {'person' if sent == 1 else 'people'}."
        )
        return redirect("performance:reminders")
    return render(
        request,
        "performance/reminders.html",
        {
            "periods": [
                (p, sorted(missing_updates(p).items(), key=lambda i: str(i[0]))) for p in periods
            ],
            "today": timezone.localdate(),
        },
    )


def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    measure = get_object_or_404(
        Measure.objects.select_related("theme", "plan", "lead", "lead_organisation"), pk=pk
    )
    agreement = measure.plan.agreement
    today = timezone.localdate()
    quarter = default_quarter(agreement, today)
    summary = theme_summaries(agreement, quarter, today=today, themes=[measure.theme])[0]
    status = next((s for s in summary.measures if s.measure.pk == measure.pk), None)
    return render(
        request,
        "performance/measure_detail.html",
        {
            "measure": measure,
            "status": status,
            "quarter": quarter,
            "values": measure.values.select_related(
                "period", "area", "submitted_by", "reviewed_by"
            ).order_by("-period__start_year", "-period__quarter", "area__name"),
            "targets": measure.targets.all(),
            "history": ChangeRecord.objects.filter(
                Q(record_type="strategy.measure", record_id=measure.pk)
                | Q(record_type="strategy.measurevalue", record_id__in=measure.values.values("pk"))
            ).select_related("actor")[:50],
            "can_manage": has_permission(user, Permission.MANAGE_AGREEMENT),
            "can_correct": has_permission(user, Permission.REVIEW_PERFORMANCE),
            "target_form": TargetForm(),
        },
    )


def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _require(request, Permission.MANAGE_AGREEMENT)
    measure = get_object_or_404(Measure.objects.select_related("theme"), pk=pk)
    initial = {
        name: getattr(measure, name)
        for name in MeasureDefinitionForm.base_fields
        if name not in ("lead_organisation", "lead")
    } | {"lead_organisation": measure.lead_organisation_id, "lead": measure.lead_id}
    form = MeasureDefinitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_define_measure(
                measure,
                kind=data["kind"],
                direction=data["direction"],
                unit=data["unit"],
                baseline_value=data["baseline_value"],
                baseline_period=data["baseline_period"],
                tolerance_percent=data["tolerance_percent"],
                source=data["source"],
                source_key=data["source_key"],
                by_area=data["by_area"],
                milestone_due=data["milestone_due"],
                lead_organisation=data["lead_organisation"],
                lead=data["lead"],
                acting_user=user,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "The measure's definition is saved.")
            return redirect("performance:measure-detail", pk=measure.pk)
    return render(request, "performance/measure_edit.html", {"measure": measure, "form": form})


@require_POST
def target_set(request: HttpRequest, pk: int) -> HttpResponse:
    user = _require(request, Permission.MANAGE_AGREEMENT)
    measure = get_object_or_404(Measure, pk=pk)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            actions.do_set_target(
                measure,
                start_year=form.cleaned_data["year"],
                quarter=form.cleaned_data["quarter"],
                value=form.cleaned_data["value"],
                acting_user=user,
            )
        except ValidationError as exc:
            _apply(form, exc)
    if form.errors:
        return render(
            request, "performance/target_form.html", {"measure": measure, "form": form}, status=422
        )
    messages.success(request, "The target is saved.")
    return redirect("performance:measure-detail", pk=measure.pk)


def value_correct(request: HttpRequest, pk: int) -> HttpResponse:
    user = _require(request, Permission.REVIEW_PERFORMANCE)
    update = get_object_or_404(
        MeasureValue.objects.select_related("measure__theme", "period"), pk=pk
    )
    form = CorrectionForm(
        request.POST or None,
        measure=update.measure,
        initial={"value": update.value, "milestone_status": update.milestone_status},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_correct_measure_value(
                update,
                value=form.cleaned_data.get("value"),
                milestone_status=form.cleaned_data.get("milestone_status", ""),
                reason=form.cleaned_data["reason"],
                acting_user=user,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request, f"The {update.period} value is corrected; the reason is on record."
            )
            return redirect("performance:measure-detail", pk=update.measure_id)
    return render(request, "performance/value_correct.html", {"update": update, "form": form})


def action_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """An action's lead, dates, status, RAG and progress notes; analysts change lead and dates."""
    user = _user(request)
    can_manage = has_permission(user, Permission.MANAGE_AGREEMENT)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied("Your role does not allow this (edit measures, targets, actions).")
    action = get_object_or_404(
        Action.objects.select_related("theme", "plan", "lead", "lead_organisation"), pk=pk
    )
    today = timezone.localdate()
    quarter = Quarter.containing(min(today, action.plan.financial_year.end))
    form = ActionPlanForm(
        request.POST or None,
        initial={
            "lead_organisation": action.lead_organisation_id,
            "lead": action.lead_id,
            "start_date": action.start_date,
            "due_date": action.due_date,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_action_plan(action, **form.cleaned_data, acting_user=user)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "The action's lead and dates are saved.")
            return redirect("strategy:theme-detail", slug=action.theme.slug)
    history = ChangeRecord.objects.filter(
        Q(record_type="strategy.action", record_id=action.pk)
        | Q(record_type="strategy.actionupdate", record_id__in=action.updates.values("pk"))
    ).select_related("actor")[:50]
    return render(
        request,
        "performance/action_plan.html",
        {
            "action": action,
            "form": form if can_manage else None,
            "rag": rag_for_action(action.status, action.due_date, quarter.end, today),
            "overdue": is_overdue(action.status, action.due_date, today),
            "history": history,
            "updates": action.updates.select_related("period", "submitted_by"),
        },
    )


def periods(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    agreement = Agreement.objects.current()
    can_manage = has_permission(user, Permission.MANAGE_AGREEMENT)
    form = OpenPeriodForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        _require(request, Permission.MANAGE_AGREEMENT)
        if "close" in request.POST:
            period = get_object_or_404(agreement.reporting_periods, pk=request.POST["close"])
            try:
                actions.do_close_period(period, acting_user=user)
                actions.do_compute_measure_values(period, acting_user=user)
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            else:
                messages.success(
                    request, f"{period} is closed; its values now change only by correction."
                )
            return redirect("performance:periods")
        if form is not None and form.is_valid():
            try:
                period = actions.do_open_period(
                    agreement,
                    form.cleaned_data["quarter"],
                    deadline=form.cleaned_data["deadline"],
                    acting_user=user,
                )
            except ValidationError as exc:
                _apply(form, exc)
            else:
                messages.success(request, f"{period} is open for updates.")
                return redirect("performance:periods")
    return render(
        request,
        "performance/periods.html",
        {
            "periods": agreement.reporting_periods.order_by("-start_year", "-quarter"),
            "form": form,
            "can_manage": can_manage,
        },
    )


def plans(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    agreement = Agreement.objects.current()
    plan_list = list(agreement.delivery_plans.order_by("start_year"))
    latest = plan_list[-1] if plan_list else None
    form = RefreshForm(request.POST or None, agreement=agreement)
    if request.method == "POST":
        _require(request, Permission.REFRESH_PLAN)
        if latest is None:
            raise Http404("No delivery plan to refresh")
        if form.is_valid():
            try:
                new_plan = actions.do_refresh_plan(
                    latest,
                    strategic_assessment=form.cleaned_data["strategic_assessment"],
                    acting_user=user,
                )
            except ValidationError as exc:
                _apply(form, exc)
            else:
                messages.success(
                    request, f"Delivery plan {new_plan.label} is drafted from {latest.label}."
                )
                return redirect("performance:plan-changes", year=new_plan.start_year)
    return render(
        request,
        "performance/plans.html",
        {
            "agreement": agreement,
            "plans": plan_list,
            "latest": latest,
            "form": form,
            "can_refresh": has_permission(user, Permission.REFRESH_PLAN),
        },
    )


def plan_changes(request: HttpRequest, year: int) -> HttpResponse:
    user = _user(request)
    agreement = Agreement.objects.current()
    plan = get_object_or_404(agreement.delivery_plans, start_year=year)
    changes = plan.changes.select_related("theme", "actor", "strategic_assessment")
    by_kind = {kind: [c for c in changes if c.kind == kind] for kind in PlanChangeKind}
    return render(
        request,
        "performance/plan_changes.html",
        {
            "agreement": agreement,
            "plan": plan,
            "by_kind": [(PlanChangeKind(k).label, v) for k, v in by_kind.items() if v],
            "themes": agreement.themes.order_by("number").prefetch_related(
                "focus_areas", "actions", "measures"
            ),
            "lines_by_kind": {
                "focus_area": plan.focus_areas.select_related("theme"),
                "action": plan.actions.select_related("theme"),
                "measure": plan.measures.select_related("theme"),
            },
            "can_edit": plan.status == "draft" and has_permission(user, Permission.REFRESH_PLAN),
            "can_approve": plan.status == "draft" and has_permission(user, Permission.APPROVE_PLAN),
            "add_form": PlanItemAddForm(agreement=agreement),
        },
    )


_ITEM_MODELS: dict[str, Any] = {"focus_area": FocusArea, "action": Action, "measure": Measure}


def plan_item_change(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user = _require(request, Permission.REFRESH_PLAN)
    model = _ITEM_MODELS.get(kind)
    if model is None:
        raise Http404("No such kind of plan line")
    item = get_object_or_404(model.objects.select_related("plan", "theme"), pk=pk)
    form = PlanItemChangeForm(request.POST or None, initial={"text": item.text})
    if request.method == "POST" and form.is_valid():
        try:
            if "remove" in request.POST:
                actions.do_remove_plan_item(
                    item, reason=form.cleaned_data["reason"], acting_user=user
                )
                messages.success(request, "The line is removed; the reason is on record.")
            else:
                actions.do_reword_plan_item(
                    item,
                    form.cleaned_data["text"],
                    reason=form.cleaned_data["reason"],
                    acting_user=user,
                )
                messages.success(request, "The line is reworded; the reason is on record.")
        except ValidationError as exc:
            _apply(form, exc)
        else:
            return redirect("performance:plan-changes", year=item.plan.start_year)
    return render(
        request, "performance/plan_item_change.html", {"item": item, "kind": kind, "form": form}
    )


def plan_item_add(request: HttpRequest, year: int) -> HttpResponse:
    user = _require(request, Permission.REFRESH_PLAN)
    agreement = Agreement.objects.current()
    plan = get_object_or_404(agreement.delivery_plans, start_year=year)
    form = PlanItemAddForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_add_plan_item(
                plan,
                data["theme"],
                data["item_kind"],
                data["text"],
                reason=data["reason"],
                acting_user=user,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "The line is added; the reason is on record.")
            return redirect("performance:plan-changes", year=plan.start_year)
    return render(request, "performance/plan_item_add.html", {"plan": plan, "form": form})


@require_POST
def plan_approve(request: HttpRequest, year: int) -> HttpResponse:
    user = _require(request, Permission.APPROVE_PLAN)
    agreement = Agreement.objects.current()
    plan: DeliveryPlan = get_object_or_404(agreement.delivery_plans, start_year=year)
    try:
        actions.do_approve_plan(plan, acting_user=user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Delivery plan {plan.label} is approved.")
    return redirect("performance:plan-changes", year=year)
