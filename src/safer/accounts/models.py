"""People who use Safer, their roles, the sharing agreements and shares, and the audit log."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any, NoReturn

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from safer.accounts.enums import (
    AuditAction,
    Consent,
    DataCategory,
    LegalBasis,
    Purpose,
    RequestStatus,
    Role,
    SubjectRight,
)
from safer.core.models import TimeStampedModel
from safer.partnership.models import Organisation


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    job_title = models.CharField(max_length=200, blank=True)
    session_generation = models.PositiveIntegerField(
        default=0, help_text="Raised by 'sign out everywhere': every older session ends."
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django checks this hash on every request; folding in the generation lets
        # do_sign_out_everywhere end all sessions without changing the password.
        return salted_hmac(
            "safer.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def role_labels(self) -> list[str]:
        return [Role(grant.role).label for grant in self.role_grants.all()]

    def has_role(self, role: Role) -> bool:
        return any(grant.role == role for grant in self.role_grants.all())


class RoleGrant(models.Model):
    """One role a user holds; a user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=40, choices=Role.choices)

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="rolegrant_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class SharingAgreementQuerySet(models.QuerySet["SharingAgreement"]):
    def live(self, on: date | None = None) -> SharingAgreementQuerySet:
        on = on or timezone.localdate()
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on),
            starts_on__lte=on,
            review_on__gte=on,
            suspended=False,
        )


