"""Pieces every report window shares: the period picker, the lazy row model and the
"Cetak PDF / Ekspor XLSX / Ekspor CSV" buttons that write off the GUI thread."""

from __future__ import annotations

import logging
from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from desktop_app.core.errors import AppError
from desktop_app.core.reports.period import Period
from desktop_app.core.reports.printing import cell_text
from desktop_app.gui.date_input import DateInput
from desktop_app.gui.files import save_file_name
from desktop_app.gui.workers import Generation, run_task

log = logging.getLogger(__name__)
ModelIndex = QModelIndex | QPersistentModelIndex
BLOCK = 100
MAX_BLOCKS = 64


def alive(obj: QObject) -> bool:
    """False once Qt deleted ``obj`` (a window closed before its answer came back)."""
    import shiboken6

    return shiboken6.isValid(obj)


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


def show_failure(parent: QWidget | None, title: str, exc: Exception) -> None:
    """A refusal in the services' words; anything else as a plain sentence (details logged)."""
    if isinstance(exc, AppError):
        QMessageBox.warning(parent, title, exc.message)
        return
    log.error("report failed", exc_info=exc)
    QMessageBox.critical(parent, title, QCoreApplication.translate(
        "Reports", "Terjadi kesalahan tak terduga; rinciannya tercatat di log program."))


class PeriodPicker(QWidget):
    """"Dari … s.d. …" with quick choices (this month, last month, this year)."""

    changed = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.quick = QComboBox()
        for key, label in (("bulan_ini", self.tr("Bulan ini")),
                           ("bulan_lalu", self.tr("Bulan lalu")),
                           ("tahun_ini", self.tr("Tahun ini")), ("pilih", self.tr("Pilih…"))):
            self.quick.addItem(label, key)
        self.start = self._edit()
        self.end = self._edit()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.quick)
        layout.addWidget(QLabel(self.tr("Dari")))
        layout.addWidget(self.start)
        layout.addWidget(QLabel(self.tr("s.d.")))
        layout.addWidget(self.end)
        self.quick.currentIndexChanged.connect(self._quick)
        self.start.dateChanged.connect(self._edited)
        self.end.dateChanged.connect(self._edited)
        self._quick()

    def _edit(self) -> DateInput:
        edit = DateInput()  # typed ddmmyyyy, F4/Alt+Down calendar, Tab moves on
        edit.setMinimumWidth(120)
        return edit

    def _quick(self) -> None:
        key = self.quick.currentData()
        t = self.today
        if key == "bulan_ini":
            p = Period.month(t.year, t.month)
        elif key == "bulan_lalu":
            p = Period.month(t.year - (t.month == 1), (t.month - 2) % 12 + 1)
        elif key == "tahun_ini":
            p = Period.year(t.year)
        else:
            return
        self.set_period(p.start, p.end, quick=True)
        self.changed.emit()

    def set_period(self, start: date, end: date, *, quick: bool = False) -> None:
        for edit, value in ((self.start, start), (self.end, end)):
            edit.blockSignals(True)
            edit.setDate(qdate(value))
            edit.blockSignals(False)
        if not quick:
            self.quick.blockSignals(True)
            self.quick.setCurrentIndex(self.quick.findData("pilih"))
            self.quick.blockSignals(False)
            self.changed.emit()

    def _edited(self) -> None:
        self.quick.blockSignals(True)
        self.quick.setCurrentIndex(self.quick.findData("pilih"))
        self.quick.blockSignals(False)
        self.changed.emit()

    def dates(self) -> tuple[date, date]:
        return pydate(self.start.date()), pydate(self.end.date())


# ------------------------------------------------------------------------ lazy rows


