"""The Qt side of printing: the printers Qt sees, the pages' content, and the two ways a plan
reaches paper.

* **CUPS** (Linux, macOS; any printer that is a CUPS queue): the plan's job PDF goes to
  ``lp`` as vector (:mod:`desktop_app.core.printing.cups`).
* **Raster** (Windows, or no ``lp``): each sheet is painted on a ``QPrinter`` in full-page
  mode, every page rendered by QtPdf at :data:`RASTER_DPI` in bands and drawn at its planned
  place and true size, with lossless images. On Windows the driver receives that bitmap
  through GDI; no JPEG is involved anywhere.

:func:`printer_info` reads a printer into the plain :class:`PrinterInfo` the core plans with
(Qt snaps a driver's 215 × 330 mm paper to 8.5 × 13 in, so only the driver's *names* are
trusted and the tolerance in :mod:`~desktop_app.core.printing.paper` absorbs the rest).
:func:`run_job` is what the print dialog's worker thread calls.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QRect,
    QRectF,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from desktop_app.core.errors import AppError
from desktop_app.core.printing import MM_PER_POINT, cups
from desktop_app.core.printing.job_pdf import build_job_pdf
from desktop_app.core.printing.layout import Box, Page, PrintPlan, Sheet
from desktop_app.core.printing.paper import Margins, PrinterInfo, PrinterPaper

__all__ = [
    "CUPS",
    "RASTER",
    "PrintJob",
    "PrintResult",
    "backend_for",
    "default_printer",
    "document_pages",
    "print_raster",
    "printer_info",
    "printer_names",
    "run_job",
]

log = logging.getLogger(__name__)

CUPS = "cups"
RASTER = "raster"
RASTER_DPI = 600
"""Letters need 600 dpi for 7 pt text; 1200 dpi costs ~10 s and ~0.8 MB a page (measured) for
nothing an office laser shows, so a 1200 dpi printer gets 600 dpi scaled 2:1 by its driver."""
_BAND_PX = 1024  # rows rendered at a time: an A4 band at 1200 dpi is ~40 MB, not ~560 MB
_PROBE_DPI = 100  # enough to find where a page's content lies (0.25 mm)
Progress = Callable[[int, int], None]


class PrintFailed(AppError):
    """Printing could not start or finish (message in Bahasa Indonesia)."""


# --------------------------------------------------------------------------- printers


def printer_names() -> list[str]:
    return QPrinterInfo.availablePrinterNames()


def default_printer() -> str:
    return QPrinterInfo.defaultPrinterName()


def _margins_mm(layout: QPageLayout) -> Margins:
    m = layout.minimumMargins()
    unit = {QPageLayout.Unit.Millimeter: 1.0, QPageLayout.Unit.Point: MM_PER_POINT,
            QPageLayout.Unit.Inch: 25.4}.get(layout.units(), MM_PER_POINT)
    return Margins(round(m.left() * unit, 2), round(m.top() * unit, 2),
                   round(m.right() * unit, 2), round(m.bottom() * unit, 2))


def _qt_papers(info: QPrinterInfo) -> dict[str, QPageSize]:
    return {size.key(): size for size in info.supportedPageSizes()}


def printer_info(name: str) -> PrinterInfo:
    """What the print path needs to know about printer ``name``: its papers (with the
    margins it cannot print) and whether it takes custom sizes."""
    info = QPrinterInfo.printerInfo(name)
    probe = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    papers = []
    for key, size in _qt_papers(info).items():
        probe.setPageSize(size)
        mm = size.size(QPageSize.Unit.Millimeter)
        papers.append(PrinterPaper(key, size.name(), round(mm.width(), 2),
                                   round(mm.height(), 2), _margins_mm(probe.pageLayout())))
    probe.setPageSize(info.defaultPageSize())
    return PrinterInfo(name, tuple(papers), info.supportsCustomPageSizes(),
                       _margins_mm(probe.pageLayout()))


def backend_for(name: str) -> str:
    """:data:`CUPS` when ``name`` is a CUPS queue this computer can send PDF to, else
    :data:`RASTER`."""
    return CUPS if cups.available() and name in cups.queues() else RASTER


# --------------------------------------------------------------------------- pages


def _open(pdf_bytes: bytes) -> tuple[QPdfDocument, QBuffer]:
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf_bytes))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise PrintFailed("Berkas PDF tidak dapat dibuka untuk dicetak.")
    return document, buffer


def _on_white(image: QImage) -> QImage:
    """QtPdf renders onto transparency; paper is white."""
    canvas = QImage(image.size(), QImage.Format.Format_RGB32)
    canvas.fill(Qt.GlobalColor.white)
    painter = QPainter(canvas)
    painter.drawImage(0, 0, image)
    painter.end()
    if canvas.allGray():
        return canvas.convertToFormat(QImage.Format.Format_Grayscale8)
    return canvas.convertToFormat(QImage.Format.Format_RGB888)


def _content_box(image: QImage, width_mm: float, height_mm: float) -> Box | None:
    from PIL import Image, ImageOps

    gray = _on_white(image).convertToFormat(QImage.Format.Format_Grayscale8)
    raw = Image.frombuffer("L", (gray.width(), gray.height()), bytes(gray.constBits()),
                           "raw", "L", gray.bytesPerLine(), 1)
    found = ImageOps.invert(raw).point(lambda v: 255 if v > 96 else 0).getbbox()
    if found is None:
        return None
    sx, sy = width_mm / gray.width(), height_mm / gray.height()
    left, top, right, bottom = found
    return Box(left * sx, top * sy, right * sx, bottom * sy)


def document_pages(pdf_bytes: bytes) -> list[Page]:
    """The PDF's pages: size in mm and where their content lies (for the edge warnings)."""
    document, buffer = _open(pdf_bytes)
    try:
        pages = []
        options = QPdfDocumentRenderOptions()
        options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.Annotations)
        for index in range(document.pageCount()):
            points = document.pagePointSize(index)
            width, height = points.width() * MM_PER_POINT, points.height() * MM_PER_POINT
            size = QSize(max(1, round(points.width() * _PROBE_DPI / 72)),
                         max(1, round(points.height() * _PROBE_DPI / 72)))
            image = document.render(index, size, options)
            pages.append(Page(round(width, 3), round(height, 3),
                              _content_box(image, width, height)))
        return pages
    finally:
        document.close()
        buffer.close()


