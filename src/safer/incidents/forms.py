from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from safer.accounts.enums import Consent
from safer.accounts.models import SharingAgreement, User
from safer.incidents.enums import (
    HATE_CATEGORIES,
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
    RiskLevel,
    VulnerabilityMarker,
)
from safer.incidents.models import Person
from safer.partnership.models import CspArea, Organisation

YES_NO_UNKNOWN = [("", "Not known"), ("yes", "Yes"), ("no", "No")]


class PersonForm(forms.Form):
    given_name = forms.CharField(max_length=100, label="Given name(s)")
    family_name = forms.CharField(max_length=100, label="Family name")
    aliases = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Other names (one a line)",
    )
    date_of_birth = forms.DateField(required=False, label="Date of birth (YYYY-MM-DD)")
    gender = forms.ChoiceField(choices=Gender.choices, initial=Gender.NOT_KNOWN)
    ethnicity = forms.ChoiceField(choices=Ethnicity.choices, initial=Ethnicity.NOT_STATED)
    address = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Current address"
    )
    postcode = forms.CharField(required=False, max_length=10)
    safe_contact_methods = forms.MultipleChoiceField(
        required=False,
        choices=ContactMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Safe ways to contact them",
    )
    contact_notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    vulnerability_markers = forms.MultipleChoiceField(
        required=False,
        choices=VulnerabilityMarker.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_aliases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]

    def clean_date_of_birth(self) -> Any:
        from safer.incidents.standard import date_of_birth_error

        born = self.cleaned_data["date_of_birth"]
        if born and (error := date_of_birth_error(born, timezone.localdate())) is not None:
            raise forms.ValidationError(error)
        return born


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class IncidentKindForm(forms.Form):
    """The first question on its own page: the kind decides which questions follow."""

    category = forms.ChoiceField(
        choices=IncidentCategory.choices,
        widget=forms.RadioSelect,
        label="What kind of incident is it?",
        error_messages={
            "required": "Choose what kind of incident it is.",
            "invalid_choice": "Choose what kind of incident it is from the list.",
        },
    )


# The questions that belong to one kind of incident only (incidents/standard.py enforces them).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "asb_category": (IncidentCategory.ASB,),
    "abuse_types": (IncidentCategory.DOMESTIC_ABUSE,),
    "relationship": (IncidentCategory.DOMESTIC_ABUSE,),
    "hate_strands": HATE_CATEGORIES,
}


