"""The case screen (berkas): header, data, requirements, attachments, flow, history and actions.

The buttons at the bottom are exactly the actions ``cases.allowed_actions`` returns for the
signed-in user now; each opens the dialog it needs (``desktop_app.gui.dialogs``) and then calls
``cases.act`` with the version this screen showed. When another PC changed the case first
the user is told who and when, the case is reloaded, and the dialog comes back with everything
typed still in it. Nothing here writes to the database except through the cases.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import cases, workflow
from desktop_app.core.cases import CaseDetail, EventView
from desktop_app.core.errors import (
    AppError,
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from desktop_app.core.formatting import durasi, tanggal, tanggal_jam
from desktop_app.core.settings import get_calendar
from desktop_app.core.sop import Sop
from desktop_app.core.workflow import ActionSpec
from desktop_app.gui.context import AppContext
from desktop_app.gui.dialogs import (
    ActionDialog,
    BipartiteMeetingDialog,
    ConfirmActionDialog,
    IncompleteDialog,
    ReasonDialog,
    ReturnToStepDialog,
)
from desktop_app.gui.files import file_problem, open_file_name, save_file_name
from desktop_app.gui.intake import INVALID_STYLE, SCAN_FILTER, IntakeForm, read_scan
from desktop_app.gui.keyboard import with_mnemonic
from desktop_app.gui.screen_fit import fit_to_screen
from desktop_app.gui.swimlane import SwimlaneWidget

__all__ = ["CaseDetailDialog", "show_message"]

_STATUS_COLORS = {
    workflow.IN_PROGRESS: ("#e3f2fd", "#0d47a1"),
    workflow.RETURNED: ("#fff3e0", "#e65100"),
    workflow.COMPLETED: ("#e8f5e9", "#1b5e20"),
    workflow.REJECTED: ("#ffebee", "#b71c1c"),
    workflow.WITHDRAWN: ("#eceff1", "#37474f"),
}
_FORWARD = (workflow.FINISH, workflow.APPROVE, workflow.PARAF, workflow.SIGN, workflow.HANDOVER,
            workflow.COMPLETE_OK, workflow.BIPARTITE, workflow.RESUBMIT)
# How often an open case window looks for a change made on another PC.
POLL_MS = 10_000
_CHECKLIST_ACTIONS = (workflow.COMPLETE_OK, workflow.INCOMPLETE, workflow.RESUBMIT)
_IDENTITY = ("nik", "tanggal_lahir", "jenis_kelamin")  # checked together against the NIK


def show_message(parent: QWidget | None, kind: str, title: str, text: str) -> None:
    """A modal message box (tests replace this function)."""
    icon = {"warning": QMessageBox.Icon.Warning, "error": QMessageBox.Icon.Critical}.get(
        kind, QMessageBox.Icon.Information)
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.exec()


def _norm(value: Any) -> Any:
    if value in (None, "", []):
        return None
    if isinstance(value, list):
        return [{k: _norm(v) if not isinstance(v, int) else str(v) for k, v in row.items()}
                if isinstance(row, dict) else row for row in value]
    return value


class CaseDetailDialog(QDialog):
    """Everything about one case, and the actions the signed-in user may take on it now."""

    caseChanged = Signal(int)

    def __init__(self, ctx: AppContext, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = case_id
        # freed when closed: a screen opened many times a day must not pile up in memory
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.detail: CaseDetail = cases.get_case(ctx.db, case_id, ctx.actor, opened=True)
        self.sop: Sop = self.detail.sop  # the version the case runs on
        self.actions: list[ActionSpec] = []
        self.action_buttons: dict[str, QPushButton] = {}
        self.messages: list[tuple[str, str, str]] = []  # (kind, title, text), newest last
        self._dialogs: dict[str, ActionDialog] = {}
        self._checks_dirty = False
        self.busy = False
        self._editing = False
        self._edit_base: dict[str, Any] = {}
        self._temp_dir: Path | None = None
        self.setWindowTitle(self.tr("Berkas {no}").format(no=self.detail.register_number))
        self.setStyleSheet(INVALID_STYLE)
        fit_to_screen(self, QSize(1240, 800))

        lay = QVBoxLayout(self)
        lay.addWidget(self._build_header())
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_data_tab(), self.tr("D&ata"))
        self.tabs.addTab(self._build_requirements_tab(), self.tr("&Persyaratan"))
        self.tabs.addTab(self._build_attachments_tab(), self.tr("Lamp&iran"))
        self.swimlane = SwimlaneWidget(self.sop)
        self.tabs.addTab(self.swimlane, self.tr("Al&ur"))
        self.tabs.addTab(self._build_history_tab(), self.tr("&Riwayat"))
        from desktop_app.gui.documents_panel import DocumentsPanel

        self.documents = DocumentsPanel(ctx, case_id)
        self.documents.documentsChanged.connect(self._documents_changed)
        self.tabs.addTab(self.documents, self.tr("D&okumen"))
        lay.addWidget(self.tabs, 1)
        self.action_bar = QHBoxLayout()
        self.no_action_label = QLabel()
        self.no_action_label.setProperty("role", "help")
        self.action_bar.addWidget(self.no_action_label)
        self.action_bar.addStretch(1)
        self._action_bar_fixed = self.action_bar.count()
        self.close_button = QPushButton(self.tr("&Tutup"))
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addLayout(self.action_bar, 1)
        bottom.addWidget(self.close_button)
        lay.addLayout(bottom)
        self._show(self.detail)
        # One change signal for the application: what this window changes reaches every other
        # window; what another window (or the signing queue) changes reloads this one.
        self._announcing = False
        self.caseChanged.connect(self._announce)
        ctx.changes.caseChanged.connect(self._changed_elsewhere)
        # Another PC: the case's version is probed now and then (off the GUI thread); a change
        # reloads this window and goes out on this program's change signal.
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.check_for_changes)
        self._poll.start()

    def check_for_changes(self) -> None:
        from desktop_app.gui.workers import run_task

        db, case_id, seen = self.ctx.db, self.case_id, self.detail.version

        def done(version: int | None) -> None:
            if version is None or version == seen or self._editing:
                return
            with contextlib.suppress(AppError, RuntimeError):
                if self.detail.version == seen:
                    self.reload()
                    self.documents.refresh()
                    self._announce(case_id)

        run_task(lambda: cases.case_version(db, case_id), done, lambda _exc: None)

    def _announce(self, case_id: int) -> None:
        self._announcing = True
        try:
            self.ctx.changes.case_changed(case_id)
        finally:
            self._announcing = False

    def _changed_elsewhere(self, case_id: int) -> None:
        if self._announcing or case_id != self.case_id:
            return
        try:
            self.reload()
            self.documents.refresh()
        except (AppError, RuntimeError):
            pass  # the case is gone, the server unreachable, or this window already closed

    # ================================================================== building

    def _build_header(self) -> QWidget:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame.setStyleSheet("QFrame#header { background: #fafafa; }")
        frame.setObjectName("header")
        grid = QGridLayout(frame)
        grid.setContentsMargins(10, 8, 10, 8)
        self.title_label = QLabel()
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sop_label = QLabel()
        self.sop_label.setWordWrap(True)
        self.step_label = QLabel()
        self.step_label.setWordWrap(True)
        self.time_label = QLabel()
        self.updated_label = QLabel()
        self.updated_label.setStyleSheet("color:#546e7a;")
        self.result_label = QLabel()
        self.result_label.setStyleSheet("color:#1b5e20;")
        self.attention_box = QLabel()
        self.attention_box.setWordWrap(True)
        self.attention_box.setTextFormat(Qt.TextFormat.RichText)
        self.attention_box.setStyleSheet("background:#fff9c4; border:1px solid #fbc02d; "
                                         "border-radius:4px; padding:6px; color:#5d4037;")
        grid.addWidget(self.title_label, 0, 0)
        grid.addWidget(self.status_label, 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.sop_label, 1, 0, 1, 2)
        grid.addWidget(self.step_label, 2, 0)
        grid.addWidget(self.time_label, 2, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.attention_box, 3, 0, 1, 2)
        grid.addWidget(self.updated_label, 4, 0)
        grid.addWidget(self.result_label, 4, 1, Qt.AlignmentFlag.AlignRight)
        grid.setColumnStretch(0, 1)
        return frame

    def _build_data_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        bar = QHBoxLayout()
        self.data_hint = QLabel()
        self.data_hint.setProperty("role", "help")
        self.data_hint.setWordWrap(True)
        self.edit_button = QPushButton(self.tr("Ubah"))
        self.edit_button.clicked.connect(self.start_edit)
        self.save_edit_button = QPushButton(self.tr("Simpan Perubahan"))
        self.save_edit_button.clicked.connect(self.save_edit)
        self.cancel_edit_button = QPushButton(self.tr("Batal Ubah"))
        self.cancel_edit_button.clicked.connect(self.cancel_edit)
        bar.addWidget(self.data_hint, 1)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.save_edit_button)
        bar.addWidget(self.cancel_edit_button)
        self.data_banner = QLabel()
        self.data_banner.setWordWrap(True)
        self.data_banner.setStyleSheet("background:#ffebee; color:#b71c1c; border:1px solid "
                                       "#ef9a9a; border-radius:4px; padding:6px;")
        self.data_banner.setVisible(False)
        self.form = IntakeForm(self.sop, today=lambda: self.ctx.db.now().date())
        self.form.set_read_only(True)
        self.data_scroll = QScrollArea()
        self.data_scroll.setWidgetResizable(True)
        inner = QWidget()
        il = QVBoxLayout(inner)
        il.addWidget(self.form)
        self.data_scroll.setWidget(inner)
        v.addLayout(bar)
        v.addWidget(self.data_banner)
        v.addWidget(self.data_scroll, 1)
        return w

    def _build_requirements_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.requirements_hint = QLabel()
        self.requirements_hint.setWordWrap(True)
        self.requirements_hint.setProperty("role", "help")
        v.addWidget(self.requirements_hint)
        self.requirement_boxes: dict[str, QCheckBox] = {}
        self.requirement_scan_labels: dict[str, QLabel] = {}
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(box)
        for i, req in enumerate(self.sop.requirements):
            text = req.label + (f" ({req.quantity})" if req.quantity else "")
            if not req.required:
                text += " — " + self.tr("opsional")
            cb = QCheckBox(text)
            cb.toggled.connect(self._checks_changed)
            scan = QLabel()
            scan.setStyleSheet("color:#546e7a;")
            grid.addWidget(cb, i, 0)
            grid.addWidget(scan, i, 1)
            self.requirement_boxes[req.code] = cb
            self.requirement_scan_labels[req.code] = scan
        grid.setColumnStretch(0, 1)
        v.addWidget(box)
        self.requirements_error = QLabel()
        self.requirements_error.setProperty("role", "error")
        self.requirements_error.setWordWrap(True)
        self.requirements_error.setVisible(False)
        v.addWidget(self.requirements_error)
        row = QHBoxLayout()
        self.save_checks_button = QPushButton(self.tr("Simpan Daftar Persyaratan"))
        self.save_checks_button.clicked.connect(self.save_requirements)
        row.addStretch(1)
        row.addWidget(self.save_checks_button)
        v.addLayout(row)
        v.addStretch(1)
        return w

    def _build_attachments_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.attachment_table = QTableWidget(0, 5)
        self.attachment_table.setHorizontalHeaderLabels(
            [self.tr("Jenis"), self.tr("Persyaratan"), self.tr("Nama berkas"), self.tr("Ukuran"),
             self.tr("Diunggah")])
        self.attachment_table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch)
        self.attachment_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.attachment_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.attachment_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.attachment_table.verticalHeader().setVisible(False)
        self.attachment_table.doubleClicked.connect(lambda _i: self.open_attachment())
        v.addWidget(self.attachment_table, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Untuk persyaratan:")))
        self.attachment_requirement = QComboBox()
        self.attachment_requirement.addItem(self.tr("— umum —"), None)
        for req in self.sop.requirements:
            self.attachment_requirement.addItem(req.label, req.code)
        row.addWidget(self.attachment_requirement)
        self.add_attachment_button = QPushButton(self.tr("Tambah Pindaian…"))
        self.add_attachment_button.clicked.connect(self.add_attachment)
        row.addWidget(self.add_attachment_button)
        row.addStretch(1)
        self.open_attachment_button = QPushButton(self.tr("Buka"))
        self.open_attachment_button.clicked.connect(self.open_attachment)
        self.save_attachment_button = QPushButton(self.tr("Simpan Salinan…"))
        self.save_attachment_button.clicked.connect(self.save_attachment_copy)
        row.addWidget(self.open_attachment_button)
        row.addWidget(self.save_attachment_button)
        v.addLayout(row)
        return w

    def _build_history_tab(self) -> QWidget:
        self.history_table = QTableWidget(0, 6)
        self.history_table.setHorizontalHeaderLabels(
            [self.tr("Langkah"), self.tr("Kegiatan"), self.tr("Oleh"), self.tr("Waktu"),
             self.tr("Durasi / Standar"), self.tr("Catatan")])
        header = self.history_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.setWordWrap(True)
        self.history_table.verticalHeader().setVisible(False)
        self.history_table.setAlternatingRowColors(True)
        return self.history_table

    # ================================================================== showing

    def show_documents(self, draft: str | None = None) -> None:
        """Switch to the Dokumen tab, drafting ``draft`` (e.g. the receipt) if it is missing."""
        self.tabs.setCurrentWidget(self.documents)
        if draft and draft in {code for code, _t, _s in self.documents.types}:
            existing = {v.doc_type for v in self.documents.views}
            if draft not in existing:
                self.documents.draft(draft)

    def issue_return_letter(self) -> None:
        """Issue the return letter of a case just returned and show it in the Dokumen tab."""
        from desktop_app.core.documents.return_letter import return_letter_code

        code = return_letter_code(self.sop)
        if code is None:
            return
        self.tabs.setCurrentWidget(self.documents)
        self.documents.issue_return_letter(code)

    def _documents_changed(self) -> None:
        # Numbering a document can move nothing, but the case version and buttons may change.
        self.reload()
        self.caseChanged.emit(self.case_id)

    def reload(self) -> CaseDetail:
        """Fetch the case again and show it (keeping an unsaved edit and checklist)."""
        self.detail = cases.get_case(self.ctx.db, self.case_id, self.ctx.actor)
        self._show(self.detail)
        return self.detail

    def _show(self, d: CaseDetail) -> None:
        self._show_header(d)
        can_edit = self.can_edit()
        # data
        if not self._editing:
            self.form.set_values(d.data)
            self.form.set_read_only(True)
        self.edit_button.setVisible(can_edit and not self._editing)
        self.save_edit_button.setVisible(self._editing)
        self.cancel_edit_button.setVisible(self._editing)
        if self._editing:
            self.data_hint.setText(self.tr("Mode ubah: perbaiki isian lalu tekan Simpan "
                                           "Perubahan."))
        elif can_edit:
            self.data_hint.setText(self.tr("Data berkas. Tekan Ubah untuk memperbaiki."))
        else:
            self.data_hint.setText(self.tr("Data berkas (hanya baca)."))
        # requirements
        if not self._checks_dirty:
            for code, cb in self.requirement_boxes.items():
                cb.blockSignals(True)
                cb.setChecked(bool(d.requirements.get(code)))
                cb.blockSignals(False)
        for cb in self.requirement_boxes.values():
            cb.setEnabled(can_edit)
        self.save_checks_button.setVisible(can_edit)
        scanned = {a.requirement_code for a in d.attachments if a.requirement_code}
        for code, label in self.requirement_scan_labels.items():
            label.setText(self.tr("ada pindaian") if code in scanned else "")
        missing = cases.missing_requirements(self.sop, d.requirements)
        if missing:
            self.requirements_hint.setText(self.tr("Belum lengkap: {items}").format(
                items=", ".join(missing)))
        else:
            self.requirements_hint.setText(self.tr("Semua persyaratan wajib sudah diserahkan."))
        # attachments, flow, history
        self._show_attachments(d)
        self.add_attachment_button.setEnabled(d.is_open)
        self.swimlane.set_case(d, now=self.ctx.db.now())
        self._show_history(d)
        self._show_actions()

    def _show_header(self, d: CaseDetail) -> None:
        self.setWindowTitle(self.tr("Berkas {no} — {title}").format(no=d.register_number,
                                                                    title=d.title))
        self.title_label.setText(f"<span style='font-size:15pt; font-weight:600'>"
                                 f"{d.register_number}</span>&nbsp;&nbsp;"
                                 f"<span style='font-size:13pt'>{_esc(d.title)}</span>"
                                 + (f"&nbsp;&nbsp;<span style='color:#546e7a'>NIK {d.nik}</span>"
                                    if d.nik else ""))
        bg, fg = _STATUS_COLORS.get(d.status, ("#eceff1", "#263238"))
        self.status_label.setText(d.status_label)
        self.status_label.setStyleSheet(f"background:{bg}; color:{fg}; border:1px solid {fg};"
                                        " border-radius:10px; padding:3px 12px; "
                                        "font-weight:600;")
        self.sop_label.setText(f"{_esc(self.sop.name)} <span style='color:#546e7a'>· SOP "
                               f"{self.sop.number} ({_esc(d.sop_version_label)}) · "
                               f"{self.tr('didaftarkan')} "
                               f"{tanggal_jam(d.registered_at)}</span>")
        step = self.sop.step(d.current_step)
        lane = self.sop.lane(d.current_lane).name if d.current_lane in {
            ln.code for ln in self.sop.lanes} else d.current_lane
        if d.status == workflow.RETURNED:
            where = self.tr("Dikembalikan ke <b>{lane}</b> untuk dilengkapi (dari langkah {no}).").format(
                lane=lane, no=step.no)
        elif d.is_open:
            where = self.tr("Langkah <b>{no}</b> dari {total} — <b>{lane}</b>: {activity}").format(
                no=step.no, total=len(self.sop.steps), lane=lane, activity=_esc(step.activity))
        else:
            closed = tanggal_jam(d.closed_at) if d.closed_at else ""
            where = self.tr("{status} pada langkah {no} ({lane}), {when}.").format(
                status=d.status_label, no=step.no, lane=self.sop.lane(step.lane).name,
                when=closed)
        self.step_label.setText(where)
        self.time_label.setText(self._time_text(d))
        note = d.attention_note
        self.attention_box.setVisible(bool(note))
        if note:
            self.attention_box.setText(f"<b>{self.tr('Catatan pengembalian')}</b><br>"
                                       f"{_esc(note)}")
        self.updated_label.setText(self.tr("Terakhir diubah oleh {who}, {when}").format(
            who=d.updated_by, when=tanggal_jam(d.updated_at)))

    def _time_text(self, d: CaseDetail) -> str:
        if d.status != workflow.IN_PROGRESS or d.step_due_at is None:
            return ""
        cal = get_calendar(self.ctx.db)
        now = self.ctx.db.now()
        per_day = max(1, round(cal.average_day_minutes))
        due = tanggal_jam(d.step_due_at)
        if now > d.step_due_at:
            late = cal.working_minutes_between(d.step_due_at, now)
            return ("<span style='color:#c62828; font-weight:600'>"
                    + self.tr("Terlambat {dur}").format(dur=durasi(max(1, late), per_day))
                    + f"</span> <span style='color:#546e7a'>({self.tr('batas')} {due})</span>")
        left = cal.working_minutes_between(now, d.step_due_at)
        color = "#ef6c00" if cal.due_state(d.step_due_at, now) == "segera" else "#2e7d32"
        return (f"<span style='color:{color}; font-weight:600'>"
                + self.tr("Sisa waktu {dur}").format(dur=durasi(left, per_day))
                + f"</span> <span style='color:#546e7a'>({self.tr('batas')} {due})</span>")

    def _show_attachments(self, d: CaseDetail) -> None:
        t = self.attachment_table
        t.setRowCount(0)
        labels = {r.code: r.label for r in self.sop.requirements}
        kinds = {"pas_foto": self.tr("Pas foto"), "scan": self.tr("Pindaian"),
                 "ttd_basah": self.tr("Tanda tangan basah")}
        for a in d.attachments:
            r = t.rowCount()
            t.insertRow(r)
            cells = [kinds.get(a.kind, a.kind), labels.get(a.requirement_code or "", ""),
                     a.filename, _size(a.size), tanggal_jam(a.uploaded_at)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setData(Qt.ItemDataRole.UserRole, a.id)
                t.setItem(r, c, item)
        t.resizeColumnsToContents()
        t.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        has = t.rowCount() > 0
        if has and t.currentRow() < 0:
            t.selectRow(0)
        self.open_attachment_button.setEnabled(has)
        self.save_attachment_button.setEnabled(has)

    def _event_text(self, ev: EventView) -> tuple[str, str]:
        """(kegiatan, catatan) of one history row."""
        labels = {
            workflow.REGISTER: self.tr("Pendaftaran berkas"),
            workflow.COMPLETE_OK: self.tr("Dinyatakan lengkap"),
            workflow.INCOMPLETE: self.tr("Dinyatakan tidak lengkap"),
            workflow.RESUBMIT: self.tr("Diajukan ulang"),
            workflow.FINISH: self.tr("Selesai"),
            workflow.APPROVE: self.tr("Disetujui"),
            workflow.PARAF: self.tr("Diparaf"),
            workflow.SIGN: self.tr("Ditandatangani"),
            workflow.HANDOVER: self.tr("Diserahkan"),
            workflow.REJECT: self.tr("Ditolak"),
            workflow.WITHDRAW: self.tr("Ditarik"),
        }
        notes = [ev.note] if ev.note else []
        what = labels.get(ev.action, ev.action)
        if ev.action == workflow.BIPARTITE:
            m = ev.detail.get("pertemuan", {})
            what = self.tr("Pertemuan bipartit ke-{n}").format(n=m.get("ke", "?"))
            outcome = ev.detail.get("hasil", "")
            if outcome == "sepakat":
                what += " — " + self.tr("sepakat")
            elif outcome == "berselisih":
                what += " — " + self.tr("masih berselisih")
            if m.get("hasil"):
                notes.append(self.tr("Hasil: {text}").format(text=m["hasil"]))
            if m.get("tanggal"):
                with contextlib.suppress(ValueError):
                    notes.append(tanggal(date.fromisoformat(m["tanggal"]))
                                 + (f", {m['tempat']}" if m.get("tempat") else ""))
        elif ev.action == workflow.RETURN_TO_STEP:
            what = self.tr("Dikembalikan ke langkah {n}").format(
                n=ev.detail.get("ke_langkah", "?"))
        if ev.action == workflow.INCOMPLETE and ev.detail.get("persyaratan_kurang"):
            notes.append(self.tr("Kurang: {items}").format(
                items=", ".join(ev.detail["persyaratan_kurang"])))
        return what, "\n".join(notes)

    def _show_history(self, d: CaseDetail) -> None:
        t = self.history_table
        t.setRowCount(0)
        for ev in d.events:
            r = t.rowCount()
            t.insertRow(r)
            step = self.sop.step(ev.step_no)
            lane_name = self.sop.lane(ev.lane).name if ev.lane in {
                ln.code for ln in self.sop.lanes} else ev.lane
            what, note = self._event_text(ev)
            who = ev.user_name + (f" (a.n. {ev.on_behalf_of_name})" if ev.on_behalf_of_name
                                  else "")
            std = step.time.label
            timing = f"{durasi(ev.working_minutes)} / {std}"
            cells = [f"{ev.step_no} · {lane_name}", what, who, tanggal_jam(ev.finished_at),
                     timing, note]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (0, 1):
                    item.setToolTip(step.activity)
                if c == 4 and not ev.on_time:
                    item.setForeground(QColor("#c62828"))
                    item.setToolTip(self.tr("Melebihi waktu standar"))
                if c == 5 and text:
                    item.setToolTip(text)
                t.setItem(r, c, item)
        t.resizeRowsToContents()

    def _show_actions(self) -> None:
        while self.action_bar.count() > self._action_bar_fixed:
            item = self.action_bar.takeAt(self.action_bar.count() - 1)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.action_buttons = {}
        # Alt+letter for each action; the letters of the tabs and "Tutup" are taken.
        taken = {"a", "p", "i", "u", "r", "o", "t"}
        try:
            self.actions = cases.allowed_actions(self.ctx.db, self.ctx.user, self.case_id)
        except AppError:
            self.actions = []
        for spec in self.actions:
            text = with_mnemonic(spec.label.replace("&", "&&"), taken)  # Alt+letter
            if spec.acting_for is not None:
                text += f" ({spec.acting_for.kind} {spec.acting_for.user_name})".replace(
                    "&", "&&")
            button = QPushButton(text)
            button.setObjectName(f"action_{spec.code}")
            button.setToolTip(spec.label)
            if spec.code in _FORWARD:
                button.setStyleSheet("font-weight:600;")
            elif spec.code in (workflow.REJECT,):
                button.setStyleSheet("color:#b71c1c;")
            button.clicked.connect(lambda _c=False, code=spec.code: self.run_action(code))
            self.action_bar.addWidget(button)
            self.action_buttons[spec.code] = button
        buttons = list(self.action_buttons.values())
        if buttons:  # tab order follows the row: the actions, then "Tutup"
            for a, b in zip(buttons, [*buttons[1:], self.close_button], strict=True):
                QWidget.setTabOrder(a, b)
        focus = QApplication.focusWidget()
        if focus is None or focus.window() is not self or not focus.isVisible():
            # after an action: focus stays in the window, on the next action or Tutup
            (buttons[0] if buttons else self.close_button).setFocus()
        if self.actions:
            self.no_action_label.setText("")
        elif self.detail.is_open:
            lane = self.sop.lane(self.detail.current_lane).name if self.detail.current_lane in {
                ln.code for ln in self.sop.lanes} else self.detail.current_lane
            self.no_action_label.setText(self.tr("Berkas sedang di {lane}; tidak ada tindakan "
                                                 "untuk Anda.").format(lane=lane))
        else:
            self.no_action_label.setText(self.tr("Berkas sudah ditutup."))

    # ================================================================== helpers

    def _message(self, kind: str, title: str, text: str) -> None:
        self.messages.append((kind, title, text))
        show_message(self, kind, title, text)

    def can_edit(self) -> bool:
        """Whether this user may correct the data or checklist now: the services' own gate."""
        from desktop_app.core.cases.permissions import may_edit

        d = self.detail
        return may_edit(self.sop, self.ctx.actor, status=d.status, current_lane=d.current_lane)

    def checklist(self) -> dict[str, bool]:
        return {code: cb.isChecked() for code, cb in self.requirement_boxes.items()}

    def _checks_changed(self) -> None:
        self._checks_dirty = True
        self.requirements_error.setVisible(False)

    def spec(self, code: str) -> ActionSpec | None:
        return next((s for s in self.actions if s.code == code), None)

    def _conflict_text(self, exc: ConflictError) -> str:
        when = exc.changed_at.strftime("%H:%M") if exc.changed_at else "?"
        return self.tr("Berkas ini sudah diubah oleh {who} pukul {when}.").format(
            who=exc.changed_by, when=when)

    # ================================================================== actions

    def dialog_for(self, spec: ActionSpec) -> ActionDialog | None:
        """The dialog an action needs (kept between attempts so nothing typed is lost)."""
        cached = self._dialogs.get(spec.code)
        if cached is not None:
            return cached
        code = spec.code
        step = self.sop.step(self.detail.current_step)
        dlg: ActionDialog | None
        if code == workflow.COMPLETE_OK:
            dlg = None
        elif code == workflow.INCOMPLETE:
            labels = {r.code: r.label for r in self.sop.requirements}
            missing = [labels[c] for c, ok in self.checklist().items() if not ok]
            dlg = IncompleteDialog(missing, self)
        elif code == workflow.RETURN_TO_STEP:
            dlg = ReturnToStepDialog(self.sop, spec.target_steps, self)
        elif code in (workflow.REJECT, workflow.WITHDRAW):
            intro = (self.tr("Permohonan ditolak dan berkas ditutup.") if code == workflow.REJECT
                     else self.tr("Permohonan ditarik dan berkas ditutup."))
            dlg = ReasonDialog(spec.label, spec.label, intro, self)
        elif code == workflow.BIPARTITE:
            held = self.detail.state().bipartite_meetings
            dlg = BipartiteMeetingDialog(held + 1, self.ctx.db.now().date(),
                                         worker=self.detail.title,
                                         company=str(self.detail.data.get("nama_perusahaan")
                                                     or ""), parent=self)
        elif code == workflow.RESUBMIT:
            missing = [r.label for r in self.sop.requirements
                       if r.required and not self.checklist().get(r.code)]
            intro = self.tr("Pemohon menyerahkan kembali berkasnya. Centang persyaratan yang "
                            "kini sudah diserahkan pada tab Persyaratan.")
            if missing:
                intro += "\n" + self.tr("Masih belum dicentang: {items}").format(
                    items=", ".join(missing))
            dlg = ConfirmActionDialog(spec.label, self.tr("Ajukan Ulang"), intro, self)
        else:
            intro = self.tr("Langkah {no} — {lane}: {activity}\nHasil: {output}").format(
                no=step.no, lane=self.sop.lane(step.lane).name, activity=step.activity,
                output=step.output)
            if spec.acting_for is not None:
                intro += "\n" + self.tr("Dilakukan sebagai {kind} {name}.").format(
                    kind=spec.acting_for.kind, name=spec.acting_for.user_name)
            dlg = ConfirmActionDialog(spec.label, spec.label, intro, self)
        if dlg is not None:
            self._dialogs[code] = dlg
        return dlg

    def run_action(self, code: str) -> bool:
        """Take the action ``code`` (asking what it needs); True when it was saved."""
        spec = self.spec(code)
        if spec is None:
            return False
        dlg = self.dialog_for(spec)
        for _attempt in range(10):  # the user can always cancel; this only bounds a loop
            if dlg is not None and dlg.exec() != QDialog.DialogCode.Accepted:
                return False
            kwargs: dict[str, Any] = dlg.act_kwargs() if dlg is not None else {}
            if code in _CHECKLIST_ACTIONS and self.can_edit():
                kwargs["requirements"] = self.checklist()
            db, user, case_id, version = (self.ctx.db, self.ctx.user, self.case_id,
                                          self.detail.version)
            try:
                detail = self.saving(partial(cases.act, db, user, case_id, code,
                                             expected_version=version, **kwargs))
            except ConflictError as exc:
                self.reload()
                spec = self.spec(code)
                if spec is None:
                    after = self.tr("Data terbaru sudah dimuat; tindakan ini tidak tersedia "
                                    "lagi untuk Anda.")
                elif dlg is None:
                    after = self.tr("Data terbaru sudah dimuat. Periksa lalu ulangi.")
                else:
                    after = self.tr("Data terbaru sudah dimuat. Periksa lalu kirim lagi; isian "
                                    "Anda tidak hilang.")
                self._message("warning", self.tr("Berkas sudah berubah"),
                              self._conflict_text(exc) + " " + after)
                if spec is None or dlg is None:
                    return False
                dlg.set_notice(self._conflict_text(exc) + " " + self.tr(
                    "Berkas sudah dimuat ulang; isian Anda di bawah masih ada. Periksa lalu "
                    "kirim lagi."))
                continue
            except ValidationError as exc:
                if dlg is not None and dlg.set_errors(exc.errors):
                    continue
                self._show_validation(exc.errors)
                return False
            except PermissionDenied as exc:
                self._message("warning", self.tr("Tidak diizinkan"), exc.message)
                self.reload()
                return False
            except NotFound as exc:
                self._message("error", self.tr("Tidak ditemukan"), exc.message)
                return False
            except AppError as exc:
                self._message("error", self.tr("Gagal"), exc.message)
                return False
            self._dialogs.clear()
            self._checks_dirty = False
            self.data_banner.setVisible(False)  # "Lengkapi isian ..." is answered
            self.form.clear_errors()
            self.detail = detail
            self.result_label.setText(self.tr("“{label}” tersimpan.").format(label=spec.label))
            self.reload()
            self.documents.refresh()  # an action can number, void or make documents due
            if code == workflow.INCOMPLETE:
                # The return letter listing what is missing, issued and shown at once so the
                # clerk can print it and hand it to the applicant.
                self.issue_return_letter()
            self.caseChanged.emit(self.case_id)
            return True
        return False

    def saving(self, fn: Callable[[], Any]) -> Any:
        """Run the change ``fn`` off the GUI thread: the window keeps painting, its buttons
        are off and "Menyimpan…" shows until the server answered; the result or the error
        comes back here."""
        from desktop_app.gui.workers import run_and_wait

        buttons = [*self.action_buttons.values(), self.close_button, self.save_edit_button,
                   self.cancel_edit_button, self.save_checks_button,
                   self.add_attachment_button]
        enabled = [b.isEnabled() for b in buttons]
        self.busy = True
        self.result_label.setText(self.tr("Menyimpan…"))
        for b in buttons:
            b.setEnabled(False)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return run_and_wait(fn)
        finally:
            QApplication.restoreOverrideCursor()
            self.busy = False
            self.result_label.setText("")
            for b, was in zip(buttons, enabled, strict=True):
                with contextlib.suppress(RuntimeError):  # a button replaced meanwhile
                    b.setEnabled(was)

    def reject(self) -> None:
        if self.busy:  # Esc while saving: the window stays until the server answered
            return
        super().reject()

    def _show_validation(self, errors: dict[str, str]) -> None:
        """Errors of an action that belong to the case (data fields, checklist)."""
        rest = dict(errors)
        if "persyaratan" in rest:
            self.requirements_error.setText(rest.pop("persyaratan"))
            self.requirements_error.setVisible(True)
            self.tabs.setCurrentIndex(1)
        field_errors = {k: v for k, v in rest.items()
                        if k in self.form.field_names() or k.split("[")[0] in
                        self.form.field_names()}
        if field_errors:
            self.form.set_errors(field_errors)
            self.tabs.setCurrentIndex(0)
            hint = self.tr("Lengkapi isian yang ditandai merah") + (
                self.tr(" lewat tombol Ubah.") if not self._editing else ".")
            self.data_banner.setText(hint)
            self.data_banner.setVisible(True)
            for k in field_errors:
                rest.pop(k, None)
        if rest:
            # Document and step messages are whole sentences: no raw "dokumen:" key prefix.
            title = self.tr("Dokumen belum siap") if "dokumen" in rest else \
                self.tr("Data belum benar")
            self._message("warning", title, "\n".join(rest.values()))

    # ================================================================== data edits

    def start_edit(self) -> None:
        if not self.can_edit():
            return
        self._editing = True
        self._edit_base = dict(self.detail.data)
        self.form.set_read_only(False)
        self.tabs.setCurrentIndex(0)
        self._show(self.detail)

    def cancel_edit(self) -> None:
        self._editing = False
        self.form.clear_errors()
        self.data_banner.setVisible(False)
        self._show(self.detail)

    def changed_data(self) -> dict[str, Any]:
        """The fields changed since editing began (NIK, birth date and sex go together)."""
        values = self.form.values()
        changed = {k: v for k, v in values.items() if _norm(v) != _norm(self._edit_base.get(k))}
        if any(k in changed for k in _IDENTITY):
            for k in _IDENTITY:
                if k in values:
                    changed[k] = values[k]
        return changed

    def save_edit(self) -> bool:
        """Save the corrected data with ``update_case``; True when saved."""
        changed = self.changed_data()
        self.form.clear_errors()
        self.data_banner.setVisible(False)
        if not changed:
            self.cancel_edit()
            return True
        try:
            self.saving(partial(cases.update_case, self.ctx.db, self.ctx.user, self.case_id,
                                expected_version=self.detail.version, data=changed))
        except ValidationError as exc:
            rest = self.form.set_errors(exc.errors)
            self.data_banner.setText(self.tr("Data belum benar. Periksa isian yang ditandai "
                                             "merah.") + ("\n" + "\n".join(rest.values())
                                                          if rest else ""))
            self.data_banner.setVisible(True)
            first = self.form.first_error_widget()
            if first is not None:
                self.data_scroll.ensureWidgetVisible(first, 40, 60)
            return False
        except ConflictError as exc:
            self._message("warning", self.tr("Berkas sudah berubah"),
                          self._conflict_text(exc) + " " + self.tr(
                              "Data terbaru sudah dimuat; perubahan Anda tetap di formulir. "
                              "Periksa lalu Simpan lagi."))
            self.reload()
            # the other user's values, with this user's own changes on top
            self._edit_base = dict(self.detail.data)
            self.form.set_values(self.detail.data)
            for k, v in changed.items():
                self.form.set_value(k, v)
            self.form.set_read_only(False)
            self.data_banner.setText(self._conflict_text(exc) + " " + self.tr(
                "Perubahan Anda belum tersimpan."))
            self.data_banner.setVisible(True)
            return False
        except PermissionDenied as exc:
            self._message("warning", self.tr("Tidak diizinkan"), exc.message)
            return False
        except AppError as exc:
            self._message("error", self.tr("Gagal"), exc.message)
            return False
        self._editing = False
        self.result_label.setText(self.tr("Perubahan data tersimpan."))
        self.reload()
        self.caseChanged.emit(self.case_id)
        return True

    def save_requirements(self) -> bool:
        """Save the checklist alone (``update_case``)."""
        try:
            self.saving(partial(cases.update_case, self.ctx.db, self.ctx.user, self.case_id,
                                expected_version=self.detail.version,
                                requirements=self.checklist()))
        except ConflictError as exc:
            self._message("warning", self.tr("Berkas sudah berubah"),
                          self._conflict_text(exc) + " " + self.tr(
                              "Data terbaru sudah dimuat; centang Anda tetap ada. Simpan lagi."))
            self.reload()
            return False
        except AppError as exc:
            self.requirements_error.setText(exc.message if not isinstance(
                exc, ValidationError) else "\n".join(exc.errors.values()))
            self.requirements_error.setVisible(True)
            return False
        self._checks_dirty = False
        self.result_label.setText(self.tr("Daftar persyaratan tersimpan."))
        self.reload()
        self.caseChanged.emit(self.case_id)
        return True

    # ================================================================== attachments

    def selected_attachment_id(self) -> int | None:
        row = self.attachment_table.currentRow()
        if row < 0:
            return None
        item = self.attachment_table.item(row, 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def add_attachment(self) -> bool:
        path = open_file_name(self, self.tr("Pilih Hasil Pindaian"), self.tr(SCAN_FILTER))
        if not path:
            return False
        try:
            scan = read_scan(path)
            self.saving(partial(
                cases.add_attachment, self.ctx.db, self.ctx.user, self.case_id, kind="scan",
                filename=scan.filename, content=scan.content, mime_type=scan.mime_type,
                requirement_code=self.attachment_requirement.currentData()))
        except ValidationError as exc:
            self._message("warning", self.tr("Lampiran"), "\n".join(exc.errors.values()))
            return False
        except (AppError, OSError) as exc:
            self._message("warning", self.tr("Lampiran"), getattr(exc, "message", str(exc)))
            return False
        self.reload()
        self.tabs.setCurrentIndex(2)
        self.caseChanged.emit(self.case_id)
        return True

    def _attachment_file(self, att_id: int) -> Path:
        att = next(a for a in self.detail.attachments if a.id == att_id)
        if self._temp_dir is None:
            self._temp_dir = Path(tempfile.mkdtemp(prefix="berkas_"))
        path = self._temp_dir / f"{att.id}_{Path(att.filename).name}"
        path.write_bytes(cases.attachment_content(self.ctx.db, att_id, self.ctx.actor))
        return path

    def open_attachment(self) -> bool:
        att_id = self.selected_attachment_id()
        if att_id is None:
            return False
        path = self._attachment_file(att_id)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def save_attachment_copy(self) -> bool:
        att_id = self.selected_attachment_id()
        if att_id is None:
            return False
        att = next(a for a in self.detail.attachments if a.id == att_id)
        target = save_file_name(self, self.tr("Simpan Salinan Lampiran"), att.filename)
        if not target:
            return False
        try:
            Path(target).write_bytes(cases.attachment_content(self.ctx.db, att_id, self.ctx.actor))
        except OSError as exc:
            self._message("error", self.tr("Lampiran"), file_problem(exc, target))
            return False
        return True


def _esc(text: str) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB".replace(".", ",")
