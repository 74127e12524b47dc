"""A draft SOP side by side with the version running now: steps added, removed, reworded,
re-timed or moved to another lane, the identity fields that changed, and the import's guesses.
The administrator looks at the draft's SOP sheet ("Lihat SOP") and then activates it."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import sop_diff, sop_versions
from desktop_app.core.errors import AppError, ValidationError
from desktop_app.core.sop import Sop, Step
from desktop_app.gui.context import AppContext
from desktop_app.gui.screen_fit import fit_to_screen

_COLOURS = {
    sop_diff.ADDED: "#e3f4e1", sop_diff.REMOVED: "#fbe3e1", sop_diff.REWORDED: "#fff4d6",
    sop_diff.RETIMED: "#fff4d6", sop_diff.MOVED: "#e4eefb", sop_diff.RE_KINDED: "#fff4d6",
}
_HEADERS = ("No", "Jalur", "Kegiatan", "Waktu", "Perubahan", "No", "Jalur", "Kegiatan", "Waktu")


def _cells(sop: Sop | None, step: Step | None) -> list[str]:
    if sop is None or step is None:
        return ["", "", "", ""]
    return [str(step.no), sop.lane(step.lane).name, step.activity, step.time_text]


class RevisionDialog(QDialog):
    """Draft ``version_id`` against the running version of the same SOP."""

    def __init__(self, ctx: AppContext, version_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.version_id = version_id
        self.activated_version: int | None = None
        rows = sop_versions.list_versions(ctx.db, ctx.user)
        self.row = next(r for r in rows if r.id == version_id)
        running = next((r for r in rows if r.sop_code == self.row.sop_code
                        and r.status == sop_versions.ACTIVE), None)
        self.draft = sop_versions.version_sop(ctx.db, version_id)
        self.running = sop_versions.version_sop(ctx.db, running.id) if running else None
        report = sop_versions.version_report(ctx.db, ctx.user, version_id)
        self.diff = sop_diff.compare(self.running, self.draft) if self.running else None
        self.setWindowTitle(self.tr("Revisi SOP — {name}").format(name=self.draft.name))
        fit_to_screen(self, QSize(1320, 820))

        head = QLabel(self._summary(running))
        head.setWordWrap(True)
        head.setTextFormat(Qt.TextFormat.RichText)
        self.table = self._steps_table()
        self.fields = QPlainTextEdit(self._fields_text())
        self.fields.setReadOnly(True)
        self.report = QPlainTextEdit("\n".join(report) or self.tr("(tidak ada laporan impor)"))
        self.report.setReadOnly(True)
        lower = QSplitter(Qt.Orientation.Horizontal)
        for title, widget in ((self.tr("Lembar identitas yang berubah"), self.fields),
                              (self.tr("Laporan impor: tebakan yang perlu diperiksa"),
                               self.report)):
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addWidget(QLabel(f"<b>{title}</b>"))
            lay.addWidget(widget)
            lower.addWidget(box)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setSizes([520, 220])

        self.view_button = QPushButton(self.tr("Lihat SOP (draf)…"))
        self.activate_button = QPushButton(self.tr("Aktifkan Versi Ini"))
        self.activate_button.setEnabled(False)
        self.activate_button.setToolTip(self.tr("Buka 'Lihat SOP' draf ini terlebih dahulu."))
        self.discard_button = QPushButton(self.tr("Hapus Draf"))
        close = QPushButton(self.tr("Tutup"))
        buttons = QHBoxLayout()
        for b in (self.view_button, self.activate_button, self.discard_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.view_button.clicked.connect(self.view_sheet)
        self.activate_button.clicked.connect(self.activate)
        self.discard_button.clicked.connect(self.discard)
        close.clicked.connect(self.reject)
        if self.row.status != sop_versions.DRAFT:
            for b in (self.activate_button, self.discard_button):
                b.setVisible(False)

    def _summary(self, running: sop_versions.VersionRow | None) -> str:
        d = self.draft
        title = self.tr("<h3>{number} — {name}</h3>").format(number=d.number, name=d.name)
        if self.diff is None:
            return title + self.tr("SOP baru (belum ada versi berjalan): {n} langkah.").format(
                n=len(d.steps))
        counts = ", ".join(f"{self.diff.count(c)} {label.lower()}"
                           for c, label in sop_diff.CHANGE_LABELS.items() if self.diff.count(c))
        return title + self.tr("Kiri: versi berjalan {old} ({open} berkas terbuka tetap "
                               "memakainya). Kanan: draf dari '{src}'. Perubahan: {counts}.") \
            .format(old=running.label, open=running.open_cases, src=self.row.source,
                    counts=counts or self.tr("tidak ada perubahan langkah"))

    def _steps_table(self) -> QTableWidget:
        rows = self.diff.steps if self.diff else tuple(
            sop_diff.StepChange(None, s, (sop_diff.ADDED,)) for s in self.draft.steps)
        table = QTableWidget(len(rows), len(_HEADERS))
        table.setHorizontalHeaderLabels([
            *(self.tr(h) for h in _HEADERS[:4]), self.tr("Perubahan"),
            *(self.tr(h) for h in _HEADERS[5:])])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        for r, change in enumerate(rows):
            values = [*_cells(self.running, change.old), change.label,
                      *_cells(self.draft, change.new)]
            colour = QColor(_COLOURS[change.changes[0]]) if change.changes else None
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if colour is not None:
                    item.setBackground(colour)
                table.setItem(r, c, item)
        header = table.horizontalHeader()
        for c in range(len(_HEADERS)):
            mode = QHeaderView.ResizeMode.Stretch if c in (2, 7) else \
                QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(c, mode)
        table.verticalHeader().setDefaultSectionSize(46)  # two lines of a wrapped activity
        return table

    def _fields_text(self) -> str:
        if self.diff is None:
            return self.tr("SOP baru.")
        if not self.diff.fields:
            return self.tr("Tidak ada perubahan di lembar identitas.")
        return "\n\n".join(f"{label}\n  sebelum: {old}\n  sesudah: {new}"
                           for label, old, new in self.diff.fields)

    def view_sheet(self) -> None:
        from desktop_app.gui.sop_sheet_dialog import SopSheetDialog

        try:
            sop = sop_versions.view_draft(self.ctx.db, self.ctx.user, self.version_id) \
                if self.row.status == sop_versions.DRAFT else self.draft
        except ValidationError as exc:
            QMessageBox.warning(self, self.tr("Draf tidak dapat dibaca"),
                                "\n".join(exc.errors.values()))
            return
        except AppError as exc:
            QMessageBox.warning(self, self.tr("Tidak dapat dilanjutkan"), exc.message)
            return
        SopSheetDialog(self.ctx, sop, self, version_label=self.row.label).exec()
        self.activate_button.setEnabled(True)
        self.activate_button.setToolTip("")

    def activate(self) -> None:
        answer = QMessageBox.question(
            self, self.tr("Aktifkan versi SOP"),
            self.tr("Berkas baru {name} akan memakai draf ini. Berkas yang sedang berjalan "
                    "tetap pada versinya. Lanjutkan?").format(name=self.draft.tab_label))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.activated_version = sop_versions.activate(self.ctx.db, self.ctx.user,
                                                           self.version_id)
        except ValidationError as exc:
            QMessageBox.warning(self, self.tr("Draf ditolak"), "\n".join(exc.errors.values()))
            return
        except AppError as exc:
            QMessageBox.warning(self, self.tr("Tidak dapat diaktifkan"), exc.message)
            return
        QMessageBox.information(self, self.tr("Versi diaktifkan"), self.tr(
            "Versi {v} aktif untuk berkas baru. Tab SOP memakai versi ini setelah program "
            "dibuka ulang.").format(v=self.activated_version))
        self.accept()

    def discard(self) -> None:
        if QMessageBox.question(self, self.tr("Hapus draf"), self.tr(
                "Hapus draf ini? Dokumen asalnya tidak terpengaruh.")) != \
                QMessageBox.StandardButton.Yes:
            return
        try:
            sop_versions.discard_draft(self.ctx.db, self.ctx.user, self.version_id)
        except AppError as exc:
            QMessageBox.warning(self, self.tr("Tidak dapat dihapus"), exc.message)
            return
        self.accept()
