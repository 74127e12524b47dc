"""Benchmark of printing: true size per document and queue, and the cost of a one-page letter.

Run from the repository root, as root (cups-pdf's backend runs as root), with CUPS and
cups-pdf installed (``.ci/run`` installs them):

    QT_QPA_PLATFORM=offscreen python benchmarks/printing.py

It starts its own cupsd with the three test queues of ``tests/printing/print_rig.py`` (an
edge-to-edge cups-pdf queue and two office lasers with 4.2 mm and 5 mm unprintable edges),
prints through the program's print path and measures each output against its source:

1. *after*: every document (A4 and F4 letter, A5 receipt, landscape SOP sheet, AK/I card on
   A6, the card with an offset, the card faces on A4) on every queue, vector through CUPS;
   the raster path (what Windows does) to a PDF file and through a queue;
2. *before*: the path this replaced (each page rendered at 300 dpi and drawn scaled into the
   printable area of a QPrinter preset to the document's paper), for the A4 and F4 letter
   and the card, on each queue;
3. the job size and time of a one-page A4 letter, before and after.

Scale is the printed length of the page's longest rule over its source length; position
error the worst distance between a landmark of the source (ink box, rule ends) and where it
was printed, in mm (zero offset expected, or the card's offset).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "printing"))

import print_rig as rig  # noqa: E402

os.environ["CUPS_SERVER"] = str(rig.rig_dir() / "cups.sock")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from printed import DOCUMENTS, check_page, render  # noqa: E402


def _old_print_pdf(pdf_bytes: bytes, printer) -> None:  # noqa: ANN001 - the replaced path
    """The print path before issue 9, kept here only to measure it against: 300 dpi image,
    scaled to fit the printable area, centred (JPEG inside Qt's PDF engine)."""
    from PySide6.QtCore import QPointF, QRectF, QSize
    from PySide6.QtGui import QPainter

    from desktop_app.gui.printing import _open

    document, buffer = _open(pdf_bytes)
    dpi = min(printer.resolution(), 300)
    painter = QPainter()
    painter.begin(printer)
    for index in range(document.pageCount()):
        if index:
            printer.newPage()
        points = document.pagePointSize(index)
        image = document.render(index, QSize(int(points.width() * dpi / 72),
                                             int(points.height() * dpi / 72)))
        target = printer.pageLayout().paintRectPixels(printer.resolution())
        ratio = min(target.width() / image.width(), target.height() / image.height())
        w, h = image.width() * ratio, image.height() * ratio
        origin = QPointF((target.width() - w) / 2, (target.height() - h) / 2)
        painter.drawImage(QRectF(origin.x(), origin.y(), w, h), image)
    painter.end()
    document.close()
    buffer.close()


def _old_printer(pdf_bytes: bytes, queue: str | None, out: Path | None):  # noqa: ANN202
    """The QPrinter the old preview made: document's paper and orientation, Qt's margins."""
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    from desktop_app.gui.printing import _open

    printer = QPrinter(QPrinterInfo.printerInfo(queue), QPrinter.PrinterMode.HighResolution) \
        if queue else QPrinter(QPrinter.PrinterMode.HighResolution)
    if out is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
    document, buffer = _open(pdf_bytes)
    size = document.pagePointSize(0)
    printer.setPageSize(QPageSize(QSizeF(size.width(), size.height()), QPageSize.Unit.Point))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape if size.width() > size.height()
                               else QPageLayout.Orientation.Portrait)
    document.close()
    buffer.close()
    return printer


def _row(what: str, queue: str, checks: list) -> None:  # noqa: ANN001
    scale = [c.measured.scale_x for c in checks] + [c.measured.scale_y for c in checks]
    worst = max(abs(s - 1) for s in scale)
    low, high = min(scale) * 100, max(scale) * 100
    position = max(c.measured.position_mm for c in checks)
    size = checks[0].size_mm
    ok = "ok" if all(c.ok for c in checks) else "NOT TRUE TO SIZE"
    print(f"  {what:<24} {queue:<10} {size[0]:6.1f} x {size[1]:5.1f} mm  scale "
          f"{low:6.2f}-{high:6.2f} % (worst {worst * 100:4.2f} %)  position {position:5.2f} mm"
          f"  {ok}")


def _job(sources: dict[str, Path], name: str, queue: str, options=None,  # noqa: ANN001
         backend: str = "cups"):  # noqa: ANN202
    """The program's print path up to the job: Qt's printer info, pages, plan."""
    from desktop_app.core.printing.layout import plan_print
    from desktop_app.gui import printing

    pdf = sources[name].read_bytes()
    pages = printing.document_pages(pdf)
    plan = plan_print(pages, printing.printer_info(queue), options)
    return printing.PrintJob(pdf, tuple(pages), plan, rig.unique_title(name.replace("_", "-")),
                             backend)