class SharingAgreement(TimeStampedModel):
    """An information sharing agreement: which organisations share what, why and under what law.

    It is *live* from its start date until its review date (an agreement not reviewed in time
    lapses), unless it ends earlier or is suspended. A share must cite a live agreement that
    names both the sharer's and the recipient's organisation, and it ends when the agreement does.
    """

    title = models.CharField(max_length=200, unique=True)
    parties = models.ManyToManyField(Organisation, related_name="sharing_agreements")
    purpose = models.TextField()
    legal_basis = models.CharField(max_length=40, choices=LegalBasis.choices)
    data_categories = models.JSONField(default=list, help_text="DataCategory values.")
    starts_on = models.DateField()
    review_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    suspended = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SharingAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__gte=models.F("starts_on")),
                name="sharingagreement_review_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("accounts:agreement-detail", args=[self.pk])

    def is_live(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return (
            not self.suspended
            and self.starts_on <= on <= self.review_on
            and (self.ends_on is None or on <= self.ends_on)
        )

    def category_labels(self) -> list[str]:
        return [DataCategory(c).label for c in self.data_categories]


class ShareQuerySet(models.QuerySet["Share"]):
    def live(self, at: datetime | None = None) -> ShareQuerySet:
        """Shares in force now: not revoked, not expired, under an agreement still live."""
        at = at or timezone.now()
        on = timezone.localdate(at)
        return self.filter(
            Q(agreement__ends_on__isnull=True) | Q(agreement__ends_on__gte=on),
            revoked_at__isnull=True,
            expires_at__gt=at,
            agreement__starts_on__lte=on,
            agreement__review_on__gte=on,
            agreement__suspended=False,
        )


class Share(models.Model):
    """One record shared by one organisation with another, for a purpose, until it expires.

    The record is any record about people (a person, an incident, and the records later parts
    add), named by content type and primary key. The sharer's organisation owns the record.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    record_reference = models.CharField(max_length=40)
    sharer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="shares_made")
    sharer_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="shares_made"
    )
    recipient = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="shares_received"
    )
    agreement = models.ForeignKey(SharingAgreement, on_delete=models.PROTECT, related_name="shares")
    purpose = models.TextField()
    legal_basis = models.CharField(max_length=40, choices=LegalBasis.choices)
    consent = models.CharField(max_length=20, choices=Consent.choices)
    override_reason = models.TextField(
        blank=True, help_text="Required when the person did not consent: why sharing is justified."
    )
    shared_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering = ["-shared_at", "-pk"]
        indexes = [
            # access.shared_ids(): what is shared with an organisation, by record type.
            models.Index(
                fields=["recipient", "content_type", "expires_at"], name="share_recipient_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("shared_at")),
                name="share_expires_after_shared",
            ),
            models.CheckConstraint(
                condition=~Q(recipient=models.F("sharer_organisation")),
                name="share_with_another_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_reference} shared with {self.recipient}"

    def is_live(self, at: datetime | None = None) -> bool:
        at = at or timezone.now()
        return (
            self.revoked_at is None
            and at < self.expires_at
            and self.agreement.is_live(timezone.localdate(at))
        )


def chain_hash(previous_hash: str, content: dict[str, Any]) -> str:
    """An audit entry's hash: SHA-256 of the previous entry's hash and the entry's content."""
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{previous_hash}:{payload}".encode()).hexdigest()


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditLogAppendOnlyError("The audit log is append-only: entries cannot be changed.")

    def delete(self) -> NoReturn:
        raise AuditLogAppendOnlyError("The audit log is append-only: entries cannot be deleted.")


class AuditLogAppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """One look at, or change to, personal data: who, when, which record, what and why.

    - `actor` (and `actor_username`, `actor_organisation`, kept as they were at the time) did
      `action` (`AuditAction`: view, search result, export, create, change, share, ...) to the
      record `content_type`/`object_id`, known by its `record_reference` (never a name: the log
      outlives erasure of the person), held by `record_organisation`, for `purpose` (`Purpose`)
      at `at`. `person_id` is the person the record is about when it is a person's record;
      `detail` holds action-specific facts (the share's recipient, the fields changed, the
      search terms).
    - Append-only. Entries are only ever added, by `safer.accounts.audit.record_event`; the
      model refuses save() of an existing row and delete(), its queryset refuses update() and
      delete(), and on PostgreSQL a trigger refuses UPDATE and DELETE for everyone else.
    - Hash-chained. Each entry's `hash` is the SHA-256 of its `sequence`, its content and the
      previous entry's hash; `AuditChainHead` keeps the last. `safer audit verify` recomputes
      the chain and names the first entry altered, removed or added out of turn.
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    actor_username = models.CharField(max_length=150)
    actor_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    record_reference = models.CharField(max_length=40, blank=True)
    record_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    detail = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [
            # The DPO's search by record and the subject access page.
            models.Index(fields=["content_type", "object_id"], name="auditevent_record_idx"),
            # The DPO's search by user and date, and unusual-access counts.
            models.Index(fields=["actor", "at"], name="auditevent_actor_at_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.actor_username} {self.action} {self.record_reference}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogAppendOnlyError(
                "The audit log is append-only: entries cannot be changed."
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogAppendOnlyError("The audit log is append-only: entries cannot be deleted.")

    def content(self) -> dict[str, Any]:
        """What the hash covers: every field but the hashes themselves."""
        return {
            "sequence": self.sequence,
            "at": self.at.astimezone(UTC).isoformat(),
            "actor": self.actor_id,
            "actor_username": self.actor_username,
            "actor_organisation": self.actor_organisation_id,
            "action": self.action,
            "content_type": self.content_type_id,
            "object_id": self.object_id,
            "record_reference": self.record_reference,
            "record_organisation": self.record_organisation_id,
            "person_id": self.person_id,
            "purpose": self.purpose,
            "detail": self.detail,
        }

    def compute_hash(self) -> str:
        return chain_hash(self.previous_hash, self.content())

    def action_label(self) -> str:
        return AuditAction(self.action).label

    def purpose_label(self) -> str:
        return Purpose(self.purpose).label


class AuditChainHead(models.Model):
    """The last entry of the audit chain (one row): taken with a row lock to append in turn,
    and compared by `safer audit verify` so removing the newest entries is detected too."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain at #{self.last_sequence}"


class SubjectRightsRequest(TimeStampedModel):
    """A request from a person about the records an organisation holds on them, and what was
    done: recorded by the data protection officer, actioned through `do_complete_subject_request`
    (which restricts, anonymises or corrects the record and writes the audit log)."""

    person = models.ForeignKey(
        "incidents.Person", on_delete=models.PROTECT, related_name="rights_requests"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    right = models.CharField(max_length=20, choices=SubjectRight.choices)
    received_on = models.DateField()
    details = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_right_display()} request about {self.person.reference}"

    @property
    def due_on(self) -> date:
        """One calendar month to respond (UK GDPR Article 12(3)); taken as 30 days here."""
        from datetime import timedelta

        return self.received_on + timedelta(days=30)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(TimeStampedModel):
    """An organisation's key to the REST API (`/api/v1/`), for one partner system.

    Only a SHA-256 hash of the secret is kept: the secret is shown once, when the token is
    issued, and cannot be read back. Each token acts as its own service `user` of the
    organisation, holding only the partner-system role, so the audit log names the token behind
    every read and change it makes; revoking the token deactivates that user. Issued and revoked
    by the organisation's administrator (`do_issue_api_token`, `do_revoke_api_token`), audited.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="The system that uses it.")
    prefix = models.CharField(
        max_length=16, help_text="The secret's first characters, to recognise it by."
    )
    token_hash = models.CharField(max_length=64, unique=True)
    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="api_token")
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                condition=Q(revoked_at__isnull=True),
                name="apitoken_live_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def reference(self) -> str:
        return f"API token {self.prefix}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()
