from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from safer.incidents.models import Incident, Person
from safer.partnership.models import CspArea, Organisation
from safer.safeguarding.actions import Response
from safer.safeguarding.enums import (
    ActionStatus,
    Answer,
    CseKind,
    ReferralConsent,
    ReferralReason,
    RiskLevel,
)
from safer.safeguarding.models import Panel, RiskAssessment, RiskForm

DATE_ERRORS = {
    "required": "Enter the date.",
    "invalid": "Enter the date as year-month-day, like 2026-03-14.",
}


class AssessmentForm(forms.Form):
    """One version of a risk form, question by question: each answered yes, no or not known,
    with the victim's own words and the officer's notes. Unanswered questions are allowed: the
    assessment is then saved as incomplete, never scored."""

    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Victim",
        error_messages={
            "required": "Choose the victim this assessment is about.",
            "invalid_choice": "Choose a person your organisation holds or has been shared.",
        },
    )
    assessed_on = forms.DateField(
        label="Date of the assessment (YYYY-MM-DD)", error_messages=DATE_ERRORS
    )

    def __init__(
        self, *args: Any, risk_form: RiskForm, people: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.risk_form = risk_form
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["assessed_on"].initial = timezone.localdate()
        self.questions = list(risk_form.questions.order_by("number"))
        for question in self.questions:
            self.fields[f"q{question.number}"] = forms.ChoiceField(
                required=False,
                choices=Answer.choices,
                widget=forms.RadioSelect,
                label=f"{question.number}. {question.text}",
                help_text=question.hint,
            )
            self.fields[f"q{question.number}_words"] = forms.CharField(
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                label=f"Question {question.number}: the victim's own words",
            )
            self.fields[f"q{question.number}_notes"] = forms.CharField(
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                label=f"Question {question.number}: officer's notes",
            )
        self.fields["judged_level"] = forms.ChoiceField(
            required=False,
            choices=[("", "No: the checklist's result stands"), *RiskLevel.choices],
            label="Does your professional judgement raise the risk level?",
            help_text="Judgement can raise the level, never lower the checklist's result.",
        )
        self.fields["judgement_reason"] = forms.CharField(
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            label="Why (for example: strangulation, stalking, threats to kill, escalation)",
        )

    def question_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"q{q.number}"], self[f"q{q.number}_words"], self[f"q{q.number}_notes"])
            for q in self.questions
        ]

    def responses(self) -> dict[int, Response]:
        data = self.cleaned_data
        return {
            q.number: Response(
                answer=data.get(f"q{q.number}") or "",
                victims_words=data.get(f"q{q.number}_words") or "",
                notes=data.get(f"q{q.number}_notes") or "",
            )
            for q in self.questions
        }


class ReferralForm(forms.Form):
    panel = forms.ModelChoiceField(
        queryset=Panel.objects.all(),
        label="Refer to",
        error_messages={"required": "Choose the MARAC or ASBRAC to refer to."},
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Victim",
        error_messages={
            "required": "Choose the victim you are referring.",
            "invalid_choice": (
                "You cannot refer this person: their record is not held by or shared with "
                "your organisation."
            ),
        },
    )
    reason = forms.ChoiceField(
        choices=ReferralReason.choices,
        widget=forms.RadioSelect,
        label="Reason for the referral",
        error_messages={"required": "Choose the reason for the referral."},
    )
    concern = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What is the concern?",
        help_text="Required for professional judgement and escalation.",
    )
    assessments = forms.ModelMultipleChoiceField(
        queryset=RiskAssessment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Risk assessments to attach",
    )
    incidents = forms.ModelMultipleChoiceField(
        queryset=Incident.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Incidents to attach",
    )
    consent = forms.ChoiceField(
        choices=ReferralConsent.choices,
        widget=forms.RadioSelect,
        label="Did the victim consent to the referral?",
        error_messages={"required": "Say whether the victim consented."},
    )
    no_consent_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason for referring without consent",
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[Person],
        assessments: QuerySet[RiskAssessment],
        incidents: QuerySet[Incident],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["assessments"].queryset = assessments  # type: ignore[attr-defined]
        self.fields["incidents"].queryset = incidents  # type: ignore[attr-defined]


class ConferenceForm(forms.Form):
    panel = forms.ModelChoiceField(
        queryset=Panel.objects.none(),
        error_messages={"required": "Choose the panel that meets."},
    )
    meets_on = forms.DateField(label="Date of the meeting (YYYY-MM-DD)", error_messages=DATE_ERRORS)
    chair = forms.CharField(max_length=200, error_messages={"required": "Name the chair."})
    attending = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label="Agencies attending",
        error_messages={"required": "Choose the agencies attending."},
    )

    def __init__(self, *args: Any, panels: QuerySet[Panel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels  # type: ignore[attr-defined]


class ResearchForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What your agency's records show",
        error_messages={"required": "Write what your agency's records show."},
    )


class DiscussionForm(forms.Form):
    risks = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Risks discussed",
        error_messages={"required": "Record the risks discussed."},
    )
    outcome = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Outcome"
    )


class ActionForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Owning agency",
        empty_label="Choose the agency",
        error_messages={"required": "Choose the agency that owns the action."},
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Action",
        error_messages={"required": "Say what is to be done."},
    )
    due_on = forms.DateField(
        label="Due by (YYYY-MM-DD)",
        error_messages={
            "required": "Enter the date the action is due.",
            "invalid": DATE_ERRORS["invalid"],
        },
    )

    def __init__(self, *args: Any, agencies: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = agencies  # type: ignore[attr-defined]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)


class CseForm(forms.Form):
    kind = forms.ChoiceField(
        choices=CseKind.choices,
        widget=forms.RadioSelect,
        label="Is this intelligence or a referral?",
        error_messages={"required": "Say whether this is intelligence or a referral."},
    )
    what = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What: the concern or intelligence",
        error_messages={"required": "Say what the concern or intelligence is."},
    )
    who = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Who: the child or young person, and anyone of concern",
        error_messages={"required": "Say who it is about."},
    )
    where = forms.CharField(
        max_length=300,
        label="Where: a place, address or area",
        error_messages={"required": "Say where."},
    )
    area = forms.ModelChoiceField(
        queryset=CspArea.objects.all(), required=False, empty_label="Not known", label="CSP area"
    )
    lead_agency = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        label="Lead agency it goes to",
        empty_label="Choose the lead agency",
        error_messages={"required": "Choose the lead agency it goes to."},
    )