class LazyRowsModel(QAbstractTableModel):
    """Rows of a register or agenda, fetched like the SOP tabs' list: the first page and the
    ordered ids off the GUI thread, then the rows of the ids the view shows, in blocks.

    ``source`` gives ``first_page() -> [(id, case_id, values)]``, ``ids() -> [id]`` and
    ``rows(ids) -> [(id, case_id, values)]``. UserRole gives the case id of a row."""

    loaded = Signal(int)
    failed = Signal(object)

    def __init__(self, headers: Sequence[str], kinds: Sequence[str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers, self.kinds = list(headers), list(kinds)
        self._ids = array("q")
        self._blocks: OrderedDict[int, list[tuple[int, int, tuple[Any, ...]]]] = OrderedDict()
        self._gen = Generation()
        self._rows_fn: Callable[[list[int]], list[tuple[int, int, tuple[Any, ...]]]] | None = None
        self.loading = False

    def set_columns(self, headers: Sequence[str], kinds: Sequence[str]) -> None:
        self.beginResetModel()
        self.headers, self.kinds = list(headers), list(kinds)
        self._ids = array("q")
        self._blocks.clear()
        self.endResetModel()

    def load(self, first_page: Callable[[], list[tuple[int, int, tuple[Any, ...]]]],
             ids: Callable[[], list[int]],
             rows: Callable[[list[int]], list[tuple[int, int, tuple[Any, ...]]]]) -> None:
        gen = self._gen.next()
        self.beginResetModel()
        self._ids = array("q")
        self._blocks.clear()
        self._rows_fn = rows
        self.endResetModel()
        self.loading = True

        def on_first(result: list[tuple[int, int, tuple[Any, ...]]]) -> None:
            if alive(self) and self._gen.is_current(gen) and self.loading and not self._ids:
                self.beginResetModel()
                self._ids = array("q", (r[0] for r in result))
                self._blocks[0] = list(result)
                self.endResetModel()

        def on_ids(result: list[int]) -> None:
            if not alive(self) or not self._gen.is_current(gen):
                return
            shown = len(self._ids)
            if shown and list(result[:shown]) == list(self._ids):
                if len(result) > shown:
                    self.beginInsertRows(QModelIndex(), shown, len(result) - 1)
                    self._ids = array("q", result)
                    self.endInsertRows()
            else:
                self.beginResetModel()
                self._ids = array("q", result)
                self._blocks.clear()
                self.endResetModel()
            self.loading = False
            self.loaded.emit(len(self._ids))

        def on_error(exc: Exception) -> None:
            if alive(self) and self._gen.is_current(gen):
                self.loading = False
                self.failed.emit(exc)

        run_task(first_page, on_first, lambda _e: None)
        run_task(ids, on_ids, on_error)

    def _row(self, row: int) -> tuple[int, int, tuple[Any, ...]] | None:
        block_no, offset = divmod(row, BLOCK)
        block = self._blocks.get(block_no)
        if block is None or offset >= len(block):
            ids = list(self._ids[block_no * BLOCK:(block_no + 1) * BLOCK])
            try:
                fetched = {r[0]: r for r in (self._rows_fn or (lambda _i: []))(ids)}
            except AppError as exc:
                self.failed.emit(exc)
                fetched = {}
            block = [fetched.get(i, (i, 0, ())) for i in ids]
            self._blocks[block_no] = block
            while len(self._blocks) > MAX_BLOCKS:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(block_no)
        return block[offset] if offset < len(block) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.UserRole,
                        Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ToolTipRole):
            return None
        kind = self.kinds[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if kind in ("int", "money", "percent", "decimal"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        row = self._row(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.UserRole:
            return row[1] or None
        values = row[2]
        if index.column() >= len(values):
            return ""
        text = cell_text(values[index.column()], kind)
        return text if role == Qt.ItemDataRole.DisplayRole or len(text) > 30 else None

    def row_values(self, row: int) -> tuple[Any, ...]:
        found = self._row(row)
        return found[2] if found else ()


# ------------------------------------------------------------------------ export


class ExportButtons(QWidget):
    """"Cetak PDF…", "Ekspor XLSX…", "Ekspor CSV…". ``make(fmt)`` runs on the GUI thread
    (it reads the filters; a bad one raises :class:`AppError`, shown by ``on_refused``) and
    returns the job ``job(path)`` that writes the file off the GUI thread, with a busy
    dialog (``fmt`` "pdf", "xlsx" or "csv")."""

    exported = Signal(str)

    def __init__(self, make: Callable[[str], Callable[[Path], Any]],
                 file_stem: Callable[[], str], parent: QWidget | None = None,
                 on_refused: Callable[[AppError], None] | None = None) -> None:
        super().__init__(parent)
        self._make = make
        self._stem = file_stem
        self._refused = on_refused
        self.pdf_button = QPushButton(self.tr("Cetak PDF…"))
        self.xlsx_button = QPushButton(self.tr("Ekspor XLSX…"))
        self.csv_button = QPushButton(self.tr("Ekspor CSV…"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for fmt, button in (("pdf", self.pdf_button), ("xlsx", self.xlsx_button),
                            ("csv", self.csv_button)):
            layout.addWidget(button)
            button.clicked.connect(lambda _c=False, f=fmt: self.ask(f))
        self.busy: QProgressDialog | None = None
        self.last_error: Exception | None = None

    def _job(self, fmt: str) -> Callable[[Path], Any] | None:
        try:
            return self._make(fmt)
        except AppError as exc:
            if self._refused is not None:
                self._refused(exc)
            else:
                show_failure(self, self.tr("Ekspor tidak berhasil"), exc)
            return None

    def ask(self, fmt: str) -> None:
        if self._job(fmt) is None:
            return
        filters = {"pdf": self.tr("Berkas PDF (*.pdf)"), "xlsx": self.tr("Buku kerja Excel (*.xlsx)"),
                   "csv": self.tr("Teks CSV (*.csv)")}

        path = save_file_name(self, self.tr("Simpan"), f"{self._stem()}.{fmt}",
                              filters[fmt])
        if path:
            if not path.lower().endswith(f".{fmt}"):
                path += f".{fmt}"
            self.export(fmt, Path(path))

    def export(self, fmt: str, path: Path) -> None:
        """Write ``path`` off the GUI thread; ``exported(path)`` or a message when done."""
        job = self._job(fmt)
        if job is None:
            return
        self.busy = QProgressDialog(self.tr("Menyiapkan {f}…").format(f=fmt.upper()), "", 0, 0,
                                    self)
        self.busy.setCancelButton(None)
        self.busy.setWindowModality(Qt.WindowModality.WindowModal)
        self.busy.setMinimumDuration(300)
        self.last_error = None
        self.setEnabled(False)

        def done(_result: Any) -> None:
            if not alive(self):
                return
            self._finish()
            self.exported.emit(str(path))

        def failed(exc: Exception) -> None:
            if not alive(self):
                log.warning("export failed after its window closed: %r", exc)
                return
            self._finish()
            self.last_error = exc
            show_failure(self, self.tr("Ekspor tidak berhasil"), exc)

        run_task(lambda: job(path), done, failed)

    def _finish(self) -> None:
        self.setEnabled(True)
        if self.busy is not None:
            self.busy.reset()
            self.busy.deleteLater()
            self.busy = None
