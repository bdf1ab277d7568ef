"""People and incidents: every record comes from the access layer, every read is audited."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from safer.accounts.access import (
    access_incident,
    access_incident_import,
    access_match,
    access_person,
    access_record_to_share,
    incident_counts,
    incident_import_progress,
    matched_people_visible,
    show_incidents,
    show_matches,
    show_people,
    timeline_involvements,
    visible_assessments,
    visible_incident_imports,
    visible_incident_owners,
    visible_incident_parts,
    visible_incidents,
    visible_matches,
    visible_people,
    visible_referrals,
)
from safer.accounts.actions import do_share_record
from safer.accounts.enums import AuditAction, Consent, Purpose
from safer.accounts.models import Share, User
from safer.accounts.permissions import Permission, has_permission
from safer.accounts.personal_data import counts_only, personal_data_view
from safer.incidents.actions import (
    do_confirm_match,
    do_record_incident,
    do_record_person,
    do_reject_match,
    do_request_incident_import,
    incident_import_limit,
)
from safer.incidents.enums import IncidentCategory, InvolvementRole, MatchStatus
from safer.incidents.forms import (
    ImportForm,
    IncidentFilterForm,
    IncidentForm,
    IncidentKindForm,
    MatchDecisionForm,
    PersonForm,
    ShareForm,
)
from safer.incidents.importing.columns import COLUMNS
from safer.incidents.listing import COUNT_CAP, NewestPage, newest_page, page_number
from safer.incidents.matching import describe_agreement
from safer.incidents.models import Incident, Involvement, Person, PersonMatch

PAGE_SIZE = 25


def _user(request: HttpRequest, permission: Permission = Permission.VIEW_PERSONAL_DATA) -> User:
    """The signed-in user, if their role may use this page; a 404 otherwise (no existence leak)."""
    user = request.user
    if not isinstance(user, User) or not has_permission(user, permission):
        raise Http404
    return user


def _purpose(request: HttpRequest) -> Purpose:
    value = request.GET.get("purpose", "")
    return Purpose(value) if value in Purpose.values else Purpose.CASE_WORK


@personal_data_view(kind="page")
def person_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    query = request.GET.get("q", "").strip()
    people = visible_people(user)
    if query:
        people = people.filter(Q(family_name__icontains=query) | Q(given_name__icontains=query))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    show_people(
        user, list(page.object_list), purpose=_purpose(request), action=AuditAction.SEARCH_RESULT
    )
    return render(
        request,
        "incidents/person_list.html",
        {
            "page": page,
            "q": query,
            "can_record": has_permission(user, Permission.RECORD_PERSONAL_DATA),
        },
    )


@personal_data_view(kind="page", record="person")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    person = access_person(user, pk, purpose=_purpose(request))
    own = person.organisation_id == user.organisation_id
    return render(
        request,
        "incidents/person_detail.html",
        {
            "person": person,
            "own": own,
            "addresses": person.addresses.all(),
            # Incidents are listed only as far as the user may see them.
            "incidents": visible_incidents(user).filter(people=person).distinct(),
            "shares": Share.objects.filter(
                content_type__model="person", object_id=person.pk
            ).select_related("recipient", "agreement")
            if own
            else [],
            "can_share": own and has_permission(user, Permission.SHARE_PERSONAL_DATA),
            # Issue 6: as far as the access layer lets the user see them.
            "assessments": visible_assessments(user).filter(person=person).select_related("form"),
            "referrals": visible_referrals(user).filter(person=person).select_related("panel"),
            "can_record": has_permission(user, Permission.RECORD_PERSONAL_DATA),
        },
    )


@personal_data_view(kind="api", record="person")
def person_api(request: HttpRequest, pk: int) -> JsonResponse:
    """A person record as JSON (PersonRead), for partner systems."""
    user = _user(request)
    person = access_person(user, pk, purpose=_purpose(request))
    return JsonResponse(
        {
            "reference": person.reference,
            "organisation": person.organisation.slug,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "aliases": person.aliases,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
            "gender": person.gender,
            "ethnicity": person.ethnicity,
            "safe_contact_methods": person.safe_contact_methods,
            "vulnerability_markers": person.vulnerability_markers,
            "addresses": [
                {
                    "lines": address.lines,
                    "postcode": address.postcode,
                    "moved_in": address.moved_in.isoformat() if address.moved_in else None,
                    "moved_out": address.moved_out.isoformat() if address.moved_out else None,
                }
                for address in person.addresses.all()
            ],
        }
    )


@personal_data_view(kind="export")
def person_export(request: HttpRequest) -> HttpResponse:
    """Every person the user may see, as CSV; each one exported is written to the audit log."""
    user = _user(request)
    people = list(visible_people(user).select_related("organisation"))
    show_people(user, people, purpose=_purpose(request), action=AuditAction.EXPORT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="safer-people.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["reference", "organisation", "given_name", "family_name", "date_of_birth", "gender"]
    )
    for person in people:
        writer.writerow(
            [
                person.reference,
                person.organisation.name,
                person.given_name,
                person.family_name,
                person.date_of_birth or "",
                person.gender,
            ]
        )
    return response


@personal_data_view(kind="form", permission="record_personal_data")
def person_create(request: HttpRequest) -> HttpResponse:
    user = _user(request, Permission.RECORD_PERSONAL_DATA)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = do_record_person(**form.cleaned_data, acting_user=user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"{person} is recorded as {person.reference}.")
            return redirect(person)
    return render(request, "incidents/person_form.html", {"form": form})


def _share(request: HttpRequest, record: Person | Incident, user: User) -> HttpResponse:
    form = ShareForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            share = do_share_record(
                record,
                recipient=form.cleaned_data["recipient"],
                agreement=form.cleaned_data["agreement"],
                purpose=form.cleaned_data["purpose"],
                consent=Consent(form.cleaned_data["consent"]),
                override_reason=form.cleaned_data["override_reason"],
                expires_at=form.expires_at(),
                acting_user=user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                name = "expires_on" if field == "expires_at" else field
                form.add_error(name if name in form.fields else None, errors)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request,
                f"{share.record_reference} is shared with {share.recipient} until "
                f"{share.expires_at:%-d %B %Y}.",
            )
            return redirect(record)
    return render(request, "incidents/share_form.html", {"form": form, "record": record})


@personal_data_view(kind="form", record="person", owner_only=True, permission="share_personal_data")
def person_share(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request, Permission.SHARE_PERSONAL_DATA)
    return _share(
        request, access_record_to_share(user, Person, pk, purpose=_purpose(request)), user
    )


def _filtered(incidents: QuerySet[Incident], data: dict[str, Any]) -> QuerySet[Incident]:
    """Narrow incidents the access layer already allows by the list's (valid) filters."""
    if data["category"]:
        incidents = incidents.filter(category=data["category"])
    if data["area"]:
        incidents = incidents.filter(area=data["area"])
    if data["organisation"]:
        incidents = incidents.filter(organisation=data["organisation"])
    if data["occurred_from"]:
        incidents = incidents.filter(occurred_on__gte=data["occurred_from"])
    if data["occurred_to"]:
        incidents = incidents.filter(occurred_on__lte=data["occurred_to"])
    if data["flag"]:
        # Only a flagged incident has a flagged victim: the index on `flagged` narrows first.
        # (`flagged__in`, because Django writes `flagged=True` as a bare `WHERE flagged`,
        # which SQLite cannot match to an index.)
        incidents = incidents.filter(flagged__in=[True])
    if data["flag"] and data["flag"] != "any":
        # Checked on the incident row itself while its index is read newest first: a join to
        # the involvements here turns, on PostgreSQL, into a scan of every involvement.
        incidents = incidents.filter(victim_flags__contains=f" {data['flag']} ")
    return incidents


