"""Preview a PDF with Qt's PDF module, print it (the print dialog of
:mod:`desktop_app.gui.print_dialog`), or save it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QSize, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.files import save_file_name
from desktop_app.gui.screen_fit import fit_to_screen, stable_pdf_view

if TYPE_CHECKING:
    from desktop_app.gui.context import AppContext
    from desktop_app.gui.printing import PrintResult

__all__ = ["PdfError", "PdfPreviewDialog", "load_pdf"]


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


class PdfPreviewDialog(QDialog):
    """Shows a PDF (zoom, fit, page navigation) with "Cetak…" and "Simpan PDF…".

    ``ctx`` lets the print dialog read and save the printer's card settings; ``card`` marks
    the AK/I card (printed face by face on card stock)."""

    printed = Signal(object)  # PrintResult, once a job reached the print system

    def __init__(self, pdf_bytes: bytes, title: str, parent: QWidget | None = None,
                 file_name: str = "dokumen.pdf", *, ctx: AppContext | None = None,
                 card: bool = False) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.card = card
        self.setWindowTitle(title)
        self.pdf_bytes = pdf_bytes
        self.file_name = file_name
        self.document, self._buffer = load_pdf(pdf_bytes, self)
        self.view = stable_pdf_view(self)
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
        self.print_button = QPushButton(self.tr("&Cetak…"))
        self.save_button = QPushButton(self.tr("&Simpan PDF…"))
        self.close_button = QPushButton(self.tr("T&utup"))
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
        fit_to_screen(self, QSize(820, 900))

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def _zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.1, min(8.0, self.view.zoomFactor() * factor)))

    def _go_to(self, page: int) -> None:
        self.view.pageNavigator().jump(page - 1, QPointF(), self.view.zoomFactor())

    # ------------------------------------------------------------------ printing / saving

    def print_dialog(self) -> bool:
        """Show the print dialog; on "Cetak" the job runs in the background. True when sent
        off (the result arrives in :attr:`status`)."""
        from desktop_app.gui.print_dialog import PrintDialog, start_print

        dialog = PrintDialog(self.pdf_bytes, self.windowTitle(), ctx=self.ctx, card=self.card,
                             parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.status.setText(self.tr("Mengirim ke pencetak…"))
        start_print(self, dialog.job(), self._printed)
        return True

    def _printed(self, result: PrintResult) -> None:
        jobs = ", ".join(result.job_ids)
        self.status.setText(
            self.tr("Pencetakan dibatalkan.") if result.cancelled else
            self.tr("Dokumen dikirim ke pencetak ({n} lembar{j}).").format(
                n=result.sheets, j=f"; pekerjaan {jobs}" if jobs else ""))
        self.printed.emit(result)

    def save_dialog(self) -> bool:

        path = save_file_name(
            self, self.tr("Simpan PDF"), self.file_name,
            self.tr("Berkas PDF (*.pdf)"))
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
