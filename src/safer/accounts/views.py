"""Sign-in security pages, the sharing agreement register and the data protection officer's
pages: the audit log, its export, and subject access."""

from __future__ import annotations

import csv
from datetime import datetime, time

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from safer.accounts import two_factor
from safer.accounts.access import (
    access_subject,
    show_people,
    subject_people,
    visible_audit_events,
)
from safer.accounts.actions import (
    do_complete_subject_request,
    do_create_api_token,
    do_create_sharing_agreement,
    do_record_subject_request,
    do_revoke_api_token,
    do_revoke_share,
    do_sign_out_everywhere,
)
from safer.accounts.enums import AuditAction, Purpose, SubjectRight
from safer.accounts.forms import (
    ApiTokenForm,
    AuditSearchForm,
    CodeForm,
    CompleteRequestForm,
    SharingAgreementForm,
    SubjectRequestForm,
)
from safer.accounts.middleware import two_factor_exempt
from safer.accounts.models import (
    ApiToken,
    AuditEvent,
    Share,
    SharingAgreement,
    SubjectRightsRequest,
    User,
)
from safer.accounts.permissions import Permission, has_permission
from safer.accounts.personal_data import personal_data_view
from safer.accounts.unusual_access import Thresholds, unusual_access
from safer.incidents.models import Incident, Person


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - LoginRequiredMiddleware guarantees it
    return request.user


def _next(request: HttpRequest, default: str = "/agreement/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    return target


@two_factor_exempt
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app or a recovery code."""
    user = _user(request)
    if not two_factor.has_authenticator(user):
        return redirect(f"/accounts/two-factor/set-up/?next={_next(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.check_code(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if device.name == two_factor.RECOVERY:
                left = two_factor.recovery_codes_left(user)
                messages.info(
                    request,
                    f"You used a recovery code; {left} left. Make new ones from Sign-in security.",
                )
            return HttpResponseRedirect(_next(request))
        form.add_error(
            "code",
            "Too many wrong codes: wait a minute, then enter the code your app shows."
            if two_factor.throttled(user)
            else "That code is not right, or has been used. Enter the code your app shows now.",
        )
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next(request)})


@two_factor_exempt
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Add Safer to an authenticator app, confirm with a code, and receive recovery codes."""
    user = _user(request)
    if two_factor.has_authenticator(user) and not request.user.is_verified():  # type: ignore[union-attr]
        # Replacing an app needs the current one: otherwise a stolen password is enough.
        return redirect(f"/accounts/two-factor/?next={_next(request)}")
    device = two_factor.do_start_authenticator(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.do_confirm_authenticator(device, form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next(request)},
            )
        form.add_error("code", "That code is not right. Enter the code your app shows now.")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "secret": two_factor.secret_of(device),
            "uri": device.config_url,
            "qr_code": two_factor.qr_code_svg(device.config_url),
            "next": _next(request),
        },
    )


def security(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "accounts/security.html",
        {
            "has_authenticator": two_factor.has_authenticator(user),
            "recovery_codes_left": two_factor.recovery_codes_left(user),
            "can_manage_tokens": has_permission(user, Permission.MANAGE_USERS),
        },
    )


@require_POST
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not request.user.is_verified():  # type: ignore[union-attr]
        raise Http404
    codes = two_factor.do_make_recovery_codes(user)
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": "/accounts/security/"}
    )


@two_factor_exempt
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    do_sign_out_everywhere(user, acting_user=user)
    logout(request)
    messages.success(request, "You are signed out on every device.")
    return redirect("accounts:login")


# The data protection officer's pages.


def _dpo(request: HttpRequest) -> User:
    user = _user(request)
    if not has_permission(user, Permission.VIEW_AUDIT_LOG):
        raise Http404
    return user


