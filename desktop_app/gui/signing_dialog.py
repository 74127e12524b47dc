"""The signing dialog: the swimlane of the document's case, every step (who, when, how long
against the standard), the paraf already given, and the actions for this document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import cases
from desktop_app.core.formatting import durasi, tanggal_jam
from desktop_app.core.signing.queue import QueueRow, document_detail
from desktop_app.gui.context import AppContext
from desktop_app.gui.screen_fit import fit_to_screen
from desktop_app.gui.swimlane import SwimlaneWidget

if TYPE_CHECKING:
    from desktop_app.gui.signing_queue import SigningQueueWindow

ACTION_LABELS = {
    "daftar": "Daftar", "lengkap": "Lengkap", "tidak_lengkap": "Tidak lengkap",
    "ajukan_ulang": "Ajukan ulang", "selesai": "Selesai", "setujui": "Setujui",
    "catat_bipartit": "Catat bipartit", "paraf": "Paraf", "tanda_tangan": "Tanda tangan",
    "serahkan": "Serahkan", "kembalikan": "Kembalikan", "tolak": "Tolak", "tarik": "Tarik",
}


def _item(text: str, color: QColor | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if color is not None:
        item.setForeground(QBrush(color))
    return item


class SigningDialog(QDialog):
    """The document's case as a swimlane with its history, and paraf/sign/return buttons
    (acting through the queue window when opened from it)."""

    def __init__(self, ctx: AppContext, document_id: int, parent: QWidget | None = None, *,
                 queue: SigningQueueWindow | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.document_id = document_id
        self.queue = queue
        self.view = document_detail(ctx.db, document_id)
        self.case = cases.get_case(ctx.db, self.view.case_id, ctx.actor)
        sop = self.case.sop
        self.setWindowTitle(self.tr("Alur Berkas — {doc} {no}").format(
            doc=self.view.title, no=self.view.number or ""))
        fit_to_screen(self, QSize(1180, 820))

        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setText(self.tr(
            "<b>{title}</b> — nomor {no}<br>Berkas <b>{reg}</b> · {sop} · {name} · "
            "status dokumen: <b>{status}</b> · langkah berkas sekarang: {step}").format(
            title=self.view.title, no=self.view.number or "—", reg=self.case.register_number,
            sop=sop.tab_label, name=self.case.title, status=self.view.status_label,
            step=self.case.current_step))
        self.attention = QLabel()
        self.attention.setWordWrap(True)
        self.attention.setVisible(bool(self.case.attention_note))
        self.attention.setText(self.tr("Catatan pengembalian: {n}").format(
            n=self.case.attention_note or ""))
        self.attention.setStyleSheet("color:#c62828;")

        self.swimlane = SwimlaneWidget(sop)
        self.swimlane.set_case(self.case)
        self.swimlane.setMinimumHeight(160)  # the splitter gives it more when there is room
        if self.case.is_open:  # show where the case waits now (once laid out)
            step = self.case.current_step
            QTimer.singleShot(0, lambda: self.swimlane.set_highlight_step(step))

        self.events = QTableWidget(0, 7)
        self.events.setHorizontalHeaderLabels(
            [self.tr(h) for h in ("Langkah", "Pelaksana", "Tindakan", "Oleh", "Selesai",
                                  "Lama / standar", "Catatan")])
        self.events.verticalHeader().setVisible(False)
        self.events.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.events.horizontalHeader().setStretchLastSection(True)
        self.events.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self._fill_events(sop)

        self.approvals = QTableWidget(0, 5)
        self.approvals.setHorizontalHeaderLabels(
            [self.tr(h) for h in ("Jenis", "Jalur", "Oleh", "Waktu", "Keterangan")])
        self.approvals.verticalHeader().setVisible(False)
        self.approvals.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.approvals.horizontalHeader().setStretchLastSection(True)
        self.approvals.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self._fill_approvals()
        awaited = [sop.lane(lane).name for lane in self.view.paraf_lanes
                   if lane not in {a.lane for a in self.view.approvals
                                   if a.kind == "paraf" and a.valid}]
        self.awaiting = QLabel(self.tr("Paraf yang masih ditunggu: {l}").format(
            l=", ".join(awaited)) if awaited else self.tr("Semua paraf yang diperlukan sudah "
                                                          "diberikan."))

        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(QLabel(self.tr("<b>Riwayat langkah</b>")))
        bl.addWidget(self.events, 3)
        bl.addWidget(QLabel(self.tr("<b>Paraf dan tanda tangan dokumen ini</b>")))
        bl.addWidget(self.approvals, 1)
        bl.addWidget(self.awaiting)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.swimlane)
        split.addWidget(bottom)
        split.setSizes([480, 340])

        self.btn_paraf = QPushButton(self.tr("&Paraf"))
        self.btn_sign = QPushButton(self.tr("Tanda &Tangani"))
        self.btn_return = QPushButton(self.tr("&Kembalikan…"))
        self.btn_close = QPushButton(self.tr("T&utup"))
        self.btn_close.clicked.connect(self.reject)
        row = self._queue_row()
        self.btn_paraf.setVisible(queue is not None)
        self.btn_sign.setVisible(queue is not None)
        self.btn_return.setVisible(queue is not None)
        self.btn_paraf.setEnabled(row is not None and row.awaited == "paraf")
        self.btn_sign.setEnabled(row is not None and row.awaited == "ttd")
        self.btn_return.setEnabled(row is not None)
        self.btn_paraf.clicked.connect(self._paraf)
        self.btn_sign.clicked.connect(self._sign)
        self.btn_return.clicked.connect(self._return)
        buttons = QHBoxLayout()
        buttons.addWidget(self.btn_paraf)
        buttons.addWidget(self.btn_sign)
        buttons.addWidget(self.btn_return)
        buttons.addStretch(1)
        buttons.addWidget(self.btn_close)

        lay = QVBoxLayout(self)
        lay.addWidget(self.header)
        lay.addWidget(self.attention)
        lay.addWidget(split, 1)
        lay.addLayout(buttons)

    def _queue_row(self) -> QueueRow | None:
        if self.queue is None:
            return None
        return next((r for r in self.queue.model.rows if r.document_id == self.document_id),
                    None)

    def _fill_events(self, sop: object) -> None:
        from desktop_app.core.sop import Sop

        assert isinstance(sop, Sop)
        per_day = 480
        events = self.case.events
        self.events.setRowCount(len(events))
        for i, e in enumerate(events):
            try:
                lane = sop.lane(e.lane).name
            except KeyError:
                lane = e.lane
            who = e.user_name + (f" (a.n. {e.on_behalf_of_name})" if e.on_behalf_of_name else "")
            took = durasi(e.working_minutes, per_day)
            std = durasi(e.standard_minutes, per_day) if e.standard_minutes else "—"
            late = e.standard_minutes and not e.on_time
            color = QColor("#c62828") if late else QColor("#2e7d32")
            for col, text in enumerate((str(e.step_no), lane,
                                        ACTION_LABELS.get(e.action, e.action), who,
                                        tanggal_jam(e.finished_at), f"{took} / {std}", e.note)):
                self.events.setItem(i, col, _item(text, color if col == 5 else None))

    def _fill_approvals(self) -> None:
        rows = self.view.approvals
        self.approvals.setRowCount(len(rows))
        for i, a in enumerate(rows):
            kind = "Paraf" if a.kind == "paraf" else "Tanda tangan"
            who = a.user_name + (f" ({a.delegation_kind} {a.on_behalf_of_name})"
                                 if a.on_behalf_of_name else "")
            note = "basah" if a.method == "basah" else "elektronik"
            if not a.valid:
                note = "tidak berlaku: dokumen berubah sesudah diparaf"
            color = None if a.valid else QColor("#666666")  # 5.7:1 on white
            for col, text in enumerate((kind, a.lane_name, who, tanggal_jam(a.at), note)):
                self.approvals.setItem(i, col, _item(text, color))

    def event_count(self) -> int:
        return self.events.rowCount()

    def _after(self) -> None:
        self.accept()

    def _paraf(self) -> None:
        if self.queue is not None:
            self.queue.select_ids([self.document_id])
            self.queue.paraf_selected()
        self._after()

    def _sign(self) -> None:
        if self.queue is not None:
            self.queue.select_ids([self.document_id])
            self.queue.sign_ids([self.document_id])
        self._after()

    def _return(self) -> None:
        if self.queue is not None:
            self.queue.select_ids([self.document_id])
            self.queue.return_current()
        self._after()
