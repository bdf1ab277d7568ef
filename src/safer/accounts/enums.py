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
    # Held only by the service user behind an organisation's API token (accounts.ApiToken).
    PARTNER_SYSTEM = "partner_system", "Partner system (API token)"


class LegalBasis(models.TextChoices):
    """The law that lets one agency share personal data with another."""

    CDA_1998_S115 = (
        "cda_1998_s115",
        "Section 115, Crime and Disorder Act 1998 (disclosure to a relevant authority "
        "for the purposes of the Act)",
    )
    CHILDREN_ACT_2004_S11 = (
        "children_act_2004_s11",
        "Section 11, Children Act 2004 (safeguarding and promoting the welfare of children)",
    )
    CARE_ACT_2014_S45 = (
        "care_act_2014_s45",
        "Section 45, Care Act 2014 (safeguarding adults boards)",
    )
    PUBLIC_TASK = (
        "public_task",
        "UK GDPR Article 6(1)(e), public task, with DPA 2018 Schedule 1 substantial public "
        "interest conditions",
    )
    CONSENT = "consent", "The person's consent (UK GDPR Article 6(1)(a))"


class DataCategory(models.TextChoices):
    IDENTITY = "identity", "Identity: names, date of birth, gender"
    CONTACT = "contact", "Addresses and contact preferences"
    SPECIAL = "special", "Special category data: ethnicity, health"
    INCIDENTS = "incidents", "Incidents and the people in them"
    VULNERABILITY = "vulnerability", "Vulnerability and risk"
    CRIMINAL = "criminal", "Criminal offence data"


class Consent(models.TextChoices):
    """Whether the person agreed to this share, or what justifies sharing without it."""

    GIVEN = "given", "The person consented"
    OVERRIDE_RISK = (
        "override_risk",
        "Not sought or refused: sharing is needed to protect someone from serious harm",
    )
    OVERRIDE_CRIME = (
        "override_crime",
        "Not sought: seeking consent would prejudice the prevention or detection of crime",
    )
    OVERRIDE_CHILD = (
        "override_child",
        "Not sought or refused: a child is at risk of significant harm",
    )


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH_RESULT = "search_result", "Shown in a list or search result"
    EXPORT = "export", "Exported"
    CREATE = "create", "Recorded"
    CHANGE = "change", "Changed"
    SHARE = "share", "Shared"
    REVOKE = "revoke", "Share revoked"
    SUBJECT_ACCESS = "subject_access", "Included in a subject access report"
    RESTRICT = "restrict", "Processing restricted"
    ERASE = "erase", "Erased or anonymised"
    ISSUE_TOKEN = "issue_token", "API token issued"
    REVOKE_TOKEN = "revoke_token", "API token revoked"
    DENIED = "denied", "Refused: asked for a record they may not see"


class Purpose(models.TextChoices):
    """Why a user looked at or changed a record: the purpose stated in the audit log."""

    CASE_WORK = "case_work", "Case work"
    SAFEGUARDING = "safeguarding", "Safeguarding a person at risk"
    CONFERENCE = "conference", "Preparing for or attending a case conference"
    DATA_QUALITY = "data_quality", "Checking or correcting the record"
    SUBJECT_RIGHTS = "subject_rights", "Answering a data subject's request"
    RETENTION = "retention", "Retention review"
    ADMINISTRATION = "administration", "Administering who and what may reach records"


class SubjectRight(models.TextChoices):
    """The data subject's rights a partnership is asked to act on (UK GDPR Articles 15-18)."""

    ACCESS = "access", "Access: a copy of everything held"
    RECTIFICATION = "rectification", "Rectification: correct what is wrong"
    RESTRICTION = "restriction", "Restriction: keep it, but stop using or sharing it"
    ERASURE = "erasure", "Erasure: remove it"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETED = "completed", "Completed"
    REFUSED = "refused", "Refused"
