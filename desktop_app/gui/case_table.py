"""The case list of an SOP tab: a lazy table model over the database, and its view.

Following Anki's browser, the model asks the services for the ordered list of matching ids
(off the GUI thread), then fetches the columns of a row only when the view first shows it, in
blocks of :data:`BLOCK_SIZE` ids, and keeps the most recent blocks in an LRU cache. A million
cases therefore cost an id array and a few hundred rows. Sorting and filtering are SQL
(:class:`cases.CaseQuery`); a query change discards the cache and shows "Memuat…".
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

from desktop_app.core import cases, sop_versions, workflow
from desktop_app.core.formatting import durasi, tanggal, tanggal_jam
from desktop_app.core.settings import get_calendar
from desktop_app.core.sop import Sop
from desktop_app.gui.context import AppContext
from desktop_app.gui.style import LATE_BACKGROUND, LATE_TEXT, SOON_TEXT
from desktop_app.gui.workers import Generation, run_task

BLOCK_SIZE = 100
MAX_BLOCKS = 128  # 12,800 rows kept; a screen shows ~30

ModelIndex = QModelIndex | QPersistentModelIndex

# Column keys, their cases.SORT_COLUMNS sort key (None: not sortable).
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("register_number", "register_number"),
    ("registered_at", "registered_at"),
    ("title", "title"),
    ("step", "current_step"),
    ("lane", "current_step"),  # the lane follows the step; sorting by it sorts by step
    ("status", "status"),
    ("time_left", "step_due_at"),
    ("sop_version", None),  # the SOP version the case runs on
)
DEFAULT_SORT_COLUMN = 1  # newest registrations first


@dataclass(frozen=True)
class RowView:
    """What a row shows, computed once when its block is fetched."""

    row: cases.CaseRow
    sop_name: str
    step_text: str
    lane_name: str
    status_text: str
    time_left: str
    due_state: str  # "", "tepat_waktu", "segera", "terlambat"
    due_tooltip: str
    sop_version: str = ""  # "v1": the version of its SOP the case runs on


def _t(text: str) -> str:
    return QCoreApplication.translate("CaseTable", text)


def short_activity(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _span(minutes: int, per_day: int) -> str:
    """A duration in working time, coarse once it spans days ("3 hari 2 jam")."""
    minutes = abs(minutes)
    if minutes >= per_day:
        days, rest = divmod(minutes, per_day)
        hours = rest // 60
        return _t("{days} hari").format(days=days) + (
            " " + _t("{hours} jam").format(hours=hours) if hours else "")
    return durasi(minutes, per_day)


class RowFormatter:
    """Turns :class:`cases.CaseRow` into display text (status, step, lane, time left)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._sops = {s.code: s for s in ctx.sops}
        self._versions: dict[int, tuple[Sop, str]] = {}

    def knows(self, rows: list[cases.CaseRow]) -> bool:
        return all(r.sop_version_id in self._versions for r in rows)

    def load_versions(self) -> None:
        """Read the SOP versions in use (the first page's worker does it off the GUI thread;
        a version activated later is read when a row first names it)."""
        self._versions = sop_versions.versions_in_use(self.ctx.db)

    def __call__(self, rows: list[cases.CaseRow], now: datetime) -> list[RowView]:
        calendar = get_calendar(self.ctx.db)
        per_day = max(1, round(calendar.average_day_minutes))
        out = []
        if not self.knows(rows):
            self.load_versions()
        for r in rows:
            sop, version = self._versions.get(r.sop_version_id,
                                              (self._sops.get(r.sop_code), ""))
            step = sop.step(r.current_step) if sop and 1 <= r.current_step <= len(sop.steps) \
                else None
            lane_name = next((lane.name for lane in sop.lanes if lane.code == r.current_lane),
                             r.current_lane) if sop else r.current_lane
            step_text = (f"{step.no}. {short_activity(step.activity)}" if step
                         else str(r.current_step))
            status_text = workflow.status_label(r.status, step.kind if step else None)
            time_left, state, tip = "", "", ""
            if r.status == workflow.IN_PROGRESS and r.step_due_at is not None:
                state = calendar.due_state(r.step_due_at, now)
                tip = _t("Batas waktu langkah: {when}").format(when=tanggal_jam(r.step_due_at))
                if state == "terlambat":
                    late = calendar.working_minutes_between(r.step_due_at, now)
                    time_left = (_t("terlambat {span}").format(span=_span(late, per_day))
                                 if late > 0 else _t("terlambat"))
                else:
                    left = calendar.working_minutes_between(now, r.step_due_at)
                    time_left = _span(left, per_day)
                    if state == "segera":
                        time_left = _t("segera ({span})").format(span=time_left)
            elif r.status == workflow.RETURNED:
                time_left = _t("menunggu pemohon")
            out.append(RowView(r, sop.tab_label if sop else r.sop_code, step_text, lane_name,
                               status_text, time_left, state, tip, version))
        return out


