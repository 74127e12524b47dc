"""The print dialog ("Cetak Dokumen"), in Bahasa Indonesia, and the print job's progress.

Qt ships no Indonesian translation and its own print dialog (on Linux) or the Windows one
would let the printer's default paper replace the document's. This dialog shows the
document's paper and prints on it unless the clerk picks another paper, in which case it
says what that does (and shrinks only if asked). Every warning of the plan is shown before
printing: a paper the printer does not have, content in the edge the printer cannot print.
For the AK/I card it offers the printer's card settings: card stock or several faces on A4,
the stock size and the print offset, with the calibration page to measure it.

The job runs on the thread pool (:func:`start_print`) with a progress dialog; the first
failure is shown in Indonesian and its details go to the log.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QLocale, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import AppError, ValidationError
from desktop_app.core.printing import profiles
from desktop_app.core.printing.layout import (
    CARD_ON_A4,
    CARD_ON_STOCK,
    CardOptions,
    PrintOptions,
    PrintPlan,
    parse_pages,
    plan_print,
)
from desktop_app.core.printing.paper import PrinterInfo, identify, size_label
from desktop_app.gui import printing
from desktop_app.gui.admin.forms import FieldErrors
from desktop_app.gui.context import AppContext
from desktop_app.gui.dialogs.base import NOTICE_STYLE
from desktop_app.gui.workers import run_task

__all__ = ["PrintDialog", "start_print"]

log = logging.getLogger(__name__)

_STOCKS = {"A6": (105.0, 148.0), "A5": (148.0, 210.0)}
INDONESIAN = QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)


def _spin(low: float, high: float, step: float, decimals: int = 1) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setLocale(INDONESIAN)  # 1,5 mm
    spin.setRange(low, high)
    spin.setSingleStep(step)
    spin.setDecimals(decimals)
    spin.setSuffix(" mm")
    return spin


class PrintDialog(QDialog):
    """Printer, paper (the document's unless changed), copies, pages and the card options."""

    def __init__(self, pdf_bytes: bytes, title: str, *, ctx: AppContext | None = None,
                 card: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Cetak Dokumen"))
        self.setMinimumWidth(560)
        self.pdf = pdf_bytes
        self.title = title
        self.ctx = ctx
        self.card = card
        self.pages = printing.document_pages(pdf_bytes)
        self.info: PrinterInfo | None = None
        self.backend = printing.RASTER
        self.plan: PrintPlan | None = None
        self._saved: CardOptions | None = None
        self.errors = FieldErrors()

        form = self._document_form()
        self.card_group = self._card_group()
        self.card_group.setVisible(card)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox()
        self.print_button = self.buttons.addButton(self.tr("&Cetak"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("&Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.card_group)
        layout.addWidget(self.notice)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.buttons)

        names = printing.printer_names()
        self.printer_box.addItems(names)
        chosen = self._first_printer(names)
        if chosen:
            self.printer_box.setCurrentText(chosen)
        self.printer_box.currentTextChanged.connect(self._printer_changed)
        for signal in (self.paper_box.currentIndexChanged, self.fit_check.toggled,
                       self.copies.valueChanged, self.all_pages.toggled,
                       self.page_text.textChanged):
            signal.connect(self.replan)
        self._printer_changed(self.printer_box.currentText())

    # ------------------------------------------------------------------ building

    def _document_form(self) -> QFormLayout:
        """Printer, the document's paper and the paper to print on, copies, pages."""
        self.printer_box = QComboBox()
        self.backend_label = QLabel()
        self.backend_label.setProperty("role", "subtitle")
        self.backend_label.setWordWrap(True)
        first = self.pages[0]
        orientation = self.tr("mendatar") if first.width_mm > first.height_mm \
            else self.tr("tegak")
        self.document_paper = QLabel(self.tr("{paper}, {o}, {n} halaman").format(
            paper=identify(first.width_mm, first.height_mm).label, o=orientation,
            n=len(self.pages)))
        self.paper_box = QComboBox()
        self.fit_check = QCheckBox(self.tr("Perkecil agar muat di kertas ini (ukuran tidak "
                                           "lagi sesuai aslinya)"))
        self.copies = QSpinBox()
        self.copies.setRange(1, 99)
        self.all_pages = QRadioButton(self.tr("Semua halaman"))
        self.some_pages = QRadioButton(self.tr("Halaman:"))
        self.page_text = QLineEdit()
        self.page_text.setPlaceholderText(self.tr("misalnya 1-2, 4"))
        self.all_pages.setChecked(True)
        pages_row = QWidget()
        row = QHBoxLayout(pages_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.all_pages)
        row.addWidget(self.some_pages)
        row.addWidget(self.page_text, 1)

        form = QFormLayout()
        form.addRow(self.tr("Pencetak"), self.printer_box)
        form.addRow("", self.backend_label)
        form.addRow(self.tr("Kertas dokumen"), self.document_paper)
        form.addRow(self.tr("Cetak pada kertas"), self.paper_box)
        form.addRow("", self.fit_check)
        form.addRow(self.tr("Jumlah salinan"), self.copies)
        form.addRow(self.tr("Halaman"), self.errors.wrap("halaman", pages_row))
        return form

    def _card_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Kartu AK/I di pencetak ini"))
        form = QFormLayout(group)
        self.layout_box = QComboBox()
        self.layout_box.addItem(self.tr("Satu muka per lembar stok kartu"), CARD_ON_STOCK)
        self.layout_box.addItem(self.tr("Beberapa muka pada satu kertas A4 (lalu digunting)"),
                                CARD_ON_A4)
        self.stock_box = QComboBox()
        for name, (width, height) in _STOCKS.items():
            self.stock_box.addItem(f"{name} ({size_label(width, height)})", name)
        self.stock_box.addItem(self.tr("Ukuran lain"), None)
        self.stock_w = _spin(50, 330, 1)
        self.stock_h = _spin(50, 330, 1)
        stock_row = QWidget()
        row = QHBoxLayout(stock_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.stock_box, 1)
        row.addWidget(self.stock_w)
        row.addWidget(QLabel("×"))
        row.addWidget(self.stock_h)
        limit = profiles.MAX_OFFSET_MM
        self.offset_x = _spin(-limit, limit, 0.1)
        self.offset_y = _spin(-limit, limit, 0.1)
        self.calibrate_button = QPushButton(self.tr("Kalibrasi…"))
        offset_row = QWidget()
        row = QHBoxLayout(offset_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("ke kanan")))
        row.addWidget(self.errors.wrap("offset_x_mm", self.offset_x))
        row.addWidget(QLabel(self.tr("ke bawah")))
        row.addWidget(self.errors.wrap("offset_y_mm", self.offset_y))
        row.addWidget(self.calibrate_button)
        self.save_profile = QCheckBox(self.tr("Simpan pengaturan kartu ini untuk pencetak ini"))
        self.save_profile.setChecked(True)
        self.save_profile.setVisible(self.ctx is not None and self.ctx.actor is not None)
        form.addRow(self.tr("Tata letak"), self.layout_box)
        form.addRow(self.tr("Stok kartu"), self.errors.wrap("stock_width_mm", stock_row))
        form.addRow(self.tr("Geser cetak"), offset_row)
        form.addRow("", self.save_profile)
        self.layout_box.setToolTip(self.tr("Geser cetak berlaku pada stok kartu; pada kertas "
                                           "A4 muka kartu dicetak tanpa geser."))
        self.stock_box.currentIndexChanged.connect(self._stock_changed)
        self.calibrate_button.clicked.connect(self.calibrate)
        for signal in (self.layout_box.currentIndexChanged, self.stock_w.valueChanged,
                       self.stock_h.valueChanged, self.offset_x.valueChanged,
                       self.offset_y.valueChanged):
            signal.connect(self.replan)
        return group

    def _first_printer(self, names: list[str]) -> str:
        if self.card and self.ctx is not None:
            for name in names:  # the printer already set up for cards
                if profiles.printer_profile(self.ctx.db, name) != CardOptions():
                    return name
        return printing.default_printer() or (names[0] if names else "")

    # ------------------------------------------------------------------ state

    def _printer_changed(self, name: str) -> None:
        self.info = printing.printer_info(name) if name else None
        self.backend = printing.backend_for(name) if name else printing.RASTER
        self.backend_label.setText(
            self.tr("Dikirim sebagai PDF ke antrean cetak (teks tetap tajam), 100 %.")
            if self.backend == printing.CUPS else
            self.tr("Dicetak sebagai gambar 600 dpi tanpa kompresi, 100 %."))
        self.paper_box.blockSignals(True)
        self.paper_box.clear()
        self.paper_box.addItem(self.tr("Sesuai dokumen"), None)
        for paper in self.info.papers if self.info else ():
            self.paper_box.addItem(f"{paper.name} ({size_label(paper.width_mm, paper.height_mm)})",
                                   paper.key)
        self.paper_box.blockSignals(False)
        if self.card:
            self._load_profile(name)
        self.replan()

    def _load_profile(self, name: str) -> None:
        profile = profiles.printer_profile(self.ctx.db, name) if self.ctx and name \
            else CardOptions()
        self._saved = profile
        widgets = (self.layout_box, self.stock_box, self.stock_w, self.stock_h, self.offset_x,
                   self.offset_y)
        for widget in widgets:
            widget.blockSignals(True)
        self.layout_box.setCurrentIndex(max(0, self.layout_box.findData(profile.layout)))
        stock = (profile.stock_width_mm, profile.stock_height_mm)
        preset = next((name for name, size in _STOCKS.items() if size == stock), None)
        self.stock_box.setCurrentIndex(self.stock_box.findData(preset) if preset
                                       else self.stock_box.count() - 1)
        self.stock_w.setValue(profile.stock_width_mm)
        self.stock_h.setValue(profile.stock_height_mm)
        self.offset_x.setValue(profile.offset_x_mm)
        self.offset_y.setValue(profile.offset_y_mm)
        for widget in widgets:
            widget.blockSignals(False)
        self._stock_changed()

    def _stock_changed(self) -> None:
        preset = _STOCKS.get(self.stock_box.currentData())
        for spin in (self.stock_w, self.stock_h):
            spin.setEnabled(preset is None)
        if preset is not None:
            self.stock_w.setValue(preset[0])
            self.stock_h.setValue(preset[1])
        self.replan()

    def profile(self) -> CardOptions:
        """The card settings as the dialog shows them."""
        return CardOptions(self.layout_box.currentData(), self.stock_w.value(),
                           self.stock_h.value(), round(self.offset_x.value(), 1),
                           round(self.offset_y.value(), 1))

    def options(self) -> PrintOptions:
        """The clerk's choices (raises ValidationError for a bad page list)."""
        pages = None
        if self.some_pages.isChecked():
            pages = parse_pages(self.page_text.text(), len(self.pages))
        card = self.profile() if self.card else None
        return PrintOptions(pages=pages, paper_key=None if self.card else
                            self.paper_box.currentData(), fit=self.fit_check.isChecked(),
                            card=card, copies=self.copies.value())

    def replan(self) -> None:
        """Plan again after any change; show its warnings; allow printing when it can."""
        self.errors.clear()
        self.fit_check.setEnabled(self.paper_box.currentData() is not None)
        self.paper_box.setEnabled(not self.card)
        self.page_text.setEnabled(self.some_pages.isChecked())
        if self.card:
            on_stock = self.layout_box.currentData() == CARD_ON_STOCK
            for widget in (self.stock_box, self.offset_x, self.offset_y, self.calibrate_button):
                widget.setEnabled(on_stock)
            self.stock_w.setEnabled(on_stock and self.stock_box.currentData() is None)
            self.stock_h.setEnabled(self.stock_w.isEnabled())
        self.plan = None
        if self.info is None:
            self._show([self.tr("Belum ada pencetak terpasang di komputer ini.")], blocked=True)
            return
        try:
            options = self.options()
        except ValidationError as exc:
            if self.page_text.text().strip():
                self.errors.show(exc)
            self._show([], blocked=True)
            return
        self.plan = plan_print(self.pages, self.info, options)
        lines = list(self.plan.warnings) + ([self.plan.error] if self.plan.error else [])
        self._show(lines, blocked=self.plan.error is not None)

    def _show(self, lines: list[str], *, blocked: bool) -> None:
        self.notice.setText("\n\n".join(lines))
        self.notice.setVisible(bool(lines))
        self.print_button.setEnabled(not blocked)

    def warnings(self) -> list[str]:
        """What the dialog currently warns about (for tests and the log)."""
        return self.notice.text().split("\n\n") if self.notice.text() else []

    # ------------------------------------------------------------------ actions

    def calibrate(self) -> None:
        from desktop_app.gui.calibration_dialog import CalibrationDialog

        dialog = CalibrationDialog(self.printer_box.currentText(), self.stock_w.value(),
                                   self.stock_h.value(), self.backend, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.offset_x.setValue(dialog.offset[0])
            self.offset_y.setValue(dialog.offset[1])

    def accept(self) -> None:
        self.replan()
        if self.plan is None or self.plan.error:
            if self.some_pages.isChecked():
                try:
                    self.options()
                except ValidationError as exc:
                    self.errors.show(exc)
            return
        if self.card and self.ctx is not None and self.ctx.actor is not None and \
                self.save_profile.isChecked() and self.profile() != self._saved:
            name, profile = self.printer_box.currentText(), self.profile()
            if not self.errors.attempt(lambda: profiles.save_printer_profile(
                    self.ctx.db, self.ctx.user, name, profile)):
                return
            self._saved = profile
        super().accept()

    def job(self) -> printing.PrintJob:
        """The job to run once the dialog is accepted."""
        assert self.plan is not None
        return printing.PrintJob(self.pdf, tuple(self.pages), self.plan, self.title,
                                 self.backend)


# --------------------------------------------------------------------------- running a job


class _Progress(QObject):
    """Shows the worker's progress: ``step`` is emitted on the pool thread and, this object
    living in the GUI thread, delivered to :meth:`show` there."""

    step = Signal(int, int)

    def __init__(self, dialog: QProgressDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.step.connect(self.show)

    @Slot(int, int)
    def show(self, done: int, count: int) -> None:
        self.dialog.setMaximum(count)
        self.dialog.setValue(done)
        self.dialog.setLabelText(self.tr("Mencetak {d} dari {t}…").format(d=done, t=count))


def start_print(parent: QWidget, job: printing.PrintJob,
                on_done: Callable[[printing.PrintResult], None] | None = None) -> None:
    """Run ``job`` off the GUI thread with a progress dialog; a failure is shown in
    Indonesian (details to the log); ``on_done(result)`` after success."""
    total = max(1, len(job.plan.sheets))
    progress = QProgressDialog(parent.tr("Menyiapkan cetakan…"), parent.tr("Batal"), 0, total,
                               parent)
    progress.setWindowTitle(parent.tr("Cetak"))
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setValue(0)
    cancelled = threading.Event()
    relay = _Progress(progress)
    progress.canceled.connect(cancelled.set)

    def dismiss() -> None:
        # Not close(): QProgressDialog's closeEvent emits canceled(), whose delivery (to a
        # Python slot, with a pool thread just finishing) deadlocked Qt's signal lock once.
        progress.canceled.disconnect(cancelled.set)
        progress.reset()
        progress.hide()
        progress.deleteLater()

    def finished(result: printing.PrintResult) -> None:
        dismiss()
        if on_done is not None:
            on_done(result)

    def failed(exc: Exception) -> None:
        dismiss()
        if isinstance(exc, AppError):
            message = exc.message
        else:
            log.error("printing %r failed", job.title, exc_info=exc)
            message = parent.tr("Dokumen tidak dapat dicetak. Periksa pencetak, lalu coba "
                                "lagi; rinciannya tercatat di log program.")
        QMessageBox.warning(parent, parent.tr("Cetak"), message)

    run_task(lambda: printing.run_job(job, relay.step.emit, cancelled), finished, failed)