@personal_data_view(kind="page")
def incident_list(request: HttpRequest) -> HttpResponse:
    """The newest incidents the user may see, filtered; read part by part of the access rule
    so the first page is quick with millions of incidents (incidents/listing.py)."""
    user = _user(request)
    form = IncidentFilterForm(request.GET, organisations=visible_incident_owners(user))
    number = page_number(request.GET.get("page"))
    if form.is_valid():
        data = form.cleaned_data
        page = newest_page(
            visible_incident_parts(user),
            lambda part: _filtered(part, data),
            number=number,
            size=PAGE_SIZE,
            related=("area", "organisation"),
        )
    else:
        page = NewestPage(number, PAGE_SIZE, [], has_next=False, count=0, count_capped=False)
    show_incidents(
        user, list(page.object_list), purpose=_purpose(request), action=AuditAction.SEARCH_RESULT
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "incidents/incident_list.html",
        {
            "page": page,
            "form": form,
            "query": query.urlencode(),
            "can_record": has_permission(user, Permission.RECORD_PERSONAL_DATA),
            "count_cap": COUNT_CAP,
        },
    )


@personal_data_view(kind="page")
def repeat_victims(request: HttpRequest) -> HttpResponse:
    """The repeat, high-risk and vulnerable victims worklist: flagged victims in incidents the
    user's organisation may see, newest first. A person's name shows only if their record is
    visible."""
    user = _user(request)
    # A page of the newest flagged incidents, read as the incident list reads them (fast at
    # millions), then the flagged victims in them.
    page = newest_page(
        visible_incident_parts(user),
        lambda part: part.filter(flagged__in=[True]),
        number=page_number(request.GET.get("page")),
        size=PAGE_SIZE,
    )
    rows = list(
        Involvement.objects.filter(
            incident__in=[incident.pk for incident in page.rows], role=InvolvementRole.VICTIM
        )
        .exclude(flags=[])
        .select_related("incident", "incident__organisation", "person")
        .order_by("-incident__occurred_on", "-incident_id", "pk")
    )
    visible = set(
        visible_people(user)
        .filter(pk__in=[row.person_id for row in rows])
        .values_list("pk", flat=True)
    )
    purpose = _purpose(request)
    show_incidents(
        user, [row.incident for row in rows], purpose=purpose, action=AuditAction.SEARCH_RESULT
    )
    show_people(
        user,
        [row.person for row in rows if row.person_id in visible],
        purpose=purpose,
        action=AuditAction.SEARCH_RESULT,
    )
    return render(
        request,
        "incidents/repeat_victims.html",
        {
            "page": page,
            "rows": [(row, row.person_id in visible) for row in rows],
            "count_cap": COUNT_CAP,
        },
    )


