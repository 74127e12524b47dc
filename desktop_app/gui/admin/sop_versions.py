"""The administrator's SOP versions: every version of each SOP with its activation date and
open cases, import of an SOP document or a BPMN diagram into a draft, and BPMN export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import sop_versions
from desktop_app.core.bpmn import export_bpmn, import_bpmn
from desktop_app.core.errors import AppError, ValidationError
from desktop_app.core.formatting import tanggal_jam
from desktop_app.core.sop_import import ImportRefused, import_sop_document, list_document_sops
from desktop_app.gui.context import AppContext
from desktop_app.gui.files import open_file_name, save_file_name

COLUMNS = ("SOP", "Versi", "Status", "Nomor SOP", "Aktif sejak", "Diaktifkan oleh",
           "Berkas terbuka", "Semua berkas", "Sumber")


class SopVersionsPanel(QWidget):
    """The list of versions and the import/export buttons."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[sop_versions.VersionRow] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self.open_selected)
        self.import_doc = QPushButton(self.tr("Impor Dokumen SOP…"))
        self.import_bpmn = QPushButton(self.tr("Impor BPMN…"))
        self.export_bpmn = QPushButton(self.tr("Ekspor BPMN…"))
        self.open_button = QPushButton(self.tr("Bandingkan / Aktifkan…"))
        buttons = QHBoxLayout()
        for b in (self.import_doc, self.import_bpmn, self.export_bpmn, self.open_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "Setiap berkas berjalan pada versi SOP tempat ia dimulai. Draf dari dokumen SOP "
            "atau diagram BPMN baru berlaku untuk berkas baru setelah dilihat dan diaktifkan.")))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.import_doc.clicked.connect(self.import_document)
        self.import_bpmn.clicked.connect(self.import_diagram)
        self.export_bpmn.clicked.connect(self.export_diagram)
        self.open_button.clicked.connect(self.open_selected)
        self.refresh()

    def refresh(self) -> None:
        self.rows = sop_versions.list_versions(self.ctx.db, self.ctx.user)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            values = (row.sop_code, row.label, row.status_label, row.number,
                      tanggal_jam(row.activated_at) if row.activated_at else "-",
                      row.activated_by or "-", str(row.open_cases), str(row.all_cases),
                      row.source)
            for c, text in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def selected(self) -> sop_versions.VersionRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    # ------------------------------------------------------------ import and export

    def _ask_file(self, title: str, filters: str) -> Path | None:
        name = open_file_name(self, title, filters)
        return Path(name) if name else None

    def _keep(self, result, source: str) -> None:  # noqa: ANN001 - ImportResult
        try:
            version_id = sop_versions.save_draft(self.ctx.db, self.ctx.user, result.text,
                                                 source, result.report_lines())
        except ValidationError as exc:
            QMessageBox.warning(self, self.tr("Draf ditolak"), "\n".join(exc.errors.values()))
            return
        except AppError as exc:
            QMessageBox.warning(self, self.tr("Tidak dapat disimpan"), exc.message)
            return
        self.refresh()
        self.open_version(version_id)

    def _read(self, path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except OSError:
            QMessageBox.warning(self, self.tr("Berkas tidak dapat dibuka"),
                                self.tr("Berkas {name} tidak dapat dibaca.").format(
                                    name=path.name))
            return None

    def import_document(self, path: Path | None = None) -> None:
        path = path or self._ask_file(self.tr("Pilih dokumen SOP"), self.tr(
            "Dokumen SOP (*.docx *.html *.htm *.txt *.pdf);;Semua berkas (*)"))
        data = self._read(path) if path else None
        if data is None:
            return
        try:
            number = None
            found = list_document_sops(data, path.name)
            if len(found) > 1:
                labels = [f"{n} — {name}" for n, name in found]
                choice, ok = QInputDialog.getItem(
                    self, self.tr("Pilih SOP"), self.tr("Berkas ini berisi {n} SOP. Impor "
                                                         "yang mana?").format(n=len(found)),
                    labels, 0, False)
                if not ok:
                    return
                number = found[labels.index(choice)][0]
            running, texts = sop_versions.running_texts(self.ctx.db)
            result = import_sop_document(data, path.name, running=running, base_texts=texts,
                                         number=number)
        except ImportRefused as exc:
            QMessageBox.warning(self, self.tr("Dokumen tidak dapat dibaca"), str(exc))
            return
        self._keep(result, path.name)

    def import_diagram(self, path: Path | None = None) -> None:
        path = path or self._ask_file(self.tr("Pilih diagram BPMN"),
                                      self.tr("Diagram BPMN (*.bpmn *.xml)"))
        data = self._read(path) if path else None
        if data is None:
            return
        try:
            running, texts = sop_versions.running_texts(self.ctx.db)
            result = import_bpmn(data, path.name, running=running, base_texts=texts)
        except ImportRefused as exc:
            QMessageBox.warning(self, self.tr("Diagram tidak dapat dibaca"), str(exc))
            return
        self._keep(result, path.name)

    def export_diagram(self) -> None:
        row = self.selected()
        if row is None:
            QMessageBox.information(self, self.tr("Ekspor BPMN"),
                                    self.tr("Pilih dulu versi SOP yang akan diekspor."))
            return
        name = save_file_name(
            self, self.tr("Simpan diagram BPMN"), f"{row.sop_code}-v{row.version or 'draf'}.bpmn",
            self.tr("Diagram BPMN (*.bpmn)"))
        if not name:
            return
        sop = sop_versions.version_sop(self.ctx.db, row.id)
        try:
            Path(name).write_text(export_bpmn(sop, row.label), encoding="utf-8")
        except OSError:
            QMessageBox.warning(self, self.tr("Tidak dapat disimpan"),
                                self.tr("Berkas {name} tidak dapat ditulis.").format(name=name))

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_version(row.id)

    def open_version(self, version_id: int) -> None:
        from desktop_app.gui.admin.sop_revision import RevisionDialog

        RevisionDialog(self.ctx, version_id, self).exec()
        self.refresh()
