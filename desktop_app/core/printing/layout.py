"""The print plan: which sheet each page goes on, where, at what scale, and what to warn about.

The document decides the paper. A page goes on the printer's paper of the page's own size,
at 100 %, its top-left corner on the sheet's (the margins are already in the PDF). The clerk
may choose another paper; then the page stays at 100 % from the top-left corner unless they
also ask for it to be shrunk to fit, and either way the plan says so in a warning. The AK/I
card goes face by face on the printer's card stock, shifted by the printer's offset, or
several faces on one A4 sheet. Every page whose content reaches into the edge a printer
cannot print, or off the paper, is named in a warning: nothing is ever shrunk silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from desktop_app.core.errors import ValidationError
from desktop_app.core.printing.paper import (
    Margins,
    Media,
    PrinterInfo,
    identify,
    media_for,
    mm,
    size_label,
)

__all__ = [
    "CARD_ON_A4",
    "CARD_ON_STOCK",
    "Box",
    "CardOptions",
    "Page",
    "Placement",
    "PrintOptions",
    "PrintPlan",
    "Sheet",
    "grid",
    "parse_pages",
    "plan_print",
]

CARD_ON_STOCK = "stock"
"""One card face per sheet of card stock, shifted by the printer's offset."""
CARD_ON_A4 = "a4"
"""Several card faces on one A4 sheet (offices without card stock): cut them out."""

_EDGE_SLACK_MM = 0.1  # the content box comes from a 100 dpi rendering (0.25 mm pixels)