@dataclass(frozen=True)
class _Loaded:
    generation: int
    ids: array
    now: datetime


@dataclass(frozen=True)
class _Preview:
    generation: int
    rows: list[cases.CaseRow]
    now: datetime


class CaseTableModel(QAbstractTableModel):
    """Lazy, SQL-sorted case list: ordered ids fetched off-thread, rows fetched in blocks."""

    loadingChanged = Signal(bool)  # noqa: N815 - Qt naming
    loaded = Signal(int)  # total rows of the current query
    previewed = Signal(int)  # the first rows are shown; the full list is still loading
    failed = Signal(str)

    def __init__(self, ctx: AppContext, query: cases.CaseQuery,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._query = query
        self._ids: array = array("q")
        self._blocks: OrderedDict[int, list[RowView]] = OrderedDict()
        self._stale_blocks: set[int] = set()
        self._gen = Generation()
        self._loading = False
        self._now = ctx.db.now()
        self._format = RowFormatter(ctx)
        self.block_fetches = 0  # for tests and the benchmark
        self._headers = (self.tr("No. Register"), self.tr("Tanggal Daftar"),
                         self.tr("Pemohon / Perusahaan / Kegiatan"), self.tr("Langkah"),
                         self.tr("Pelaksana"), self.tr("Status"), self.tr("Sisa Waktu"),
                         self.tr("Versi SOP"))
        self._bold = QFont()
        self._bold.setBold(True)

    # ------------------------------------------------------------------ query and loading

    @property
    def query(self) -> cases.CaseQuery:
        return self._query

    @property
    def is_loading(self) -> bool:
        return self._loading

    def set_query(self, query: cases.CaseQuery) -> None:
        """Show the cases of ``query``: empty at once ("Memuat…"), then filled off-thread."""
        self._query = query
        self.reload()

    def reload(self) -> None:
        """Fetch the id list again (F5, after an action, after a conflict)."""
        gen = self._gen.next()
        self.beginResetModel()
        self._ids = array("q")
        self._blocks.clear()
        self._stale_blocks.clear()
        self.endResetModel()
        self._set_loading(True)
        db, query = self.ctx.db, replace(self._query, now=self.ctx.db.now(),
                                         reader=self.ctx.actor)

        # The first block is a cheap LIMIT query, so the first screen appears at once; the
        # full ordered id list (O(matches)) follows and extends it without a reset.
        formatter = self._format

        def first_page() -> _Preview:
            rows = cases.list_cases(db, query, 0, BLOCK_SIZE)
            if not formatter.knows(rows):
                formatter.load_versions()
            return _Preview(gen, rows, query.now)

        def all_ids() -> _Loaded:
            return _Loaded(gen, array("q", cases.list_case_ids(db, query)), query.now)

        run_task(first_page, self._on_preview, lambda _e: None)
        run_task(all_ids, self._on_loaded, self._on_failed)

    def _on_preview(self, result: _Preview) -> None:
        if not self._gen.is_current(result.generation) or not self._loading or self._ids:
            return
        self.beginResetModel()
        self._ids = array("q", (r.id for r in result.rows))
        self._now = result.now
        self._blocks.clear()
        self._blocks[0] = self._format(result.rows, result.now)
        self.endResetModel()
        self.previewed.emit(len(self._ids))

    def _on_loaded(self, result: _Loaded) -> None:
        if not self._gen.is_current(result.generation):
            return  # an older query answered late
        shown = len(self._ids)
        self._now = result.now
        if shown and result.ids[:shown] == self._ids:
            # Same first rows as the preview: append the rest, keeping scroll and selection.
            if len(result.ids) > shown:
                self.beginInsertRows(QModelIndex(), shown, len(result.ids) - 1)
                self._ids = result.ids
                self.endInsertRows()
        else:
            self.beginResetModel()
            self._ids = result.ids
            self._blocks.clear()
            self.endResetModel()
        self._set_loading(False)
        self.loaded.emit(len(self._ids))

    def _on_failed(self, exc: Exception) -> None:
        self._set_loading(False)
        from desktop_app.gui.errors import user_message

        self.failed.emit(user_message(exc))  # never the driver's own text

    def _set_loading(self, on: bool) -> None:
        if self._loading != on:
            self._loading = on
            self.loadingChanged.emit(on)

    # --------------------------------------------------------------------- row access

    def case_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_view(self, row: int) -> RowView | None:
        if not 0 <= row < len(self._ids):
            return None
        block_no, offset = divmod(row, BLOCK_SIZE)
        block = self._blocks.get(block_no)
        if block is None:
            block = self._fetch_block(block_no)
        else:
            self._blocks.move_to_end(block_no)
            if block_no in self._stale_blocks:  # the clock moved: re-format this block only
                self._stale_blocks.discard(block_no)
                block = self._format([v.row for v in block], self._now)
                self._blocks[block_no] = block
        return block[offset] if offset < len(block) else None

    def _fetch_block(self, block_no: int) -> list[RowView]:
        # ~200 rows by primary key: a few milliseconds even on a million cases, so done
        # in place (as Anki's browser does) rather than showing blank rows while scrolling.
        start = block_no * BLOCK_SIZE
        ids = list(self._ids[start:start + BLOCK_SIZE])
        rows = {r.id: r for r in cases.case_rows(self.ctx.db, ids, self.ctx.actor)}
        missing = [i for i in ids if i not in rows]
        views = self._format([rows[i] for i in ids if i in rows], self._now)
        if missing:  # deleted since the id list was fetched: keep positions stable
            by_id = {v.row.id: v for v in views}
            views = [by_id.get(i) or _gone(i) for i in ids]
        self._blocks[block_no] = views
        self._stale_blocks.discard(block_no)
        self.block_fetches += 1
        while len(self._blocks) > MAX_BLOCKS:
            self._blocks.popitem(last=False)
        return views

    def refresh_times(self) -> None:
        """Recompute "Sisa Waktu" against the clock now (cached rows are re-formatted)."""
        self._now = self.ctx.db.now()
        # Lazily: re-formatting every cached block at once stalled scrolling (~90 ms).
        self._stale_blocks = set(self._blocks)
        if self._ids:
            self.dataChanged.emit(self.index(0, len(COLUMNS) - 1),
                                  self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    # ---------------------------------------------------------------- Qt model interface

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole,
                        Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.FontRole, Qt.ItemDataRole.UserRole):
            return None
        view = self.row_view(index.row())
        if view is None:
            return None
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(view, key)
        if role == Qt.ItemDataRole.UserRole:
            return view.row.id
        late = view.due_state == "terlambat"
        if role == Qt.ItemDataRole.BackgroundRole:
            return LATE_BACKGROUND if late else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if late and key in ("time_left", "register_number"):
                return LATE_TEXT
            if view.due_state == "segera" and key == "time_left":
                return SOON_TEXT
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if late and key == "time_left" else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "time_left":
                return view.due_tooltip or None
            if key == "step":
                return view.step_text
            if key == "title":
                return view.row.title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1] if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._query.sort and descending == self._query.descending:
            return
        self.set_query(replace(self._query, sort=key, descending=descending))


