"""Tugas Saya: every open case in any SOP waiting for one of my lanes, overdue first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop_app.core import cases
from desktop_app.gui import case_actions
from desktop_app.gui.case_table import CaseTableView, RowFormatter, RowView, display_text
from desktop_app.gui.context import AppContext
from desktop_app.gui.keyboard import down_to_list
from desktop_app.gui.style import LATE_BACKGROUND, LATE_TEXT, SOON_TEXT
from desktop_app.gui.workers import Generation, run_task

ModelIndex = QModelIndex | QPersistentModelIndex
TASK_COLUMNS = ("sop", "register_number", "title", "step", "lane", "time_left")


class TasksModel(QAbstractTableModel):
    """The rows of :func:`cases.my_tasks` (at most a few hundred), already in due order."""

    loaded = Signal(int)

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[RowView] = []
        self._format = RowFormatter(ctx)
        self._gen = Generation()
        self._headers = (self.tr("SOP"), self.tr("No. Register"),
                         self.tr("Pemohon / Perusahaan / Kegiatan"), self.tr("Langkah"),
                         self.tr("Pelaksana"), self.tr("Sisa Waktu"))

    def reload(self) -> None:
        gen = self._gen.next()
        db, actor, fmt = self.ctx.db, self.ctx.actor, self._format
        if actor is None:
            return

        def work() -> tuple[int, list[RowView]]:
            return gen, fmt(cases.my_tasks(db, actor), db.now())

        run_task(work, self._on_loaded, lambda _e: None)

    def _on_loaded(self, result: tuple[int, list[RowView]]) -> None:
        gen, rows = result
        if not self._gen.is_current(gen):
            return
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()
        self.loaded.emit(len(rows))

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(TASK_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        view = self.rows[index.row()]
        key = TASK_COLUMNS[index.column()]
        late = view.due_state == "terlambat"
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(view, key)
        if role == Qt.ItemDataRole.UserRole:
            return view.row.id
        if role == Qt.ItemDataRole.BackgroundRole:
            return LATE_BACKGROUND if late else None
        if role == Qt.ItemDataRole.ForegroundRole and key == "time_left":
            return LATE_TEXT if late else SOON_TEXT if view.due_state == "segera" else None
        if role == Qt.ItemDataRole.ToolTipRole and key in ("time_left", "step"):
            return view.due_tooltip if key == "time_left" else view.step_text
        return None


class TasksTab(QWidget):
    """The first tab: what waits for me, the most urgent on top; double-click opens it."""

    casesChanged = Signal()  # noqa: N815 - Qt naming

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("tasksTab")
        title = QLabel(self.tr("Tugas Saya"))
        title.setProperty("role", "title")
        actor = ctx.actor
        who = QLabel(self.tr("Berkas yang menunggu tindakan {name} ({roles}), "
                             "yang paling mendesak di atas.").format(
            name=actor.full_name if actor else "", roles=actor.roles_label if actor else ""))
        who.setProperty("role", "subtitle")
        who.setWordWrap(True)
        self.count_label = QLabel(self.tr("Memuat…"))
        self.count_label.setProperty("role", "subtitle")
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Saring daftar tugas (Ctrl+F)"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(320)

        self.model = TasksModel(ctx, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.view = CaseTableView(self)
        down_to_list(self.search_edit, self.view)  # Down: into the list; Enter opens
        self.view.setModel(self.proxy)
        self.view._empty_text = self.tr("Tidak ada berkas yang menunggu Anda.")
        header = self.view.horizontalHeader()
        fm = self.view.fontMetrics()
        for col, sample in enumerate(("Rekomendasi Paspor", "PSPR/2026/000000", "M" * 18,
                                      "M" * 22, "Kabid & Sekretaris", "")):
            if sample:
                header.resizeSection(col, fm.horizontalAdvance(sample) + 24)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(5, fm.horizontalAdvance("terlambat 12 hari 7 jam") + 24)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.count_label)
        row = QHBoxLayout()
        row.addWidget(self.search_edit)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(top)
        layout.addWidget(who)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)

        self.search_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.view.activatedCase.connect(self.open_case)
        self.model.loaded.connect(self._on_loaded)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(60_000)
        self._clock_timer.timeout.connect(self.refresh)
        self._clock_timer.start()
        ctx.changes.caseChanged.connect(self._changed_elsewhere)  # any window's change
        self.refresh()

    def refresh(self) -> None:
        self.model.reload()

    def _changed_elsewhere(self, _case_id: int) -> None:
        self.refresh()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _on_loaded(self, n: int) -> None:
        late = sum(1 for r in self.model.rows if r.due_state == "terlambat")
        text = self.tr("{n} berkas menunggu").format(n=n)
        if late:
            text += self.tr(", {late} terlambat").format(late=late)
        self.count_label.setText(text)
        self.view._on_loaded(n)

    def open_case(self, case_id: int) -> None:
        case_actions.open_case(self.ctx, case_id, self, self._changed)

    def _changed(self) -> None:
        self.refresh()
        self.casesChanged.emit()
