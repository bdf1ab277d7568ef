"""Importing an incident extract (do_import_incidents): the whole file or nothing, an updated
extract updates rather than duplicates, and every refused row is named with its column."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from safer.accounts.audit import verify_chain
from safer.accounts.enums import AuditAction, Purpose
from safer.accounts.models import AuditEvent, User
from safer.incidents.actions import do_anonymise_person, do_import_incidents, do_record_incident
from safer.incidents.enums import Flag, ImportStatus, IncidentCategory, InvolvementRole
from safer.incidents.importing.columns import COLUMNS
from safer.incidents.models import Incident, IncidentImport, Involvement, Person
from safer.incidents.repeats import recompute_all
from safer.test import persona

DATA = Path(__file__).resolve().parent.parent / "data" / "incidents"


def _counts() -> tuple[int, int, int]:
    return Incident.objects.count(), Person.objects.count(), Involvement.objects.count()


def _problems(record: IncidentImport) -> list[tuple[int, str]]:
    return [(error["row"], error["column"]) for error in record.errors]


def test_the_valid_extract_imports_every_row(bob: User) -> None:
    record = do_import_incidents(DATA / "extract-valid.csv", acting_user=bob)
    assert record.status == ImportStatus.IMPORTED, record.errors
    assert (record.rows_read, record.incidents_created, record.people_created) == (12, 8, 8)
    assert _counts() == (8, 8, 10)
    assert set(Incident.objects.values_list("organisation_id", flat=True)) == {bob.organisation_id}
    stones = Incident.objects.get(agency_reference="PCC-ASB-2025-0101")
    assert stones.location == "Ribbleton Avenue, PR1 5RX"
    assert stones.area is not None and stones.area.name == "Preston"
    assert stones.alcohol_involved is True
    letterbox = Incident.objects.get(agency_reference="PCC-ASB-2025-0133")
    assert (letterbox.occurred_on, letterbox.category, letterbox.outcome) == (
        date(2025, 8, 14),
        IncidentCategory.ASB,
        "civil_action",
    )
    assault = Incident.objects.get(agency_reference="PCC-DA-2025-0012")
    assert assault.abuse_types == ["physical", "coercive_control"]
    assert sorted(assault.involvements.values_list("role", flat=True)) == [
        "perpetrator",
        "reporter",
        "victim",
    ]
    # Janet Holden's third ASB report in the year flags her a repeat victim.
    janet = Person.objects.get(agency_reference="PCC-P-0042")
    flagged = Involvement.objects.get(person=janet, incident=letterbox)
    assert Flag.REPEAT_ASB in flagged.flags
    assert Incident.objects.filter(flagged=True).get() == letterbox


def test_every_record_created_is_in_the_audit_log(bob: User) -> None:
    before = AuditEvent.objects.count()
    record = do_import_incidents(DATA / "extract-valid.csv", acting_user=bob)
    events = AuditEvent.objects.filter(sequence__gt=before)
    created = events.filter(action=AuditAction.CREATE, detail__import=record.reference)
    assert created.exclude(person_id=None).count() == 8
    assert created.filter(person_id=None).count() == 8
    assert events.filter(object_id=record.pk, record_reference=record.reference).exists()


def test_an_updated_extract_updates_rather_than_duplicates(bob: User) -> None:
    do_import_incidents(DATA / "extract-valid.csv", acting_user=bob)
    record = do_import_incidents(DATA / "extract-updated.csv", acting_user=bob)
    assert record.status == ImportStatus.IMPORTED, record.errors
    assert (record.incidents_created, record.incidents_updated, record.incidents_unchanged) == (
        1,
        2,
        6,
    )
    assert (record.people_created, record.people_updated) == (0, 1)
    assert Incident.objects.count() == 9
    assert Person.objects.count() == 8
    janet = Person.objects.get(agency_reference="PCC-P-0042")
    assert janet.family_name == "Holden-Smith"
    stones = Incident.objects.get(agency_reference="PCC-ASB-2025-0101")
    assert stones.outcome == "civil_action"
    assert list(stones.people.values_list("agency_reference", flat=True)) == ["PCC-P-0042"]
    eggs = Incident.objects.get(agency_reference="PCC-ASB-2025-0117")
    assert eggs.involvements.get(person__agency_reference="PCC-P-0090").role == "reporter"
    # The fourth report keeps her flagged.
    fireworks = Incident.objects.get(agency_reference="PCC-ASB-2025-0152")
    assert fireworks.flagged
    changes = AuditEvent.objects.filter(action=AuditAction.CHANGE, detail__import=record.reference)
    assert changes.count() == 3  # Janet, and the two incidents


def test_the_same_extract_again_changes_nothing(bob: User) -> None:
    do_import_incidents(DATA / "extract-valid.csv", acting_user=bob)
    before = AuditEvent.objects.count()
    record = do_import_incidents(DATA / "extract-valid.csv", acting_user=bob)
    assert (record.incidents_created, record.incidents_updated, record.incidents_unchanged) == (
        0,
        0,
        8,
    )
    assert _counts() == (8, 8, 10)
    assert AuditEvent.objects.count() == before + 1  # the import itself, nothing else


BROKEN = [
    ("broken-wrong-columns.csv", [(1, ""), (1, "Crime type")], "missing column(s): category, role"),
    (
        "broken-bad-dates.csv",
        [(4, "occurred_on"), (8, "date_of_birth"), (12, "occurred_on")],
        "'2025-13-01' is not a real date",
    ),
    (
        "broken-unknown-categories.csv",
        [(7, "category"), (11, "hate_strands"), (12, "outcome")],
        "'burglary' is not a kind of incident in the recording standard",
    ),
    ("broken-two-roles.csv", [(6, "role")], "cannot be both witness and victim in one incident"),
    ("broken-unknown-area.csv", [(11, "area")], "'Manchester' is not one of the partnership's"),
    ("broken-windows-1252.csv", [(5, "given_name")], "byte 0xE9 is not UTF-8"),
]


@pytest.mark.parametrize(("name", "where", "reason"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_extract_is_refused_whole_naming_row_and_column(
    bob: User, name: str, where: list[tuple[int, str]], reason: str
) -> None:
    record = do_import_incidents(DATA / name, acting_user=bob)
    assert record.status == ImportStatus.REFUSED
    assert _problems(record) == where
    assert any(reason in error["reason"] for error in record.errors), record.errors
    assert _counts() == (0, 0, 0)


def test_a_refused_update_leaves_what_was_there(bob: User) -> None:
    do_import_incidents(DATA / "extract-valid.csv", acting_user=bob)
    before = list(Incident.objects.values_list("pk", "updated_at", "outcome"))
    record = do_import_incidents(DATA / "broken-unknown-area.csv", acting_user=bob)
    assert record.status == ImportStatus.REFUSED
    assert list(Incident.objects.values_list("pk", "updated_at", "outcome")) == before
    assert _counts() == (8, 8, 10)


def test_a_50_mb_file_of_junk_is_refused_without_reading_it(bob: User, tmp_path: Path) -> None:
    junk = tmp_path / "extract.csv"
    with junk.open("wb") as out:
        for _ in range(50):
            out.write(os.urandom(1 << 20))
        out.write(b"!")
    record = do_import_incidents(junk, acting_user=bob)
    assert record.status == ImportStatus.REFUSED
    assert record.errors == [
        {
            "row": 0,
            "column": "",
            "reason": "the file is 50.0 MB, over the limit of 50.0 MB: split the extract into "
            "smaller files (by date, for example) and import each",
        }
    ]
    assert _counts() == (0, 0, 0)


def test_binary_junk_under_the_limit_is_refused_as_not_a_csv(bob: User, tmp_path: Path) -> None:
    junk = tmp_path / "extract.csv"
    junk.write_bytes(b"\x00" + os.urandom(2 << 20))
    record = do_import_incidents(junk, acting_user=bob)
    assert record.status == ImportStatus.REFUSED
    assert "not a CSV file: it holds binary data" in record.errors[0]["reason"]
    assert len(record.checksum) == 64


def test_text_junk_is_refused_at_its_header(bob: User, tmp_path: Path) -> None:
    junk = tmp_path / "extract.csv"
    junk.write_text("lorem ipsum dolor sit amet " * 400_000, encoding="utf-8")
    record = do_import_incidents(junk, acting_user=bob)
    assert record.status == ImportStatus.REFUSED
    assert record.errors[0]["row"] == 1
    assert _counts() == (0, 0, 0)


def test_the_import_writes_only_to_the_users_organisation(bob: User, alice: User) -> None:
    alices = do_record_incident(
        category=IncidentCategory.ASB,
        occurred_on=date(2025, 6, 2),
        summary="A police log with the council's reference on it.",
        agency_reference="PCC-ASB-2025-0101",
        asb_category="nuisance",
        acting_user=alice,
    )
    record = do_import_incidents(DATA / "extract-valid.csv", acting_user=bob)
    assert record.incidents_created == 8
    alices.refresh_from_db()
    assert alices.asb_category == "nuisance"
    assert alices.organisation_id == alice.organisation_id


def test_one_reference_held_twice_refuses_the_file(bob: User) -> None:
    for _ in range(2):
        do_record_incident(
            category=IncidentCategory.ASB,
            occurred_on=date(2025, 6, 2),
            summary="Typed in twice by hand.",
            agency_reference="PCC-ASB-2025-0140",
            asb_category="environmental",
            acting_user=bob,
        )
    record = do_import_incidents(DATA / "extract-valid.csv", acting_user=bob)
    assert record.status == ImportStatus.REFUSED
    assert _problems(record) == [(7, "incident_reference")]
    assert "matches 2 incidents your organisation holds" in record.errors[0]["reason"]
    assert Incident.objects.count() == 2


def test_a_restricted_person_is_not_changed_by_an_extract(bob: User) -> None:
    do_import_incidents(DATA / "extract-valid.csv", acting_user=bob)
    # As the DPO's restriction does (accounts.actions.do_complete_subject_request).
    Person.objects.filter(agency_reference="PCC-P-0042").update(restricted=True)
    record = do_import_incidents(DATA / "extract-updated.csv", acting_user=bob)
    assert record.status == ImportStatus.REFUSED
    assert _problems(record) == [(2, "family_name")]
    assert "restricted at their request" in record.errors[0]["reason"]
    assert Person.objects.get(agency_reference="PCC-P-0042").family_name == "Holden"


def test_an_anonymised_person_is_not_matched_again(bob: User) -> None:
    do_import_incidents(DATA / "extract-valid.csv", acting_user=bob)
    kyle = Person.objects.get(agency_reference="PCC-P-0077")
    do_anonymise_person(kyle, acting_user=None, purpose=Purpose.RETENTION, reason="retention")
    kyle.refresh_from_db()
    assert kyle.agency_reference == ""
    record = do_import_incidents(DATA / "extract-valid.csv", acting_user=bob)
    assert record.people_created == 1
    assert Person.objects.get(agency_reference="PCC-P-0077").given_name == "Kyle"


def test_a_role_that_does_not_record_cannot_import(lancashire: None) -> None:
    diana = persona("diana")
    with pytest.raises(PermissionDenied):
        do_import_incidents(DATA / "extract-valid.csv", acting_user=diana)
    assert not IncidentImport.objects.exists()


def test_progress_is_reported_from_start_to_finish(bob: User) -> None:
    seen: list[tuple[int, str]] = []
    do_import_incidents(
        DATA / "extract-valid.csv",
        acting_user=bob,
        progress=lambda percent, message: seen.append((percent, message)),
    )
    percents = [percent for percent, _ in seen]
    assert percents == sorted(percents)
    assert seen[0][0] == 0
    assert seen[-1] == (100, "Imported")
    assert any("repeat and vulnerable" in message for _, message in seen)


def test_an_incident_dropped_from_its_people_stops_counting_them(bob: User, tmp_path: Path) -> None:
    header = ",".join(COLUMNS)
    base = "PCC-DA-1,domestic_abuse,2025-05-19,,,Preston,Threats.,,,ex_partner,,,,open"
    victim = ",PCC-P-1,Mary,Kershaw,1979-04-02,female,victim"
    first, again = tmp_path / "first.csv", tmp_path / "again.csv"
    first.write_text(f"{header}\n{base}{victim}\n{base.replace('DA-1', 'DA-2')}{victim}\n")
    do_import_incidents(first, acting_user=bob)
    assert Incident.objects.filter(flagged=True).count() == 1  # the second DA incident
    # The corrected extract: Mary was not the victim in the second incident after all.
    again.write_text(f"{header}\n{base}{victim}\n{base.replace('DA-1', 'DA-2')},,,,,,\n")
    record = do_import_incidents(again, acting_user=bob)
    assert record.incidents_updated == 1
    assert not Incident.objects.filter(flagged=True).exists()
    second = Incident.objects.get(agency_reference="PCC-DA-2")
    assert not second.involvements.exists()
    assert InvolvementRole.VICTIM not in second.involvements.values_list("role", flat=True)


def test_the_flags_written_are_the_ones_the_rules_give(bob: User) -> None:
    do_import_incidents(DATA / "extract-valid.csv", acting_user=bob)
    do_import_incidents(DATA / "extract-updated.csv", acting_user=bob)
    flagged = set(Incident.objects.filter(flagged=True).values_list("pk", flat=True))
    assert len(flagged) == 2
    # Recomputing every flag from the records changes nothing.
    assert recompute_all() == 0
    assert set(Incident.objects.filter(flagged=True).values_list("pk", flat=True)) == flagged


def test_the_audit_chain_still_verifies_after_a_bulk_import(bob: User) -> None:
    do_import_incidents(DATA / "extract-valid.csv", acting_user=bob)
    do_import_incidents(DATA / "extract-updated.csv", acting_user=bob)
    assert verify_chain() == []
    janet = Person.objects.get(agency_reference="PCC-P-0042")
    entries = AuditEvent.objects.filter(person_id=janet.pk).order_by("sequence")
    assert [entry.action for entry in entries] == [AuditAction.CREATE, AuditAction.CHANGE]
    assert entries[0].actor == bob
    assert entries[0].record_reference == janet.reference


def test_excels_csv_utf_8_with_its_byte_order_mark_imports(bob: User, tmp_path: Path) -> None:
    extract = tmp_path / "extract.csv"
    text = (DATA / "extract-valid.csv").read_text(encoding="utf-8")
    extract.write_bytes(text.replace("Janet", "Zoé").encode("utf-8-sig"))
    record = do_import_incidents(extract, acting_user=bob)
    assert record.status == ImportStatus.IMPORTED, record.errors
    assert Person.objects.filter(given_name="Zoé").count() == 1
