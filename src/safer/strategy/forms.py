from __future__ import annotations

from typing import Any, cast

from django import forms

from safer.partnership.models import Organisation
from safer.strategy.models import Agreement, Theme


class LinkedPlanFilterForm(forms.Form):
    """Narrow the register of linked plans by owning organisation, theme and year."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="All organisations",
    )
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="All themes",
    )
    current_in = forms.IntegerField(
        label="Current in year",
        required=False,
        min_value=1990,
        max_value=2100,
        help_text="For example, 2012",
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_org = cast(forms.ModelChoiceField[Organisation], self.fields["organisation"])
        field_theme = cast(forms.ModelChoiceField[Theme], self.fields["theme"])
        field_org.queryset = (
            Organisation.objects.filter(plans__agreement=agreement).distinct().order_by("name")
        )
        field_theme.queryset = agreement.themes.order_by("number")
        field_org.error_messages["invalid_choice"] = (
            "Choose an organisation from the list: that one owns no linked plan"
        )
        field_theme.error_messages["invalid_choice"] = "Choose a theme of this agreement"
