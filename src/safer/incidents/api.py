"""The incidents REST API (`/api/v1/`): serializers and thin views over the access layer and
the actions, exactly as the pages use them.

- Reads come from `visible_incidents` / `access_incident` / `access_person` and are audited
  (a list writes one entry per incident shown).
- Writes go through `do_record_person`, `do_record_incident` and `do_change_incident`, in one
  transaction per request: the recording standard (`incidents/standard.py`) is checked there,
  once, and its errors come back as 400 with the field they are about. Nothing is half-written.
- A record the caller may not see answers 404, the same as one that is not there.

Schemas are named as STYLE.md asks: IncidentCreate / IncidentRead / IncidentUpdate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safer.accounts.access import (
    NOT_FOUND,
    access_incident,
    access_incident_to_change,
    access_person,
    show_incidents,
    visible_incidents,
    visible_people,
)
from safer.accounts.enums import AuditAction, Purpose
from safer.accounts.models import User
from safer.accounts.permissions import Permission, has_permission
from safer.core.api import validation_detail
from safer.incidents.actions import do_change_incident, do_record_incident, do_record_person
from safer.incidents.enums import (
    AbuseType,
    AsbCategory,
    ContactMethod,
    Ethnicity,
    Flag,
    Gender,
    HateStrand,
    IncidentCategory,
    InvolvementRole,
    Outcome,
    Relationship,
    VulnerabilityMarker,
)
from safer.incidents.models import Incident, Person
from safer.partnership.models import CspArea

# Primary keys are 64-bit: anything larger is refused as bad input before it reaches a query.
MAX_ID = 2**63 - 1
MAX_PEOPLE = 50
# Purposes a case-work read may give (the others belong to other pages).
READ_PURPOSES = [
    (p.value, p.label)
    for p in (Purpose.CASE_WORK, Purpose.SAFEGUARDING, Purpose.CONFERENCE, Purpose.DATA_QUALITY)
]


def _list_of(choices: Any, **kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices), max_length=len(choices), **kwargs
    )


class AreaField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A CSP area named by its ONS code (E07000123 is Preston)."""

    default_error_messages = {
        "does_not_exist": "No CSP area has the ONS code {value}.",
        "invalid": "Give the area's ONS code, like E07000123.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="ons_code", queryset=CspArea.objects.all(), **kwargs)


# --- People -------------------------------------------------------------------------------


class PersonCreate(serializers.Serializer):  # type: ignore[type-arg]
    """A person to record with the incident, for the caller's organisation."""

    given_name = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=20, default=list
    )
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    gender = serializers.ChoiceField(choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = serializers.ChoiceField(choices=Ethnicity.choices, default=Ethnicity.NOT_STATED)
    safe_contact_methods = _list_of(ContactMethod.choices, default=list)
    contact_notes = serializers.CharField(
        max_length=2000, allow_blank=True, required=False, default=""
    )
    vulnerability_markers = _list_of(VulnerabilityMarker.choices, default=list)
    address = serializers.CharField(
        max_length=500, allow_blank=True, required=False, default="", help_text="Current address."
    )
    postcode = serializers.CharField(max_length=10, allow_blank=True, required=False, default="")

    def validate_date_of_birth(self, value: Any) -> Any:
        if value is not None and value > timezone.localdate():
            raise ValidationError("The date of birth must be in the past.")
        return value


class AddressRead(serializers.Serializer):  # type: ignore[type-arg]
    lines = serializers.CharField()
    postcode = serializers.CharField()
    moved_in = serializers.DateField(allow_null=True)
    moved_out = serializers.DateField(allow_null=True)


class PersonRead(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    reference = serializers.CharField()
    organisation = serializers.CharField(
        source="organisation.slug", help_text="The organisation that recorded it."
    )
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    aliases = serializers.ListField(child=serializers.CharField())
    date_of_birth = serializers.DateField(allow_null=True)
    gender = serializers.ChoiceField(choices=Gender.choices)
    ethnicity = serializers.ChoiceField(choices=Ethnicity.choices)
    safe_contact_methods = serializers.ListField(child=serializers.CharField())
    contact_notes = serializers.CharField()
    vulnerability_markers = serializers.ListField(child=serializers.CharField())
    addresses = AddressRead(many=True, source="addresses.all")


# --- Incidents ----------------------------------------------------------------------------


class InvolvementWrite(serializers.Serializer):  # type: ignore[type-arg]
    """One person's part in the incident: an existing record (`person`, its id) or a new one
    (`new_person`), never both."""

    role = serializers.ChoiceField(choices=InvolvementRole.choices)
    person = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="The id of a person record your organisation holds.",
    )
    new_person = PersonCreate(required=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if ("person" in data) == ("new_person" in data):
            raise ValidationError(
                {
                    "person": "Give either the id of a person your organisation holds (person) "
                    "or the details of a new one (new_person)."
                }
            )
        return data


class InvolvementRead(serializers.Serializer):  # type: ignore[type-arg]
    person = serializers.IntegerField(source="person_id")
    reference = serializers.CharField(source="person.reference")
    role = serializers.ChoiceField(choices=InvolvementRole.choices)
    flags = serializers.ListField(child=serializers.ChoiceField(choices=Flag.choices))


class IncidentCreate(serializers.Serializer):  # type: ignore[type-arg]
    """An incident under the recording standard (docs/recording-standard.md)."""

    category = serializers.ChoiceField(choices=IncidentCategory.choices)
    occurred_on = serializers.DateField()
    summary = serializers.CharField(max_length=10000, help_text="What happened.")
    location = serializers.CharField(max_length=300, allow_blank=True, default="")
    area = AreaField(allow_null=True, default=None)
    agency_reference = serializers.CharField(max_length=50, allow_blank=True, default="")
    asb_category = serializers.ChoiceField(
        choices=AsbCategory.choices, allow_blank=True, default=""
    )
    abuse_types = _list_of(AbuseType.choices, default=list)
    relationship = serializers.ChoiceField(
        choices=Relationship.choices, allow_blank=True, default=""
    )
    hate_strands = _list_of(HateStrand.choices, default=list)
    alcohol_involved = serializers.BooleanField(allow_null=True, default=None)
    drugs_involved = serializers.BooleanField(allow_null=True, default=None)
    outcome = serializers.ChoiceField(choices=Outcome.choices, default=Outcome.OPEN)
    people = InvolvementWrite(many=True, max_length=MAX_PEOPLE, default=list)  # type: ignore[call-arg]

    def validate_occurred_on(self, value: Any) -> Any:
        if value > timezone.localdate():
            raise ValidationError("The date it happened cannot be in the future.")
        return value


class IncidentUpdate(IncidentCreate):
    """Any of the incident's fields; `people`, when given, replaces everyone in it."""


class IncidentRead(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    reference = serializers.CharField()
    organisation = serializers.CharField(
        source="organisation.slug", help_text="The organisation that recorded it."
    )
    category = serializers.ChoiceField(choices=IncidentCategory.choices)
    occurred_on = serializers.DateField()
    summary = serializers.CharField()
    location = serializers.CharField()
    area = serializers.CharField(
        source="area.ons_code", allow_null=True, help_text="ONS code of the CSP area."
    )
    agency_reference = serializers.CharField()
    asb_category = serializers.CharField()
    abuse_types = serializers.ListField(child=serializers.CharField())
    relationship = serializers.CharField()
    hate_strands = serializers.ListField(child=serializers.CharField())
    alcohol_involved = serializers.BooleanField(allow_null=True)
    drugs_involved = serializers.BooleanField(allow_null=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    flagged = serializers.BooleanField(help_text="A victim in it is a repeat or vulnerable victim.")
    people = serializers.SerializerMethodField(
        help_text="The people in it whose records you may see."
    )
    hidden_people = serializers.SerializerMethodField(
        help_text="How many more people are in it whose records are not shared with you."
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def _involvements(self, incident: Incident) -> tuple[list[Any], int]:
        visible: set[int] = self.context["visible_people"]
        everyone = list(incident.involvements.all())
        shown = [i for i in everyone if i.person_id in visible]
        return shown, len(everyone) - len(shown)

    @extend_schema_field(InvolvementRead(many=True))
    def get_people(self, incident: Incident) -> Any:
        return InvolvementRead(self._involvements(incident)[0], many=True).data

    @extend_schema_field(OpenApiTypes.INT)
    def get_hidden_people(self, incident: Incident) -> int:
        return self._involvements(incident)[1]


class IncidentFilter(serializers.Serializer):  # type: ignore[type-arg]
    """The list's filters; a bad value is a 400 naming it, never silently dropped."""

    category = serializers.ChoiceField(choices=IncidentCategory.choices, required=False)
    area = AreaField(required=False, allow_null=True, help_text="ONS code of the CSP area.")
    occurred_from = serializers.DateField(required=False, help_text="On or after (YYYY-MM-DD).")
    occurred_to = serializers.DateField(required=False, help_text="On or before (YYYY-MM-DD).")
    flagged = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Only flagged (true) or not."
    )
    purpose = serializers.ChoiceField(
        choices=READ_PURPOSES, default=Purpose.CASE_WORK, help_text="Why you are looking."
    )
    page = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    page_size = serializers.IntegerField(
        min_value=1, max_value=100, required=False, help_text="25 unless you say (at most 100)."
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        start, end = data.get("occurred_from"), data.get("occurred_to")
        if start and end and start > end:
            raise ValidationError({"occurred_to": "The last date must be on or after the first."})
        return data


class ReadQuery(serializers.Serializer):  # type: ignore[type-arg]
    purpose = serializers.ChoiceField(
        choices=READ_PURPOSES, default=Purpose.CASE_WORK, help_text="Why you are looking."
    )


ERRORS = inline_serializer(
    "FieldErrors",
    fields={
        "field_name": serializers.ListField(
            child=serializers.CharField(), help_text="What is wrong with that field."
        )
    },
)
NOT_FOUND_RESPONSE = OpenApiResponse(description=NOT_FOUND)
CREATE_EXAMPLES = [
    OpenApiExample(
        "Anti-social behaviour, with a new victim and a known perpetrator",
        request_only=True,
        value={
            "category": "asb",
            "asb_category": "personal",
            "occurred_on": "2026-03-14",
            "summary": "Stones thrown at her windows for the third night.",
            "location": "Ribbleton Avenue, Preston",
            "area": "E07000123",
            "agency_reference": "PCC-ASB-2026-0412",
            "alcohol_involved": True,
            "people": [
                {
                    "role": "victim",
                    "new_person": {
                        "given_name": "Janet",
                        "family_name": "Holden",
                        "date_of_birth": "1961-02-03",
                        "gender": "female",
                        "address": "3 Ribbleton Avenue\nPreston",
                        "postcode": "PR1 5RX",
                    },
                },
                {"role": "perpetrator", "person": 1},
            ],
        },
    ),
    OpenApiExample(
        "Domestic abuse",
        request_only=True,
        value={
            "category": "domestic_abuse",
            "occurred_on": "2026-03-14",
            "summary": "Threats and damage to her phone by her former partner.",
            "abuse_types": ["psychological", "coercive_control"],
            "relationship": "ex_partner",
        },
    ),
    OpenApiExample(
        "Hate incident, perceived as about race and religion",
        request_only=True,
        value={
            "category": "hate_incident",
            "occurred_on": "2026-03-14",
            "summary": "Shouted abuse at a shopkeeper.",
            "hate_strands": ["race", "religion"],
        },
    ),
]
UPDATE_EXAMPLES = [
    OpenApiExample(
        "Record the outcome",
        request_only=True,
        value={"outcome": "civil_action", "drugs_involved": False},
    ),
    OpenApiExample(
        "Replace the people in it",
        request_only=True,
        value={"people": [{"role": "victim", "person": 1}, {"role": "witness", "person": 2}]},
    ),
]


# --- Views --------------------------------------------------------------------------------


def _user(request: Request, permission: Permission = Permission.VIEW_PERSONAL_DATA) -> User:
    """The caller, if their role may; a 404 otherwise, as the pages answer."""
    user = request.user
    if not isinstance(user, User) or not has_permission(user, permission):
        raise NotFound(NOT_FOUND)
    return user


def _query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:  # type: ignore[type-arg]
    query = serializer_class(data=dict(request.query_params.items()))
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def _read(incidents: Sequence[Incident], user: User, *, many: bool) -> Any:
    """IncidentRead for incidents already audited; only people the user may see are named."""
    visible = set(
        visible_people(user)
        .filter(involvements__incident__in=[i.pk for i in incidents])
        .values_list("pk", flat=True)
    )
    return IncidentRead(
        incidents if many else incidents[0], many=many, context={"visible_people": visible}
    ).data


def _people(user: User, entries: Sequence[dict[str, Any]]) -> list[tuple[Person, InvolvementRole]]:
    """The people the request names: existing records looked up through the access layer,
    new ones recorded (inside the request's transaction). Every problem is raised at once."""
    # Keyed by position, as DRF reports a list's errors.
    errors: dict[str, dict[str, Any]] = {}
    found: dict[int, Person] = {
        person.pk: person
        for person in visible_people(user).filter(
            pk__in=[e["person"] for e in entries if "person" in e]
        )
    }
    people: list[tuple[Person, InvolvementRole]] = []
    for index, entry in enumerate(entries):
        role = InvolvementRole(entry["role"])
        if "person" in entry:
            if entry["person"] not in found:
                errors[str(index)] = {
                    "person": [
                        f"No person with id {entry['person']}, or it is not shared with your "
                        "organisation."
                    ]
                }
                continue
            people.append((found[entry["person"]], role))
            continue
        try:
            people.append((do_record_person(**entry["new_person"], acting_user=user), role))
        except DjangoValidationError as exc:
            errors[str(index)] = {"new_person": validation_detail(exc)}
    if errors:
        raise ValidationError({"people": errors})
    return people


def _standard(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "people"}


def _write_errors(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(validation_detail(exc))


class IncidentPages(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return []  # page and page_size are in IncidentFilter, checked with the other filters


class IncidentListCreate(generics.GenericAPIView):  # type: ignore[type-arg]
    """Incidents your organisation may see, newest first; or record a new one."""

    pagination_class = IncidentPages
    serializer_class = IncidentRead

    def get_queryset(self) -> QuerySet[Incident]:
        return visible_incidents(_user(self.request))

    @extend_schema(
        operation_id="incidents_list",
        parameters=[IncidentFilter],
        responses={200: IncidentRead(many=True), 400: ERRORS},
    )
    def get(self, request: Request) -> Response:
        user = _user(request)
        filters = _query(IncidentFilter, request)
        incidents = visible_incidents(user).select_related("area", "organisation")
        if "category" in filters:
            incidents = incidents.filter(category=filters["category"])
        if filters.get("area"):
            incidents = incidents.filter(area=filters["area"])
        if "occurred_from" in filters:
            incidents = incidents.filter(occurred_on__gte=filters["occurred_from"])
        if "occurred_to" in filters:
            incidents = incidents.filter(occurred_on__lte=filters["occurred_to"])
        if filters.get("flagged") is not None:
            incidents = incidents.filter(flagged=filters["flagged"])
        page = list(
            self.paginate_queryset(incidents.prefetch_related("involvements__person")) or []
        )
        show_incidents(
            user, page, purpose=Purpose(filters["purpose"]), action=AuditAction.SEARCH_RESULT
        )
        return self.get_paginated_response(_read(page, user, many=True) if page else [])

    @extend_schema(
        operation_id="incidents_create",
        request=IncidentCreate,
        responses={201: IncidentRead, 400: ERRORS},
        examples=CREATE_EXAMPLES,
    )
    def post(self, request: Request) -> Response:
        user = _user(request, Permission.RECORD_PERSONAL_DATA)
        body = IncidentCreate(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        try:
            with transaction.atomic():
                incident = do_record_incident(
                    people=_people(user, data["people"]), acting_user=user, **_standard(data)
                )
        except DjangoValidationError as exc:
            raise _write_errors(exc) from None
        return Response(_read([incident], user, many=False), status=status.HTTP_201_CREATED)


class IncidentDetail(APIView):
    """One incident: read it if your organisation may see it; change it if it recorded it."""

    @extend_schema(
        operation_id="incidents_read",
        parameters=[ReadQuery],
        responses={200: IncidentRead, 400: ERRORS, 404: NOT_FOUND_RESPONSE},
    )
    def get(self, request: Request, pk: int) -> Response:
        user = _user(request)
        purpose = Purpose(_query(ReadQuery, request)["purpose"])
        incident = access_incident(user, pk, purpose=purpose)
        return Response(_read([incident], user, many=False))

    @extend_schema(
        operation_id="incidents_update",
        request=IncidentUpdate,
        responses={200: IncidentRead, 400: ERRORS, 404: NOT_FOUND_RESPONSE},
        examples=UPDATE_EXAMPLES,
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = _user(request, Permission.RECORD_PERSONAL_DATA)
        incident = access_incident_to_change(user, pk)
        body = IncidentUpdate(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        try:
            with transaction.atomic():
                people = _people(user, data["people"]) if "people" in data else None
                incident = do_change_incident(
                    incident, acting_user=user, people=people, **_standard(data)
                )
        except DjangoValidationError as exc:
            raise _write_errors(exc) from None
        except DjangoPermissionDenied:
            raise NotFound(NOT_FOUND) from None
        return Response(_read([incident], user, many=False))


class PersonDetail(APIView):
    """One person record your organisation may see (PersonRead)."""

    @extend_schema(
        operation_id="people_read",
        parameters=[ReadQuery],
        responses={200: PersonRead, 400: ERRORS, 404: NOT_FOUND_RESPONSE},
    )
    def get(self, request: Request, pk: int) -> Response:
        user = _user(request)
        purpose = Purpose(_query(ReadQuery, request)["purpose"])
        person = access_person(user, pk, purpose=purpose)
        return Response(PersonRead(person).data)
