from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from safer.accounts.enums import DataCategory, LegalBasis, SubjectRight
from safer.partnership.models import Organisation


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": ("Enter a correct username and password. Both are case-sensitive."),
    }


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your app, or a recovery code."},
    )


class AuditSearchForm(forms.Form):
    person = forms.IntegerField(
        required=False,
        min_value=1,
        label="Person record number",
        help_text="The number in the person's reference, P000123 is 123.",
    )
    user = forms.CharField(required=False, max_length=150, label="Username")
    record = forms.CharField(
        required=False, max_length=40, label="Record reference", help_text="For example I000042."
    )
    date_from = forms.DateField(required=False, label="From (YYYY-MM-DD)")
    date_to = forms.DateField(required=False, label="To (YYYY-MM-DD)")

    def clean_record(self) -> str:
        return str(self.cleaned_data["record"]).strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data


class SharingAgreementForm(forms.Form):
    title = forms.CharField(max_length=200)
    parties = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the organisations that are party to it."},
    )
    purpose = forms.CharField(widget=forms.Textarea)
    legal_basis = forms.ChoiceField(choices=LegalBasis.choices)
    data_categories = forms.MultipleChoiceField(
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the categories of data it covers."},
    )
    starts_on = forms.DateField(label="Starts on (YYYY-MM-DD)")
    review_on = forms.DateField(label="Review by (YYYY-MM-DD)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("parties") is not None and len(data["parties"]) < 2:
            self.add_error("parties", "An agreement needs at least two organisations.")
        start, review = data.get("starts_on"), data.get("review_on")
        if start and review and review < start:
            self.add_error("review_on", "The review date must be on or after the start date.")
        return data


class SubjectRequestForm(forms.Form):
    right = forms.ChoiceField(
        choices=SubjectRight.choices,
        widget=forms.RadioSelect,
        label="What the person asks for",
        error_messages={"required": "Choose what the person asks for."},
    )
    received_on = forms.DateField(label="Received on (YYYY-MM-DD)")
    details = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CompleteRequestForm(forms.Form):
    outcome = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What was done",
        error_messages={"required": "Say what was done, or why the request is refused."},
    )
    given_name = forms.CharField(required=False, max_length=100, label="Corrected given name")
    family_name = forms.CharField(required=False, max_length=100, label="Corrected family name")
    date_of_birth = forms.DateField(required=False, label="Corrected date of birth (YYYY-MM-DD)")
    refuse = forms.BooleanField(required=False, label="Refuse the request")


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Which system will use it?",
        help_text="For example: the case management system, Niche RMS export.",
        error_messages={
            "required": "Name the system that will use the token.",
            "max_length": "Keep the name to 100 characters or fewer.",
        },
    )
