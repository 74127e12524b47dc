"""Kalibrasi: print the calibration page on the card stock and turn two ruler readings into
the printer's card offset."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.printing.calibration import (
    CROSS_MM,
    offset_from_measurement,
    render_calibration_pdf,
)
from desktop_app.core.printing.layout import CardOptions, PrintOptions, plan_print
from desktop_app.core.printing.paper import mm, size_label
from desktop_app.gui import printing
from desktop_app.gui.print_dialog import INDONESIAN, start_print

__all__ = ["CalibrationDialog"]


def _direction(value: float, positive: str, negative: str) -> str:
    if abs(value) < 0.05:
        return "0 mm"
    return f"{mm(abs(value))} mm {positive if value > 0 else negative}"


class CalibrationDialog(QDialog):
    """Print the calibration page; enter where crosshair A landed; ``offset`` is the result."""

    def __init__(self, printer: str, stock_w: float, stock_h: float, backend: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Kalibrasi Cetak Kartu"))
        self.printer = printer
        self.stock = (stock_w, stock_h)
        self.backend = backend
        self.sent: printing.PrintResult | None = None
        cross = mm(CROSS_MM)
        intro = QLabel(self.tr(
            "1. Masukkan stok kartu {size} ke pencetak {p}, lalu tekan Cetak Halaman "
            "Kalibrasi.\n2. Ukur dengan penggaris jarak pusat tanda silang A dari tepi kiri dan "
            "dari tepi atas kertas. Tanpa geser, keduanya {c} mm.\n3. Isikan kedua jarak itu "
            "di bawah; geser cetaknya dihitung otomatis.").format(
                size=size_label(stock_w, stock_h), p=printer, c=cross))
        intro.setWordWrap(True)
        self.print_button = QPushButton(self.tr("Cetak Halaman Kalibrasi"))
        self.status = QLabel()
        self.status.setProperty("role", "subtitle")
        self.left = QDoubleSpinBox()
        self.top = QDoubleSpinBox()
        for spin in (self.left, self.top):
            spin.setRange(0.0, 60.0)
            spin.setDecimals(1)
            spin.setSingleStep(0.5)
            spin.setSuffix(" mm")
            spin.setLocale(INDONESIAN)
            spin.setValue(CROSS_MM)
            spin.valueChanged.connect(self._update)
        self.result = QLabel()
        form = QFormLayout()
        form.addRow(self.tr("Jarak A dari tepi kiri"), self.left)
        form.addRow(self.tr("Jarak A dari tepi atas"), self.top)
        form.addRow(self.tr("Geser cetak"), self.result)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("&Pakai"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("&Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.print_button)
        layout.addWidget(self.status)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.print_button.clicked.connect(self.print_page)
        self._update()

    @property
    def offset(self) -> tuple[float, float]:
        """The offset (right, down; mm) the two readings give."""
        return offset_from_measurement(self.left.value(), self.top.value())

    def _update(self) -> None:
        dx, dy = self.offset
        self.result.setText(self.tr("{x}, {y}").format(
            x=_direction(dx, self.tr("ke kanan"), self.tr("ke kiri")),
            y=_direction(dy, self.tr("ke bawah"), self.tr("ke atas"))))

    def job(self) -> printing.PrintJob:
        """The calibration page on the card stock, at 100 %, without any offset."""
        from datetime import date

        pdf = render_calibration_pdf(self.stock[0], self.stock[1], self.printer, date.today())
        pages = printing.document_pages(pdf)
        options = PrintOptions(card=CardOptions(stock_width_mm=self.stock[0],
                                                stock_height_mm=self.stock[1]))
        plan = plan_print(pages, printing.printer_info(self.printer), options)
        return printing.PrintJob(pdf, tuple(pages), plan, self.tr("Kalibrasi kartu"),
                                 self.backend)

    def print_page(self) -> None:
        job = self.job()
        if job.plan.error:
            self.status.setText(job.plan.error)
            return

        def done(result: printing.PrintResult) -> None:
            self.sent = result
            self.status.setText(self.tr("Halaman kalibrasi dikirim ke {p}.").format(
                p=self.printer))

        start_print(self, job, done)
