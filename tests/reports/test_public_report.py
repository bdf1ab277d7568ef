"""The public report: the agreement and its latest published performance, in every format."""

from __future__ import annotations

import io
import wave
import zipfile
from pathlib import Path

from django.test import Client

from safer.reports.models import BoardPack
from tests.reports.conftest import Closed, poppler


def test_the_public_page_needs_no_sign_in_and_shows_the_agreement(lancashire: None) -> None:
    page = Client().get("/reports/public/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Protect and support vulnerable people" in html
    assert "No quarter’s performance has been published yet." in html


def test_the_public_page_shows_only_published_figures_with_small_counts_suppressed(
    published: BoardPack, closed: Closed
) -> None:
    html = Client().get("/reports/public/").content.decode()
    assert "Performance in 2011/12 Q1" in html
    row = html.split(closed.cycle.repeats.text)[1].split("</tr>")[0]
    assert "fewer than 5" in row
    assert ">3<" not in row and "3 is" not in row
    assert "Reporting dipped over the summer holidays." not in html  # no commentary in public


def test_an_unpublished_pack_stays_off_the_public_page(closed: Closed) -> None:
    BoardPack.objects.create(
        agreement=closed.cycle.agreement, start_year=2011, quarter=1, version=1, status="ready"
    )
    assert "No quarter’s performance" in Client().get("/reports/public/").content.decode()


def test_the_plain_text_and_braille_say_the_same(published: BoardPack) -> None:
    client = Client()
    text = client.get("/reports/public/report.txt").content.decode()
    assert "Performance summary\n===================" in text
    assert "fewer than 5" in text
    brf = client.get("/reports/public/report.brf")
    assert brf["Content-Disposition"] == 'attachment; filename="report.brf"'
    body = brf.content.decode("ascii")
    lines = [line for page in body.split("\f") for line in page.split("\r\n")]
    assert max(len(line) for line in lines) <= 40
    assert all(len(page.split("\r\n")) <= 26 for page in body.split("\f"))
    assert ",p}=m.e summ>y" in body  # "Performance summary" in contracted UEB
    assert "few} ?an #e" in body  # "fewer than 5"


def test_the_large_print_pdf_is_large(published: BoardPack, tmp_path: Path) -> None:
    pdf = tmp_path / "large.pdf"
    pdf.write_bytes(Client().get("/reports/public/large-print.pdf").content)
    text = poppler("pdftotext", pdf, "-")
    assert "Performance summary" in text and "fewer than 5" in text
    fonts = poppler("pdffonts", pdf)
    assert "DejaVu" in fonts


def test_the_audio_has_a_chapter_per_section(published: BoardPack) -> None:
    response = Client().get("/reports/public/report-audio.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    playlist = archive.read("chapters.m3u").decode().splitlines()
    assert playlist[0] == "#EXTM3U"
    assert "#EXTINF:" in playlist[1] and playlist[1].endswith("About this report")
    wavs = [name for name in archive.namelist() if name.endswith(".wav")]
    assert len(wavs) == 3 + 4  # about, agreement, summary, and each theme
    with wave.open(io.BytesIO(archive.read(wavs[0]))) as sound:
        assert sound.getnframes() / sound.getframerate() > 2


def test_an_unknown_public_format_is_not_found(lancashire: None) -> None:
    assert Client().get("/reports/public/report.mp3").status_code == 404
