"""The DIBATALKAN stamp (documents/marks.py) reads clearly over the letter's body: its text
sits on an opaque white box inside its red border, and it is still an incremental update."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from desktop_app.core.documents import catalog, samples
from desktop_app.core.documents.marks import stamp_void

REASON = "Ditarik atas permintaan pemohon; data perusahaan salah ketik dan harus diperbaiki."


def _raster(pdf: bytes, tmp_path: Path, dpi: int = 72) -> Image.Image:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    src = tmp_path / "x.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-q", "-r", str(dpi), "-f", "1", "-l", "1", "-png",
                    str(src), str(tmp_path / "page")], check=True)
    return Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")


def _is_red(p: tuple[int, int, int]) -> bool:
    return p[0] > 140 and p[1] < 90 and p[2] < 90


def _stamp_box(img: Image.Image) -> tuple[int, int, int, int]:
    """The red border's rectangle: the rows and columns with long runs of red."""
    w, h = img.size
    px = img.load()
    rows = [y for y in range(h) if sum(_is_red(px[x, y]) for x in range(w)) > w * 0.6]
    cols = [x for x in range(w) if sum(_is_red(px[x, y]) for y in range(h)) > 30]
    assert rows and cols, "no red border found"
    return min(cols), min(rows), max(cols), max(rows)


@pytest.mark.parametrize("paper", ["A4", "F4"])
def test_void_stamp_has_an_opaque_white_box_inside_the_page(paper: str,
                                                            tmp_path: Path) -> None:
    letter = catalog.render_document("surat_klaim_jht", samples.sample_context(
        "surat_klaim_jht"), paper=paper)
    stamped = stamp_void(letter, datetime(2026, 11, 30, 10, 0), REASON)
    assert stamped.startswith(letter)  # an incremental update: the original bytes kept

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    before = _raster(letter, tmp_path / "a")
    after = _raster(stamped, tmp_path / "b")
    left, top, right, bottom = _stamp_box(after)
    width = after.size[0]
    assert left > 0 and right < width - 1, "the stamp runs off the page"
    inside = (left + 3, top + 3, right - 2, bottom - 2)
    body = before.crop(inside)
    dark_before = sum(1 for p in body.get_flattened_data() if max(p) < 110)
    assert dark_before > 200, "the stamp should sit over the letter's body text"
    box = after.crop(inside)
    pixels = list(box.get_flattened_data())
    dark = sum(1 for p in pixels if max(p) < 110)  # black body text showing through
    red = sum(1 for p in pixels if _is_red(p))
    white = sum(1 for p in pixels if min(p) > 235)
    assert dark == 0, f"{dark} pixels of the letter's text show through the stamp"
    assert red > 300 and white > len(pixels) * 0.6


def test_void_stamp_text_is_extractable_and_folded_to_latin(tmp_path: Path) -> None:
    from pypdf import PdfReader

    letter = catalog.render_document("surat_klaim_jht", samples.sample_context(
        "surat_klaim_jht"))
    stamped = stamp_void(letter, datetime(2026, 11, 30, 10, 0), "Salah “nama” — diperbaiki")
    text = " ".join(PdfReader(io.BytesIO(stamped)).pages[0].extract_text().split())
    assert "DIBATALKAN 30 November 2026" in text
    assert "Alasan:" in text and "diperbaiki" in text