@dataclass(frozen=True)
class Box:
    """Where a page's content (ink) lies, in mm from the page's top-left corner."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Page:
    """One page of the document: its size and, when known, where its content lies."""

    width_mm: float
    height_mm: float
    content: Box | None = None


@dataclass(frozen=True)
class CardOptions:
    """How the card prints: on card stock (with the printer's offset) or several faces on A4."""

    layout: str = CARD_ON_STOCK
    stock_width_mm: float = 105.0
    stock_height_mm: float = 148.0
    offset_x_mm: float = 0.0
    offset_y_mm: float = 0.0


@dataclass(frozen=True)
class PrintOptions:
    """The clerk's choices in the print dialog."""

    pages: tuple[int, ...] | None = None
    """Pages to print (0-based, in order); None prints them all."""
    paper_key: str | None = None
    """A paper of the printer chosen instead of the document's own (None: the document's)."""
    fit: bool = False
    """Shrink a page that does not fit on the chosen paper (never on the document's paper)."""
    card: CardOptions | None = None
    copies: int = 1


@dataclass(frozen=True)
class Placement:
    """Page ``page`` (0-based) with its top-left corner at (``x_mm``, ``y_mm``) of the sheet."""

    page: int
    x_mm: float
    y_mm: float
    scale: float = 1.0


@dataclass(frozen=True)
class Sheet:
    """One side of paper: the media it is, its size as printed and the pages on it."""

    media: Media
    width_mm: float
    height_mm: float
    placements: tuple[Placement, ...]

    @property
    def landscape(self) -> bool:
        return self.width_mm > self.height_mm

    @property
    def margins(self) -> Margins:
        """The printer's unprintable edges, oriented like the sheet."""
        return self.media.margins.turned() if self.landscape else self.media.margins


@dataclass(frozen=True)
class PrintPlan:
    """What will be printed: the sheets, the copies, and what the clerk must be told.

    ``error`` set means the printer cannot print this as planned (nothing should be sent).
    """

    printer: str
    sheets: tuple[Sheet, ...]
    copies: int = 1
    warnings: tuple[str, ...] = ()
    error: str | None = None

    def is_identity(self, pages: Sequence[Page]) -> bool:
        """True when every page prints once, on its own sheet of its own size, at 100 % from
        the corner: the document itself is the job."""
        if len(self.sheets) != len(pages):
            return False
        for index, (sheet, page) in enumerate(zip(self.sheets, pages, strict=True)):
            if len(sheet.placements) != 1:
                return False
            p = sheet.placements[0]
            if (p.page, p.x_mm, p.y_mm, p.scale) != (index, 0.0, 0.0, 1.0):
                return False
            if abs(sheet.width_mm - page.width_mm) > 0.01 or \
                    abs(sheet.height_mm - page.height_mm) > 0.01:
                return False
        return True


# --------------------------------------------------------------------------- pages


def parse_pages(text: str, count: int) -> tuple[int, ...]:
    """``"1-3, 5"`` → ``(0, 1, 2, 4)`` for a document of ``count`` pages.

    Raises :class:`ValidationError` (field ``halaman``) with a message a clerk can act on.
    """
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    if not parts:
        raise ValidationError({"halaman": "Isi halaman yang dicetak, misalnya 1-3, 5."})
    chosen: list[int] = []
    for part in parts:
        found = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not found:
            raise ValidationError({"halaman": f"'{part}' bukan halaman; tulis seperti 1-3, 5."})
        first = int(found.group(1))
        last = int(found.group(2) or first)
        if first < 1 or last > count or first > last:
            raise ValidationError({"halaman": f"Halaman {part} tidak ada: dokumen ini "
                                              f"{count} halaman."})
        chosen.extend(n - 1 for n in range(first, last + 1) if n - 1 not in chosen)
    return tuple(chosen)


def grid(cell_w: float, cell_h: float, sheet_w: float, sheet_h: float
         ) -> list[tuple[float, float]]:
    """Top-left corners of as many ``cell_w`` × ``cell_h`` cells as fit on the sheet, edge to
    edge, the block centred, row by row."""
    cols = int((sheet_w + 1e-6) // cell_w)
    rows = int((sheet_h + 1e-6) // cell_h)
    x0 = (sheet_w - cols * cell_w) / 2
    y0 = (sheet_h - rows * cell_h) / 2
    return [(x0 + c * cell_w, y0 + r * cell_h) for r in range(rows) for c in range(cols)]


# --------------------------------------------------------------------------- planning


def _oriented(width: float, height: float, landscape: bool) -> tuple[float, float]:
    small, large = min(width, height), max(width, height)
    return (large, small) if landscape else (small, large)


def _no_paper(printer: PrinterInfo, width: float, height: float, what: str) -> str:
    return (f"Pencetak {printer.name} tidak menyediakan kertas {what} "
            f"({size_label(min(width, height), max(width, height))}) dan tidak menerima "
            "ukuran kertas khusus. Tambahkan ukuran itu di pengaturan pencetak, atau pilih "
            "kertas lain.")


def _document_sheets(pages: Sequence[Page], selected: Sequence[int], printer: PrinterInfo,
                     options: PrintOptions, notes: list[str]) -> list[Sheet] | str:
    chosen = printer.paper(options.paper_key) if options.paper_key else None
    sheets: list[Sheet] = []
    for index in selected:
        page = pages[index]
        landscape = page.width_mm > page.height_mm
        own = identify(page.width_mm, page.height_mm)
        if chosen is None:
            media = media_for(page.width_mm, page.height_mm, printer)
            if media is None:
                return _no_paper(printer, page.width_mm, page.height_mm, own.key or "dokumen")
            sheets.append(Sheet(media, page.width_mm, page.height_mm, (Placement(index, 0, 0),)))
            continue
        media = Media(chosen.key, chosen.name, min(chosen.width_mm, chosen.height_mm),
                      max(chosen.width_mm, chosen.height_mm), chosen.margins)
        if media_for(page.width_mm, page.height_mm,
                     PrinterInfo(printer.name, (chosen,))) is not None:
            # The "other" paper is the document's own paper under another name.
            sheets.append(Sheet(media, page.width_mm, page.height_mm, (Placement(index, 0, 0),)))
            continue
        width, height = _oriented(media.width_mm, media.height_mm, landscape)
        too_big = page.width_mm > width + 0.01 or page.height_mm > height + 0.01
        intro = (f"Kertas yang dipilih, {media.label}, berbeda dari kertas dokumen, "
                 f"{own.label}. ")
        if too_big and options.fit:
            scale = min(width / page.width_mm, height / page.height_mm)
            x = (width - page.width_mm * scale) / 2
            y = (height - page.height_mm * scale) / 2
            placement = Placement(index, x, y, scale)
            note = (intro + f"Dokumen diperkecil menjadi {scale * 100:.0f} % agar muat; "
                    "ukurannya tidak lagi sesuai aslinya.")
        else:
            placement = Placement(index, 0, 0)
            note = intro + ("Dokumen tetap dicetak 100 % dari pojok kiri atas; bagian yang "
                            "melewati kertas tidak tercetak." if too_big else
                            "Dokumen dicetak 100 % di pojok kiri atas kertas.")
        if note not in notes:
            notes.append(note)
        sheets.append(Sheet(media, width, height, (placement,)))
    return sheets


def _card_sheets(pages: Sequence[Page], selected: Sequence[int], printer: PrinterInfo,
                 card: CardOptions) -> list[Sheet] | str:
    if card.layout == CARD_ON_A4:
        media = media_for(210, 297, printer)
        if media is None:
            return _no_paper(printer, 210, 297, "A4")
        face_w = max(pages[i].width_mm for i in selected)
        face_h = max(pages[i].height_mm for i in selected)
        cells = grid(face_w, face_h, 210, 297)
        if not cells:
            return "Muka kartu lebih besar dari kertas A4."
        sheets = []
        for start in range(0, len(selected), len(cells)):
            chunk = selected[start:start + len(cells)]
            placements = tuple(Placement(i, x, y) for i, (x, y) in zip(chunk, cells, strict=False))
            sheets.append(Sheet(media, 210, 297, placements))
        return sheets
    width, height = card.stock_width_mm, card.stock_height_mm
    media = media_for(width, height, printer)
    if media is None:
        return _no_paper(printer, width, height, "stok kartu")
    return [Sheet(media, width, height, (Placement(i, card.offset_x_mm, card.offset_y_mm),))
            for i in selected]


def _edge_notes(sheets: Sequence[Sheet], pages: Sequence[Page], printer: str) -> list[str]:
    """Warnings for content off the paper or inside the edge the printer cannot print."""
    off_paper: list[int] = []
    in_margin: list[int] = []
    worst: tuple[float, str, float] | None = None  # (gap, side, printer's limit)
    for sheet in sheets:
        m = sheet.margins
        for p in sheet.placements:
            box = pages[p.page].content
            if box is None:
                continue
            gaps = {
                "kiri": (p.x_mm + box.left * p.scale, m.left),
                "atas": (p.y_mm + box.top * p.scale, m.top),
                "kanan": (sheet.width_mm - p.x_mm - box.right * p.scale, m.right),
                "bawah": (sheet.height_mm - p.y_mm - box.bottom * p.scale, m.bottom),
            }
            if min(gap for gap, _limit in gaps.values()) < -_EDGE_SLACK_MM:
                if p.page + 1 not in off_paper:
                    off_paper.append(p.page + 1)
                continue
            side, (gap, limit) = min(gaps.items(), key=lambda kv: kv[1][0] - kv[1][1])
            if gap < limit - _EDGE_SLACK_MM:
                if p.page + 1 not in in_margin:
                    in_margin.append(p.page + 1)
                if worst is None or gap - limit < worst[0] - worst[2]:
                    worst = (gap, side, limit)
    notes = []
    if off_paper:
        notes.append(f"Isi halaman {', '.join(map(str, off_paper))} melewati tepi kertas; "
                     "bagian itu tidak tercetak.")
    if in_margin and worst is not None:
        gap, side, limit = worst
        notes.append(f"Pencetak {printer} tidak dapat mencetak sampai tepi kertas (paling "
                     f"dekat {mm(limit)} mm dari tepi). Isi halaman "
                     f"{', '.join(map(str, in_margin))} sampai {mm(max(gap, 0))} mm dari tepi "
                     f"{side}; bagian itu tidak tercetak. Dokumen tidak diperkecil.")
    return notes


def plan_print(pages: Sequence[Page], printer: PrinterInfo,
               options: PrintOptions | None = None) -> PrintPlan:
    """Plan printing ``pages`` on ``printer`` with the clerk's ``options``."""
    options = options or PrintOptions()
    selected = list(options.pages) if options.pages is not None else list(range(len(pages)))
    if not selected:
        return PrintPlan(printer.name, (), error="Tidak ada halaman yang dicetak.")
    if any(not 0 <= i < len(pages) for i in selected):
        return PrintPlan(printer.name, (), error=f"Dokumen ini {len(pages)} halaman.")
    notes: list[str] = []
    if options.card is not None:
        result = _card_sheets(pages, selected, printer, options.card)
    else:
        result = _document_sheets(pages, selected, printer, options, notes)
    if isinstance(result, str):
        return PrintPlan(printer.name, (), options.copies, error=result)
    notes.extend(_edge_notes(result, pages, printer.name))
    return PrintPlan(printer.name, tuple(result), max(1, options.copies), tuple(notes))
