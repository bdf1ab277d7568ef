"""Building blocks shared by every app."""

from __future__ import annotations

from django.db import models


class TimeStampedModel(models.Model):
    """When a row was made and last changed: the minimum every record should say about itself."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
