from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from safer.accounts.enums import Consent
from safer.accounts.models import SharingAgreement, User
from safer.incidents.enums import (
    ContactMethod,
    Ethnicity,
    Gender,
    IncidentCategory,
    InvolvementRole,
    VulnerabilityMarker,
)
from safer.incidents.models import Person
from safer.partnership.models import Organisation


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
        born = self.cleaned_data["date_of_birth"]
        if born and born > timezone.localdate():
            raise forms.ValidationError("The date of birth must be in the past.")
        return born


class IncidentForm(forms.Form):
    category = forms.ChoiceField(choices=IncidentCategory.choices)
    occurred_on = forms.DateField(label="Date it happened (YYYY-MM-DD)")
    location = forms.CharField(required=False, max_length=300)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    victim = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)
    perpetrator = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label="Alleged perpetrator"
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["victim"].queryset = people  # type: ignore[attr-defined]
        self.fields["perpetrator"].queryset = people  # type: ignore[attr-defined]

    def clean_occurred_on(self) -> Any:
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date it happened cannot be in the future.")
        return day

    def people(self) -> list[tuple[Person, InvolvementRole]]:
        pairs = [
            (self.cleaned_data.get("victim"), InvolvementRole.VICTIM),
            (self.cleaned_data.get("perpetrator"), InvolvementRole.PERPETRATOR),
        ]
        return [(person, role) for person, role in pairs if person is not None]


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