class IncidentForm(forms.Form):
    """The recording standard's questions for one kind of incident (chosen first, on
    `IncidentKindForm`'s page, and carried here as a hidden field); incidents/standard.py has
    the rules it is checked by."""

    category = forms.ChoiceField(choices=IncidentCategory.choices, widget=forms.HiddenInput)
    occurred_on = forms.DateField(
        label="Date it happened (YYYY-MM-DD)",
        error_messages={
            "required": "Enter the date it happened.",
            "invalid": "Enter the date it happened as year-month-day, like 2026-03-14.",
        },
    )
    location = forms.CharField(required=False, max_length=300, label="Address or place")
    area = forms.ModelChoiceField(
        queryset=CspArea.objects.all(),
        required=False,
        label="CSP area",
        empty_label="Not known",
    )
    lsoa = forms.CharField(
        required=False,
        max_length=9,
        label="LSOA code, if known",
        help_text="The census area (lower layer super output area), like E01025300.",
    )
    agency_reference = forms.CharField(
        required=False, max_length=50, label="Your agency's own reference"
    )
    risk_level = forms.ChoiceField(
        required=False,
        choices=[("", "Not assessed"), *RiskLevel.choices],
        label="Risk to the victim, as your agency graded it",
        help_text="Domestic abuse: the DASH grading. Anti-social behaviour: the victim risk "
        "assessment. A high grading flags the victim high-risk.",
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What happened",
        error_messages={"required": "Say briefly what happened."},
    )
    asb_category = forms.ChoiceField(
        required=False,
        choices=AsbCategory.choices,
        widget=forms.RadioSelect,
        label="Which kind of anti-social behaviour?",
    )
    abuse_types = forms.MultipleChoiceField(
        required=False,
        choices=AbuseType.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Types of abuse",
        help_text="Choose all that apply. Leave empty only if they are not yet known.",
    )
    relationship = forms.ChoiceField(
        required=False,
        choices=[("", "Choose the relationship"), *Relationship.choices],
        label="The victim's relationship to the alleged perpetrator",
    )
    hate_strands = forms.MultipleChoiceField(
        required=False,
        choices=HateStrand.choices,
        widget=forms.CheckboxSelectMultiple,
        label="What was the hostility perceived to be about?",
        help_text="As the victim or anyone else perceived it. Choose all that apply.",
    )
    alcohol_involved = forms.ChoiceField(
        required=False, choices=YES_NO_UNKNOWN, label="Was alcohol involved?"
    )
    drugs_involved = forms.ChoiceField(
        required=False, choices=YES_NO_UNKNOWN, label="Were drugs involved?"
    )
    outcome = forms.ChoiceField(
        required=False, choices=Outcome.choices, initial=Outcome.OPEN, label="Outcome"
    )
    victim = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)
    perpetrator = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label="Alleged perpetrator"
    )
    witness = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)
    reporter = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label="Reported by"
    )

    ROLES = {
        "victim": InvolvementRole.VICTIM,
        "perpetrator": InvolvementRole.PERPETRATOR,
        "witness": InvolvementRole.WITNESS,
        "reporter": InvolvementRole.REPORTER,
    }

    def __init__(self, *args: Any, people: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.ROLES:
            self.fields[name].queryset = people  # type: ignore[attr-defined]
        self.kind = kind
        self.fields["category"].initial = kind
        for name, kinds in KIND_FIELDS.items():
            if kind not in kinds:
                del self.fields[name]

    def clean_lsoa(self) -> Any:
        from safer.crimedata.models import Lsoa

        code = self.cleaned_data["lsoa"].strip().upper()
        if not code:
            return None
        lsoa = Lsoa.objects.select_related("area").filter(code=code).first()
        if lsoa is None:
            raise forms.ValidationError(
                f"There is no LSOA {code} in Lancashire's list: check the code, like E01025300."
            )
        return lsoa

    def clean_occurred_on(self) -> Any:
        from safer.incidents.standard import occurred_on_error

        day = self.cleaned_data["occurred_on"]
        if (error := occurred_on_error(day, timezone.localdate())) is not None:
            raise forms.ValidationError(error)
        return day

    def clean(self) -> dict[str, Any]:
        """The standard's own rules too, so every problem shows at once (the action rechecks)."""
        from safer.incidents.models import Incident
        from safer.incidents.standard import category_errors, people_errors, place_errors

        data = super().clean() or {}
        if data.get("category"):
            draft = Incident(
                category=data["category"],
                asb_category=data.get("asb_category", ""),
                abuse_types=list(data.get("abuse_types", [])),
                relationship=data.get("relationship", ""),
                hate_strands=list(data.get("hate_strands", [])),
                lsoa=data.get("lsoa"),
                area=data.get("area"),
            )
            for field, message in {**category_errors(draft), **place_errors(draft)}.items():
                self.add_error(field, message)
        for _, message in people_errors(self.people()).items():
            self.add_error(None, message)
        return data

    def people(self) -> list[tuple[Person, InvolvementRole]]:
        pairs = [(self.cleaned_data.get(name), role) for name, role in self.ROLES.items()]
        return [(person, role) for person, role in pairs if person is not None]

    def standard(self) -> dict[str, Any]:
        """The recording standard's fields, for do_record_incident."""
        data = self.cleaned_data
        return {
            "area": data["area"],
            "lsoa": data["lsoa"],
            "agency_reference": data["agency_reference"].strip(),
            "risk_level": data["risk_level"],
            "asb_category": data.get("asb_category", ""),
            "abuse_types": list(data.get("abuse_types", [])),
            "relationship": data.get("relationship", ""),
            "hate_strands": list(data.get("hate_strands", [])),
            "alcohol_involved": _yes_no(data["alcohol_involved"]),
            "drugs_involved": _yes_no(data["drugs_involved"]),
            "outcome": data["outcome"] or Outcome.OPEN,
        }


class IncidentFilterForm(forms.Form):
    """The incident list's filters; a bad value is said, not silently dropped."""

    category = forms.ChoiceField(
        required=False, choices=[("", "Any type"), *IncidentCategory.choices], label="Type"
    )
    area = forms.ModelChoiceField(
        queryset=CspArea.objects.all(), required=False, empty_label="Any area", label="Area"
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Any agency",
        label="Recorded by",
        error_messages={
            "invalid_choice": "Choose an agency from the list: yours, or one that shares "
            "incidents with yours."
        },
    )
    occurred_from = forms.DateField(
        required=False,
        label="From (YYYY-MM-DD)",
        error_messages={"invalid": "Enter the first date as year-month-day, like 2026-01-31."},
    )
    occurred_to = forms.DateField(
        required=False,
        label="To (YYYY-MM-DD)",
        error_messages={"invalid": "Enter the last date as year-month-day, like 2026-03-31."},
    )
    flag = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any"),
            ("any", "Any repeat, high-risk or vulnerable victim"),
            *Flag.choices,
        ],
        label="Flags",
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        """`organisations`: those whose incidents the user may see (the access layer's)."""
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("occurred_from"), data.get("occurred_to")
        if start and end and start > end:
            self.add_error("occurred_to", "The last date must be on or after the first date.")
        return data


