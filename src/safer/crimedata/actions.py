"""Every write to the crime data goes through here."""

from __future__ import annotations

import csv
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import models, transaction

from safer.accounts.models import User
from safer.crimedata.enums import FileKind, ImportStatus
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
from safer.crimedata.importers.sources import Source
from safer.crimedata.importers.writers import (
    refresh_statistics,
    write_outcome_summary,
    write_rows,
    write_summaries,
)
from safer.crimedata.models import (
    AreaCount,
    AreaPopulation,
    Force,
    Lsoa,
    LsoaCount,
    LsoaMonthCount,
    OutcomeCount,
    OutcomeRecord,
    PointCount,
    PointTypeCount,
    PoliceImport,
    StreetCrime,
    TypeCount,
)
from safer.partnership.models import CspArea

Progress = Callable[[int, int], None]  # (bytes read, bytes in all)

# Every table whose rows belong to one import, removed with it when its month is re-published.
# (MapPoint rows are shared by every month of a force and stay.)
SOURCED_MODELS: tuple[type[models.Model], ...] = (
    StreetCrime,
    AreaCount,
    TypeCount,
    LsoaCount,
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
    areas: dict[str, int] | None = None,
) -> PoliceImport:
    """Load one police.uk street CSV whole, or refuse it whole and record why.

    A month already loaded for the force is replaced (its rows and counts removed) when a
    different file for it loads; the very same file again changes nothing.
    """
    started = time.perf_counter()
    record = PoliceImport(file_name=source.name[:300], imported_by=acting_user)
    try:
        try:
            source.scan()
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
        _load(record, source, areas if areas is not None else lsoa_areas(), progress)
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
    refresh_statistics(record.summary_rows)
    record.seconds = time.perf_counter() - started
    PoliceImport.objects.filter(pk=record.pk).update(seconds=record.seconds)
    return record


@transaction.atomic
def _load(
    record: PoliceImport, source: Source, areas: dict[str, int], progress: Progress | None
) -> None:
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
                force, _ = Force.objects.get_or_create(name=facts.force)
                record.force, record.month, record.kind = force, facts.month_date, facts.kind
                record.status = ImportStatus.LOADED
                record.save()
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
                written = write_rows(_until_a_problem(first, rows, checker), outcomes=outcomes)
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


def _until_a_problem(first: Row, rows: Iterator[Row], checker: RowChecker) -> Iterator[Row]:
    """Stop writing at the first refused row: the file will be refused, so why write more."""
    yield first
    for row in rows:
        if checker.rejected:
            checker.held_back += 1  # read and valid, but not written
            return
        yield row


def _replace_earlier(record: PoliceImport) -> None:
    """A re-published month replaces the month: the earlier file's rows and counts go."""
    earlier = PoliceImport.objects.filter(
        force=record.force, month=record.month, kind=record.kind, status=ImportStatus.LOADED
    ).exclude(pk=record.pk)
    for old in earlier:
        for model in SOURCED_MODELS:
            model._default_manager.filter(source=old).delete()
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
