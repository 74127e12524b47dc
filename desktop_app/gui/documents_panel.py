"""The "Dokumen" tab of a case: its documents, drafting, preview, print, save, void, versions.

Rendering (drafting, submitting) runs on the Qt thread pool with a busy indicator; a
document that lacks data shows exactly which fields to fill and where.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.documents import service as docs
from desktop_app.core.documents.catalog import IncompleteDocument
from desktop_app.core.errors import AppError, ValidationError
from desktop_app.core.formatting import tanggal
from desktop_app.gui.context import AppContext
from desktop_app.gui.files import save_file_name, write_file
from desktop_app.gui.workers import run_task

__all__ = ["DocumentsPanel", "incomplete_message"]

COLUMNS = ("Dokumen", "Versi", "Status", "Nomor", "Tanggal")


def incomplete_message(exc: IncompleteDocument) -> str:
    """The user-facing text: which fields to fill, one per line, with where to fill them."""
    lines = "\n".join(f"• {label}" for _, label in exc.missing)
    return (f"{exc.doc_type.title} belum dapat dibuat karena data berikut belum diisi:\n\n"
            f"{lines}\n\nLengkapi data tersebut, lalu coba lagi.")


class DocumentsPanel(QWidget):
    """Lists a case's documents and offers the actions on them."""

    documentsChanged = Signal()  # noqa: N815 - Qt naming

    def __init__(self, ctx: AppContext, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsPanel")
        self.ctx = ctx
        self.case_id = case_id
        self.views: list[docs.DocumentView] = []
        self.types: list[tuple[str, str, int]] = []
        self.busy = False
        self.last_error = ""
        self._preview: Any = None

        self.type_box = QComboBox()
        self.type_box.setMinimumContentsLength(28)
        self.draft_button = QPushButton(self.tr("Buat/Perbarui Draf"))
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.preview_button = QPushButton(self.tr("Pratinjau"))
        self.print_button = QPushButton(self.tr("Cetak…"))
        self.save_button = QPushButton(self.tr("Simpan PDF…"))
        self.submit_button = QPushButton(self.tr("Ajukan Tanda Tangan"))
        self.void_button = QPushButton(self.tr("Batalkan…"))
        self.version_button = QPushButton(self.tr("Versi Baru"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy
        self.progress.setMaximumHeight(12)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setProperty("role", "muted")
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Jenis dokumen:")))
        top.addWidget(self.type_box, 1)
        top.addWidget(self.draft_button)
        buttons = QHBoxLayout()
        for b in (self.preview_button, self.print_button, self.save_button, self.submit_button,
                  self.void_button, self.version_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)

        self.draft_button.clicked.connect(self.draft_selected_type)
        self.preview_button.clicked.connect(self.preview_selected)
        self.print_button.clicked.connect(self.print_selected)
        self.save_button.clicked.connect(self.save_selected)
        self.submit_button.clicked.connect(self.submit_selected)
        self.void_button.clicked.connect(self.void_selected)
        self.version_button.clicked.connect(self.new_version_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.preview_selected())
        self.refresh()

    # ------------------------------------------------------------------ listing

    def refresh(self) -> None:
        db = self.ctx.db
        selected = self.selected()
        self.views = docs.documents_for_case(db, self.case_id, self.ctx.actor)
        self.types = docs.available_types(db, self.case_id)
        missing = docs.missing_types(db, self.case_id)
        self.type_box.clear()
        for code, title, seq in self.types:
            self.type_box.addItem(title, f"{code}:{seq}")
        self.table.setRowCount(len(self.views))
        for row, v in enumerate(self.views):
            when = v.signed_at or v.rendered_at or v.created_at
            cells = (v.label, str(v.version), v.status_label, v.number or "-",
                     tanggal(when.date()) if when else "-")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if v.status == docs.VOIDED:
                    item.setForeground(Qt.GlobalColor.gray)
                    item.setToolTip(self.tr("Dibatalkan: {r}").format(r=v.void_reason or ""))
                self.table.setItem(row, col, item)
        if missing:
            names = ", ".join(title for _, title, _ in missing)
            self.missing_label.setText(self.tr("Belum dibuat: {names}").format(names=names))
            self.missing_label.show()
        else:
            self.missing_label.hide()
        if selected is not None:
            self.select_document(selected.id)
        self._update_buttons()

    def selected(self) -> docs.DocumentView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        row = rows[0].row()
        return self.views[row] if 0 <= row < len(self.views) else None

    def select_document(self, doc_id: int) -> None:
        for row, v in enumerate(self.views):
            if v.id == doc_id:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        v = self.selected()
        idle = not self.busy
        self.draft_button.setEnabled(idle and bool(self.types))
        self.type_box.setEnabled(idle and bool(self.types))
        has_pdf = v is not None and bool(v.sha256)
        for b in (self.preview_button, self.print_button, self.save_button):
            b.setEnabled(idle and has_pdf)
        self.submit_button.setEnabled(idle and v is not None and v.status == docs.DRAFT
                                      and v.needs_signer)
        self.void_button.setEnabled(idle and v is not None and v.status != docs.VOIDED)
        self.version_button.setEnabled(idle and v is not None and v.status in (
            docs.VOIDED, docs.WAIT_PARAF, docs.WAIT_SIGN))

    # ------------------------------------------------------------------ background work

    def _run(self, text: str, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.busy = True
        self.last_error = ""
        self.progress.show()
        self.status.setText(text)
        self._update_buttons()

        def finish(result: Any) -> None:
            self._idle()
            done(result)

        run_task(fn, finish, self._failed)

    def _idle(self) -> None:
        self.busy = False
        self.progress.hide()
        self.status.clear()
        self._update_buttons()

    def _failed(self, exc: Exception) -> None:
        self._idle()
        self.show_error(exc)

    def show_error(self, exc: Exception) -> None:
        if isinstance(exc, IncompleteDocument):
            text = incomplete_message(exc)
            title = self.tr("Data Dokumen Belum Lengkap")
        elif isinstance(exc, ValidationError):
            text = "\n".join(exc.errors.values())
            title = self.tr("Dokumen")
        elif isinstance(exc, AppError):
            text, title = exc.message, self.tr("Dokumen")
        else:
            text = self.tr("Terjadi kesalahan: {e}").format(e=exc)
            title = self.tr("Dokumen")
        self.last_error = text
        QMessageBox.warning(self, title, text)

    # ------------------------------------------------------------------ actions

    def draft_selected_type(self) -> None:
        index = self.type_box.currentIndex()
        if not 0 <= index < len(self.types):
            return
        code, title, seq = self.types[index]
        self.draft(code, seq)

    def draft(self, code: str, seq: int = 1) -> None:
        db, actor, case_id = self.ctx.db, self.ctx.user, self.case_id

        def done(view: docs.DocumentView) -> None:
            self.refresh()
            self.select_document(view.id)
            if view.status not in (docs.DRAFT,):
                self.status.setText(self.tr(
                    "Dokumen sudah bernomor dan tidak dirender ulang; gunakan Versi Baru "
                    "untuk koreksi."))
            self.documentsChanged.emit()

        self._run(self.tr("Membuat dokumen…"),
                  lambda: docs.draft_document(db, actor, case_id, code, seq), done)

    def issue_return_letter(self, code: str) -> None:
        """Number and issue the return letter (no signature) and open its preview."""
        from desktop_app.core.documents.return_letter import issue_return_letter

        db, actor, case_id = self.ctx.db, self.ctx.user, self.case_id

        def done(view: docs.DocumentView) -> None:
            self.refresh()
            self.select_document(view.id)
            self.status.setText(self.tr(
                "{t} nomor {n} siap dicetak dan diserahkan kepada pemohon.").format(
                t=view.title, n=view.number or "-"))
            self.documentsChanged.emit()
            self.preview_selected()

        self._run(self.tr("Menerbitkan surat pengembalian berkas…"),
                  lambda: issue_return_letter(db, actor, case_id), done)

    def submit_selected(self) -> None:
        v = self.selected()
        if v is None:
            return
        db, actor = self.ctx.db, self.ctx.user

        def done(view: docs.DocumentView) -> None:
            self.refresh()
            self.select_document(view.id)
            self.status.setText(self.tr("Dokumen bernomor {n} menunggu paraf/tanda tangan.")
                                .format(n=view.number or "-"))
            self.documentsChanged.emit()

        self._run(self.tr("Memberi nomor dan merender dokumen…"),
                  lambda: docs.submit_for_signing(db, actor, v.id), done)

    def new_version_selected(self) -> None:
        v = self.selected()
        if v is None:
            return
        db, actor = self.ctx.db, self.ctx.user

        def done(view: docs.DocumentView) -> None:
            self.refresh()
            self.select_document(view.id)
            self.documentsChanged.emit()

        self._run(self.tr("Membuat versi baru…"),
                  lambda: docs.new_version(db, actor, v.id), done)

    def ask_reason(self, view: docs.DocumentView) -> str | None:
        prompt = self.tr("Alasan pembatalan {t} (nomor tetap tercatat):") if view.number \
            else self.tr("Alasan pembatalan {t}:")
        text, ok = QInputDialog.getMultiLineText(
            self, self.tr("Batalkan Dokumen"), prompt.format(t=view.label))
        return text if ok else None

    def void_selected(self) -> None:
        v = self.selected()
        if v is None:
            return
        reason = self.ask_reason(v)
        if reason is None:
            return
        try:
            docs.void_document(self.ctx.db, self.ctx.user, v.id, reason)
        except AppError as exc:
            self.show_error(exc)
            return
        self.refresh()
        self.documentsChanged.emit()

    def _pdf(self, v: docs.DocumentView) -> bytes | None:
        try:
            return docs.document_pdf(self.ctx.db, v.id, self.ctx.actor)
        except AppError as exc:
            self.show_error(exc)
            return None

    def file_name(self, v: docs.DocumentView) -> str:
        number = (v.number or f"draf-{v.id}").replace("/", "-")
        return f"{v.doc_type}_{number}_v{v.version}.pdf"

    def open_preview(self, v: docs.DocumentView) -> Any:
        from desktop_app.gui.pdf_preview import PdfPreviewDialog

        pdf = self._pdf(v)
        if pdf is None:
            return None
        dialog = PdfPreviewDialog(pdf, v.label, self, file_name=self.file_name(v), ctx=self.ctx,
                                  card=v.paper == "card")
        self._preview = dialog
        return dialog

    def preview_selected(self) -> None:
        v = self.selected()
        if v is None or not v.sha256:
            return
        dialog = self.open_preview(v)
        if dialog is not None:
            dialog.show()

    def print_selected(self) -> None:
        v = self.selected()
        if v is None:
            return
        dialog = self.open_preview(v)
        if dialog is not None:  # the preview stays hidden: its print result shows here
            dialog.printed.connect(lambda _result: self.status.setText(dialog.status.text()))
            dialog.print_dialog()

    def save_selected(self) -> None:
        v = self.selected()
        if v is None:
            return
        path = save_file_name(
            self, self.tr("Simpan PDF"), self.file_name(v),
            self.tr("Berkas PDF (*.pdf)"))
        if not path:
            return
        pdf = self._pdf(v)
        if pdf is None:
            return
        if not write_file(self, self.tr("Simpan PDF"), path, pdf):
            return
        self.status.setText(self.tr("Disimpan: {p}").format(p=path))
