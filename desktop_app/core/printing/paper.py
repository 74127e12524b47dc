"""Paper sizes: which standard size a page is, and what a printer's driver calls that paper.

Drivers name the same paper differently: F4 (215 × 330 mm, the folio of Indonesian offices)
is "F4" on one driver, "Oficio 8.5x13" (``FanFoldGermanLegal``, 215.9 × 330.2 mm) on another
and absent from a third, which takes custom sizes instead. :func:`media_for` picks the
driver's own entry within :data:`TOLERANCE_MM` (so the printer feeds the tray that holds that
paper) and falls back to a custom size (``Custom.215x330mm`` in CUPS syntax) only when the
driver lists no such paper. All sizes are portrait (width ≤ height) and in millimetres.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "STANDARD_PAPERS",
    "TOLERANCE_MM",
    "Margins",
    "Media",
    "Paper",
    "PrinterInfo",
    "PrinterPaper",
    "custom_media_key",
    "identify",
    "media_for",
    "mm",
    "size_label",
]

TOLERANCE_MM = 1.0
"""Two sizes within this much (each side) are the same paper: it keeps any centring error
from the difference (FanFoldGermanLegal is 0.9 mm wider than F4) under 0.5 mm."""


def mm(value: float) -> str:
    """A length in millimetres the Indonesian way: ``4.2`` → ``"4,2"``, ``215.0`` → ``"215"``."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if text not in ("-0", "") else "0"


def size_label(width_mm: float, height_mm: float) -> str:
    """``"215 × 330 mm"``."""
    return f"{mm(width_mm)} × {mm(height_mm)} mm"


@dataclass(frozen=True)
class Paper:
    """A paper size, portrait (``width_mm`` ≤ ``height_mm``)."""

    key: str
    width_mm: float
    height_mm: float

    @property
    def label(self) -> str:
        """``"F4 (215 × 330 mm)"``, or only the size for a paper without a name."""
        size = size_label(self.width_mm, self.height_mm)
        return f"{self.key} ({size})" if self.key else size


STANDARD_PAPERS: tuple[Paper, ...] = (
    Paper("A4", 210, 297),
    Paper("F4", 215, 330),
    Paper("A5", 148, 210),
    Paper("A6", 105, 148),
    Paper("Letter", 215.9, 279.4),
    Paper("Legal", 215.9, 355.6),
)
"""The sizes the office meets, in the order the print dialog offers them."""


def _portrait(width_mm: float, height_mm: float) -> tuple[float, float]:
    return (min(width_mm, height_mm), max(width_mm, height_mm))


def _close(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) <= TOLERANCE_MM and abs(a[1] - b[1]) <= TOLERANCE_MM


def identify(width_mm: float, height_mm: float) -> Paper:
    """The standard paper of a page of this size (either orientation), or a nameless
    :class:`Paper` of exactly this size (portrait)."""
    size = _portrait(width_mm, height_mm)
    for paper in STANDARD_PAPERS:
        if _close(size, (paper.width_mm, paper.height_mm)):
            return paper
    return Paper("", round(size[0], 1), round(size[1], 1))


@dataclass(frozen=True)
class Margins:
    """How close to each edge a printer can print, in millimetres (portrait, as fed)."""

    left: float = 0.0
    top: float = 0.0
    right: float = 0.0
    bottom: float = 0.0

    @property
    def largest(self) -> float:
        return max(self.left, self.top, self.right, self.bottom)

    def turned(self) -> Margins:
        """The margins of a landscape sheet fed portrait. Which way a driver turns the page
        is its own business, so each side takes the larger of the two it could be."""
        across = max(self.left, self.right)
        along = max(self.top, self.bottom)
        return Margins(left=along, top=across, right=along, bottom=across)


@dataclass(frozen=True)
class PrinterPaper:
    """One paper a printer's driver lists: its name for it, its size and printable margins."""

    key: str
    name: str
    width_mm: float
    height_mm: float
    margins: Margins = Margins()


@dataclass(frozen=True)
class PrinterInfo:
    """What the print path needs to know about a printer (filled by the GUI from Qt)."""

    name: str
    papers: tuple[PrinterPaper, ...]
    custom_sizes: bool = False
    custom_margins: Margins = Margins()

    def paper(self, key: str) -> PrinterPaper | None:
        return next((p for p in self.papers if p.key == key), None)


@dataclass(frozen=True)
class Media:
    """The paper a sheet is printed on, as the job names it to the printer."""

    key: str
    name: str
    width_mm: float
    height_mm: float
    margins: Margins = Margins()
    custom: bool = False

    @property
    def label(self) -> str:
        size = size_label(self.width_mm, self.height_mm)
        return size if self.custom else f"{self.name} ({size})"


def custom_media_key(width_mm: float, height_mm: float) -> str:
    """A custom paper size in CUPS syntax: ``Custom.215x330mm``."""
    return f"Custom.{mm(width_mm).replace(',', '.')}x{mm(height_mm).replace(',', '.')}mm"


def media_for(width_mm: float, height_mm: float, printer: PrinterInfo) -> Media | None:
    """The printer's paper for a page of this size (either orientation): the driver's own
    entry when one is within :data:`TOLERANCE_MM`, the closest first; else a custom size when
    the driver takes custom sizes; else None (the printer cannot take this paper)."""
    size = _portrait(width_mm, height_mm)
    candidates = [p for p in printer.papers if _close(size, _portrait(p.width_mm, p.height_mm))]
    if candidates:
        best = min(candidates, key=lambda p: abs(p.width_mm - size[0]) + abs(p.height_mm - size[1]))
        width, height = _portrait(best.width_mm, best.height_mm)
        return Media(best.key, best.name, width, height, best.margins)
    if printer.custom_sizes:
        return Media(custom_media_key(*size), size_label(*size), size[0], size[1],
                     printer.custom_margins, custom=True)
    return None