class ShareForm(forms.Form):
    recipient = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Share with",
        error_messages={"required": "Choose the organisation to share with."},
    )
    agreement = forms.ModelChoiceField(
        queryset=SharingAgreement.objects.none(),
        label="Under the sharing agreement",
        error_messages={"required": "Choose the live agreement this share is made under."},
    )
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Purpose of sharing",
        error_messages={"required": "Say why you are sharing this record."},
    )
    consent = forms.ChoiceField(
        choices=Consent.choices,
        widget=forms.RadioSelect,
        label="Consent",
        error_messages={"required": "Say whether the person consented."},
    )
    override_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Without consent: why sharing is justified",
    )
    expires_on = forms.DateField(label="Share ends after (YYYY-MM-DD)")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreements = SharingAgreement.objects.live().filter(parties=user.organisation_id)
        self.fields["agreement"].queryset = agreements  # type: ignore[attr-defined]
        self.fields["recipient"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(sharing_agreements__in=agreements)
            .exclude(Q(pk=user.organisation_id))
            .distinct()
        )
        self.fields["expires_on"].initial = timezone.localdate() + timedelta(days=90)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        consent = data.get("consent")
        if consent and consent != Consent.GIVEN and not data.get("override_reason", "").strip():
            self.add_error(
                "override_reason",
                "Without the person's consent, explain why sharing is justified.",
            )
        day = data.get("expires_on")
        if day and day < timezone.localdate():
            self.add_error("expires_on", "The share must end in the future.")
        return data

    def expires_at(self) -> datetime:
        day = self.cleaned_data["expires_on"]
        return timezone.make_aware(datetime.combine(day, time.max))


class MatchDecisionForm(forms.Form):
    """A case worker's decision on a suggested match; a rejection must say why."""

    decision = forms.ChoiceField(
        choices=[("confirm", "Confirm"), ("reject", "Reject")],
        error_messages={"required": "Choose to confirm or to reject the match."},
    )
    reason = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason",
    )


class ImportForm(forms.Form):
    """An incident extract to import (the CSV format in docs/recording-standard.md)."""

    file = forms.FileField(
        label="Incident extract",
        help_text="A CSV file in the incident extract format, saved as UTF-8 (in Excel: "
        "\u201cCSV UTF-8\u201d).",
        error_messages={
            "required": "Choose the extract file to import.",
            "empty": "The file is empty: choose an extract with a header and rows.",
        },
    )

    def clean_file(self) -> Any:
        from safer.incidents.actions import incident_import_limit, megabytes

        upload = self.cleaned_data["file"]
        limit = incident_import_limit()
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {megabytes(upload.size)}, over the limit of {megabytes(limit)}: "
                "split the extract into smaller files (by date, for example) and import each."
            )
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The extract must be a CSV file, its name ending in .csv.")
        return upload
