"""Every write to the crime data goes through here."""

from __future__ import annotations

import csv
import logging
import shutil
import tempfile
import time
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    connection,
    connections,
    models,
    transaction,
)
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from safer.accounts.models import User
from safer.accounts.permissions import Permission, has_permission
from safer.crimedata.enums import FileKind, ImportStatus, UploadStatus
from safer.crimedata.importers.policeuk import (
    FileFacts,
    FileRefusedError,
    Head,
    Row,
    RowChecker,
    Tallies,
    file_kind,
    outcome_rows,
    street_rows,
    text_stream,
)
from safer.crimedata.importers.readahead import Prepared, close_prepared, prepare, read_ahead
from safer.crimedata.importers.sources import Source, SourceError, sources_for
from safer.crimedata.importers.street_duckdb import StreetFile
from safer.crimedata.importers.writers import (
    commit_without_waiting,
    refresh_statistics,
    write_outcome_rows,
    write_outcome_summary,
    write_street_file_summaries,
    write_summaries,
)
from safer.crimedata.models import (
    AreaCount,
    AreaPopulation,
    Force,
    Lsoa,
    LsoaCount,
    LsoaMonthCount,
    LsoaOutcomeCount,
    OutcomeCount,
    OutcomeRecord,
    PointCount,
    PointTypeCount,
    PoliceImport,
    PoliceUpload,
    TypeCount,
)
from safer.partnership.models import CspArea

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (bytes read, bytes in all)
RowsProgress = Callable[[int], None]  # rows checked so far, every ROWS_STEP of them
ROWS_STEP = 50_000

# Every table whose rows belong to one import, removed with it when its month is re-published.
# (MapPoint rows are shared by every month of a force and stay.)
SOURCED_MODELS: tuple[type[models.Model], ...] = (
    AreaCount,
    TypeCount,
    LsoaCount,
    LsoaOutcomeCount,
    LsoaMonthCount,
    PointCount,
    PointTypeCount,
    OutcomeRecord,
    OutcomeCount,
)


class _CountingReader:
    """Counts the bytes read from a stream, for the progress bar."""

    def __init__(self, raw: object, progress: Progress | None, total: int) -> None:
        self.raw = raw
        self.done = 0
        self.progress = progress
        self.total = total

    def __getattr__(self, name: str) -> object:
        return getattr(self.raw, name)

    @property
    def closed(self) -> bool:
        # The text layer asks on every line: answered here, not through __getattr__.
        return bool(self.raw.closed)  # type: ignore[attr-defined]

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.raw.read(size)  # type: ignore[attr-defined]
        self.done += len(data)
        if self.progress is not None:
            self.progress(self.done, self.total)
        return data

    def read1(self, size: int = -1) -> bytes:
        return self.read(size)

    def readable(self) -> bool:
        return True


def lsoa_areas() -> dict[str, int]:
    return dict(Lsoa.objects.values_list("code", "area_id"))


def do_import_police_file(
    source: Source,
    *,
    acting_user: User | None,
    progress: Progress | None = None,
    on_rows: RowsProgress | None = None,
    areas: dict[str, int] | None = None,
    upload: PoliceUpload | None = None,
    row_by_row: bool = False,
    prepared: Prepared | None = None,
    analyze: bool = True,
) -> PoliceImport:
    """Load one police.uk street or outcomes CSV whole, or refuse it whole and record why.

    A month already loaded for the force is replaced (its counts removed) when a different
    file for it loads; the very same file again changes nothing. `progress` and `on_rows` are
    called inside the file's transaction. A street file is checked and counted in DuckDB
    (`importers/street_duckdb.py`), or row by row in Python when that finds anything to refuse
    or `row_by_row` is asked for. `prepared` is the file already read by `read_ahead`. With
    `analyze` False the caller runs `refresh_statistics` once after many files.
    """
    started = time.perf_counter()
    record = PoliceImport(file_name=source.name[:300], imported_by=acting_user, upload=upload)
    if areas is None:
        areas = lsoa_areas()
    if prepared is None:
        prepared = _prepare_now(source, areas, row_by_row=row_by_row)
    try:
        try:
            street = prepared.result()
        except (OSError, EOFError, zipfile.BadZipFile) as exc:
            raise FileRefusedError([f"{source.name}: cannot be read ({exc})"]) from None
        record.checksum = source.checksum
        if source.looks_binary:
            raise FileRefusedError([f"{source.name}, row 1: not a CSV file: it holds binary data"])
        if not source.name.lower().endswith(".csv"):
            raise FileRefusedError([f"{source.name}: not a CSV file: police.uk files end in .csv"])
        same = PoliceImport.objects.filter(
            checksum=source.checksum, status=ImportStatus.LOADED
        ).first()
        if same is not None:
            record.status = ImportStatus.UNCHANGED
            record.force, record.month, record.kind = same.force, same.month, same.kind
            record.problems = f"the same file was loaded on {same.imported_at:%d %B %Y} as {same}"
            record.save()
            return record
        if street is not None:
            _load_street_file(record, street, source.size, progress, on_rows)
        else:
            _load(record, source, areas, progress, on_rows)
    except FileRefusedError as refused:
        record.status = ImportStatus.REFUSED
        record.rows_loaded = 0
        record.rows_read = refused.rows_read
        record.rows_rejected = refused.rows_rejected or len(refused.problems)
        record.problems = "\n".join(refused.problems)
        record.pk = None
        if record.force is not None:  # a force first seen in a refused file was rolled back
            record.force = Force.objects.filter(name=record.force.name).first()
        record.seconds = time.perf_counter() - started
        record.save()
        return record
    finally:
        close_prepared(prepared)
    if analyze:
        refresh_statistics(record.summary_rows)
    record.seconds = time.perf_counter() - started
    PoliceImport.objects.filter(pk=record.pk).update(seconds=record.seconds)
    return record


