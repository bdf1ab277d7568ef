"""The police.uk upload page, the background import's progress bar and its result page."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test import Client

from safer.crimedata import actions
from safer.crimedata.actions import (
    _ProgressAside,
    _UploadProgress,
    do_import_police_file,
)
from safer.crimedata.enums import ImportStatus, UploadStatus
from safer.crimedata.importers.sources import file_source
from safer.crimedata.models import PoliceImport, PoliceUpload
from safer.test import persona, sign_in
from tests.crimedata.conftest import records_counted

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
APRIL = "2021-04-lancashire-street.csv"


@pytest.fixture(autouse=True)
def _uploads(settings: Any, tmp_path: Path) -> None:
    """Imports run in the test itself (production runs them in `safer db_worker`)."""
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def diana_client(lsoas: None) -> Client:
    persona("diana")
    client = Client()
    sign_in(client, "diana")
    return client


def _upload(client: Client, name: str, data: bytes, **headers: Any) -> Any:
    return client.post(
        "/crime/import/", {"file": SimpleUploadedFile(name, data)}, follow=True, **headers
    )


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _kept_files(settings: Any) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "police-uploads"
    return list(folder.iterdir()) if folder.exists() else []


def test_an_analyst_uploads_a_month_and_sees_it_loaded(
    diana_client: Client, sample_april: Path, settings: Any
) -> None:
    response = _upload(diana_client, APRIL, sample_april.read_bytes())
    record = PoliceUpload.objects.get()
    assert response.redirect_chain[-1][0] == f"/crime/import/{record.pk}/"
    assert record.status == UploadStatus.DONE
    assert (record.files_done, record.files_total, record.rows_read) == (1, 1, 20)
    assert record.progress == 100
    assert record.uploaded_by is not None and record.uploaded_by.username == "diana"
    text = _text(response)
    assert "Imported" in text
    assert "20 rows loaded from 1 file" in text
    assert "20 rows read, 20 loaded, 0 refused." in text
    imported = PoliceImport.objects.get()
    assert imported.upload == record and imported.status == ImportStatus.LOADED
    assert imported.imported_by == record.uploaded_by
    assert records_counted() == 20
    assert not _kept_files(settings)  # the file is removed once imported
    listing = _text(diana_client.get("/crime/import/"))
    assert f'href="/crime/import/{record.pk}/"' in listing


def test_each_csv_of_a_zip_is_its_own_file(
    diana_client: Client, sample_april: Path, settings: Any
) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(sample_april, f"2021-04/{APRIL}")
        zf.write(sample_april.with_name("2021-05-lancashire-street.csv"), "2021-05/may.csv")
    response = _upload(diana_client, "police-data.zip", archive.getvalue())
    record = PoliceUpload.objects.get()
    assert (record.files_done, record.files_total) == (2, 2)
    assert record.imports.filter(status=ImportStatus.LOADED).count() == 2
    assert record.rows_read == records_counted()
    assert f"police-data.zip:2021-04/{APRIL}" in _text(response)
    assert not _kept_files(settings)


def test_the_same_file_again_changes_nothing(diana_client: Client, sample_april: Path) -> None:
    _upload(diana_client, APRIL, sample_april.read_bytes())
    response = _upload(diana_client, APRIL, sample_april.read_bytes())
    assert "Already loaded" in _text(response)
    assert records_counted() == 20


def test_a_broken_file_is_refused_with_its_row_named_and_nothing_loaded(
    diana_client: Client, sample_april: Path, settings: Any
) -> None:
    lines = sample_april.read_text().splitlines(keepends=True)
    lines[4] = lines[4].replace("2021-04", "2021-13", 1)
    response = _upload(diana_client, APRIL, "".join(lines).encode())
    record = PoliceUpload.objects.get()
    assert record.status == UploadStatus.REFUSED
    text = _text(response)
    assert "The file was refused: nothing of it was written" in text
    assert f"{APRIL}, row 5: Month &#x27;2021-13&#x27; differs" in text
    assert record.imports.get().status == ImportStatus.REFUSED
    assert records_counted() == 0
    assert not _kept_files(settings)


def test_a_file_with_the_wrong_columns_is_refused(diana_client: Client) -> None:
    response = _upload(diana_client, "extract.csv", b"Reference,Date\nA1,2021-04-01\n")
    assert PoliceUpload.objects.get().status == UploadStatus.REFUSED
    assert "extract.csv, row 1: not a police.uk street-level file" in _text(response)
    assert records_counted() == 0


def test_a_binary_file_is_refused(diana_client: Client) -> None:
    response = _upload(diana_client, APRIL, b"%PDF-1.4\x00\x01\x02 binary" * 100)
    assert f"{APRIL}, row 1: not a CSV file: it holds binary data" in _text(response)
    assert records_counted() == 0


def test_a_zip_bomb_is_refused_before_it_is_inflated(diana_client: Client, settings: Any) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"2021-04/{APRIL}", b"0" * 5_000_000)
    response = _upload(diana_client, "police.zip", bomb.getvalue())
    record = PoliceUpload.objects.get()
    assert record.status == UploadStatus.REFUSED
    assert "police.zip: refused as a possible zip bomb" in record.error
    assert "The upload was refused: nothing of it was written" in _text(response)
    assert "police.zip: refused as a possible zip bomb" in _text(response)
    assert not PoliceImport.objects.exists()
    assert not _kept_files(settings)


def test_the_form_says_at_once_what_is_wrong(diana_client: Client, settings: Any) -> None:
    response = diana_client.post("/crime/import/", {})
    assert "police.uk file: Choose a police.uk CSV or zip file to import" in _text(response)
    settings.CRIMEDATA_UPLOAD_MAX_BYTES = 100
    response = _upload(diana_client, APRIL, b"x" * 200)
    assert "The file is 200 bytes, over the limit of 100 bytes" in _text(response)
    assert not PoliceUpload.objects.exists()


def test_htmx_goes_to_the_progress_page_or_shows_the_form_again(
    diana_client: Client, sample_april: Path
) -> None:
    response = diana_client.post(
        "/crime/import/",
        {"file": SimpleUploadedFile(APRIL, sample_april.read_bytes())},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Redirect"] == PoliceUpload.objects.get().get_absolute_url()
    response = diana_client.post("/crime/import/", {}, HTTP_HX_REQUEST="true")
    assert 'id="upload-form"' in response.content.decode()
    assert "Choose a police.uk CSV or zip file to import" in response.content.decode()


def test_only_importers_upload_and_see_uploads(
    diana_client: Client, alice_client: Client, sample_april: Path
) -> None:
    _upload(diana_client, APRIL, sample_april.read_bytes())
    record = PoliceUpload.objects.get()
    assert alice_client.get("/crime/import/").status_code == 403
    assert alice_client.get(f"/crime/import/{record.pk}/").status_code == 403
    assert alice_client.get(f"/crime/import/{record.pk}/progress/").status_code == 403
    response = alice_client.post("/crime/import/", {"file": SimpleUploadedFile(APRIL, b"x")})
    assert response.status_code == 403
    assert PoliceUpload.objects.count() == 1
    anonymous = Client()
    assert anonymous.get(f"/crime/import/{record.pk}/progress/").status_code in (302, 403)
    assert diana_client.get("/crime/import/999999/").status_code == 404


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a task
def test_the_worker_imports_while_the_page_shows_progress(
    diana_client: Client, sample_april: Path, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = _upload(diana_client, APRIL, sample_april.read_bytes())
    record = PoliceUpload.objects.get()
    assert record.status == UploadStatus.QUEUED
    text = _text(response)
    assert "Waiting to start: Waiting for a worker" in text
    assert f'hx-get="/crime/import/{record.pk}/progress/"' in text
    assert 'hx-trigger="every 1s"' in text
    polled = diana_client.get(f"/crime/import/{record.pk}/progress/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in polled
    assert len(_kept_files(settings)) == 1
    assert records_counted() == 0
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    polled = diana_client.get(f"/crime/import/{record.pk}/progress/", HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"
    assert "100% done: 1 of 1 file, 20 rows read" in _text(polled)
    assert "20 rows read, 20 loaded, 0 refused." in _text(
        diana_client.get(f"/crime/import/{record.pk}/")
    )
    assert records_counted() == 20
    assert not _kept_files(settings)


def test_an_uploader_who_may_no_longer_import_is_refused(
    diana_client: Client, sample_april: Path, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _upload(diana_client, APRIL, sample_april.read_bytes())
    record = PoliceUpload.objects.get()
    assert record.uploaded_by is not None
    record.uploaded_by.role_grants.all().delete()
    done = actions.run_police_upload(PoliceUpload.objects.get())
    assert done.status == UploadStatus.REFUSED
    assert "may no longer import police data" in done.error
    assert records_counted() == 0
    assert not _kept_files(settings)


@pytest.mark.parametrize(("row_by_row", "expected"), [(False, [20]), (True, [5, 10, 15, 20])])
def test_rows_are_counted_while_a_file_loads(
    lsoas: None,
    sample_april: Path,
    monkeypatch: pytest.MonkeyPatch,
    row_by_row: bool,
    expected: list[int],
) -> None:
    """DuckDB reads a file in one step and says so once; the row path every ROWS_STEP."""
    monkeypatch.setattr(actions, "ROWS_STEP", 5)
    counted: list[int] = []
    do_import_police_file(
        file_source(sample_april), acting_user=None, on_rows=counted.append, row_by_row=row_by_row
    )
    assert counted == expected


class _Aside:
    def __init__(self) -> None:
        self.written: list[dict[str, int]] = []

    def write(self, **values: int) -> None:
        self.written.append(values)


def test_progress_inside_a_file_is_written_at_most_once_a_second(
    lancashire: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = PoliceUpload.objects.create(file_name="police.zip")
    aside = _Aside()
    tracker = _UploadProgress(record, [1000, 3000], aside)  # type: ignore[arg-type]
    tracker.start_file(0, "a.csv")
    tracker.on_bytes(500, 1000)
    assert aside.written == []  # not a second yet
    monkeypatch.setattr(actions, "PROGRESS_SECONDS", 0)
    tracker.on_bytes(1000, 1000)
    assert aside.written == [{"progress": 25, "rows_read": 0}]
    tracker.end_file(PoliceImport(rows_read=7))
    tracker.start_file(1, "b.csv")
    tracker.on_rows(50_000)
    assert aside.written[-1] == {"progress": 25, "rows_read": 50_007}
    record.refresh_from_db()
    assert (record.files_done, record.files_total, record.rows_read) == (1, 2, 7)
    assert record.progress_message == "file 2 of 2, b.csv"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a second connection: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_progress_inside_a_files_transaction_is_seen_at_once(lancashire: None) -> None:
    record = PoliceUpload.objects.create(file_name="police.csv")
    aside = _ProgressAside(record.pk)
    page = connections.create_connection(DEFAULT_DB_ALIAS)  # the page's polling request
    try:
        with transaction.atomic():
            PoliceImport.objects.create(file_name="police.csv", status=ImportStatus.LOADED)
            aside.write(progress=42, rows_read=50_000)
            with page.cursor() as cursor:
                cursor.execute(
                    "SELECT progress, rows_read FROM crimedata_policeupload WHERE id = %s",
                    [record.pk],
                )
                assert cursor.fetchone() == (42, 50_000)
    finally:
        aside.close()
        page.close()
