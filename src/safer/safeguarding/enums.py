"""The lists risk assessment, referrals and conferences use."""

from __future__ import annotations

from django.db import models


class FormKind(models.TextChoices):
    DASH = "dash", "DASH risk checklist (domestic abuse, stalking, 'honour'-based abuse)"
    ASB = "asb", "Anti-social behaviour victim risk assessment"


class Answer(models.TextChoices):
    """An answer to one question; an empty answer means it was not asked or not recorded."""

    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class RiskLevel(models.TextChoices):
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class AssessmentStatus(models.TextChoices):
    INCOMPLETE = "incomplete", "Incomplete: questions unanswered, not scored"
    COMPLETE = "complete", "Complete"


class ConferenceKind(models.TextChoices):
    MARAC = "marac", "MARAC (domestic abuse)"
    ASBRAC = "asbrac", "ASBRAC (anti-social behaviour)"


class ReferralReason(models.TextChoices):
    """SafeLives' referral criteria (a repeat is found by Safer, not chosen)."""

    THRESHOLD = "threshold", "Visible high risk: the checklist reaches the threshold"
    PROFESSIONAL_JUDGEMENT = "professional_judgement", "Professional judgement"
    ESCALATION = "escalation", "Potential escalation (for example 3 or more incidents in 12 months)"


class ReferralConsent(models.TextChoices):
    GIVEN = "given", "The victim consented to the referral"
    NOT_GIVEN = "not_given", "Referred without consent (the reason is recorded)"


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", "Referred: waiting for a conference"
    LISTED = "listed", "On a conference agenda"
    DISCUSSED = "discussed", "Discussed"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class CseKind(models.TextChoices):
    INTELLIGENCE = "intelligence", "Intelligence submission"
    REFERRAL = "referral", "Referral of a child or young person at risk"
