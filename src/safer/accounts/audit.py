"""Writing and checking the audit log (see `AuditEvent` for what an entry says).

`record_event` is the only way an entry is written. Entries are appended one after another
under a row lock on `AuditChainHead`, so each entry's hash covers the one before it and two
web processes cannot fork the chain. `verify_chain` recomputes every hash from the first entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from safer.accounts.enums import AuditAction, Purpose
from safer.accounts.models import AuditChainHead, AuditEvent, User
from safer.core.bulk import insert_rows

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


@dataclass(frozen=True, slots=True)
class RecordRef:
    """A record as an audit entry names it, for writing many entries without loading the
    records: what `_record_facts` would take from a model instance."""

    content_type_id: int
    object_id: int
    reference: str
    organisation_id: int | None
    person_id: int | None = None


@transaction.atomic
def record_bulk_events(
    user: User | None,
    action: AuditAction,
    records: Sequence[RecordRef],
    *,
    purpose: Purpose,
    detail: dict[str, Any] | None = None,
) -> int:
    """The entries `record_events` would append, one per record, for thousands of records at
    once (an import): the same content and the same chain, written in bulk. Returns how many."""
    if not records:
        return 0
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    now = timezone.now()
    actor_id = user.pk if user else None
    username = user.username if user else "(system)"
    actor_organisation_id = user.organisation_id if user else None
    action_value, purpose_value, facts = (
        AuditAction(action).value,
        Purpose(purpose).value,
        detail or {},
    )
    common = {
        "at": now.astimezone(UTC).isoformat(),
        "actor": actor_id,
        "actor_username": username,
        "actor_organisation": actor_organisation_id,
        "action": action_value,
        "purpose": purpose_value,
        "detail": facts,
    }
    detail_text = json.dumps(facts)
    # The content's JSON as chain_hash() writes it, with holes for what differs per entry:
    # keys are sorted, so the same dict with other values dumps to the same text around them.
    holes = ("sequence", "content_type", "object_id", "record_reference",
             "record_organisation", "person_id")  # fmt: skip
    template = json.dumps(
        {**common, **{name: f"@@{name}@@" for name in holes}},
        sort_keys=True,
        separators=(",", ":"),
    )
    template = template.replace("{", "{{").replace("}", "}}")
    for name in holes:
        template = template.replace(f'"@@{name}@@"', f"{{{name}}}")
    sequence, previous = head.last_sequence, head.last_hash
    rows = []
    for record in records:
        sequence += 1
        payload = template.format(
            sequence=sequence,
            content_type=_number(record.content_type_id),
            object_id=_number(record.object_id),
            record_reference=json.dumps(record.reference),
            record_organisation=_number(record.organisation_id),
            person_id=_number(record.person_id),
        )
        digest = hashlib.sha256(f"{previous}:{payload}".encode()).hexdigest()
        rows.append(
            (
                sequence,
                now,
                actor_id,
                username,
                actor_organisation_id,
                action_value,
                record.content_type_id,
                record.object_id,
                record.reference,
                record.organisation_id,
                record.person_id,
                purpose_value,
                detail_text,
                previous,
                digest,
            )
        )
        previous = digest
    insert_rows(AuditEvent._meta.db_table, _BULK_COLUMNS, rows)
    head.last_sequence, head.last_hash = sequence, previous
    head.save(update_fields=["last_sequence", "last_hash"])
    return len(rows)


def _number(value: int | None) -> str:
    """An id as JSON writes it."""
    return "null" if value is None else str(int(value))


_BULK_COLUMNS = (
    "sequence",
    "at",
    "actor_id",
    "actor_username",
    "actor_organisation_id",
    "action",
    "content_type_id",
    "object_id",
    "record_reference",
    "record_organisation_id",
    "person_id",
    "purpose",
    "detail",
    "previous_hash",
    "hash",
)


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
