from __future__ import annotations

from typing import Any

from django import forms

from safer.core.periods import Quarter
from safer.partnership.models import CspArea
from safer.strategy.models import Agreement


class BuildForm(forms.Form):
    quarter = forms.ChoiceField(label="Quarter")
    area = forms.ModelChoiceField(
        queryset=CspArea.objects.order_by("name"),
        required=False,
        empty_label="Whole partnership",
        to_field_name="ons_code",
        label="Area",
        help_text="For one community safety partnership area's figures",
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        periods = agreement.reporting_periods.order_by("-start_year", "-quarter")
        quarter = self.fields["quarter"]
        assert isinstance(quarter, forms.ChoiceField)  # noqa: S101 - narrows the type
        quarter.choices = [(p.code, f"{p} ({p.get_status_display().lower()})") for p in periods]

    def clean_quarter(self) -> Quarter:
        return Quarter.parse(self.cleaned_data["quarter"])