# --------------------------------------------------------------------------- raster path


def _page_layout(sheet: Sheet, qt_sizes: dict[str, QPageSize]) -> QPageLayout:
    named = qt_sizes.get(sheet.media.key) if not sheet.media.custom else None
    size = named or QPageSize(QSizeF(sheet.media.width_mm, sheet.media.height_mm),
                              QPageSize.Unit.Millimeter, sheet.media.name,
                              QPageSize.SizeMatchPolicy.ExactMatch)
    orientation = (QPageLayout.Orientation.Landscape if sheet.landscape
                   else QPageLayout.Orientation.Portrait)
    layout = QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    layout.setMode(QPageLayout.Mode.FullPageMode)
    return layout


def _draw_page(painter: QPainter, document: QPdfDocument, index: int, target: QRectF,
               dpi: float) -> None:
    """Render page ``index`` at ``dpi`` in bands and draw it into ``target`` (device px)."""
    points = document.pagePointSize(index)
    width = max(1, round(points.width() * dpi / 72))
    height = max(1, round(points.height() * dpi / 72))
    ky = target.height() / height
    options = QPdfDocumentRenderOptions()
    options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.Annotations)
    options.setScaledSize(QSize(width, height))
    for top in range(0, height, _BAND_PX):
        rows = min(_BAND_PX, height - top)
        options.setScaledClipRect(QRect(0, top, width, rows))
        band = document.render(index, QSize(width, rows), options)
        if band.isNull():
            raise PrintFailed("Halaman dokumen tidak dapat digambar untuk dicetak.")
        painter.drawImage(QRectF(target.x(), target.y() + top * ky, target.width(), rows * ky),
                          _on_white(band))


