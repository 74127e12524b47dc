"""Verifikasi Dokumen: open a signed PDF or type the code from a printout's QR, and see whether
the document is genuine (green), altered (red), voided (orange) or unknown (grey)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.signing import terms, verification
from desktop_app.core.signing.verification import VerificationReport
from desktop_app.gui.context import AppContext
from desktop_app.gui.files import file_problem, open_file_name, save_file_name

STATUS_COLORS = {
    terms.VERIFY_GENUINE: ("#e8f5e9", "#2e7d32"),
    terms.VERIFY_ALTERED: ("#fdecea", "#c62828"),
    terms.VERIFY_UNKNOWN: ("#f1f1f1", "#616161"),
    terms.VERIFY_VOIDED: ("#fff3e0", "#e65100"),
    terms.VERIFY_REVOKED: ("#fdecea", "#c62828"),
}
STATUS_HEADLINES = {
    terms.VERIFY_GENUINE: "ASLI",
    terms.VERIFY_ALTERED: "DIUBAH — JANGAN DITERIMA",
    terms.VERIFY_UNKNOWN: "TIDAK DIKENAL",
    terms.VERIFY_VOIDED: "DIBATALKAN",
    terms.VERIFY_REVOKED: "TIDAK SAH — SERTIFIKAT DICABUT",
}


class VerifyDialog(QDialog):
    """Check a PDF file or a verification code against the office database and CA."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: VerificationReport | None = None
        self.setWindowTitle(self.tr("Verifikasi Dokumen"))
        self.setMinimumWidth(640)

        intro = QLabel(self.tr(
            "Periksa keaslian surat atau kartu yang ditandatangani secara elektronik: buka "
            "berkas PDF-nya, atau ketik/tempel kode verifikasi dari kode QR cetakan."))
        intro.setWordWrap(True)
        self.btn_open = QPushButton(self.tr("Buka PDF…"))
        self.btn_open.clicked.connect(self.choose_pdf)
        self.file_label = QLabel(self.tr("Belum ada berkas dipilih."))
        self.file_label.setStyleSheet("color:#666;")
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText(self.tr("mis. 7KQ4-M2XD atau PAGARALAM-TK:7KQ4-M2XD"))
        self.code_edit.returnPressed.connect(self.check_code_clicked)
        self.btn_code = QPushButton(self.tr("Periksa Kode"))
        self.btn_code.clicked.connect(self.check_code_clicked)

        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("Berkas PDF:")), 0, 0)
        grid.addWidget(self.file_label, 0, 1)
        grid.addWidget(self.btn_open, 0, 2)
        grid.addWidget(QLabel(self.tr("Kode QR:")), 1, 0)
        grid.addWidget(self.code_edit, 1, 1)
        grid.addWidget(self.btn_code, 1, 2)
        grid.setColumnStretch(1, 1)

        self.result_box = QFrame()
        self.result_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.headline = QLabel()
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box = QVBoxLayout(self.result_box)
        box.addWidget(self.headline)
        box.addWidget(self.message)
        box.addWidget(self.details)
        box.addStretch(1)
        self.result_box.setVisible(False)

        self._pdf: tuple[bytes, str] | None = None
        self.btn_report = QPushButton(self.tr("Simpan Laporan Verifikasi (PDF)…"))
        self.btn_report.setToolTip(self.tr("Laporan satu halaman untuk dicetak atau diberikan "
                                           "kepada pemeriksa"))
        self.btn_report.clicked.connect(self.save_report_clicked)
        self.btn_report.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.btn_report, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Tutup"))
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(grid)
        lay.addWidget(self.result_box, 1)
        lay.addWidget(buttons)

    # ------------------------------------------------------------------ checking

    def choose_pdf(self) -> None:
        name = open_file_name(self, self.tr("Pilih dokumen PDF"),
                              self.tr("Dokumen PDF (*.pdf)"))
        if name:
            self.check_file(Path(name))

    def check_file(self, path: Path) -> VerificationReport:
        try:
            data = path.read_bytes()
        except OSError as exc:
            report = VerificationReport(status=terms.VERIFY_UNKNOWN,
                                        message=file_problem(exc, path))
            self.show_report(report)
            return report
        return self.check_pdf(data, path.name)

    def check_pdf(self, data: bytes, name: str = "") -> VerificationReport:
        self.file_label.setText(name or self.tr("(dari memori)"))
        self.file_label.setStyleSheet("")
        report = verification.verify_document(self.ctx.db, data)
        self.show_report(report)
        self._pdf = (data, name or "dokumen.pdf")
        self.btn_report.setEnabled(True)
        return report

    def check_code_clicked(self) -> None:
        self.check_code(self.code_edit.text())

    def check_code(self, text: str) -> VerificationReport:
        self.code_edit.setText(text)
        report = verification.verify_code(self.ctx.db, text)
        self.show_report(report)
        self._pdf = None
        self.btn_report.setEnabled(False)
        return report

    def ask_report_path(self) -> Path | None:
        """Where to save the report (a method so tests can answer it)."""
        base = Path(self._pdf[1]).stem if self._pdf else "dokumen"
        name = save_file_name(self, self.tr("Simpan laporan verifikasi"),
                              f"laporan-verifikasi-{base}.pdf",
                              self.tr("Dokumen PDF (*.pdf)"))
        return Path(name) if name else None

    def save_report_clicked(self) -> None:
        path = self.ask_report_path()
        if path is not None:
            self.save_report(path)

    def save_report(self, path: Path) -> Path | None:
        """Write the one-page verification report of the checked PDF to ``path``."""
        from desktop_app.core.errors import AppError
        from desktop_app.core.signing.report import write_report

        if self._pdf is None or self.report is None:
            return None
        data, name = self._pdf
        try:
            return write_report(path, self.report, data, name, roots=(), db=self.ctx.db)
        except (OSError, AppError) as exc:
            message = exc.message if isinstance(exc, AppError) else file_problem(exc, path)
            self.file_label.setText(self.tr("Laporan gagal disimpan: {m}").format(m=message))
            self.file_label.setStyleSheet("color:#c62828;")
            return None

    def show_report(self, report: VerificationReport) -> None:
        self.report = report
        bg, fg = STATUS_COLORS.get(report.status, STATUS_COLORS[terms.VERIFY_UNKNOWN])
        self.result_box.setStyleSheet(
            f"QFrame {{ background:{bg}; border:2px solid {fg}; border-radius:6px; }}"
            " QLabel { border:none; background:transparent; }")
        self.headline.setStyleSheet(f"color:{fg}; font-size:20pt; font-weight:bold;")
        self.headline.setText(STATUS_HEADLINES.get(report.status, report.label))
        self.message.setText(report.message)
        self.message.setStyleSheet(f"color:{fg}; font-weight:bold;")
        lines = report.lines()[2:]  # status and message are shown above
        self.details.setText("\n".join(lines))
        self.details.setVisible(bool(lines))
        self.result_box.setVisible(True)
