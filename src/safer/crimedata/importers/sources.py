"""Where police.uk files come from: a CSV, a folder of them, or a zip archive as published.

A zip is opened only if it is safe to: its members' declared sizes must stay under a total
limit and each member's compression ratio under a maximum (a "zip bomb" inflates from a few
kilobytes to gigabytes). `zipfile` never reads past a member's declared size, so the declared
sizes bound what is read.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings

CHUNK = 1 << 20


class SourceError(Exception):
    """A path or archive that cannot be read at all; the message names it and why."""


@dataclass
class Source:
    """One CSV file's bytes, wherever they live, with what a first pass learns about them."""

    name: str
    opener: Callable[[], IO[bytes]]
    size: int
    path: Path | None = None  # where the bytes lie as a file of their own, if they do
    checksum: str = ""
    ends_with_newline: bool = True
    looks_binary: bool = False
    notes: list[str] = field(default_factory=list)

    def open(self) -> IO[bytes]:
        return self.opener()

    @contextmanager
    def local_path(self) -> Iterator[Path]:
        """The bytes as a file on disk (a zip member is copied out to a temporary one)."""
        if self.path is not None:
            yield self.path
            return
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "police.csv"
            with self.open() as source, copy.open("wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
            yield copy

    def scan(self) -> None:
        """Checksum the bytes and note how the file ends and whether it is text at all."""
        digest = hashlib.sha256()
        last = b""
        first = True
        with self.open() as handle:
            while chunk := handle.read(CHUNK):
                if first:
                    self.looks_binary = b"\x00" in chunk[:8192]
                    first = False
                digest.update(chunk)
                last = chunk[-1:]
        self.checksum = digest.hexdigest()
        self.ends_with_newline = last in (b"\n", b"\r", b"")


def max_uncompressed_bytes() -> int:
    return int(getattr(settings, "CRIMEDATA_MAX_UNCOMPRESSED_BYTES", 8 << 30))


def max_zip_ratio() -> int:
    return int(getattr(settings, "CRIMEDATA_MAX_ZIP_RATIO", 100))


def file_source(path: Path, name: str | None = None) -> Source:
    return Source(
        name=name or path.name,
        opener=lambda: path.open("rb"),
        size=path.stat().st_size,
        path=path,
    )


def zip_sources(path: Path, name: str | None = None) -> list[Source]:
    """The CSV members of a police.uk archive, after checking it is safe to inflate."""
    label = name or path.name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"{label}: not a readable zip archive ({exc})") from None
    members = [info for info in archive.infolist() if not info.is_dir()]
    total = sum(info.file_size for info in members)
    if total > max_uncompressed_bytes():
        raise SourceError(
            f"{label}: refused as a possible zip bomb: its files would inflate to "
            f"{total:,} bytes, over the limit of {max_uncompressed_bytes():,}"
        )
    for info in members:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > max_zip_ratio():
            raise SourceError(
                f"{label}: refused as a possible zip bomb: {info.filename} inflates "
                f"{ratio:,.0f} times (limit {max_zip_ratio()})"
            )
    sources = []
    for info in sorted(members, key=lambda i: i.filename):

        def opener(info: zipfile.ZipInfo = info) -> IO[bytes]:
            return archive.open(info)

        sources.append(Source(name=f"{label}:{info.filename}", opener=opener, size=info.file_size))
    return sources


def sources_for(path: Path, name: str | None = None) -> Iterator[Source]:
    """Every file a path stands for, in name order; raises SourceError for what cannot be read."""
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".csv", ".zip"))
        if not found:
            raise SourceError(f"{path}: no .csv or .zip files in this folder")
        for child in found:
            yield from sources_for(child)
        return
    if not path.exists():
        raise SourceError(f"{path}: no such file or folder")
    label = name or path.name
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic.startswith(b"PK\x03\x04") or path.suffix.lower() == ".zip":
        yield from zip_sources(path, label)
    else:
        yield file_source(path, label)
