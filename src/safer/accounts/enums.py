from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    """What a person does in Safer (DESIGN.md, "Who uses it")."""

    ADMINISTRATOR = "administrator", "Administrator"
    DATA_PROTECTION_OFFICER = "data_protection_officer", "Data protection officer"
    BOARD_MEMBER = "board_member", "Board member"
    THEME_LEAD = "theme_lead", "Theme lead"
    ANALYST = "analyst", "Partnership analyst"
    CASE_WORKER = "case_worker", "Case worker"
    CONFERENCE_COORDINATOR = "conference_coordinator", "Conference coordinator"
    OFFENDER_MANAGER = "offender_manager", "Offender manager"