def _prepare_now(source: Source, areas: dict[str, int], *, row_by_row: bool) -> Prepared:
    """The file prepared here and now (when no `read_ahead` did it): a failure is kept to be
    raised where a refusal is recorded."""
    done: Prepared = Future()
    try:
        if row_by_row:
            source.scan()
            done.set_result(None)
        else:
            done.set_result(prepare(source, areas))
    except Exception as exc:
        done.set_exception(exc)
    return done


@transaction.atomic
def _load(
    record: PoliceImport,
    source: Source,
    areas: dict[str, int],
    progress: Progress | None,
    on_rows: RowsProgress | None,
) -> None:
    """The row-by-row path: every row checked in Python, each refused one named."""
    checker = RowChecker(source.name)
    tallies = Tallies()
    outcome_tallies: Counter[tuple[str, int | None, str]] = Counter()
    written = read = 0
    with source.open() as raw:
        text = text_stream(_CountingReader(raw, progress, source.size))  # type: ignore[arg-type]
        try:
            header = next(csv.reader([text.readline()]), [])
            kind = file_kind(source.name, [c.strip() for c in header])

            def on_facts(facts: FileFacts) -> Head:
                force = _record_facts(record, facts)
                return (record.pk, force.pk, facts.month_date.isoformat())

            outcomes = kind == FileKind.OUTCOMES
            rows = (outcome_rows if outcomes else street_rows)(
                text,
                checker,
                areas,
                outcome_tallies if outcomes else tallies,  # type: ignore[arg-type]
                ends_with_newline=source.ends_with_newline,
                on_facts=on_facts,
            )
            first = next(rows, None)
            if first is not None:
                checked = _until_a_problem(first, rows, checker, on_rows)
                # Of a street file its counts are kept (`write_summaries`), not its rows.
                written = write_outcome_rows(checked) if outcomes else sum(1 for _ in checked)
            for _ in rows:  # after a problem: read on to report every refused row
                read += 1
        except UnicodeDecodeError as exc:
            raise FileRefusedError(
                [f"{source.name}: not a CSV text file: bytes that are not UTF-8 ({exc.reason})"]
            ) from None
        except csv.Error as exc:
            raise FileRefusedError([f"{source.name}: not a readable CSV file: {exc}"]) from None
    rows_read = written + read + checker.held_back + checker.rejected
    if checker.problems or checker.rejected or record.pk is None:
        raise FileRefusedError(
            checker.problems or [f"{source.name}: the file has no rows after its header"],
            rows_read=rows_read,
            rows_rejected=checker.rejected,
        )
    _replace_earlier(record)
    where = {
        "source_id": record.pk,
        "force_id": record.force_id,
        "month": record.month,
    }
    if record.kind == FileKind.OUTCOMES:
        write_outcome_summary(outcome_tallies, **where)  # type: ignore[arg-type]
        record.summary_rows = len(outcome_tallies)
    else:
        record.summary_rows = write_summaries(tallies, **where)  # type: ignore[arg-type]
    record.rows_read = rows_read
    record.rows_loaded = written
    record.rows_rejected = 0
    record.save()