def _after_vector(cups_rig: rig.CupsRig, sources: dict[str, Path]) -> None:
    from desktop_app.core.printing.layout import CARD_ON_A4, CardOptions, PrintOptions, grid
    from desktop_app.gui import printing

    print("After: the program's print path (vector PDF to CUPS)")
    for name in DOCUMENTS:
        for queue in rig.QUEUES:
            j = _job(sources, name, queue)
            out = cups_rig.output(printing.run_job(j).job_ids[0], j.title)
            _row(name, queue, [check_page(sources[name], out, n, n)
                               for n in range(1, len(j.pages) + 1)])
    card = sources["kartu_ak1"]
    for queue in (rig.QUEUE_EDGE, rig.QUEUE_LASER):
        j = _job(sources, "kartu_ak1", queue,
                 PrintOptions(card=CardOptions(offset_x_mm=2.5, offset_y_mm=-1.5)))
        out = cups_rig.output(printing.run_job(j).job_ids[0], j.title)
        _row("kartu_ak1 +2.5/-1.5 mm", queue,
             [check_page(card, out, n, n, shift_mm=(2.5, -1.5)) for n in (1, 2, 3)])
        j = _job(sources, "kartu_ak1", queue, PrintOptions(card=CardOptions(layout=CARD_ON_A4)))
        out = cups_rig.output(printing.run_job(j).job_ids[0], j.title)
        _row("kartu_ak1 3 faces on A4", queue,
             [check_page(card, out, n, 1, shift_mm=(0, 0), crop_mm=c)
              for n, c in zip((1, 2, 3), grid(105, 148, 210, 297), strict=False)])


def _after_raster(cups_rig: rig.CupsRig, sources: dict[str, Path], work: Path) -> None:
    from desktop_app.gui import printing

    print("After: the raster path (Windows; here to a PDF file and through a queue)")
    for name in ("surat_a4", "surat_f4", "lembar_sop", "kartu_ak1"):
        j = _job(sources, name, rig.QUEUE_EDGE, backend=printing.RASTER)
        out = work / f"raster-{name}.pdf"
        printing.print_raster(j.pdf, j.plan, _file_printer(out))
        _row(name, "PDF file", [check_page(sources[name], out, n, n, shift_mm=(0, 0))
                                for n in range(1, len(j.pages) + 1)])
    j = _job(sources, "surat_a4", rig.QUEUE_LASER, backend=printing.RASTER)
    printing.run_job(j)
    out = cups_rig.output_when_idle(rig.QUEUE_LASER, j.title)
    _row("surat_a4 (Qt to CUPS)", rig.QUEUE_LASER, [check_page(sources["surat_a4"], out, 1, 1)])


def _before(cups_rig: rig.CupsRig, sources: dict[str, Path]) -> None:
    print("Before: 300 dpi image scaled into the printable area (the replaced path)")
    for name in ("surat_a4", "surat_f4", "kartu_ak1"):
        for queue in rig.QUEUES:
            title = rig.unique_title(f"before-{name}")
            printer = _old_printer(sources[name].read_bytes(), queue, None)
            printer.setDocName(title)
            _old_print_pdf(sources[name].read_bytes(), printer)
            out = cups_rig.output_when_idle(queue, title)
            _row(name, queue, [check_page(sources[name], out, n, n)
                               for n in range(1, len(rig.page_sizes_mm(out)) + 1)])


def _letter_cost(cups_rig: rig.CupsRig, sources: dict[str, Path], work: Path) -> None:
    from desktop_app.gui import printing

    print("One-page A4 letter: job size and time (median of 5)")
    letter = sources["surat_a4"].read_bytes()
    times, size = [], 0
    for _ in range(5):
        out = work / "before.pdf"
        start = time.perf_counter()
        _old_print_pdf(letter, _old_printer(letter, None, out))
        times.append(time.perf_counter() - start)
        size = out.stat().st_size
    print(f"  before (300 dpi JPEG image)        {size / 1024:7.0f} KB  "
          f"{statistics.median(times):5.2f} s")
    times = []
    for _ in range(5):
        j = _job(sources, "surat_a4", rig.QUEUE_LASER)
        start = time.perf_counter()
        result = printing.run_job(j)
        times.append(time.perf_counter() - start)
        cups_rig.output(result.job_ids[0], j.title)
    print(f"  after, CUPS (the PDF itself, vector) {result.bytes_sent / 1024:5.0f} KB  "
          f"{statistics.median(times):5.2f} s (plan + lp; excludes the printer's own work)")
    times = []
    for _ in range(5):
        out = work / "raster.pdf"
        j = _job(sources, "surat_a4", rig.QUEUE_EDGE, backend=printing.RASTER)
        start = time.perf_counter()
        printing.print_raster(j.pdf, j.plan, _file_printer(out))
        times.append(time.perf_counter() - start)
    print(f"  after, raster (600 dpi, lossless)  {out.stat().st_size / 1024:7.0f} KB  "
          f"{statistics.median(times):5.2f} s (as a PDF file; on Windows GDI gets the bitmap)")


def main() -> int:
    reason = rig.missing()
    if reason:
        print(f"cannot run: {reason}")
        return 1
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp(prefix="bench-print-"))
    sources = {}
    for name in DOCUMENTS:
        sources[name] = work / f"{name}.pdf"
        sources[name].write_bytes(render(name))
    cups_rig = rig.CupsRig().start()
    try:
        _after_vector(cups_rig, sources)
        _after_raster(cups_rig, sources, work)
        _before(cups_rig, sources)
        _letter_cost(cups_rig, sources, work)
    finally:
        cups_rig.stop()
        del app
    return 0


def _file_printer(path: Path):  # noqa: ANN202
    from PySide6.QtPrintSupport import QPrinter

    from desktop_app.gui.printing import RASTER_DPI

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(RASTER_DPI)
    return printer


if __name__ == "__main__":
    raise SystemExit(main())