def print_raster(pdf_bytes: bytes, plan: PrintPlan, printer: QPrinter,
                 progress: Progress | None = None,
                 cancelled: threading.Event | None = None) -> int:
    """Paint ``plan`` on ``printer`` (full page, 100 %); returns the sheets printed."""
    document, buffer = _open(pdf_bytes)
    qt_sizes = _qt_papers(QPrinterInfo(printer)) if printer.outputFormat() == \
        QPrinter.OutputFormat.NativeFormat else {}
    printer.setFullPage(True)
    printer.setCopyCount(plan.copies)
    printer.setCollateCopies(True)
    printer.setPageLayout(_page_layout(plan.sheets[0], qt_sizes))
    painter = QPainter()
    if not painter.begin(printer):
        document.close()
        raise PrintFailed("Pencetak tidak dapat dimulai. Periksa apakah pencetak menyala.")
    painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering, True)
    printed = 0
    try:
        for number, sheet in enumerate(plan.sheets):
            if number:
                printer.setPageLayout(_page_layout(sheet, qt_sizes))
                printer.newPage()
            px_per_mm = printer.resolution() / 25.4
            for p in sheet.placements:
                points = document.pagePointSize(p.page)
                target = QRectF(p.x_mm * px_per_mm, p.y_mm * px_per_mm,
                                points.width() * MM_PER_POINT * p.scale * px_per_mm,
                                points.height() * MM_PER_POINT * p.scale * px_per_mm)
                _draw_page(painter, document, p.page, target, RASTER_DPI * p.scale)
            printed += 1
            if progress is not None:
                progress(printed, len(plan.sheets))
            if cancelled is not None and cancelled.is_set():
                printer.abort()
                break
    finally:
        painter.end()
        document.close()
        buffer.close()
    return printed


# --------------------------------------------------------------------------- jobs


@dataclass(frozen=True)
class PrintJob:
    """Everything a worker thread needs to print one document."""

    pdf: bytes
    pages: tuple[Page, ...]
    plan: PrintPlan
    title: str
    backend: str = CUPS


@dataclass
class PrintResult:
    """What reached the print system."""

    sheets: int = 0
    job_ids: list[str] = field(default_factory=list)
    bytes_sent: int = 0
    cancelled: bool = False


def _runs(sheets: Sequence[Sheet]) -> list[tuple[Sheet, ...]]:
    """Consecutive sheets on the same paper (a CUPS job names one paper)."""
    runs: list[list[Sheet]] = []
    for sheet in sheets:
        if runs and runs[-1][-1].media.key == sheet.media.key:
            runs[-1].append(sheet)
        else:
            runs.append([sheet])
    return [tuple(r) for r in runs]


def run_job(job: PrintJob, progress: Progress | None = None,
            cancelled: threading.Event | None = None) -> PrintResult:
    """Print ``job`` (call it off the GUI thread); ``progress(done, total)`` after each step."""
    result = PrintResult()
    if job.plan.error:
        raise PrintFailed(job.plan.error)
    if job.backend == CUPS:
        runs = _runs(job.plan.sheets)
        for number, run in enumerate(runs, start=1):
            if cancelled is not None and cancelled.is_set():
                result.cancelled = True
                break
            part = replace(job.plan, sheets=run) if len(runs) > 1 else job.plan
            data = build_job_pdf(job.pdf, part, job.pages)
            result.job_ids.append(cups.submit(data, job.plan.printer, media=run[0].media.key,
                                              copies=job.plan.copies, title=job.title))
            result.bytes_sent += len(data)
            result.sheets += len(run)
            if progress is not None:
                progress(number, len(runs))
        return result
    printer = QPrinter(QPrinterInfo.printerInfo(job.plan.printer),
                       QPrinter.PrinterMode.HighResolution)
    printer.setDocName(job.title)
    result.sheets = print_raster(job.pdf, job.plan, printer, progress, cancelled)
    result.cancelled = result.sheets < len(job.plan.sheets)
    return result