def _search(user: User, form: AuditSearchForm) -> QuerySet[AuditEvent]:
    events = visible_audit_events(user).select_related("content_type")
    if not form.is_valid():
        return events.none()
    data = form.cleaned_data
    if data["person"]:
        incident_ids = Incident.objects.filter(people__pk=data["person"]).values("pk")
        events = events.filter(
            Q(person_id=data["person"])
            | Q(content_type__model="incident", object_id__in=incident_ids)
        )
    if data["user"]:
        events = events.filter(actor_username__iexact=data["user"])
    if data["record"]:
        events = events.filter(record_reference=data["record"])
    if data["date_from"]:
        start = timezone.make_aware(datetime.combine(data["date_from"], time.min))
        events = events.filter(at__gte=start)
    if data["date_to"]:
        end = timezone.make_aware(datetime.combine(data["date_to"], time.max))
        events = events.filter(at__lte=end)
    return events


def audit_log(request: HttpRequest) -> HttpResponse:
    """Search the audit log by person, user, record and date (entries about this organisation's
    records, or by its staff)."""
    user = _dpo(request)
    form = AuditSearchForm(request.GET)
    events = _search(user, form)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode(), "total": page.paginator.count},
    )


def audit_export(request: HttpRequest) -> HttpResponse:
    user = _dpo(request)
    form = AuditSearchForm(request.GET)
    events = _search(user, form)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="safer-audit-log.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "sequence",
            "at",
            "user",
            "organisation",
            "action",
            "record",
            "person",
            "purpose",
            "detail",
            "hash",
        ]
    )
    for event in events.select_related("actor_organisation").order_by("sequence").iterator():
        writer.writerow(
            [
                event.sequence,
                event.at.isoformat(),
                event.actor_username,
                event.actor_organisation.name if event.actor_organisation else "",
                event.action,
                event.record_reference,
                event.person_id or "",
                event.purpose,
                event.detail,
                event.hash,
            ]
        )
    return response


@personal_data_view(kind="page", permission="view_audit_log")
def subject_access(request: HttpRequest) -> HttpResponse:
    """Find a person this organisation holds, for a subject access request."""
    user = _dpo(request)
    name = request.GET.get("name", "").strip()
    people: list[Person] = []
    if name:
        people = list(
            subject_people(user).filter(
                Q(family_name__icontains=name) | Q(given_name__icontains=name)
            )[:50]
        )
        show_people(user, people, purpose=Purpose.SUBJECT_RIGHTS, action=AuditAction.SEARCH_RESULT)
    return render(request, "accounts/subject_access_search.html", {"name": name, "people": people})


