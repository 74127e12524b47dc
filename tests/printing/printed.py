"""The documents the printing tests and the benchmark print, and the check that a printed PDF
is its source at 100 % in the right place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import print_rig as rig

SCALE_TOLERANCE = 0.005   # 100 % +/- 0.5 %
POSITION_TOLERANCE_MM = 0.5
TEXT_MATCHED = 0.95       # share of the source's glyphs found where they belong on the print

DOCUMENTS = ("surat_a4", "surat_f4", "tanda_terima_a5", "lembar_sop", "kartu_ak1")


def render(name: str) -> bytes:
    """One of :data:`DOCUMENTS` as the program renders it (demo data)."""
    from desktop_app.core.documents import catalog, samples

    if name == "surat_a4":
        return catalog.render_document("surat_klaim_jht",
                                       samples.sample_context("surat_klaim_jht"), "A4")
    if name == "surat_f4":
        return catalog.render_document("surat_klaim_jht",
                                       samples.sample_context("surat_klaim_jht"), "F4")
    if name == "tanda_terima_a5":
        return catalog.render_document("tanda_terima", samples.sample_context("tanda_terima"))
    if name == "lembar_sop":
        from desktop_app.core.documents.card import sample_office
        from desktop_app.core.documents.sop_sheet import render_sop_sheet_pdf
        from desktop_app.core.sop import load_sops

        sop = next(s for s in load_sops() if s.code == "jht")
        return render_sop_sheet_pdf(sop, sample_office())
    if name == "kartu_ak1":
        from desktop_app.core.documents.card import render_card_pdf, sample_card_context

        return render_card_pdf(sample_card_context())
    raise KeyError(name)


@dataclass(frozen=True)
class PageCheck:
    """One printed page against its source."""

    page: int
    size_mm: tuple[float, float]
    turned: bool
    measured: rig.Measurement
    text: rig.TextCheck | None  # glyph positions (None: the output has no text)

    @property
    def ok(self) -> bool:
        m = self.measured
        return (abs(m.scale_x - 1) <= SCALE_TOLERANCE and abs(m.scale_y - 1) <= SCALE_TOLERANCE
                and m.position_mm <= POSITION_TOLERANCE_MM
                and (self.text is None or (self.text.matched >= TEXT_MATCHED
                                           and self.text.median_mm <= POSITION_TOLERANCE_MM / 2)))


def _upright(printed: np.ndarray, source: np.ndarray) -> tuple[list[np.ndarray], bool]:
    """The printed page turned back if the print system turned it to fit the paper."""
    if (printed.shape[0] > printed.shape[1]) == (source.shape[0] > source.shape[1]):
        return [printed], False
    return [np.rot90(printed, 1), np.rot90(printed, 3)], True


def check_page(source: Path, printed: Path, src_page: int, out_page: int,
               shift_mm: tuple[float, float] | None = None,
               crop_mm: tuple[float, float] | None = None) -> PageCheck:
    """Measure page ``out_page`` of ``printed`` against page ``src_page`` of ``source``.

    ``shift_mm`` is where the content should have moved (right, down); by default the source
    page centred on the printed page, as CUPS places a page on paper of another size. With
    ``crop_mm`` (x, y) the source page is looked for at that corner of the printed sheet.
    """
    dpi = 300
    src = rig.raster(source, src_page, dpi)
    out = rig.raster(printed, out_page, dpi)
    if crop_mm is not None:
        x, y = (round(v / 25.4 * dpi) for v in crop_mm)
        out = out[y:y + src.shape[0], x:x + src.shape[1]]
    candidates, turned = _upright(out, src)
    best: rig.Measurement | None = None
    for image in candidates:
        shift = shift_mm
        if shift is None:
            shift = ((image.shape[1] - src.shape[1]) / 2 * 25.4 / dpi,
                     (image.shape[0] - src.shape[0]) / 2 * 25.4 / dpi)
        m = rig.compare(src, image, shift, dpi)
        if best is None or m.position_mm < best.position_mm:
            best = m
    assert best is not None
    text = None
    if not turned and crop_mm is None:
        shift = shift_mm or ((out.shape[1] - src.shape[1]) / 2 * 25.4 / dpi,
                             (out.shape[0] - src.shape[0]) / 2 * 25.4 / dpi)
        text = rig.text_check(rig.glyphs(source, src_page), rig.glyphs(printed, out_page),
                              shift, POSITION_TOLERANCE_MM)
    size = rig.page_sizes_mm(printed)[out_page - 1]
    return PageCheck(out_page, size, turned, best, text)
