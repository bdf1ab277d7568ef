"""The upload page, the import's progress bar and its result page: end to end through the
pages, the background task and the access layer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from safer.accounts.models import AuditEvent, User
from safer.incidents.enums import ImportStatus
from safer.incidents.models import Incident, IncidentImport, Person

DATA = Path(__file__).resolve().parent.parent / "data" / "incidents"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _uploads(settings: Any, tmp_path: Path) -> None:
    """Imports run in the test itself (production runs them in `safer db_worker`)."""
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client: Client, name: str, content: bytes | None = None) -> Any:
    data = content if content is not None else (DATA / name).read_bytes()
    return client.post(
        "/incidents/import/", {"file": SimpleUploadedFile(name, data, "text/csv")}, follow=True
    )


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_bob_imports_an_extract_and_sees_what_it_did(bob_client: Client, settings: Any) -> None:
    response = _upload(bob_client, "extract-valid.csv")
    record = IncidentImport.objects.get()
    assert response.redirect_chain[-1][0] == f"/incidents/import/{record.pk}/"
    text = _text(response)
    assert "Imported" in text
    assert "12 rows, every one checked" in text
    assert Incident.objects.count() == 8
    assert Person.objects.count() == 8
    # The uploaded file is not kept once imported: it is personal data.
    assert not record.upload
    assert not list((Path(settings.MEDIA_ROOT) / "incident-imports").glob("*"))
    listing = bob_client.get("/incidents/import/")
    assert record.reference in listing.content.decode()
    assert "extract-valid.csv" in listing.content.decode()


def test_a_broken_csv_is_refused_with_its_row_and_column_named(bob_client: Client) -> None:
    response = _upload(bob_client, "broken-bad-dates.csv")
    text = _text(response)
    assert "The extract was refused: nothing of it was written" in text
    assert "3 of 12 rows have a problem" in text
    assert (
        '<td class="govuk-table__cell govuk-table__cell--numeric">4</td>'
        '<td class="govuk-table__cell"><code>occurred_on</code></td>'
    ) in response.content.decode()
    assert "&#x27;2025-13-01&#x27; is not a real date: month must be in 1..12" in text
    assert "31/02/1986" in text
    assert Incident.objects.count() == 0
    assert Person.objects.count() == 0
    assert IncidentImport.objects.get().status == ImportStatus.REFUSED


def test_a_file_in_the_wrong_encoding_is_named(bob_client: Client) -> None:
    text = _text(_upload(bob_client, "broken-windows-1252.csv"))
    assert "<code>given_name</code>" in text
    assert "byte 0xE9 is not UTF-8" in text
    assert "Save it as &quot;CSV UTF-8&quot;" in text
    assert Incident.objects.count() == 0


def test_the_form_says_what_is_wrong_with_the_file(bob_client: Client, settings: Any) -> None:
    response = bob_client.post("/incidents/import/", {})
    assert "There is a problem" in response.content.decode()
    assert "Incident extract: Choose the extract file to import." in response.content.decode()
    response = _upload(bob_client, "extract.xlsx", b"PK\x03\x04 not a csv")
    assert "The extract must be a CSV file, its name ending in .csv." in _text(response)
    settings.SAFER_INCIDENT_IMPORT_MAX_BYTES = 1000
    response = _upload(bob_client, "extract-valid.csv")
    assert "The file is 2,509 bytes, over the limit of 1,000 bytes: split the" in _text(response)
    assert not IncidentImport.objects.exists()


def test_another_agencys_user_cannot_see_the_import(
    bob_client: Client, alice_client: Client, charlie_client: Client, alice: User
) -> None:
    _upload(bob_client, "extract-valid.csv")
    record = IncidentImport.objects.get()
    for client in (alice_client, charlie_client):
        before = AuditEvent.objects.count()
        assert client.get(f"/incidents/import/{record.pk}/").status_code == 404
        assert client.get(f"/incidents/import/{record.pk}/progress/").status_code == 404
        assert AuditEvent.objects.count() == before
        listing = client.get("/incidents/import/")
        assert record.reference not in listing.content.decode()
        assert "extract-valid.csv" not in listing.content.decode()


def test_a_role_that_does_not_record_gets_no_upload_page(lancashire: None) -> None:
    from safer.test import persona, sign_in

    persona("diana")
    client = Client()
    sign_in(client, "diana")
    assert client.get("/incidents/import/").status_code == 404
    assert _upload(client, "extract-valid.csv").status_code == 404
    assert not IncidentImport.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a task
def test_the_worker_imports_while_the_page_shows_progress(
    bob_client: Client, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = _upload(bob_client, "extract-valid.csv")
    record = IncidentImport.objects.get()
    assert record.status == ImportStatus.QUEUED
    text = _text(response)
    assert "Waiting to start: Waiting for a worker" in text
    assert f'hx-get="/incidents/import/{record.pk}/progress/"' in text
    polled = bob_client.get(f"/incidents/import/{record.pk}/progress/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in polled
    assert Incident.objects.count() == 0
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    polled = bob_client.get(f"/incidents/import/{record.pk}/progress/", HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"
    assert "100% done" in polled.content.decode()
    assert "12 rows, every one checked" in _text(bob_client.get(f"/incidents/import/{record.pk}/"))
    assert Incident.objects.count() == 8
