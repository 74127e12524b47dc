"""Antrian Tanda Tangan: every document waiting for my paraf or signature, soonest due first.

The left side is the queue (sortable, multi-select, time left coloured); the right side shows
the selected document's PDF. Actions: paraf, sign one, batch-sign the selection with one
passphrase (off the GUI thread, with progress; stops at the first failure), return the case
to an earlier step with a reason, and mark a wet (hand) signature with its scan.

Results are reported in the message bar at the top of the window (never a modal box), so a
long batch never leaves the user stuck behind a dialog.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import AppError
from desktop_app.core.formatting import durasi, tanggal_jam
from desktop_app.core.signing import batch, credentials, paraf, queue, returns, wet
from desktop_app.core.signing.batch import BatchResult
from desktop_app.core.signing.queue import QueueRow
from desktop_app.gui.context import AppContext
from desktop_app.gui.files import open_file_name
from desktop_app.gui.screen_fit import fit_to_screen, stable_pdf_view
from desktop_app.gui.workers import run_task

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 2
SOON_MINUTES = 60

COLUMNS = ("Sisa waktu", "Menunggu", "Layanan", "No. Register", "Pemohon", "Dokumen",
           "Nomor", "Lama menunggu", "Sebagai")

_RED = QColor("#c62828")
_ORANGE = QColor("#955200")  # 4.5:1 even on the red "late" rows
_GREEN = QColor("#2e7d32")
_BG_LATE = QColor("#fdecea")


def _time_left_text(row: QueueRow, per_day: int) -> str:
    if row.minutes_left is None:
        return "—"
    if row.minutes_left < 0:
        return f"Terlambat {durasi(-row.minutes_left, per_day)}"
    return durasi(row.minutes_left, per_day)


class QueueModel(QAbstractTableModel):
    """The queue rows; display strings are made on demand (10,000 rows paint at once)."""

    def __init__(self, minutes_per_day: int = 480, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.all_rows: list[QueueRow] = []
        self.rows: list[QueueRow] = []
        self.per_day = minutes_per_day
        self._filter = ""
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: list[QueueRow]) -> None:
        """New rows (already in queue order: soonest due first)."""
        self.beginResetModel()
        self.all_rows = rows
        self._apply()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self._filter = text.strip().lower()
        self._apply()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply()
        self.layoutChanged.emit()

    def _apply(self) -> None:
        rows = self.all_rows
        if self._filter:
            needle = self._filter
            rows = [r for r in rows if needle in " ".join(
                (r.applicant, r.register_number, r.sop_name, r.doc_title, r.number or "")
            ).lower()]
        if self._sort is not None:
            column, order = self._sort
            rows = sorted(rows, key=lambda r: self._sort_key(r, column),
                          reverse=order == Qt.SortOrder.DescendingOrder)
        self.rows = list(rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == SORT_ROLE:
            return self._sort_key(r, col)
        if role == DOC_ID_ROLE:
            return r.document_id
        if role == Qt.ItemDataRole.ForegroundRole and col == 0 and r.minutes_left is not None:
            if r.minutes_left < 0:
                return QBrush(_RED)
            return QBrush(_ORANGE if r.minutes_left <= SOON_MINUTES else _GREEN)
        if role == Qt.ItemDataRole.BackgroundRole and r.overdue:
            return QBrush(_BG_LATE)
        if role == Qt.ItemDataRole.ToolTipRole:
            due = tanggal_jam(r.due_at) if r.due_at else "tanpa batas waktu"
            return (f"{r.doc_title}\nBatas langkah: {due}\nMenunggu sejak "
                    f"{tanggal_jam(r.since)}")
        return None

    def _text(self, r: QueueRow, col: int) -> str:
        if col == 0:
            return _time_left_text(r, self.per_day)
        if col == 1:
            return r.awaited_label
        if col == 2:
            return r.sop_name
        if col == 3:
            return r.register_number
        if col == 4:
            return r.applicant
        if col == 5:
            return r.doc_title
        if col == 6:
            return r.number or "—"
        if col == 7:
            return durasi(r.waiting_minutes, self.per_day)
        if col == 8:
            return f"{r.delegation_kind} {r.on_behalf_of}" if r.on_behalf_of else "Sendiri"
        return ""

    def _sort_key(self, r: QueueRow, col: int) -> Any:
        if col == 0:
            return r.minutes_left if r.minutes_left is not None else 10**9
        if col == 7:
            return r.waiting_minutes
        return self._text(r, col)


class _ProgressRelay(QObject):
    """Carries progress from the worker thread to the GUI thread (queued signal)."""

    progressed = Signal(int, int)


class SigningQueueWindow(QMainWindow):
    """Antrian Tanda Tangan of the signed-in user (signer, paraf role or deputy)."""

    queue_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Antrian Tanda Tangan — {name}").format(
            name=ctx.user.full_name))
        self.last_result: BatchResult | None = None
        self._pdf_keep: tuple[Any, Any] | None = None
        self._busy = False
        self._cancel = threading.Event()
        self.progress_dialog: QProgressDialog | None = None

        per_day = self._minutes_per_day()
        self.model = QueueModel(per_day, self)
        self.proxy = self.model  # sorting and filtering live in the model (fast at 10k)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((125, 95, 90, 120, 140, 210, 150, 105)):
            self.table.setColumnWidth(col, width)
        # Rows arrive sorted by time left; show the indicator without re-sorting them.
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.open_flow())
        self.table.activated.connect(lambda _i: self.open_flow())  # Enter opens it too

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.credential_label = QLabel()
        self.credential_label.setWordWrap(True)
        self.credential_label.setVisible(False)
        self.credential_label.setStyleSheet(
            "background:#fff8e1; border:1px solid #ffb300; border-radius:4px; padding:6px;")
        self.summary = QLabel()
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Saring: nama, nomor, layanan…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(240)
        self.filter_edit.textChanged.connect(self.model.set_filter)

        self.btn_refresh = QPushButton(self.tr("&Muat Ulang"))
        self.btn_paraf = QPushButton(self.tr("&Paraf"))
        self.btn_sign = QPushButton(self.tr("Tanda &Tangani"))
        self.btn_batch = QPushButton(self.tr("Tanda Tangani Terp&ilih"))
        self.btn_return = QPushButton(self.tr("&Kembalikan…"))
        self.btn_wet = QPushButton(self.tr("Tandai TTD &Basah…"))
        self.btn_flow = QPushButton(self.tr("Lihat &alur"))
        self.btn_verify = QPushButton(self.tr("&Verifikasi Dokumen…"))
        self.btn_sign.setDefault(True)
        self.btn_refresh.clicked.connect(self.reload)
        self.btn_paraf.clicked.connect(self.paraf_selected)
        self.btn_sign.clicked.connect(self.sign_current)
        self.btn_batch.clicked.connect(self.sign_selected)
        self.btn_return.clicked.connect(self.return_current)
        self.btn_wet.clicked.connect(self.mark_wet_current)
        self.btn_flow.clicked.connect(self.open_flow)
        self.btn_verify.clicked.connect(self.open_verify)

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.filter_edit)
        top.addWidget(self.btn_refresh)
        actions = QHBoxLayout()
        for b in (self.btn_paraf, self.btn_sign, self.btn_batch, self.btn_return, self.btn_wet):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.btn_verify)
        left = QWidget()
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 0, 0)
        left_lay.addLayout(top)
        left_lay.addWidget(self.table, 1)
        left_lay.addLayout(actions)

        self.doc_title = QLabel()
        self.doc_title.setWordWrap(True)
        self.doc_title.setStyleSheet("font-weight:bold;")
        self.doc_info = QLabel()
        self.doc_info.setWordWrap(True)
        self.pdf_view = stable_pdf_view()  # fit-to-width without the scroll-bar layout loop
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pdf_placeholder = QLabel(self.tr("Pilih dokumen untuk melihat pratinjau."))
        self.pdf_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pdf_placeholder.setStyleSheet("color:#666;")
        right = QWidget()
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.doc_title, 1)
        head.addWidget(self.btn_flow)
        right_lay.addLayout(head)
        right_lay.addWidget(self.doc_info)
        right_lay.addWidget(self.pdf_placeholder, 1)
        right_lay.addWidget(self.pdf_view, 3)
        self.pdf_view.setVisible(False)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([900, 500])
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.addWidget(self.credential_label)
        lay.addWidget(self.message)
        lay.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self._show_credential_state()
        self.reload()
        fit_to_screen(self, QSize(1320, 780))
        self.table.setFocus()  # arrows pick a document, Alt+T signs it
        # The application's change signal: a case changed in another window reloads the
        # queue; what is initialled or signed here reloads the other windows.
        self._announcing = False
        ctx.changes.caseChanged.connect(self._changed_elsewhere)

    def _changed_elsewhere(self, _case_id: int) -> None:
        if self._announcing:
            return
        # server unreachable or window closed: keep what is shown
        with contextlib.suppress(AppError, RuntimeError):
            self.reload()

    def _announce(self, case_ids: object) -> None:
        self._announcing = True
        try:
            for case_id in dict.fromkeys(case_ids):  # type: ignore[call-overload]
                self.ctx.changes.case_changed(int(case_id))
        finally:
            self._announcing = False

    def _cases_of(self, doc_ids: object) -> list[int]:
        wanted = set(doc_ids)  # type: ignore[call-overload]
        return [r.case_id for r in self.model.rows if r.document_id in wanted]

    # ------------------------------------------------------------------ data

    def _minutes_per_day(self) -> int:
        from desktop_app.core.settings import get_calendar

        try:
            return max(1, int(get_calendar(self.ctx.db).average_day_minutes()))
        except Exception:  # noqa: BLE001 - display only
            return 480

    def _show_credential_state(self) -> None:
        status = credentials.credential_status(self.ctx.db, self.ctx.user.user_id)
        signs = any(r.awaited == "ttd" for r in self.model.rows) or bool(
            self.ctx.user.effective_roles & {"kadis", "kabid", "sekretaris"})
        if status.valid or not signs:
            self.credential_label.setVisible(False)
            return
        self.credential_label.setText(status.message + self.tr(
            " Sementara itu dokumen dapat ditandatangani basah (Tandai TTD Basah…)."))
        self.credential_label.setVisible(True)

    def reload(self) -> None:
        """Re-read the queue (keeps the selection where the documents are still waiting)."""
        keep = set(self.selected_ids())
        rows = queue.signing_queue(self.ctx.db, self.ctx.user)
        self.model.set_rows(rows)
        late = sum(1 for r in rows if r.overdue)
        n_paraf = sum(1 for r in rows if r.awaited == "paraf")
        self.summary.setText(self.tr(
            "{n} dokumen menunggu: {t} tanda tangan, {p} paraf; {late} terlambat").format(
            n=len(rows), t=len(rows) - n_paraf, p=n_paraf, late=late))
        if keep:
            self.select_ids(keep)
        elif rows:
            self.select_ids([self.model.rows[0].document_id])  # not selectRow: Shift-safe
        else:
            self._show_document(None)
        self._update_buttons()
        self.queue_changed.emit()

    def row_count(self) -> int:
        return self.proxy.rowCount()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.proxy.index(r, 0).data(DOC_ID_ROLE) for r in rows]

    def selected_rows(self) -> list[QueueRow]:
        by_id = {r.document_id: r for r in self.model.rows}
        return [by_id[i] for i in self.selected_ids() if i in by_id]

    def current_row(self) -> QueueRow | None:
        index = self.table.currentIndex()
        if index.isValid():
            doc_id = self.proxy.index(index.row(), 0).data(DOC_ID_ROLE)
            found = next((r for r in self.model.rows if r.document_id == doc_id), None)
            if found is not None and found.document_id in self.selected_ids():
                return found
        rows = self.selected_rows()
        return rows[0] if rows else None

    def select_ids(self, ids: set[int] | list[int]) -> None:
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        wanted = set(ids)
        selection = QItemSelection()
        first = None
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            if index.data(DOC_ID_ROLE) in wanted:
                selection.select(index, self.proxy.index(r, len(COLUMNS) - 1))
                first = first or index
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.table.selectionModel().select(selection, flags)
        if first is not None:
            self.table.selectionModel().setCurrentIndex(
                first, QItemSelectionModel.SelectionFlag.NoUpdate)
        self._selection_changed()

    def _selection_changed(self, *_args: object) -> None:
        self._show_document(self.current_row())
        self._update_buttons()

    def _update_buttons(self) -> None:
        rows = self.selected_rows()
        busy = self._busy
        self.btn_paraf.setEnabled(not busy and any(r.awaited == "paraf" for r in rows))
        cur = self.current_row()
        self.btn_sign.setEnabled(not busy and cur is not None and cur.awaited == "ttd")
        n = sum(1 for r in rows if r.awaited == "ttd")
        self.btn_batch.setEnabled(not busy and n > 0)
        self.btn_batch.setText(self.tr("Tanda Tangani Terp&ilih ({n})").format(n=n) if n
                               else self.tr("Tanda Tangani Terp&ilih"))
        self.btn_return.setEnabled(not busy and cur is not None)
        self.btn_wet.setEnabled(not busy and cur is not None and cur.awaited == "ttd")
        self.btn_flow.setEnabled(cur is not None)

    def _show_document(self, row: QueueRow | None) -> None:
        if row is None:
            self.doc_title.setText(self.tr("Tidak ada dokumen dipilih"))
            self.doc_info.setText("")
            self.pdf_view.setVisible(False)
            self.pdf_placeholder.setVisible(True)
            return
        self.doc_title.setText(f"{row.doc_title}")
        who = f" — sebagai {row.delegation_kind} {row.on_behalf_of}" if row.on_behalf_of else ""
        due = tanggal_jam(row.due_at) if row.due_at else "—"
        self.doc_info.setText(self.tr(
            "Nomor {nomor} · Berkas {reg} ({sop}) · {nama}<br>Menunggu <b>{what}</b>{who} "
            "sejak {since} · batas langkah {due}").format(
            nomor=row.number or "—", reg=row.register_number, sop=row.sop_name,
            nama=row.applicant, what=row.awaited_label.lower(), who=who,
            since=tanggal_jam(row.since), due=due))
        pdf = queue.document_pdf(self.ctx.db, row.document_id)
        self._load_pdf(pdf)

    def _load_pdf(self, pdf: bytes | None) -> None:
        from desktop_app.gui.pdf_preview import PdfError, load_pdf

        old = self._pdf_keep
        if not pdf:
            self.pdf_view.setVisible(False)
            self.pdf_placeholder.setText(self.tr("Dokumen belum memiliki PDF."))
            self.pdf_placeholder.setVisible(True)
            return
        try:
            document, buffer = load_pdf(pdf, self)
        except PdfError as exc:
            self.pdf_placeholder.setText(str(exc))
            self.pdf_placeholder.setVisible(True)
            self.pdf_view.setVisible(False)
            return
        self.pdf_view.setDocument(document)
        self._pdf_keep = (document, buffer)
        self.pdf_placeholder.setVisible(False)
        self.pdf_view.setVisible(True)
        if old is not None:
            old[0].deleteLater()
            old[1].deleteLater()

    # --------------------------------------------------------------- messages

    def show_message(self, text: str, kind: str = "info") -> None:
        colors = {"info": ("#e3f2fd", "#1565c0"), "ok": ("#e8f5e9", "#2e7d32"),
                  "error": ("#fdecea", "#c62828"), "warn": ("#fff8e1", "#955200")}
        bg, fg = colors.get(kind, colors["info"])
        self.message.setStyleSheet(f"background:{bg}; color:{fg}; border:1px solid {fg};"
                                   " border-radius:4px; padding:6px;")
        self.message.setText(text)
        self.message.setProperty("kind", kind)
        self.message.setVisible(True)

    def message_text(self) -> str:
        return "" if self.message.isHidden() else self.message.text()

    # ----------------------------------------------------------------- prompts

    def ask_passphrase(self, count: int) -> str | None:
        """The signing passphrase, asked once for the whole batch (None = cancelled)."""
        text, ok = QInputDialog.getText(
            self, self.tr("Frasa Sandi Tanda Tangan"),
            self.tr("Menandatangani {n} dokumen dengan sertifikat Anda.\n"
                    "Masukkan frasa sandi tanda tangan:").format(n=count),
            QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def ask_return(self, sop_code: str, targets: list[int]) -> tuple[int, str] | None:
        from desktop_app.gui.dialogs.return_step import ReturnToStepDialog

        dlg = ReturnToStepDialog(self.ctx.sop(sop_code), targets, self)
        if not dlg.exec():
            return None
        kwargs = dlg.act_kwargs()
        return int(kwargs["target_step"]), str(kwargs["reason"])

    def ask_scan_file(self) -> Path | None:
        name = open_file_name(
            self, self.tr("Pilih pindaian dokumen yang sudah ditandatangani"),
            self.tr("Pindaian (*.pdf *.jpg *.jpeg *.png)"))
        return Path(name) if name else None

    # ----------------------------------------------------------------- actions

    def paraf_selected(self) -> None:
        ids = [r.document_id for r in self.selected_rows() if r.awaited == "paraf"]
        if not ids:
            self.show_message(self.tr("Pilih dokumen yang menunggu paraf."), "warn")
            return
        try:
            result = paraf.paraf_documents(self.ctx.db, self.ctx.user, ids)
        except AppError as exc:
            self.show_message(exc.message, "error")
            return
        text = self.tr("Paraf diberikan pada {n} dokumen.").format(n=len(result.documents))
        if result.advanced_cases:
            text += self.tr(" {n} berkas diteruskan ke langkah berikutnya.").format(
                n=len(result.advanced_cases))
        self.show_message(text, "ok")
        changed = self._cases_of(ids)
        self.reload()
        self._announce(changed)

    def sign_current(self) -> None:
        row = self.current_row()
        if row is None or row.awaited != "ttd":
            self.show_message(self.tr("Pilih dokumen yang menunggu tanda tangan."), "warn")
            return
        self.sign_ids([row.document_id])

    def sign_selected(self) -> None:
        ids = [r.document_id for r in self.selected_rows() if r.awaited == "ttd"]
        if not ids:
            self.show_message(self.tr("Pilih dokumen yang menunggu tanda tangan."), "warn")
            return
        self.sign_ids(ids)

    def sign_ids(self, ids: list[int]) -> None:
        """Ask the passphrase once, then sign ``ids`` on the thread pool with progress."""
        if self._busy or not ids:
            return
        status = credentials.credential_status(self.ctx.db, self.ctx.user.user_id)
        if not status.valid:
            self.show_message(status.message, "error")
            return
        passphrase = self.ask_passphrase(len(ids))
        if passphrase is None:
            return
        self._busy = True
        self._cancel.clear()
        self._update_buttons()
        dlg = QProgressDialog(self.tr("Menandatangani dokumen…"), self.tr("Hentikan"), 0,
                              len(ids), self)
        dlg.setWindowTitle(self.tr("Tanda Tangan"))
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(0)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.canceled.connect(self._cancel.set)
        dlg.setValue(0)
        self.progress_dialog = dlg
        relay = _ProgressRelay(self)
        relay.progressed.connect(self._on_progress)
        self._relay = relay
        db, actor, cancel = self.ctx.db, self.ctx.user, self._cancel

        def work() -> BatchResult:
            return batch.sign_documents(db, actor, ids, passphrase,
                                        progress=lambda i, n: relay.progressed.emit(i, n),
                                        cancelled=cancel.is_set)

        run_task(work, self._on_signed, self._on_sign_error)

    def _on_progress(self, done: int, total: int) -> None:
        dlg = self.progress_dialog  # setValue() may process events that end the batch
        if dlg is None:
            return
        dlg.setMaximum(total)
        dlg.setLabelText(self.tr("Menandatangani dokumen {i} dari {n}…").format(
            i=min(done + 1, total), n=total))
        dlg.setValue(done)

    def _finish_batch(self) -> None:
        self._busy = False
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        # the keyboard carries on in the list (the progress box had taken the focus)
        self.activateWindow()
        self.table.setFocus()

    def _on_signed(self, result: BatchResult) -> None:
        self._finish_batch()
        self.last_result = result
        n = len(result.signed)
        if result.ok:
            text = self.tr("{n} dokumen berhasil ditandatangani.").format(n=n)
            if result.advanced_cases:
                text += self.tr(" {c} berkas diteruskan ke langkah berikutnya.").format(
                    c=len(result.advanced_cases))
            self.show_message(text, "ok")
        else:
            row = next((r for r in self.model.rows if r.document_id == result.failed_id), None)
            what = f"{row.doc_title} {row.number or ''} ({row.register_number})" if row else \
                f"#{result.failed_id}"
            self.show_message(self.tr(
                "{n} dari {t} dokumen ditandatangani; berhenti pada {what}: {err}").format(
                n=n, t=result.total, what=what, err=result.error), "error")
        changed = self._cases_of(result.signed)
        self.reload()
        self._announce(changed)

    def _on_sign_error(self, exc: Exception) -> None:
        self._finish_batch()
        self.last_result = None
        message = exc.message if isinstance(exc, AppError) else str(exc)
        self.show_message(self.tr("Tidak ada dokumen ditandatangani: {m}").format(m=message),
                          "error")
        self._update_buttons()

    def return_current(self) -> None:
        row = self.current_row()
        if row is None:
            return
        try:
            targets = [no for no, _label in returns.return_targets(
                self.ctx.db, self.ctx.user, row.case_id)]
        except AppError as exc:
            self.show_message(exc.message, "error")
            return
        if not targets:
            self.show_message(self.tr("Berkas ini tidak dapat Anda kembalikan sekarang."), "warn")
            return
        answer = self.ask_return(row.sop_code, targets)
        if answer is None:
            return
        step, reason = answer
        try:
            detail = returns.return_case(self.ctx.db, self.ctx.user, row.case_id, step, reason)
        except AppError as exc:
            self.show_message(exc.message, "error")
            return
        lane = detail.sop.lane(detail.current_lane).name
        self.show_message(self.tr("Berkas {reg} dikembalikan ke langkah {no} ({lane}) dengan "
                                  "alasan: {reason}").format(
            reg=row.register_number, no=detail.current_step, lane=lane, reason=reason), "ok")
        self.reload()
        self._announce([row.case_id])

    def mark_wet_current(self) -> None:
        row = self.current_row()
        if row is None or row.awaited != "ttd":
            return
        path = self.ask_scan_file()
        if path is None:
            return
        mime = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg",
                ".jpeg": "image/jpeg"}.get(path.suffix.lower(), "")
        try:
            wet.mark_wet_signed(self.ctx.db, self.ctx.user, row.document_id,
                                path.read_bytes(), mime, path.name)
        except (AppError, OSError) as exc:
            self.show_message(exc.message if isinstance(exc, AppError) else str(exc), "error")
            return
        self.show_message(self.tr("{doc} {no} dicatat sudah ditandatangani basah oleh {who}.")
                          .format(doc=row.doc_title, no=row.number or "",
                                  who=self.ctx.user.full_name), "ok")
        self.reload()
        self._announce([row.case_id])

    def open_flow(self) -> None:
        row = self.current_row()
        if row is None:
            return
        from desktop_app.gui.signing_dialog import SigningDialog

        dlg = SigningDialog(self.ctx, row.document_id, self, queue=self)
        dlg.open()
        self._flow_dialog = dlg

    def open_verify(self) -> None:
        from desktop_app.gui.verify_dialog import VerifyDialog

        dlg = VerifyDialog(self.ctx, self)
        dlg.open()
        self._verify_dialog = dlg


def open_queue_if_waiting(ctx: AppContext, parent: QWidget | None = None
                          ) -> SigningQueueWindow | None:
    """After login: open the queue by itself when the user initials or signs documents and
    something is waiting (returns the shown window, or None)."""
    if ctx.actor is None or not queue.is_signer(ctx.actor):
        return None
    if queue.queue_count(ctx.db, ctx.actor) == 0:
        return None
    window = SigningQueueWindow(ctx, parent)
    window.show()
    return window