def _gone(case_id: int) -> RowView:
    row = cases.CaseRow(case_id, "", "—", _t("(berkas tidak ditemukan)"), None, 0, "", "",
                        datetime.min, None, 0)
    return RowView(row, "", "", "", "", "", "", "")


def display_text(view: RowView, key: str) -> str:
    r = view.row
    if key == "register_number":
        return r.register_number
    if key == "registered_at":
        return tanggal(r.registered_at) if r.registered_at != datetime.min else ""
    if key == "title":
        return r.title
    if key == "step":
        return view.step_text
    if key == "lane":
        return view.lane_name
    if key == "status":
        return view.status_text
    if key == "time_left":
        return view.time_left
    if key == "sop_version":
        return view.sop_version
    if key == "sop":
        return view.sop_name
    return ""


def sort_column_of(key: str) -> int:
    """The first column that sorts by ``key`` (a cases.SORT_COLUMNS key)."""
    return next((i for i, (_, k) in enumerate(COLUMNS) if k == key), DEFAULT_SORT_COLUMN)


class CaseTableView(QTableView):
    """A table view for the lazy model: uniform rows, SQL sorting, a "Memuat…" overlay."""

    activatedCase = Signal(int)  # noqa: N815 - Qt naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setVisible(False)
        # Fixed row heights: the view never asks every row for its size (a million rows).
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setSectionsMovable(False)
        self.horizontalHeader().setStretchLastSection(False)
        self._overlay = QLabel(self.tr("Memuat…"), self.viewport())
        self._overlay.setProperty("role", "loading")
        self._overlay.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._overlay.hide()
        self._empty_text = self.tr("Tidak ada berkas yang cocok.")
        self.doubleClicked.connect(self._on_double_click)

    def setModel(self, model: Any) -> None:  # noqa: N802
        super().setModel(model)
        if isinstance(model, CaseTableModel):
            model.loadingChanged.connect(self._on_loading)
            model.loaded.connect(self._on_loaded)
            model.previewed.connect(lambda _n: self._overlay.hide())
            self._on_loading(model.is_loading)

    def apply_column_widths(self, widths: dict[int, int]) -> None:
        header = self.horizontalHeader()
        for col, width in widths.items():
            header.resizeSection(col, width)

    def current_case_id(self) -> int | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        value = index.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole)
        return int(value) if value is not None else None

    def _on_double_click(self, index: QModelIndex) -> None:
        value = index.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole)
        if value is not None:
            self.activatedCase.emit(int(value))

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            case_id = self.current_case_id()
            if case_id is not None:
                self.activatedCase.emit(case_id)
                return
        super().keyPressEvent(event)

    def _on_loading(self, on: bool) -> None:
        self._overlay.setText(self.tr("Memuat…"))
        self._overlay.setVisible(on)
        self._place_overlay()

    def _on_loaded(self, total: int) -> None:
        if total == 0:
            self._overlay.setText(self._empty_text)
            self._overlay.show()
            self._place_overlay()
        else:
            self._overlay.hide()

    def overlay_text(self) -> str | None:
        return self._overlay.text() if not self._overlay.isHidden() else None

    def _place_overlay(self) -> None:
        self._overlay.adjustSize()
        vp = self.viewport().rect()
        self._overlay.move(max(0, (vp.width() - self._overlay.width()) // 2),
                           max(0, min(80, (vp.height() - self._overlay.height()) // 2)))
        self._overlay.raise_()

    def resizeEvent(self, e: Any) -> None:  # noqa: N802
        super().resizeEvent(e)
        self._place_overlay()