@personal_data_view(kind="page", record="incident")
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    incident = access_incident(user, pk, purpose=_purpose(request))
    own = incident.organisation_id == user.organisation_id
    visible = set(visible_people(user).filter(incidents=incident).values_list("pk", flat=True))
    involvements = list(incident.involvements.select_related("person"))
    return render(
        request,
        "incidents/incident_detail.html",
        {
            "incident": incident,
            "involvements": [i for i in involvements if i.person_id in visible],
            "hidden_people": sum(1 for i in involvements if i.person_id not in visible),
            "own": own,
            "shares": Share.objects.filter(
                content_type__model="incident", object_id=incident.pk
            ).select_related("recipient", "agreement")
            if own
            else [],
            "can_share": own and has_permission(user, Permission.SHARE_PERSONAL_DATA),
        },
    )


@personal_data_view(kind="form", permission="record_personal_data")
def incident_create(request: HttpRequest) -> HttpResponse:
    """Two pages: what kind of incident it is (one question), then that kind's questions."""
    user = _user(request, Permission.RECORD_PERSONAL_DATA)
    # The kind page's form sends `answered` even when no kind was chosen, so that is an error.
    answered = "category" in request.GET or "answered" in request.GET
    if request.method == "GET" and (not answered or "change" in request.GET):
        kind_form = IncidentKindForm(initial={"category": request.GET.get("category")})
        return render(request, "incidents/incident_kind.html", {"form": kind_form})
    kind_form = IncidentKindForm(request.POST if request.method == "POST" else request.GET)
    if not kind_form.is_valid():
        return render(request, "incidents/incident_kind.html", {"form": kind_form})
    kind = kind_form.cleaned_data["category"]
    people = visible_people(user).filter(Q(organisation_id=user.organisation_id))
    form = IncidentForm(request.POST or None, people=people, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            incident = do_record_incident(
                category=IncidentCategory(form.cleaned_data["category"]),
                occurred_on=form.cleaned_data["occurred_on"],
                location=form.cleaned_data["location"],
                summary=form.cleaned_data["summary"],
                people=form.people(),
                acting_user=user,
                **form.standard(),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"The incident is recorded as {incident.reference}.")
            return redirect(incident)
    return render(
        request,
        "incidents/incident_form.html",
        {"form": form, "kind_label": IncidentCategory(kind).label},
    )


@personal_data_view(
    kind="form", record="incident", owner_only=True, permission="share_personal_data"
)
def incident_share(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request, Permission.SHARE_PERSONAL_DATA)
    return _share(
        request, access_record_to_share(user, Incident, pk, purpose=_purpose(request)), user
    )


@counts_only
def incident_counts_page(request: HttpRequest) -> HttpResponse:
    """Incidents across the partnership by category: counts only, fewer than 5 suppressed."""
    user = _user(request, Permission.VIEW_AGGREGATES)
    return render(request, "incidents/counts.html", {"counts": incident_counts(user)})


@personal_data_view(kind="page", record="person")
def person_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """A victim's timeline: their incidents, and those of the records confirmed as the same
    person by other agencies, as far as the user may see them, oldest first."""
    user = _user(request)
    person = access_person(user, pk, purpose=_purpose(request))
    involvements = list(timeline_involvements(user, person))
    show_incidents(
        user,
        [involvement.incident for involvement in involvements],
        purpose=_purpose(request),
        action=AuditAction.VIEW,
    )
    return render(
        request,
        "incidents/person_timeline.html",
        {
            "person": person,
            "involvements": involvements,
            "agencies": sorted({i.incident.organisation.name for i in involvements}),
        },
    )


def _match_row(user: User, match: PersonMatch, visible: set[int]) -> dict[str, Any]:
    own, other = match.own(user.organisation_id), match.other(user.organisation_id)
    return {
        "match": match,
        "own": own,
        "other": other,
        "other_visible": other.pk in visible,
        "agreement": describe_agreement(match.agreement),
    }


MATCH_TABS = {
    "suggested": (MatchStatus.SUGGESTED, "To review"),
    "confirmed": (MatchStatus.CONFIRMED, "Confirmed"),
    "rejected": (MatchStatus.REJECTED, "Rejected"),
}


@personal_data_view(kind="page")
def match_list(request: HttpRequest) -> HttpResponse:
    """The review queue: suggested matches between your organisation's records and partner
    organisations' records, for a case worker to confirm or reject."""
    user = _user(request)
    tab = request.GET.get("status", "suggested")
    if tab not in MATCH_TABS:
        tab = "suggested"
    matches = visible_matches(user).filter(status=MATCH_TABS[tab][0])
    page = Paginator(matches, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    show_matches(user, rows, purpose=_purpose(request), action=AuditAction.SEARCH_RESULT)
    visible = matched_people_visible(user, rows)
    return render(
        request,
        "incidents/match_list.html",
        {
            "page": page,
            "rows": [_match_row(user, match, visible) for match in rows],
            "tab": tab,
            "tabs": [(key, label) for key, (_, label) in MATCH_TABS.items()],
            "query": f"status={tab}",
            "can_decide": has_permission(user, Permission.RECORD_PERSONAL_DATA),
        },
    )


@personal_data_view(kind="form", record="match", permission="record_personal_data")
def match_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """One suggested match: GET shows it, POST confirms or rejects it; htmx swaps the row."""
    user = _user(request, Permission.RECORD_PERSONAL_DATA)
    match = access_match(user, pk, purpose=_purpose(request))
    form = MatchDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = do_confirm_match if form.cleaned_data["decision"] == "confirm" else do_reject_match
        try:
            match = decide(match, acting_user=user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied:
            raise Http404 from None
        else:
            if not request.headers.get("HX-Request"):
                messages.success(request, f"{match.reference}: {match.get_status_display()}.")
                return redirect("incidents:match-list")
            form = MatchDecisionForm()
    visible = matched_people_visible(user, [match])
    context = {"row": _match_row(user, match, visible), "form": form, "can_decide": True}
    # Errors come back as 200 so htmx swaps them in (it does not swap a 4xx by default).
    if request.headers.get("HX-Request"):
        return render(request, "incidents/partials/match_row.html", context)
    return render(request, "incidents/match_detail.html", context)


@personal_data_view(kind="form", permission="record_personal_data")
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload an incident extract: it is checked and loaded in the background."""
    user = _user(request, Permission.RECORD_PERSONAL_DATA)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_bound and form.is_valid():
        try:
            record = do_request_incident_import(form.cleaned_data["file"], acting_user=user)
        except PermissionDenied:
            raise Http404 from None
        return redirect(record)
    return render(
        request,
        "incidents/import_upload.html",
        {
            "form": form,
            "imports": visible_incident_imports(user).select_related("recorded_by")[:20],
            "columns": COLUMNS,
            "limit": incident_import_limit(),
        },
    )


@personal_data_view(kind="page", record="incident_import", permission="record_personal_data")
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An import: its progress while it runs, then what it did or every row it refused."""
    user = _user(request, Permission.RECORD_PERSONAL_DATA)
    record = access_incident_import(user, pk, purpose=_purpose(request))
    return render(request, "incidents/import_detail.html", {"record": record})


@counts_only
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, which htmx polls: per cent and status, nothing from the extract.
    When the import has finished it reloads the page, which shows the result."""
    user = _user(request, Permission.RECORD_PERSONAL_DATA)
    record = incident_import_progress(user, pk)
    response = render(request, "incidents/partials/import_progress.html", {"record": record})
    if record.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response
