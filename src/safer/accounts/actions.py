"""Every write to users and their roles goes through here."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from safer.accounts.audit import record_event
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
from safer.accounts.models import (
    ApiToken,
    RoleGrant,
    Share,
    SharingAgreement,
    SubjectRightsRequest,
    User,
)
from safer.accounts.permissions import Permission, has_permission
from safer.partnership.models import Organisation

if TYPE_CHECKING:
    from safer.incidents.models import Person


@transaction.atomic
def do_create_user(
    username: str,
    *,
    first_name: str,
    last_name: str,
    email: str,
    organisation: Organisation,
    roles: Iterable[Role],
    password: str | None,
    job_title: str = "",
    acting_user: User | None,
) -> User:
    """Create a user in an organisation with their roles; no password means they cannot sign in."""
    roles = list(roles)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        organisation=organisation,
        job_title=job_title,
        is_staff=Role.ADMINISTRATOR in roles,
        is_superuser=Role.ADMINISTRATOR in roles,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    RoleGrant.objects.bulk_create(RoleGrant(user=user, role=role) for role in roles)
    return user


@transaction.atomic
def do_create_sharing_agreement(
    *,
    title: str,
    parties: Iterable[Organisation],
    purpose: str,
    legal_basis: LegalBasis,
    data_categories: Iterable[DataCategory],
    starts_on: date,
    review_on: date,
    ends_on: date | None = None,
    acting_user: User | None,
) -> SharingAgreement:
    """Add an information sharing agreement to the register."""
    if acting_user is not None and not has_permission(
        acting_user, Permission.MANAGE_SHARING_AGREEMENTS
    ):
        raise PermissionDenied("Your role does not keep the register of sharing agreements.")
    parties = list(parties)
    if len(parties) < 2:
        raise ValidationError({"parties": "An agreement needs at least two organisations."})
    if review_on < starts_on:
        raise ValidationError({"review_on": "The review date must be on or after the start."})
    agreement = SharingAgreement(
        title=title.strip(),
        purpose=purpose.strip(),
        legal_basis=legal_basis,
        data_categories=list(data_categories),
        starts_on=starts_on,
        review_on=review_on,
        ends_on=ends_on,
        created_by=acting_user,
    )
    unknown = set(agreement.data_categories) - set(DataCategory.values)
    if unknown or not agreement.data_categories:
        raise ValidationError({"data_categories": "Choose the categories of data it covers."})
    agreement.full_clean()
    agreement.save()
    agreement.parties.set(parties)
    return agreement


@transaction.atomic
def do_share_record(
    record: models.Model,
    *,
    recipient: Organisation,
    agreement: SharingAgreement,
    purpose: str,
    consent: Consent,
    override_reason: str = "",
    expires_at: datetime,
    acting_user: User,
) -> Share:
    """Share a record the acting user's organisation holds with another, under a live agreement.

    Refused, with the reason, unless: the user may share; their organisation owns the record;
    the agreement is live and names both organisations; a purpose is given; without consent,
    the override is explained; and the share expires in the future."""
    problems: dict[str, str] = {}
    if not has_permission(acting_user, Permission.SHARE_PERSONAL_DATA):
        raise PermissionDenied("Your role does not share records.")
    organisation_id = acting_user.organisation_id
    if organisation_id is None or getattr(record, "organisation_id", None) != organisation_id:
        raise PermissionDenied("Only the organisation that recorded a record shares it.")
    if getattr(record, "restricted", False):
        problems["record"] = "Processing of this record is restricted: it cannot be shared."
    if recipient.pk == acting_user.organisation_id:
        problems["recipient"] = "Choose another organisation: yours already holds this record."
    if not agreement.is_live():
        suspended = ", and is suspended" if agreement.suspended else ""
        problems["agreement"] = (
            f"{agreement} is not live (it runs {agreement.starts_on:%-d %B %Y} to its review on "
            f"{agreement.review_on:%-d %B %Y}{suspended})."
        )
    party_ids = set(agreement.parties.values_list("pk", flat=True))
    if not {acting_user.organisation_id, recipient.pk} <= party_ids:
        problems["recipient"] = (
            f"{agreement} does not name both your organisation and {recipient} as parties."
        )
    if not purpose.strip():
        problems["purpose"] = "Say why you are sharing this record."
    if consent != Consent.GIVEN and not override_reason.strip():
        problems["override_reason"] = (
            "Without the person's consent, explain why sharing is justified."
        )
    now = timezone.now()
    if expires_at <= now:
        problems["expires_at"] = "The share must end in the future."
    if problems:
        raise ValidationError(problems)
    from safer.incidents.models import describe

    share = Share.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        record_reference=describe(record),
        sharer=acting_user,
        sharer_organisation_id=organisation_id,
        recipient=recipient,
        agreement=agreement,
        purpose=purpose.strip(),
        legal_basis=agreement.legal_basis,
        consent=consent,
        override_reason=override_reason.strip(),
        shared_at=now,
        expires_at=expires_at,
    )
    record_event(
        acting_user,
        AuditAction.SHARE,
        record,
        purpose=Purpose.CASE_WORK,
        detail={
            "share": share.pk,
            "recipient": recipient.slug,
            "agreement": agreement.pk,
            "purpose": share.purpose,
            "consent": consent,
            "expires_at": expires_at.isoformat(),
        },
    )
    return share


@transaction.atomic
def do_revoke_share(share: Share, *, acting_user: User) -> Share:
    """End a share now; only the sharing organisation can."""
    if share.sharer_organisation_id != acting_user.organisation_id or not has_permission(
        acting_user, Permission.SHARE_PERSONAL_DATA
    ):
        raise PermissionDenied("Only the organisation that shared a record revokes the share.")
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.revoked_by = acting_user
        share.save(update_fields=["revoked_at", "revoked_by"])
        record_event(
            acting_user,
            AuditAction.REVOKE,
            share.record,
            purpose=Purpose.CASE_WORK,
            detail={"share": share.pk, "recipient": share.recipient.slug},
        )
    return share


@transaction.atomic
def do_sign_out_everywhere(user: User, *, acting_user: User) -> None:
    """End every session the user has, on every device, including this one."""
    if acting_user.pk != user.pk and not has_permission(acting_user, Permission.MANAGE_USERS):
        raise PermissionDenied
    User.objects.filter(pk=user.pk).update(session_generation=models.F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])


@transaction.atomic
def do_record_subject_request(
    person: Person,
    *,
    right: SubjectRight,
    received_on: date,
    details: str,
    acting_user: User,
) -> SubjectRightsRequest:
    """Record a data subject's request about a person the DPO's organisation holds."""
    if (
        not has_permission(acting_user, Permission.MANAGE_RETENTION)
        or person.organisation_id != acting_user.organisation_id
    ):
        raise PermissionDenied("Only the holding organisation's DPO records these requests.")
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date received cannot be in the future."})
    request = SubjectRightsRequest.objects.create(
        person=person,
        organisation_id=person.organisation_id,
        right=right,
        received_on=received_on,
        details=details.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user,
        AuditAction.CHANGE,
        person,
        purpose=Purpose.SUBJECT_RIGHTS,
        detail={"request": request.pk, "right": right, "status": "recorded"},
    )
    return request


RECTIFIABLE = ("given_name", "family_name", "date_of_birth")


@transaction.atomic
def do_complete_subject_request(
    request: SubjectRightsRequest,
    *,
    outcome: str,
    acting_user: User,
    refuse: bool = False,
    corrections: dict[str, object] | None = None,
) -> SubjectRightsRequest:
    """Act on a request and close it: restriction marks the record restricted (no sharing or
    changes; its live shares end), erasure anonymises it, rectification applies the
    corrections given; access is answered by the subject access page. All audited."""
    from safer.incidents.actions import do_anonymise_person

    if (
        not has_permission(acting_user, Permission.MANAGE_RETENTION)
        or request.organisation_id != acting_user.organisation_id
    ):
        raise PermissionDenied("Only the holding organisation's DPO acts on these requests.")
    if request.status != RequestStatus.OPEN:
        raise ValidationError("This request is already closed.")
    if not outcome.strip():
        raise ValidationError({"outcome": "Say what was done, or why the request is refused."})
    person = request.person
    if not refuse:
        if request.right == SubjectRight.RESTRICTION:
            person.restricted = True
            person.save(update_fields=["restricted", "updated_at"])
            Share.objects.filter(
                content_type=ContentType.objects.get_for_model(person),
                object_id=person.pk,
                revoked_at__isnull=True,
            ).update(revoked_at=timezone.now(), revoked_by=acting_user)
            record_event(
                acting_user,
                AuditAction.RESTRICT,
                person,
                purpose=Purpose.SUBJECT_RIGHTS,
                detail={"request": request.pk},
            )
        elif request.right == SubjectRight.ERASURE:
            do_anonymise_person(
                person,
                acting_user=acting_user,
                purpose=Purpose.SUBJECT_RIGHTS,
                reason=f"Erasure request {request.pk}",
            )
        elif request.right == SubjectRight.RECTIFICATION:
            changes = {k: v for k, v in (corrections or {}).items() if k in RECTIFIABLE and v}
            for name, value in changes.items():
                setattr(person, name, value)
            person.full_clean()
            person.save()
            record_event(
                acting_user,
                AuditAction.CHANGE,
                person,
                purpose=Purpose.SUBJECT_RIGHTS,
                detail={"request": request.pk, "fields": sorted(changes)},
            )
    request.status = RequestStatus.REFUSED if refuse else RequestStatus.COMPLETED
    request.outcome = outcome.strip()
    request.closed_by = acting_user
    request.closed_at = timezone.now()
    request.save()
    record_event(
        acting_user,
        AuditAction.CHANGE,
        person,
        purpose=Purpose.SUBJECT_RIGHTS,
        detail={"request": request.pk, "right": request.right, "status": request.status},
    )
    return request


TOKEN_PREFIX = "safer_"  # noqa: S105 - the visible start of every token, not a secret
# last_used_at is a hint for the administrator, not a log: written at most once a minute.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def _require_token_admin(acting_user: User | None, organisation_id: int) -> None:
    """None is Safer itself (the create-api-token command); a user must administer users in
    the token's own organisation."""
    if acting_user is None:
        return
    if (
        not has_permission(acting_user, Permission.MANAGE_USERS)
        or acting_user.organisation_id != organisation_id
    ):
        raise PermissionDenied("Only an administrator of the organisation manages its API tokens.")