@transaction.atomic
def _load_street_file(
    record: PoliceImport,
    street: StreetFile,
    size: int,
    progress: Progress | None,
    on_rows: RowsProgress | None,
) -> None:
    """Store the counts of a street file DuckDB has read and checked."""
    commit_without_waiting()
    if progress is not None:
        progress(size, size)
    if on_rows is not None:
        on_rows(street.rows)
    record.rows_read = record.rows_loaded = street.rows
    record.rows_rejected = 0
    force = _record_facts(record, street.facts)
    _replace_earlier(record)
    record.summary_rows = write_street_file_summaries(
        street, source_id=record.pk, force_id=force.pk, month=street.facts.month_date
    )


def _record_facts(record: PoliceImport, facts: FileFacts) -> Force:
    """Save the import as loading this force's month (its force added if new); return the
    force."""
    force, _ = Force.objects.get_or_create(name=facts.force)
    record.force, record.month, record.kind = force, facts.month_date, facts.kind
    record.status = ImportStatus.LOADED
    record.save()
    return force


def _until_a_problem(
    first: Row, rows: Iterator[Row], checker: RowChecker, on_rows: RowsProgress | None = None
) -> Iterator[Row]:
    """Stop writing at the first refused row: the file will be refused, so why write more.
    Tell `on_rows` every ROWS_STEP rows how many have passed the checks."""
    yield first
    passed = 1
    for row in rows:
        if checker.rejected:
            checker.held_back += 1  # read and valid, but not written
            return
        passed += 1
        if on_rows is not None and not passed % ROWS_STEP:
            on_rows(passed)
        yield row


def _replace_earlier(record: PoliceImport) -> None:
    """A re-published month replaces the month: the earlier file's rows and counts go."""
    earlier = PoliceImport.objects.filter(
        force=record.force, month=record.month, kind=record.kind, status=ImportStatus.LOADED
    ).exclude(pk=record.pk)
    for old in earlier:
        for model in SOURCED_MODELS:
            # By force and month too: the summaries' indexes lead with them, not with source.
            model._default_manager.filter(source=old, force=old.force_id, month=old.month).delete()
        old.status = ImportStatus.REPLACED
        old.save(update_fields=["status"])
        record.replaces = old


@dataclass
class LsoaLoad:
    created: int
    updated: int
    unmatched_areas: list[str]


@transaction.atomic
def do_load_lsoas(path: Path, *, acting_user: User | None) -> LsoaLoad:
    """Load an LSOA → area table (columns lsoa_code, lsoa_name, area_code; '#' lines are notes).

    An area code must be a CSP area's ONS code; LSOAs of areas Safer does not hold are skipped
    and listed, so their records count as outside the partnership.
    """
    areas = dict(CspArea.objects.values_list("ons_code", "pk"))
    existing = dict(Lsoa.objects.values_list("code", "area_id"))
    with path.open(newline="", encoding="utf-8-sig") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        reader = csv.DictReader(lines)
        wanted = {"lsoa_code", "lsoa_name", "area_code"}
        if not reader.fieldnames or not wanted <= set(reader.fieldnames):
            raise ValueError(
                f"{path}: the header must have the columns lsoa_code, lsoa_name, area_code; "
                f"it has {', '.join(reader.fieldnames or [])}"
            )
        new, changed, unmatched = [], [], set()
        for number, row in enumerate(reader, start=2):
            code, name, area_code = row["lsoa_code"], row["lsoa_name"], row["area_code"]
            if not code or not area_code:
                raise ValueError(f"{path}, row {number}: lsoa_code and area_code are required")
            area_id = areas.get(area_code)
            if area_id is None:
                unmatched.add(area_code)
                continue
            lsoa = Lsoa(code=code, name=name, area_id=area_id)
            if code not in existing:
                new.append(lsoa)
            elif existing[code] != area_id:
                changed.append(lsoa)
    Lsoa.objects.bulk_create(new, batch_size=1000)
    Lsoa.objects.bulk_update(changed, ["name", "area"], batch_size=1000)
    for area in CspArea.objects.filter(population__isnull=False, population_year__isnull=False):
        AreaPopulation.objects.get_or_create(
            area=area,
            year=area.population_year,
            defaults={"population": area.population},
        )
    return LsoaLoad(len(new), len(changed), sorted(unmatched))


