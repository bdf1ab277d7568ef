from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from safer.crimedata import aggregates as agg
from safer.crimedata.actions import police_upload_limit
from safer.crimedata.enums import CrimeType
from safer.crimedata.models import Force
from safer.partnership.models import CspArea


class PictureFilterForm(forms.Form):
    """The crime picture's filters, read from the query string so every view can be shared."""

    force = forms.ChoiceField(label="Police force", required=False)
    area = forms.ChoiceField(label="Area", required=False)
    start = forms.ChoiceField(label="From", required=False)
    end = forms.ChoiceField(label="To", required=False)
    crime = forms.ChoiceField(label="Crime type or priority", required=False)
    peers = forms.MultipleChoiceField(
        label="Peer group",
        required=False,
        help_text="Similar areas to set the chosen area beside, as in a most similar group.",
    )

    def __init__(self, *args: Any, months: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        month_choices = [("", "Last 12 loaded"), *[(m, m) for m in months]]
        choices: dict[str, list[Any]] = {
            "force": [(n, n) for n in Force.objects.values_list("name", flat=True)],
            "area": [
                ("", "All areas"),
                *[(name, name) for name in CspArea.objects.values_list("name", flat=True)],
                ("no location", agg.NO_LOCATION),
                ("outside", agg.OUTSIDE),
            ],
            "start": month_choices,
            "end": month_choices,
            "peers": [(name, name) for name in CspArea.objects.values_list("name", flat=True)],
            "crime": [
                ("", "All crime and ASB"),
                ("Priority groups", [(g.slug, g.label) for g in agg.PRIORITY_GROUPS]),
                ("police.uk categories", [(str(c), str(c.label)) for c in CrimeType]),
            ],
        }
        for name, field in self.fields.items():
            field.choices = choices[name]  # type: ignore[attr-defined]
            if name != "peers":
                field.widget.attrs["class"] = "govuk-select"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "The last month must not be before the first")
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label="police.uk file",
        help_text="A street-level CSV (2021-04-lancashire-street.csv) or the zip archive "
        "police.uk gives you to download.",
        error_messages={
            "required": "Choose a police.uk CSV or zip file to import",
            "empty": "The file is empty: choose the CSV or zip you downloaded from police.uk",
        },
    )
    file.widget.attrs["class"] = "govuk-file-upload"
    file.widget.attrs["accept"] = ".csv,.zip"

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = police_upload_limit()
        size = upload.size or 0
        if size > limit:
            raise forms.ValidationError(
                f"The file is {filesizeformat(size)}, over the limit of "
                f"{filesizeformat(limit)}: upload the months in smaller archives or one CSV "
                "at a time"
            )
        return upload
