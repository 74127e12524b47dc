"""Preview a PDF with Qt's PDF module, print it through QPrinter, or save it.

:func:`print_pdf` is the printing itself (testable with a PDF-file QPrinter): each page is
rendered by QtPdf at the printer's resolution (capped at :data:`MAX_DPI` and
:data:`MAX_PIXELS` per page) and drawn onto the printer's page, scaled to fit the paper the
user chose, centred, keeping the aspect ratio.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

__all__ = ["MAX_DPI", "MAX_PIXELS", "PdfPreviewDialog", "load_pdf", "page_size_for", "print_pdf"]

MAX_DPI = 300
MAX_PIXELS = 50_000_000  # per page


class PdfError(Exception):
    """The PDF could not be opened or printed (message in Bahasa Indonesia)."""


def load_pdf(pdf_bytes: bytes, parent: QWidget | None = None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument reading ``pdf_bytes`` (keep the returned buffer alive with it)."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf_bytes))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise PdfError("Berkas PDF tidak dapat dibuka.")
    return document, buffer


def page_size_for(pdf_bytes: bytes) -> QPageSize:
    """The page size of the PDF's first page (to preselect the printer's paper)."""
    document, _buffer = load_pdf(pdf_bytes)
    return _page_size(document.pagePointSize(0))


def _page_size(points: QSizeF) -> QPageSize:
    """A QPageSize for a size in points, matched to a standard size (A4 …) when close."""
    return QPageSize(QSizeF(points.width(), points.height()), QPageSize.Unit.Point)


def print_pdf(pdf_bytes: bytes, printer: QPrinter,
              progress: Callable[[int, int], bool | None] | None = None) -> int:
    """Print every page of ``pdf_bytes`` on ``printer``; returns the number of pages.

    ``progress(done, total)`` is called after each page; returning False cancels.
    """
    document, buffer = load_pdf(pdf_bytes)
    total = document.pageCount()
    dpi = min(printer.resolution(), MAX_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise PdfError("Pencetak tidak dapat dimulai.")
    try:
        for index in range(total):
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            scale = dpi / 72.0
            width, height = points.width() * scale, points.height() * scale
            if width * height > MAX_PIXELS:
                shrink = (MAX_PIXELS / (width * height)) ** 0.5
                width, height = width * shrink, height * shrink
            image = document.render(index, QSize(max(1, int(width)), max(1, int(height))))
            target = printer.pageLayout().paintRectPixels(printer.resolution())
            area = QRectF(0, 0, target.width(), target.height())
            ratio = min(area.width() / image.width(), area.height() / image.height())
            w, h = image.width() * ratio, image.height() * ratio
            origin = QPointF((area.width() - w) / 2, (area.height() - h) / 2)
            painter.drawImage(QRectF(origin.x(), origin.y(), w, h), image)
            if progress is not None and progress(index + 1, total) is False:
                printer.abort()
                break
    finally:
        painter.end()
        document.close()
        buffer.close()
    return total


class PdfPreviewDialog(QDialog):
    """Shows a PDF (zoom, fit, page navigation) with "Cetak…" and "Simpan PDF…"."""

    def __init__(self, pdf_bytes: bytes, title: str, parent: QWidget | None = None,
                 file_name: str = "dokumen.pdf") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(820, 900)
        self.pdf_bytes = pdf_bytes
        self.file_name = file_name
        self.document, self._buffer = load_pdf(pdf_bytes, self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        first = self.document.pagePointSize(0)
        small = first.width() * first.height() < 420 * 595  # smaller than A5: whole page
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView if small
                              else QPdfView.ZoomMode.FitToWidth)

        self.zoom_out = QPushButton(self.tr("Perkecil"))
        self.zoom_in = QPushButton(self.tr("Perbesar"))
        self.fit_width = QPushButton(self.tr("Lebar Halaman"))
        self.fit_page = QPushButton(self.tr("Satu Halaman"))
        self.page_box = QSpinBox()
        self.page_box.setRange(1, self.page_count)
        self.page_box.setPrefix(self.tr("Halaman "))
        self.page_box.setSuffix(self.tr(" dari {n}").format(n=self.page_count))
        self.print_button = QPushButton(self.tr("Cetak…"))
        self.save_button = QPushButton(self.tr("Simpan PDF…"))
        self.close_button = QPushButton(self.tr("Tutup"))
        self.status = QLabel()
        self.status.setProperty("role", "muted")

        self.zoom_in.clicked.connect(lambda: self._zoom(1.25))
        self.zoom_out.clicked.connect(lambda: self._zoom(0.8))
        self.fit_width.clicked.connect(
            lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.fit_page.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        self.page_box.valueChanged.connect(self._go_to)
        self.print_button.clicked.connect(self.print_dialog)
        self.save_button.clicked.connect(self.save_dialog)
        self.close_button.clicked.connect(self.accept)

        bar = QHBoxLayout()
        for widget in (self.zoom_out, self.zoom_in, self.fit_width, self.fit_page,
                       self.page_box):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        bar.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def _zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.1, min(8.0, self.view.zoomFactor() * factor)))

    def _go_to(self, page: int) -> None:
        self.view.pageNavigator().jump(page - 1, QPointF(), self.view.zoomFactor())

    # ------------------------------------------------------------------ printing / saving

    def make_printer(self) -> QPrinter:
        """A high-resolution printer preset to the document's paper size."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        size = self.document.pagePointSize(0)
        printer.setPageSize(_page_size(size))
        orientation = (QPageLayout.Orientation.Landscape if size.width() > size.height()
                       else QPageLayout.Orientation.Portrait)
        printer.setPageOrientation(orientation)
        return printer

    def print_dialog(self) -> bool:
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Cetak Dokumen"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        """Print with a progress dialog; the user may cancel between pages."""
        progress = QProgressDialog(self.tr("Mencetak…"), self.tr("Batal"), 0, self.page_count,
                                   self)
        progress.setWindowTitle(self.tr("Cetak"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)

        def step(done: int, total: int) -> bool:
            progress.setValue(done)
            progress.setLabelText(self.tr("Mencetak halaman {d} dari {t}…").format(d=done, t=total))
            QApplication.processEvents()
            return not progress.wasCanceled()

        try:
            print_pdf(self.pdf_bytes, printer, step)
        except PdfError as exc:
            QMessageBox.warning(self, self.tr("Cetak"), str(exc))
            return False
        finally:
            progress.close()
        self.status.setText(self.tr("Dokumen dikirim ke pencetak."))
        return True

    def save_dialog(self) -> bool:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Simpan PDF"), self.file_name, self.tr("Berkas PDF (*.pdf)"))
        if not path:
            return False
        return self.save_to(path)

    def save_to(self, path: str) -> bool:
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            with open(path, "wb") as fh:
                fh.write(self.pdf_bytes)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Simpan PDF"),
                                self.tr("Berkas tidak dapat disimpan: {e}").format(e=exc))
            return False
        self.status.setText(self.tr("Disimpan: {p}").format(p=path))
        return True
