"""Forms of the performance cycle. Each keeps what the user typed when it is refused."""

from __future__ import annotations

from typing import Any

from django import forms

from safer.accounts.models import User
from safer.core.periods import FinancialYear, Quarter, sentence
from safer.partnership.models import Organisation
from safer.strategy.enums import (
    ActionStatus,
    Direction,
    MeasureKind,
    MeasureSourceKind,
    MilestoneStatus,
    PlanItemKind,
)
from safer.strategy.measure_sources import source_choices
from safer.strategy.models import Measure, StrategicAssessment, Theme


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class MeasureValueForm(forms.Form):
    value = forms.DecimalField(
        required=False,
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": "Enter the value as a number, like 412 or 12.5"},
    )
    milestone_status = forms.ChoiceField(
        label="How far has it got?",
        required=False,
        choices=[("", "Choose…"), *MilestoneStatus.choices],
    )
    comment = forms.CharField(
        label="Commentary for the Board",
        required=False,
        widget=forms.Textarea,
        help_text="What the figure means and what is being done about it",
    )
    evidence_file = forms.FileField(
        label="Evidence file",
        required=False,
        help_text="A spreadsheet, report or minutes (up to 10 MB)",
    )
    evidence_url = forms.URLField(
        label="Or a link to the evidence",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a full web address, starting https://"},
    )

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if measure.direction == Direction.MILESTONE:
            del self.fields["value"]
        else:
            del self.fields["milestone_status"]
            self.fields[
                "value"
            ].label = f"Value for the quarter{f' ({measure.unit})' if measure.unit else ''}"

    def clean_evidence_file(self) -> Any:
        upload = self.cleaned_data.get("evidence_file")
        if upload and upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError("The evidence file must be smaller than 10 MB")
        return upload


class ActionUpdateForm(forms.Form):
    action_status = forms.ChoiceField(
        label="Status at the end of the quarter", choices=ActionStatus.choices
    )
    progress_note = forms.CharField(
        label="Progress this quarter",
        widget=forms.Textarea,
        error_messages={"required": "Write a progress note for the quarter"},
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What should the theme lead change?",
        widget=forms.Textarea,
        error_messages={"required": "Say what the theme lead should change"},
    )


class CorrectionForm(forms.Form):
    value = forms.DecimalField(
        required=False,
        max_digits=14,
        decimal_places=2,
        label="Corrected value",
        error_messages={"invalid": "Enter the value as a number, like 412 or 12.5"},
    )
    milestone_status = forms.ChoiceField(
        label="Corrected status",
        required=False,
        choices=[("", "Choose…"), *MilestoneStatus.choices],
    )
    reason = forms.CharField(
        label="Reason for the correction",
        widget=forms.Textarea,
        help_text="It is kept with the value's history",
        error_messages={"required": "Say why the value of a closed quarter is corrected"},
    )

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if measure.direction == Direction.MILESTONE:
            del self.fields["value"]
        else:
            del self.fields["milestone_status"]


class MeasureDefinitionForm(forms.Form):
    kind = forms.ChoiceField(choices=MeasureKind.choices)
    direction = forms.ChoiceField(
        choices=[("", "Choose…"), *Direction.choices],
        required=False,
        help_text="RAG follows it: more reports of hate crime is better; fewer repeat victims",
    )
    unit = forms.CharField(
        required=False, max_length=60, help_text="For example: incidents, %, referrals"
    )
    baseline_value = forms.DecimalField(required=False, max_digits=14, decimal_places=2)
    baseline_period = forms.CharField(
        required=False, max_length=20, help_text="For example: 2010/11"
    )
    tolerance_percent = forms.DecimalField(
        label="Amber tolerance (% of target)",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        help_text="How far short of target is still Amber rather than Red",
    )
    source = forms.ChoiceField(choices=MeasureSourceKind.choices)
    source_key = forms.ChoiceField(label="Calculation", required=False)
    by_area = forms.BooleanField(label="Reported for each area as well as in total", required=False)
    milestone_due = forms.DateField(label="Milestone due date", required=False, widget=DateInput())
    lead_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"), required=False, empty_label="None"
    )
    lead = forms.ModelChoiceField(
        label="Named lead",
        queryset=User.objects.filter(is_active=True).order_by("last_name"),
        required=False,
        empty_label="The theme lead",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["source_key"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrows the type
        field.choices = [("", "None: entered by the theme lead"), *source_choices()]


class TargetForm(forms.Form):
    year = forms.CharField(
        label="Financial year",
        help_text="For example: 2012/13",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}),
    )
    quarter = forms.TypedChoiceField(
        label="Quarter",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "The whole year"),
            ("1", "Q1 (April–June)"),
            ("2", "Q2 (July–September)"),
            ("3", "Q3 (October–December)"),
            ("4", "Q4 (January–March)"),
        ],
    )
    value = forms.DecimalField(
        label="Target",
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": "Enter the target as a number"},
    )

    def clean_year(self) -> int:
        try:
            return FinancialYear.parse(self.cleaned_data["year"]).start_year
        except ValueError as exc:
            raise forms.ValidationError(sentence(str(exc))) from None


class ActionPlanForm(forms.Form):
    lead_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"), required=False, empty_label="None"
    )
    lead = forms.ModelChoiceField(
        label="Named lead",
        queryset=User.objects.filter(is_active=True).order_by("last_name"),
        required=False,
        empty_label="The theme lead",
    )
    start_date = forms.DateField(required=False, widget=DateInput())
    due_date = forms.DateField(required=False, widget=DateInput())


class OpenPeriodForm(forms.Form):
    quarter = forms.CharField(
        help_text="The financial year's start and the quarter, for example 2012-Q2",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    deadline = forms.DateField(widget=DateInput(), help_text="When updates are due")

    def clean_quarter(self) -> Quarter:
        try:
            return Quarter.parse(self.cleaned_data["quarter"])
        except ValueError as exc:
            raise forms.ValidationError(sentence(str(exc))) from None


class RefreshForm(forms.Form):
    strategic_assessment = forms.ModelChoiceField(
        queryset=StrategicAssessment.objects.none(),
        required=False,
        empty_label="None recorded",
        help_text="The year's strategic assessment the refresh answers",
    )

    def __init__(self, *args: Any, agreement: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["strategic_assessment"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = agreement.strategic_assessments.all()


class PlanItemChangeForm(forms.Form):
    text = forms.CharField(label="Wording", widget=forms.Textarea, required=False)
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for the change, for the record"},
    )


class PlanItemAddForm(forms.Form):
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), empty_label="Choose a theme")
    item_kind = forms.ChoiceField(label="Kind of line", choices=PlanItemKind.choices)
    text = forms.CharField(label="Wording", widget=forms.Textarea)
    reason = forms.CharField(
        label="Reason for adding it",
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for the change, for the record"},
    )

    def __init__(self, *args: Any, agreement: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["theme"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = agreement.themes.order_by("number")