@personal_data_view(kind="page", record="person", owner_only=True, permission="view_audit_log")
def subject_access_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about this person, and who has seen it: one page."""
    user = _dpo(request)
    person = access_subject(user, pk)
    incidents = list(Incident.objects.filter(people=person).distinct())
    incident_ids = [incident.pk for incident in incidents]
    seen = (
        AuditEvent.objects.filter(
            Q(person_id=person.pk) | Q(content_type__model="incident", object_id__in=incident_ids)
        )
        .select_related("actor_organisation")
        .order_by("sequence")
    )
    shares = Share.objects.filter(
        Q(content_type__model="person", object_id=person.pk)
        | Q(content_type__model="incident", object_id__in=incident_ids)
    ).select_related("recipient", "agreement", "sharer")
    return render(
        request,
        "accounts/subject_access_report.html",
        {
            # Each open request has its own form, prefixed so field ids stay unique.
            "requests": [
                (rights_request, CompleteRequestForm(prefix=f"r{rights_request.pk}"))
                for rights_request in person.rights_requests.all()
            ],
            "request_form": SubjectRequestForm(initial={"received_on": timezone.localdate()}),
            "person": person,
            "addresses": person.addresses.all(),
            "incidents": incidents,
            "involvements": person.involvements.select_related("incident"),
            "seen": seen,
            "shares": shares,
        },
    )


def _held_person(user: User, pk: int) -> Person:
    if not has_permission(user, Permission.MANAGE_RETENTION) or user.organisation_id is None:
        raise Http404
    return get_object_or_404(Person, pk=pk, organisation_id=user.organisation_id)


def _form_errors(request: HttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


@require_POST
def subject_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a rights request about a person the DPO's organisation holds."""
    user = _user(request)
    person = _held_person(user, pk)
    form = SubjectRequestForm(request.POST)
    if form.is_valid():
        try:
            do_record_subject_request(
                person,
                right=SubjectRight(form.cleaned_data["right"]),
                received_on=form.cleaned_data["received_on"],
                details=form.cleaned_data["details"],
                acting_user=user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The request is recorded.")
    else:
        _form_errors(request, form)
    return redirect("accounts:subject-access-report", pk=person.pk)


@require_POST
def subject_request_complete(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    """Act on a rights request and close it (or refuse it, with the reason)."""
    user = _user(request)
    person = _held_person(user, pk)
    rights_request = get_object_or_404(SubjectRightsRequest, pk=request_pk, person=person)
    form = CompleteRequestForm(request.POST, prefix=f"r{rights_request.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            do_complete_subject_request(
                rights_request,
                outcome=data["outcome"],
                refuse=data["refuse"],
                corrections={k: data[k] for k in ("given_name", "family_name", "date_of_birth")},
                acting_user=user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"The request is {rights_request.get_status_display().lower()}."
            )
    else:
        _form_errors(request, form)
    return redirect("accounts:subject-access-report", pk=person.pk)


def unusual_access_page(request: HttpRequest) -> HttpResponse:
    """The alerts about this organisation's staff, and the rule that raised them."""
    user = _dpo(request)
    thresholds = Thresholds.from_settings()
    return render(
        request,
        "accounts/unusual_access.html",
        {"alerts": unusual_access(user.organisation_id, thresholds), "thresholds": thresholds},
    )


@require_POST
def share_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a share now: only the organisation that shared the record can."""
    user = _user(request)
    if not has_permission(user, Permission.SHARE_PERSONAL_DATA):
        raise Http404
    share = get_object_or_404(
        Share.objects.select_related("recipient"),
        pk=pk,
        sharer_organisation_id=user.organisation_id or 0,
    )
    do_revoke_share(share, acting_user=user)
    messages.success(
        request, f"{share.record_reference} is no longer shared with {share.recipient}."
    )
    record = share.record
    return redirect(record.get_absolute_url() if record is not None else "incidents:incident-list")


# The register of information sharing agreements.


def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = SharingAgreement.objects.prefetch_related("parties")
    return render(
        request,
        "accounts/agreement_list.html",
        {
            "agreements": agreements,
            "today": timezone.localdate(),
            "can_manage": has_permission(_user(request), Permission.MANAGE_SHARING_AGREEMENTS),
        },
    )


def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(SharingAgreement.objects.prefetch_related("parties"), pk=pk)
    return render(request, "accounts/agreement_detail.html", {"agreement": agreement})


def agreement_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not has_permission(user, Permission.MANAGE_SHARING_AGREEMENTS):
        raise Http404
    form = SharingAgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = do_create_sharing_agreement(**form.cleaned_data, acting_user=user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"{agreement} is on the register.")
            return redirect(agreement)
    return render(request, "accounts/agreement_form.html", {"form": form})


# API tokens: an organisation's administrator issues and revokes them (docs/access.md).


def _token_admin(request: HttpRequest) -> User:
    user = _user(request)
    if not has_permission(user, Permission.MANAGE_USERS) or user.organisation_id is None:
        raise Http404
    return user


def api_tokens(request: HttpRequest) -> HttpResponse:
    """The organisation's API tokens; issuing one shows its secret on this response only."""
    user = _token_admin(request)
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        assert user.organisation is not None  # noqa: S101 - _token_admin checked it
        try:
            token, secret = do_create_api_token(
                user.organisation, name=form.cleaned_data["name"], acting_user=user
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = ApiTokenForm()
            messages.success(request, f"The token for {token.name} is issued.")
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": ApiToken.objects.filter(organisation=user.organisation).select_related(
                "created_by", "revoked_by"
            ),
        },
    )


@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _token_admin(request)
    token = get_object_or_404(ApiToken, pk=pk, organisation=user.organisation)
    do_revoke_api_token(token, acting_user=user)
    messages.success(request, f"The token for {token.name} is revoked: it no longer works.")
    return redirect("accounts:api-tokens")
