"""Writing and checking the audit log (see `AuditEvent` for what an entry says).

`record_event` is the only way an entry is written. Entries are appended one after another
under a row lock on `AuditChainHead`, so each entry's hash covers the one before it and two
web processes cannot fork the chain. `verify_chain` recomputes every hash from the first entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from safer.accounts.enums import AuditAction, Purpose
from safer.accounts.models import AuditChainHead, AuditEvent, User

GENESIS = "0" * 64


def _record_facts(record: models.Model | None) -> dict[str, Any]:
    if record is None:
        return {}
    from safer.incidents.models import Person, describe

    return {
        "content_type": ContentType.objects.get_for_model(record),
        "object_id": record.pk,
        "record_reference": describe(record),
        "record_organisation_id": getattr(record, "organisation_id", None),
        "person_id": record.pk if isinstance(record, Person) else None,
    }


@transaction.atomic
def record_events(
    user: User | None,
    action: AuditAction,
    records: Sequence[models.Model | None],
    *,
    purpose: Purpose,
    detail: dict[str, Any] | None = None,
) -> list[AuditEvent]:
    """Append one entry per record (a list page writes one per person shown)."""
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    now = timezone.now()
    events = []
    for record in records:
        event = AuditEvent(
            sequence=head.last_sequence + 1,
            at=now,
            actor=user,
            actor_username=user.username if user else "(system)",
            actor_organisation_id=user.organisation_id if user else None,
            action=action,
            purpose=purpose,
            detail=detail or {},
            previous_hash=head.last_hash,
            **_record_facts(record),
        )
        event.hash = event.compute_hash()
        head.last_sequence, head.last_hash = event.sequence, event.hash
        events.append(event)
    AuditEvent.objects.bulk_create(events)
    head.save(update_fields=["last_sequence", "last_hash"])
    return events


def record_event(
    user: User | None,
    action: AuditAction,
    record: models.Model | None,
    *,
    purpose: Purpose,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    return record_events(user, action, [record], purpose=purpose, detail=detail)[0]


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    problem: str

    def __str__(self) -> str:
        return f"entry #{self.sequence}: {self.problem}"


def verify_chain(events: Iterable[AuditEvent] | None = None) -> list[ChainProblem]:
    """Every break in the chain: an entry altered, missing, or the newest ones removed."""
    if events is None:
        events = AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000)
    problems = []
    expected_previous, expected_sequence = GENESIS, 1
    for event in events:
        if event.sequence != expected_sequence:
            problems.append(
                ChainProblem(
                    expected_sequence,
                    f"missing (the next entry is #{event.sequence}): an entry was deleted",
                )
            )
        elif event.previous_hash != expected_previous:
            problems.append(ChainProblem(event.sequence, "does not follow the entry before it"))
        if event.compute_hash() != event.hash:
            problems.append(
                ChainProblem(event.sequence, "its content does not match its hash: altered")
            )
        expected_previous, expected_sequence = event.hash, event.sequence + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    last = expected_sequence - 1
    if head is not None and (head.last_sequence != last or head.last_hash != expected_previous):
        problems.append(
            ChainProblem(
                head.last_sequence,
                f"the chain should end at #{head.last_sequence} but ends at #{last}: "
                "the newest entries were removed or altered",
            )
        )
    return problems
