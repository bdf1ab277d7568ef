"""The public report: the agreement and its latest published performance, in accessible formats.

Only what a published board pack holds is shown — aggregates, with the small-numbers rule already
applied when the pack was built — and never commentary or progress notes (free text written for
the Board). The same chapters feed the web page, the large-print PDF, plain text, Braille and
audio, so every format says the same thing.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import textwrap
import wave
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from safer.reports.content import PackContent
from safer.reports.models import BoardPack
from safer.strategy.models import Agreement, Theme

BRAILLE_TABLE = "en-ueb-g2.ctb"  # Unified English Braille, contracted (grade 2)
BRAILLE_CELLS = 40  # cells per line of a standard embosser page
BRAILLE_LINES = 25  # lines per page


@dataclass(frozen=True)
class Chapter:
    title: str
    paragraphs: list[str]


@dataclass(frozen=True)
class PublicReport:
    agreement: Agreement
    themes: list[Theme]
    pack: BoardPack | None
    content: PackContent | None

    @property
    def cache_key(self) -> str | None:
        """Files made for a published pack never change; without one, nothing is kept."""
        return f"pack-{self.pack.pk}" if self.pack else None


def latest_public_report() -> PublicReport:
    agreement = Agreement.objects.current()
    pack = (
        BoardPack.objects.published()
        .filter(agreement=agreement, area__isnull=True)
        .order_by("-start_year", "-quarter", "-version")
        .first()
    )
    return PublicReport(
        agreement=agreement,
        themes=list(agreement.themes.order_by("number")),
        pack=pack,
        content=pack.pack_content() if pack else None,
    )


def chapters(report: PublicReport) -> list[Chapter]:
    agreement = report.agreement
    content = report.content
    out = [
        Chapter(
            _("About this report"),
            [
                f"{agreement.board}: {agreement.title}.",
                (
                    _("Performance for %(quarter)s, as published to the Board.")
                    % {"quarter": content.quarter}
                    if content
                    else _("No quarter's performance has been published yet.")
                ),
                _("Counts of fewer than 5 are not shown, so that no one can be identified."),
            ],
        ),
        Chapter(
            _("The agreement"),
            [
                _("The agreement runs from %(start)s to %(end)s. Its priority themes are:")
                % {"start": agreement.start_year, "end": agreement.end_year},
                *[f"{theme.number}. {theme.title}. {theme.vision}" for theme in report.themes],
            ],
        ),
    ]
    if content is None:
        return out
    out.append(
        Chapter(
            _("Performance summary"),
            [
                _(
                    "%(title)s: %(red)s red, %(amber)s amber, %(green)s green, "
                    "%(unknown)s not yet rated; %(actions)s actions, %(overdue)s overdue."
                )
                % {
                    "title": f"{row.number}. {row.title}",
                    "red": row.red,
                    "amber": row.amber,
                    "green": row.green,
                    "unknown": row.unknown,
                    "actions": row.actions,
                    "overdue": row.overdue,
                }
                for row in content.summary
            ],
        )
    )
    for theme in content.themes:
        out.append(
            Chapter(
                f"{theme.number}. {theme.title}",
                [
                    _("%(measure)s Value: %(value)s. Target: %(target)s. Status: %(rag)s. %(why)s.")
                    % {
                        "measure": m.text,
                        "value": m.value_text,
                        "target": m.target_text,
                        "rag": m.rag.label,
                        "why": m.rag.reason,
                    }
                    for m in theme.measures
                ],
            )
        )
    return out


def plain_text(report: PublicReport) -> str:
    lines: list[str] = []
    for chapter in chapters(report):
        lines += [chapter.title, "=" * len(chapter.title), ""]
        for paragraph in chapter.paragraphs:
            lines += [*textwrap.wrap(paragraph.replace("—", "none"), 78), ""]
    return "\n".join(lines)


def large_print_pdf(report: PublicReport) -> bytes:
    from safer.reports.renderers.pdf import html_to_pdf  # WeasyPrint loads only when needed

    html = render_to_string(
        "reports/public_large_print.html",
        {"report": report, "chapters": chapters(report), "content": report.content},
    )
    return html_to_pdf(html)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(
            f"{name} is not installed: run scripts/ensure-system-packages (Debian packages)."
        )
    return path


def braille(report: PublicReport) -> bytes:
    """A .brf file: ASCII Braille, 40 cells a line, 25 lines a page, pages split by form feeds."""
    text = plain_text(report)
    result = subprocess.run(  # noqa: S603 - fixed program and table, text on stdin
        [_tool("lou_translate"), "--forward", BRAILLE_TABLE],
        input=text.replace("=", "").encode(),
        capture_output=True,
        check=True,
    )
    lines: list[str] = []
    for line in result.stdout.decode("ascii", errors="replace").splitlines():
        lines += textwrap.wrap(line, BRAILLE_CELLS) or [""]
    pages = [lines[i : i + BRAILLE_LINES] for i in range(0, len(lines), BRAILLE_LINES)]
    return "\f".join("\r\n".join(page) + "\r\n" for page in pages).encode("ascii")


def _speak(text: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "speech.wav"
        subprocess.run(  # noqa: S603 - fixed program; text on stdin
            [_tool("espeak-ng"), "-v", "en-gb", "-s", "160", "--stdin", "-w", str(out)],
            input=text.encode(),
            capture_output=True,
            check=True,
        )
        return out.read_bytes()


def audio(report: PublicReport) -> bytes:
    """A zip of one WAV file per chapter, with an M3U playlist naming the chapters in order."""
    buffer = io.BytesIO()
    playlist = ["#EXTM3U"]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, chapter in enumerate(chapters(report), start=1):
            data = _speak(". ".join([chapter.title, *chapter.paragraphs]).replace("—", "none"))
            name = f"{number:02d}-{_slug(chapter.title)}.wav"
            with wave.open(io.BytesIO(data)) as sound:
                seconds = round(sound.getnframes() / sound.getframerate())
            playlist += [f"#EXTINF:{seconds},{chapter.title}", name]
            archive.writestr(name, data)
        archive.writestr("chapters.m3u", "\n".join(playlist) + "\n")
    return buffer.getvalue()


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:40] or "chapter"


FORMATS = {
    "large-print.pdf": ("application/pdf", large_print_pdf),
    "report.txt": ("text/plain; charset=utf-8", lambda r: plain_text(r).encode()),
    "report.brf": ("application/x-brf", braille),
    "report-audio.zip": ("application/zip", audio),
}


def generated(report: PublicReport, name: str) -> bytes:
    """A public format, made on first request and kept beside the media files after that."""
    make = FORMATS[name][1]
    if report.cache_key is None:
        return make(report)
    path = Path(settings.MEDIA_ROOT) / "public-report" / report.cache_key / name
    if path.exists():
        return path.read_bytes()
    data: bytes = make(report)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data