@transaction.atomic
def do_set_population(
    area: CspArea,
    year: int,
    population: int,
    *,
    acting_user: User | None,
    source: str = "",
    adult_women: int | None = None,
) -> AreaPopulation:
    """Set an area's population for a year; `adult_women` only when given, so loading a file
    of all ages keeps the adult women loaded before."""
    defaults: dict[str, object] = {
        "population": population,
        "source": source or "ONS mid-year estimate",
    }
    if adult_women is not None:
        defaults["adult_women"] = adult_women
    record, _ = AreaPopulation.objects.update_or_create(area=area, year=year, defaults=defaults)
    return record


# Uploads on the import page: kept, then imported by a background task (crimedata/tasks.py).

PROGRESS_SECONDS = 1.0  # while a file loads, its upload's row is written at most this often
# Importing police data changes what every page shows: the people who manage the agreement's
# data (analysts, administrators) may do it.
IMPORT_PERMISSION = Permission.IMPORT_DATA


def police_upload_limit() -> int:
    """The largest file the import page accepts, in bytes (setting CRIMEDATA_UPLOAD_MAX_BYTES)."""
    return int(getattr(settings, "CRIMEDATA_UPLOAD_MAX_BYTES", 1 << 30))


@transaction.atomic
def do_request_police_upload(upload: File[Any], *, acting_user: User) -> PoliceUpload:
    """Keep an uploaded police.uk file and queue its import for a background worker (`safer
    db_worker`; the local demo imports at once)."""
    from safer.crimedata.tasks import import_police_upload

    if not has_permission(acting_user, IMPORT_PERMISSION):
        raise PermissionDenied("Only analysts and administrators import police data.")
    name = Path(upload.name or "police.csv").name[:300]
    # The stored name keeps the suffix: `sources_for` reads a ".zip" as an archive.
    suffix = Path(name).suffix.lower() if Path(name).suffix.lower() in (".csv", ".zip") else ""
    record = PoliceUpload(
        file_name=name,
        size=upload.size or 0,
        uploaded_by=acting_user,
        progress_message="Waiting for a worker",
    )
    record.upload.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
    record.save()
    import_police_upload.enqueue(record.pk)
    return record


@transaction.atomic
def do_record_upload_progress(record: PoliceUpload, **values: Any) -> None:
    """Note how far an upload's import has got, committed at once so the page sees it. Call it
    between files: inside a file's transaction use `_ProgressAside`."""
    for name, value in values.items():
        setattr(record, name, value)
    PoliceUpload.objects.filter(pk=record.pk).update(**values)


class _UploadRefusedError(Exception):
    """The upload as a whole cannot be imported; the message says why."""


def run_police_upload(record: PoliceUpload) -> PoliceUpload:
    """Import every CSV of an upload, each whole or not at all (`do_import_police_file`),
    writing how far it has got to the upload's row; then remove the uploaded file, whatever
    happened. Never raises for a bad file."""
    started = time.perf_counter()
    do_record_upload_progress(
        record,
        status=UploadStatus.RUNNING,
        started_at=timezone.now(),
        progress=0,
        progress_message="Opening the file",
    )
    user = record.uploaded_by
    imports: list[PoliceImport] = []
    aside = _ProgressAside(record.pk)
    try:
        if user is None or not user.is_active or not has_permission(user, IMPORT_PERMISSION):
            raise _UploadRefusedError(
                "The person who uploaded this file may no longer import police data."
            )
        with _local_path(record.upload) as path:
            try:
                sources = list(sources_for(path, record.file_name))
            except SourceError as exc:
                raise _UploadRefusedError(str(exc)) from None
            areas = lsoa_areas()
            tracker = _UploadProgress(record, [source.size for source in sources], aside)
            for index, (source, prepared) in enumerate(read_ahead(sources, areas)):
                tracker.start_file(index, source.name)
                imported = do_import_police_file(
                    source,
                    acting_user=user,
                    progress=tracker.on_bytes,
                    on_rows=tracker.on_rows,
                    areas=areas,
                    upload=record,
                    prepared=prepared,
                    analyze=False,
                )
                imports.append(imported)
                tracker.end_file(imported)
            refresh_statistics(sum(imported.summary_rows for imported in imports))
    except _UploadRefusedError as refused:
        record.status = UploadStatus.REFUSED
        record.error = str(refused)
    except Exception:
        log.exception("Importing police upload %s failed", record.pk)
        record.status = UploadStatus.FAILED
        record.error = (
            "Safer could not finish this import because of a fault of its own. The file it was "
            "reading was not written; any listed below as loaded were loaded whole. The fault "
            "is in the server's log."
        )
    else:
        every_file_refused = all(i.status == ImportStatus.REFUSED for i in imports)
        record.status = UploadStatus.REFUSED if every_file_refused else UploadStatus.DONE
    finally:
        aside.close()
        if record.upload:
            record.upload.delete(save=False)  # kept only until the import has run
    record.progress = 100
    record.progress_message = UploadStatus(record.status).label
    record.finished_at = timezone.now()
    record.seconds = time.perf_counter() - started
    record.save()
    return record