@transaction.atomic
def do_create_api_token(
    organisation: Organisation, *, name: str, acting_user: User | None
) -> tuple[ApiToken, str]:
    """Issue an API token for one of the organisation's systems; return it with its secret,
    which is shown this once and stored only as a hash.

    The token acts as a service user of the organisation that holds only the partner-system
    role (read and record people and incidents), so the audit log names it."""
    _require_token_admin(acting_user, organisation.pk)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Name the system that will use the token."})
    if len(name) > 100:
        raise ValidationError({"name": "Keep the name to 100 characters or fewer."})
    if ApiToken.objects.live().filter(organisation=organisation, name=name).exists():
        raise ValidationError(
            {"name": f"{organisation} already has a live token called “{name}”: revoke it first."}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    user = do_create_user(
        f"api.{organisation.slug}.{secrets.token_hex(4)}",
        first_name=name[:150],
        last_name="(API token)",
        email="",
        organisation=organisation,
        roles=[Role.PARTNER_SYSTEM],
        password=None,
        job_title="Partner system using the Safer API",
        acting_user=acting_user,
    )
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=ApiToken.hash_secret(secret),
        user=user,
        created_by=acting_user,
    )
    record_event(
        acting_user,
        AuditAction.ISSUE_TOKEN,
        token,
        purpose=Purpose.ADMINISTRATION,
        detail={"name": name, "service_user": user.username},
    )
    return token, secret


@transaction.atomic
def do_revoke_api_token(token: ApiToken, *, acting_user: User | None) -> ApiToken:
    """Revoke a token now: its next request is refused and its service user is deactivated."""
    _require_token_admin(acting_user, token.organisation_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = acting_user
        token.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        User.objects.filter(pk=token.user_id).update(is_active=False)
        record_event(
            acting_user,
            AuditAction.REVOKE_TOKEN,
            token,
            purpose=Purpose.ADMINISTRATION,
            detail={"name": token.name, "service_user": token.user.username},
        )
    return token


def do_note_api_token_use(token: ApiToken) -> None:
    """Remember when a token was last used (to the minute); not audited: the reads and
    changes it makes are."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
