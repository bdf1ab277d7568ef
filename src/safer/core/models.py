"""Building blocks shared by every app."""

from __future__ import annotations

from django.db import models


class TimeStampedModel(models.Model):
    """When a row was made and last changed: the minimum every record should say about itself."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AgencyOwned(TimeStampedModel):
    """A record about people, owned by the organisation that recorded it.

    Ownership decides visibility: the owning organisation sees the record, another sees it only
    through the access layer (`safer.accounts.access`), from a live share or a conference. Nothing
    else may filter these records for display.
    """

    organisation = models.ForeignKey(
        "partnership.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organisation that recorded this and is its data controller.",
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        abstract = True