@contextmanager
def _local_path(stored: FieldFile) -> Iterator[Path]:
    """The stored upload as a file on this machine (a zip is read by seeking), copied to a
    temporary folder when the storage is not a local one."""
    try:
        local: Path | None = Path(stored.path)
    except NotImplementedError:
        local = None
    if local is not None:
        yield local
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(stored.name or "upload").name
        with stored.open("rb") as source, path.open("wb") as out:
            shutil.copyfileobj(source, out)
        yield path


class _UploadProgress:
    """Turns `do_import_police_file`'s progress (bytes and rows of one file) into the upload's:
    per cent of all its files' bytes, files done, rows read. Written in its own transaction
    between files; while a file loads, at most once every PROGRESS_SECONDS through `aside`."""

    def __init__(self, record: PoliceUpload, sizes: list[int], aside: _ProgressAside) -> None:
        self.record = record
        self.sizes = sizes
        self.total = max(sum(sizes), 1)
        self.aside = aside
        self.index = self.bytes_before = self.rows_before = 0
        self.file_bytes = self.file_rows = 0
        self.written_at = time.monotonic()

    def percent(self) -> int:
        return min(99, (self.bytes_before + self.file_bytes) * 100 // self.total)

    def start_file(self, index: int, name: str) -> None:
        self.index = index
        self.file_bytes = self.file_rows = 0
        do_record_upload_progress(
            self.record,
            files_total=len(self.sizes),
            files_done=index,
            rows_read=self.rows_before,
            progress=self.percent(),
            progress_message=f"file {index + 1} of {len(self.sizes)}, {name}"[:200],
        )
        self.written_at = time.monotonic()

    def end_file(self, imported: PoliceImport) -> None:
        self.bytes_before += self.sizes[self.index]
        self.rows_before += imported.rows_read
        self.file_bytes = self.file_rows = 0
        do_record_upload_progress(
            self.record,
            files_done=self.index + 1,
            rows_read=self.rows_before,
            progress=self.percent(),
        )

    def on_bytes(self, done: int, total: int) -> None:
        self.file_bytes = done
        self._maybe_write()

    def on_rows(self, rows: int) -> None:
        self.file_rows = rows
        self._maybe_write()

    def _maybe_write(self) -> None:
        now = time.monotonic()
        if now - self.written_at < PROGRESS_SECONDS:
            return
        self.written_at = now
        self.aside.write(progress=self.percent(), rows_read=self.rows_before + self.file_rows)


class _ProgressAside:
    """Writes an upload's progress on a database connection of its own, committed at once, so
    the page sees it while the file's transaction is still open (and, on PostgreSQL, while
    that connection is busy with COPY). PostgreSQL only: SQLite has a single writer, which the
    file's transaction holds, so there the upload's row moves between files."""

    def __init__(self, upload_id: int) -> None:
        self.upload_id = upload_id
        self.connection: BaseDatabaseWrapper | None = None
        self.broken = False

    def write(self, **values: int) -> None:
        if connection.vendor != "postgresql" or self.broken:
            return
        try:
            if self.connection is None:
                self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
            quote = self.connection.ops.quote_name
            # Table and column names come from the model (its fields' columns are their
            # names), never from input.
            meta = PoliceUpload._meta
            columns = ", ".join(f"{quote(meta.get_field(name).name)} = %s" for name in values)
            table = quote(meta.db_table)
            sql = f"UPDATE {table} SET {columns} WHERE id = %s"  # noqa: S608
            with self.connection.cursor() as cursor:
                cursor.execute(sql, [*values.values(), self.upload_id])
        except DatabaseError:
            # The bar then moves file by file; the import itself must not fail for it.
            log.warning("Cannot write police upload %s's progress aside", self.upload_id)
            self.broken = True

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
