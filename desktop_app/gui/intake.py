"""The intake form of an SOP (isian pendaftaran) and the dialog that registers a new case.

:class:`IntakeForm` is built from the SOP's ``fields`` (grouped by ``group``): text, long text,
NIK (checked as it is typed, with "Isi dari NIK" to fill birth date and sex), dates (calendar
popup, may stay empty), choices, money in rupiah with thousands separators, whole numbers,
phone, e-mail, and lists (a small editable table). It shows each service error at its field
(red border and the message under it) and never loses what was typed. The case detail dialog
reuses it read-only and in its "Ubah" mode.

:class:`IntakeDialog` adds the requirements checklist with scanned copies, the AK/I pas foto,
and saves through ``cases.register_case``.
"""

from __future__ import annotations

import contextlib
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import cases
from desktop_app.core.errors import AppError, PermissionDenied, ValidationError
from desktop_app.core.formatting import tanggal
from desktop_app.core.nik import NikError, NikInfo, kecamatan_name, normalize_nik, parse_nik
from desktop_app.core.sop import IntakeField, Sop
from desktop_app.gui import photo
from desktop_app.gui.context import AppContext
from desktop_app.gui.date_input import DateInput
from desktop_app.gui.files import file_problem, open_file_name
from desktop_app.gui.keyboard import only_default, save_shortcuts
from desktop_app.gui.screen_fit import fit_to_screen

__all__ = ["DateField", "IntakeDialog", "IntakeForm", "ListField", "MoneyEdit", "NikField"]


class _ClickLabel(QLabel):
    """A label that reports a left click (it ticks the checkbox it stands for)."""

    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)

INVALID_STYLE = """
*[invalid="true"] { border: 1px solid #c62828; background: #fff4f4; }
QLabel[role="error"] { color: #c62828; }
QLabel[role="info"] { color: #37474f; }
QLabel[role="help"] { color: #546e7a; }
"""
_EMPTY_DATE = QDate(1899, 12, 31)  # the QDateEdit minimum stands for "no date"
_SEX_LABELS = {"L": "L (Laki-laki)", "P": "P (Perempuan)"}
_LIST_KEY = re.compile(r"^(?P<name>[^\[]+)\[(?P<row>\d+)\]\.(?P<col>.+)$")
_ID_LOCALE = QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Mark ``widget`` with the red-border style (or clear it)."""
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


def _label(role: str, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setProperty("role", role)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setVisible(bool(text))
    return label


# ------------------------------------------------------------------------ field editors


class _EmptyCalendarPage(QObject):
    """When the calendar pops up on an empty date, show this month instead of 1899."""

    def __init__(self, field: DateField) -> None:
        super().__init__(field)
        self._field = field

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Show and self._field.value() is None:
            today = QDate.currentDate()
            cal = self._field.edit.calendarWidget()
            cal.setCurrentPage(today.year(), today.month())
        return False


class DateField(QWidget):
    """A date with a calendar popup that may be left empty (the "×" button clears it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Typed as ddmmyyyy, F4 opens the calendar, Tab never stays inside (date_input.py).
        self.edit = DateInput(empty_date=_EMPTY_DATE)
        self.edit.calendarWidget().installEventFilter(_EmptyCalendarPage(self))
        self.edit.setMinimumWidth(130)
        self.clear_button = QToolButton()
        self.clear_button.setText("×")
        self.clear_button.setToolTip(self.tr("Kosongkan tanggal"))
        self.clear_button.clicked.connect(self.clear)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.edit)
        lay.addWidget(self.clear_button)
        lay.addStretch(1)
        self.setFocusProxy(self.edit)

    def value(self) -> str | None:
        d = self.edit.date()
        return None if d == _EMPTY_DATE else d.toString("yyyy-MM-dd")

    def set_value(self, value: str | date | None) -> None:
        if not value:
            self.clear()
            return
        d = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        self.edit.setDate(QDate(d.year, d.month, d.day))

    def clear(self) -> None:
        self.edit.setDate(_EMPTY_DATE)

    def set_read_only(self, ro: bool) -> None:
        self.edit.setReadOnly(ro)
        self.edit.setCalendarPopup(not ro)
        self.edit.setButtonSymbols(QDateEdit.ButtonSymbols.NoButtons if ro
                                   else QDateEdit.ButtonSymbols.UpDownArrows)
        self.clear_button.setVisible(not ro)


class MoneyEdit(QLineEdit):
    """Rupiah typed as digits and shown with thousands separators ("1.250.000")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setPlaceholderText("0")
        self.textEdited.connect(self._reformat)

    @staticmethod
    def format(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    def _reformat(self, text: str) -> None:
        digits = re.sub(r"\D", "", text)
        pos_from_end = len(text) - self.cursorPosition()
        new = self.format(int(digits)) if digits else ""
        self.setText(new)
        self.setCursorPosition(max(0, len(new) - pos_from_end))

    def value(self) -> int | str | None:
        digits = re.sub(r"\D", "", self.text())
        return int(digits) if digits else None

    def set_value(self, value: Any) -> None:
        if value in (None, ""):
            self.setText("")
        elif isinstance(value, int) and not isinstance(value, bool):
            self.setText(self.format(value))
        else:
            self.setText(str(value))


class NikField(QWidget):
    """A NIK line edit that reads the number as it is typed and offers to fill the form."""

    def __init__(self, today: Callable[[], date], can_fill: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self._can_fill = can_fill
        self._info: NikInfo | None = None
        self.edit = QLineEdit()
        self.edit.setMaxLength(22)  # 16 digits, with the spaces or dots people type
        self.edit.setPlaceholderText(self.tr("16 digit"))
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("0" * 22) + 16)
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("0" * 26) + 16)
        self.fill_button = QPushButton(self.tr("Isi dari NIK"))
        self.fill_button.setToolTip(self.tr("Isi tanggal lahir dan jenis kelamin dari NIK"))
        self.fill_button.setVisible(False)
        self.info_label = _label("info")
        self.problem_label = _label("error")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addWidget(self.fill_button)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(row)
        lay.addWidget(self.info_label)
        lay.addWidget(self.problem_label)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._check)

    @property
    def info(self) -> NikInfo | None:
        return self._info

    def value(self) -> str | None:
        text = self.edit.text().strip()
        return text or None

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def set_read_only(self, ro: bool) -> None:
        self.edit.setReadOnly(ro)
        self.fill_button.setVisible(not ro and self._can_fill and self._info is not None)

    def _check(self, text: str) -> None:
        digits = normalize_nik(text)
        self._info = None
        problem = ""
        info = ""
        if digits and not digits.isdigit():
            problem = self.tr("NIK hanya berisi angka.")
        elif len(digits) > 16:
            problem = self.tr("NIK harus 16 digit angka ({n} digit).").format(n=len(digits))
        elif len(digits) == 16:
            try:
                self._info = parse_nik(digits, self._today())
            except NikError as exc:
                problem = str(exc)
            else:
                info = self.describe(self._info)
        elif digits:
            info = self.tr("{n}/16 digit").format(n=len(digits))
        self.info_label.setText(info)
        self.info_label.setVisible(bool(info))
        self.problem_label.setText(problem)
        self.problem_label.setVisible(bool(problem))
        set_invalid(self.edit, bool(problem))
        self.fill_button.setVisible(self._can_fill and self._info is not None
                                    and not self.edit.isReadOnly())

    def describe(self, info: NikInfo) -> str:
        sex = self.tr("Laki-laki") if info.sex == "L" else self.tr("Perempuan")
        kec = kecamatan_name(info)
        if kec:
            where = self.tr("Kec. {kec}, Kota Pagar Alam").format(kec=kec)
        elif info.is_pagar_alam:
            where = self.tr("Kota Pagar Alam (kecamatan {code})").format(code=info.region_code)
        else:
            where = self.tr("wilayah {code} (di luar Kota Pagar Alam)").format(
                code=info.region_code)
        return self.tr("Menurut NIK: {sex}, lahir {date} · {where}").format(
            sex=sex, date=tanggal(info.birth_date), where=where)


class _CellWidgetKeys(QObject):
    """A choice inside a list table (F2 or a key on its cell focuses it) hands the focus back:
    Enter or Esc return to the table, Tab leaves the table as the table's own Tab does (the
    cell widgets sit at the end of the dialog's focus chain, so Tab got lost there)."""

    def __init__(self, table: QTableWidget) -> None:
        super().__init__(table)
        self._table = table

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape) \
                and not (isinstance(obj, QComboBox) and obj.view().isVisible()):
            self._table.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not mods & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            self._table.setFocus(Qt.FocusReason.TabFocusReason)
            if key == Qt.Key.Key_Tab and not mods & Qt.KeyboardModifier.ShiftModifier:
                QWidget.focusNextPrevChild(self._table, True)
            return True
        return False


class ListField(QWidget):
    """Rows of a list field (e.g. participants) in a small editable table."""

    def __init__(self, field: IntakeField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.table = QTableWidget(0, len(field.columns))
        self.table.setHorizontalHeaderLabels(
            [c.label + (" *" if c.required else "") for c in field.columns])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(130)
        self.add_button = QPushButton(self.tr("Tambah baris"))
        self.remove_button = QPushButton(self.tr("Hapus baris"))
        self.add_button.clicked.connect(self._add_empty_row)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        lay.addLayout(buttons)
        self.setFocusProxy(self.table)
        self._cell_keys = _CellWidgetKeys(self.table)

    def add_row(self, values: dict[str, Any] | None = None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for c, col in enumerate(self.field.columns):
            value = (values or {}).get(col.name)
            if col.type == "choice":
                combo = QComboBox()
                combo.addItem("", None)
                for choice in col.choices:
                    combo.addItem(_SEX_LABELS.get(choice, choice) if col.name == "jenis_kelamin"
                                  else choice, choice)
                i = combo.findData(value)
                combo.setCurrentIndex(max(0, i))
                combo.installEventFilter(self._cell_keys)  # F2 in, Enter/Esc/Tab back out
                self.table.setCellWidget(row, c, combo)
            else:
                text = "" if value is None else str(value)
                if col.type == "date" and value:
                    with contextlib.suppress(ValueError):
                        text = date.fromisoformat(str(value)).strftime("%d-%m-%Y")
                item = QTableWidgetItem(text)
                if col.type == "date":
                    item.setToolTip(self.tr("Tanggal, contoh 28-11-2026"))
                self.table.setItem(row, c, item)
        return row

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for r in rows:
            self.table.removeRow(r)

    def _add_empty_row(self) -> None:
        self.add_row()

    def value(self) -> list[dict[str, Any]]:
        rows = []
        for r in range(self.table.rowCount()):
            row: dict[str, Any] = {}
            for c, col in enumerate(self.field.columns):
                widget = self.table.cellWidget(r, c)
                if isinstance(widget, QComboBox):
                    row[col.name] = widget.currentData()
                else:
                    item = self.table.item(r, c)
                    text = item.text().strip() if item else ""
                    row[col.name] = text or None
            if any(v not in (None, "") for v in row.values()):
                rows.append(row)
        return rows

    def set_value(self, rows: Any) -> None:
        self.table.setRowCount(0)
        for row in rows or []:
            self.add_row(row if isinstance(row, dict) else {})

    def set_read_only(self, ro: bool) -> None:
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if ro else
                                   QAbstractItemView.EditTrigger.AllEditTriggers)
        for r in range(self.table.rowCount()):
            for c in range(self.table.columnCount()):
                w = self.table.cellWidget(r, c)
                if w is not None:
                    w.setEnabled(not ro)
        self.add_button.setVisible(not ro)
        self.remove_button.setVisible(not ro)

    def mark_cell(self, row: int, col_name: str, message: str) -> None:
        c = next((i for i, col in enumerate(self.field.columns) if col.name == col_name), None)
        if c is None or row >= self.table.rowCount():
            return
        item = self.table.item(row, c)
        if item is None:
            item = QTableWidgetItem("")
            self.table.setItem(row, c, item)
        item.setBackground(QColor("#ffcdd2"))
        item.setToolTip(message)

    def clear_marks(self) -> None:
        for r in range(self.table.rowCount()):
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                if item is not None and item.toolTip() and item.background().color() == \
                        QColor("#ffcdd2"):
                    item.setBackground(QColor(Qt.GlobalColor.transparent))
                    item.setToolTip("")


# ------------------------------------------------------------------------ the form


@dataclass
class _Row:
    field: IntakeField
    editor: QWidget  # the widget that takes the red border
    holder: QWidget  # what get/set talk to
    error: QLabel
    label: QLabel


class IntakeForm(QWidget):
    """The SOP's intake fields, grouped; values in and out as the services expect them."""

    def __init__(self, sop: Sop, today: Callable[[], date] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sop = sop
        self._today = today or date.today
        self._rows: dict[str, _Row] = {}
        self._read_only = False
        self.setStyleSheet(INVALID_STYLE)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        groups: dict[str, QFormLayout] = {}
        names = {f.name for f in sop.fields}
        can_fill = "tanggal_lahir" in names or "jenis_kelamin" in names
        for f in sop.fields:
            group = f.group or self.tr("Data")
            form = groups.get(group)
            if form is None:
                box = QGroupBox(group)
                form = QFormLayout(box)
                form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
                form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                groups[group] = form
                lay.addWidget(box)
            holder, editor = self._make_editor(f, can_fill)
            error = _label("error")
            cell = QWidget()
            v = QVBoxLayout(cell)
            v.setContentsMargins(0, 0, 0, 0)
            v.setSpacing(2)
            v.addWidget(holder)
            if f.help:
                v.addWidget(_label("help", f.help))
            v.addWidget(error)
            label = QLabel(f.label + (" *" if f.required else ""))
            label.setBuddy(editor)
            if f.help:
                label.setToolTip(f.help)
            form.addRow(label, cell)
            self._rows[f.name] = _Row(f, editor, holder, error, label)
            self._clear_error_on_change(f.name, holder)
            if f.default is not None:
                self._set(f.name, f.default)
        lay.addStretch(1)
        # one label column width for every group, so the fields line up
        width = max((r.label.sizeHint().width() for r in self._rows.values()), default=0)
        for r in self._rows.values():
            r.label.setMinimumWidth(min(width, 260))
            r.label.setWordWrap(width > 260)

    def _clear_error_on_change(self, name: str, holder: QWidget) -> None:
        """A red message goes as soon as its field is changed (not at the next save)."""
        def changed(*_args: object) -> None:
            if self._rows[name].error.text():
                self._clear_error(name)

        widgets = [holder, *holder.findChildren(QWidget)]
        for w in widgets:
            if isinstance(w, QLineEdit):
                w.textEdited.connect(changed)
            elif isinstance(w, QPlainTextEdit):
                w.textChanged.connect(changed)
            elif isinstance(w, QComboBox):
                w.activated.connect(changed)
            elif isinstance(w, QDateEdit):
                w.dateChanged.connect(changed)
            elif isinstance(w, QTableWidget):
                w.itemChanged.connect(changed)

    # -- building
    def _make_editor(self, f: IntakeField, can_fill: bool) -> tuple[QWidget, QWidget]:
        t = f.type
        if t == "nik":
            w = NikField(self._today, can_fill)
            w.fill_button.clicked.connect(self._fill_clicked)
            return w, w.edit
        if t == "textarea":
            e = QPlainTextEdit()
            e.setTabChangesFocus(True)
            e.setFixedHeight(64 if (f.max_length or 4000) <= 300 else 92)
            return e, e
        if t == "date":
            d = DateField()
            return d, d.edit
        if t == "choice":
            c = QComboBox()
            c.addItem(self.tr("— pilih —"), None)
            for choice in f.choices:
                c.addItem(_SEX_LABELS.get(choice, choice) if f.name == "jenis_kelamin" else choice,
                          choice)
            c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            c.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            return c, c
        if t == "money":
            m = MoneyEdit()
            m.setMaximumWidth(240)
            box = QWidget()
            h = QHBoxLayout(box)
            h.setContentsMargins(0, 0, 0, 0)
            h.addWidget(QLabel("Rp"))
            h.addWidget(m)
            h.addStretch(1)
            box.setFocusProxy(m)
            return box, m
        if t == "list":
            lst = ListField(f)
            return lst, lst.table
        e = QLineEdit()
        if f.max_length:
            e.setMaxLength(max(f.max_length, 1) + 50)  # too long is reported, not cut off
        if t == "integer":
            e.setMaximumWidth(140)
            e.setAlignment(Qt.AlignmentFlag.AlignRight)
        elif t == "phone":
            e.setPlaceholderText("08…")
            e.setMaximumWidth(240)
        elif t == "email":
            e.setPlaceholderText("nama@contoh.id")
        return e, e

    # -- values
    def field_names(self) -> list[str]:
        return list(self._rows)

    def editor(self, name: str) -> QWidget:
        """The input widget of field ``name`` (the one that shows the red border)."""
        return self._rows[name].editor

    def holder(self, name: str) -> QWidget:
        """The widget that holds the value (NikField, DateField, ListField, or the editor)."""
        row = self._rows[name]
        if isinstance(row.holder, QWidget) and row.field.type == "money":
            return row.editor
        return row.holder

    def value(self, name: str) -> Any:
        row = self._rows[name]
        w = self.holder(name)
        t = row.field.type
        if t == "textarea":
            assert isinstance(w, QPlainTextEdit)
            return w.toPlainText().strip() or None
        if t == "choice":
            assert isinstance(w, QComboBox)
            return w.currentData()
        if t in ("nik", "date", "money", "list"):
            return w.value()  # type: ignore[attr-defined]
        assert isinstance(w, QLineEdit)
        text = w.text().strip()
        if t == "integer" and text:
            digits = text.replace(".", "")
            return int(digits) if digits.isdigit() else text
        return text or None

    def values(self) -> dict[str, Any]:
        """Every field's value: ``None`` when empty, ISO text for dates, int for numbers."""
        return {name: self.value(name) for name in self._rows}

    def _set(self, name: str, value: Any) -> None:
        row = self._rows[name]
        w = self.holder(name)
        t = row.field.type
        if t == "textarea":
            assert isinstance(w, QPlainTextEdit)
            w.setPlainText("" if value is None else str(value))
        elif t == "choice":
            assert isinstance(w, QComboBox)
            i = w.findData(value)
            if i < 0 and value not in (None, ""):
                w.addItem(str(value), value)  # an old value no longer among the choices
                i = w.count() - 1
            w.setCurrentIndex(max(0, i))
        elif t in ("nik", "date", "money", "list"):
            w.set_value(value)  # type: ignore[attr-defined]
        else:
            assert isinstance(w, QLineEdit)
            w.setText("" if value is None else str(value))

    def set_values(self, data: dict[str, Any]) -> None:
        for name in self._rows:
            if name in data:
                self._set(name, data[name])
        self.set_read_only(self._read_only)

    def set_value(self, name: str, value: Any) -> None:
        self._set(name, value)

    # -- NIK
    def _fill_clicked(self, _checked: bool = False) -> None:
        self.fill_from_nik()

    def nik_info(self) -> NikInfo | None:
        row = next((r for r in self._rows.values() if r.field.type == "nik"), None)
        return row.holder.info if row is not None else None  # type: ignore[attr-defined]

    def fill_from_nik(self) -> bool:
        """Fill tanggal_lahir and jenis_kelamin from a valid NIK; False if there is none."""
        info = self.nik_info()
        if info is None:
            return False
        if "tanggal_lahir" in self._rows:
            self._set("tanggal_lahir", info.birth_date)
            self._clear_error("tanggal_lahir")
        if "jenis_kelamin" in self._rows:
            self._set("jenis_kelamin", info.sex)
            self._clear_error("jenis_kelamin")
        return True

    # -- errors
    def clear_errors(self) -> None:
        for name in self._rows:
            self._clear_error(name)

    def _clear_error(self, name: str) -> None:
        row = self._rows[name]
        row.error.setText("")
        row.error.setVisible(False)
        set_invalid(row.editor, False)
        if isinstance(row.holder, ListField):
            row.holder.clear_marks()

    def set_errors(self, errors: dict[str, str]) -> dict[str, str]:
        """Show each message at its field; returns the messages that have no field here."""
        self.clear_errors()
        rest: dict[str, str] = {}
        list_msgs: dict[str, list[str]] = {}
        for key, msg in errors.items():
            m = _LIST_KEY.match(key)
            if m and m.group("name") in self._rows:
                row = self._rows[m.group("name")]
                r = int(m.group("row"))
                col = next((c for c in row.field.columns if c.name == m.group("col")), None)
                assert isinstance(row.holder, ListField)
                row.holder.mark_cell(r, m.group("col"), msg)
                list_msgs.setdefault(row.field.name, []).append(
                    self.tr("Baris {n}, {col}: {msg}").format(
                        n=r + 1, col=col.label if col else m.group("col"), msg=msg))
                continue
            if key in self._rows:
                row = self._rows[key]
                row.error.setText(msg)
                row.error.setVisible(True)
                set_invalid(row.editor, True)
            else:
                rest[key] = msg
        for name, msgs in list_msgs.items():
            row = self._rows[name]
            row.error.setText("\n".join(msgs[:6] + (["…"] if len(msgs) > 6 else [])))
            row.error.setVisible(True)
            set_invalid(row.editor, True)
        return rest

    def error_text(self, name: str) -> str:
        return self._rows[name].error.text()

    def first_error_widget(self) -> QWidget | None:
        for row in self._rows.values():
            if row.error.isVisibleTo(self) or row.error.text():
                return row.holder
        return None

    def set_read_only(self, ro: bool) -> None:
        self._read_only = ro
        for name, _row in self._rows.items():
            w = self.holder(name)
            if isinstance(w, (NikField, DateField, ListField)):
                w.set_read_only(ro)
            elif isinstance(w, (QLineEdit, QPlainTextEdit)):
                w.setReadOnly(ro)
            elif isinstance(w, QComboBox):
                w.setEnabled(not ro)

    @property
    def read_only(self) -> bool:
        return self._read_only


# ------------------------------------------------------------------------ the dialog


@dataclass
class _Scan:
    filename: str
    content: bytes
    mime_type: str


def read_scan(path: str) -> _Scan:
    """Read a scanned file (JPG/PNG/PDF) for ``cases.add_attachment``."""
    p = Path(path)
    mime = mimetypes.guess_type(p.name)[0] or "application/octet-stream"
    if p.suffix.lower() in (".jpg", ".jpeg"):
        mime = "image/jpeg"
    return _Scan(p.name, p.read_bytes(), mime)


SCAN_FILTER = "Pindaian (*.jpg *.jpeg *.png *.pdf)"


class IntakeDialog(QDialog):
    """Register a new case of ``sop``: form, checklist, scans, pas foto → ``register_case``.

    On success ``created_case_id`` holds the new case's id and the dialog is accepted; on a
    validation error every message is shown at its field and the dialog stays open.
    """

    def __init__(self, ctx: AppContext, sop: Sop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sop = sop
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)  # freed when closed
        self.created_case_id: int | None = None
        self.photo_jpeg: bytes | None = None
        self.scans: dict[str, _Scan] = {}
        self.attachment_warnings: list[str] = []
        self.setWindowTitle(self.tr("Pendaftaran Berkas Baru — {name}").format(name=sop.name))
        self.setStyleSheet(INVALID_STYLE)

        title = QLabel(f"<b>{sop.flow_title}</b><br><span style='color:#546e7a'>"
                       f"{self.tr('SOP')} {sop.number}</span>")
        title.setWordWrap(True)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background:#ffebee; color:#b71c1c; border:1px solid #ef9a9a;"
                                  " border-radius:4px; padding:6px;")
        self.banner.setVisible(False)

        self.form = IntakeForm(sop, today=lambda: ctx.db.now().date())
        from desktop_app.gui.reports.card_check import attach_lookups

        self.lookups = attach_lookups(ctx, self.form)  # e.g. the passport's AK/I card
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        il = QVBoxLayout(inner)
        il.setContentsMargins(0, 0, 8, 0)
        il.addWidget(self.form)
        self.scroll.setWidget(inner)

        side = QVBoxLayout()
        if any(r.code.startswith("pas_foto") for r in sop.requirements):
            side.addWidget(self._photo_box())
        side.addWidget(self._requirements_box())
        note_box = QGroupBox(self.tr("Catatan penerimaan"))
        nl = QVBoxLayout(note_box)
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(60)
        self.note.setPlaceholderText(self.tr("Opsional"))
        self.note_error = _label("error")
        nl.addWidget(self.note)
        nl.addWidget(self.note_error)
        side.addWidget(note_box)
        side.addStretch(1)
        side_w = QWidget()
        side_w.setLayout(side)
        # The side panel scrolls by itself on a short screen (1366x768 at 125 %).
        self.side_scroll = QScrollArea()
        self.side_scroll.setWidgetResizable(True)
        self.side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.side_scroll.setWidget(side_w)
        self.side_scroll.setFixedWidth(370 + self.side_scroll.verticalScrollBar().sizeHint().width())

        body = QHBoxLayout()
        body.addWidget(self.scroll, 1)
        body.addWidget(self.side_scroll)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(self.tr("&Simpan dan Daftarkan"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(self.tr("&Batal"),
                                                    QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setToolTip(self.tr("Enter, Ctrl+S atau Alt+S"))
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(self.banner)
        lay.addLayout(body, 1)
        lay.addWidget(self.buttons)
        fit_to_screen(self, QSize(1180, 760))
        # Keyboard: Enter and Ctrl+S save, the first field has the focus, Esc asks first.
        only_default(self, self.save_button)
        save_shortcuts(self, self.save)
        first = self.form.holder(self.form.field_names()[0]) if self.form.field_names() else None
        if first is not None:
            first.setFocus()
        self._initial = self._snapshot()

    def _snapshot(self) -> tuple[Any, ...]:
        return (self.form.values(), self.requirements(), self.note.toPlainText(),
                self.photo_jpeg, tuple(self.scans))

    def has_changes(self) -> bool:
        return self._snapshot() != self._initial

    def reject(self) -> None:
        """Esc / Batal: a form with anything typed in asks before it is thrown away."""
        if self.created_case_id is None and self.has_changes():
            answer = QMessageBox.question(
                self, self.tr("Batalkan pendaftaran?"),
                self.tr("Isian formulir belum disimpan dan akan hilang. Tutup formulir?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()

    # -- side panel
    def _photo_box(self) -> QGroupBox:
        card = any(d.code == "kartu_ak1" for d in self.sop.documents)
        box = QGroupBox(self.tr("Pas Foto 3×4 (untuk kartu)") if card
                        else self.tr("Pas Foto 3×4"))
        self.photo_label = QLabel(self.tr("Belum ada foto"))
        self.photo_label.setFixedSize(96, 128)
        self.photo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_label.setWordWrap(True)
        self.photo_label.setStyleSheet("border:1px dashed #90a4ae; color:#546e7a;")
        self.photo_button = QPushButton(self.tr("Impor foto…"))
        self.photo_button.clicked.connect(self.import_photo)
        self.photo_clear = QPushButton(self.tr("Hapus foto"))
        self.photo_clear.clicked.connect(self._clear_photo)
        self.photo_clear.setEnabled(False)
        self.photo_info = _label("help", self.tr("Dipotong 3×4, JPEG maks. 300 KB."))
        col = QVBoxLayout()
        col.addWidget(self.photo_button)
        col.addWidget(self.photo_clear)
        col.addWidget(self.photo_info)
        col.addStretch(1)
        h = QHBoxLayout(box)
        h.addWidget(self.photo_label)
        h.addLayout(col, 1)
        return box

    def _requirements_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Kelengkapan Persyaratan"))
        v = QVBoxLayout(box)
        hint = _label("help", self.tr("Centang yang diserahkan. Berkas boleh didaftarkan "
                                      "walau belum lengkap; semua yang wajib harus lengkap "
                                      "sebelum dinyatakan lengkap."))
        v.addWidget(hint)
        self.requirement_boxes: dict[str, QCheckBox] = {}
        self.requirement_labels: dict[str, QLabel] = {}
        self.scan_labels: dict[str, QLabel] = {}
        for req in self.sop.requirements:
            text = req.label + (f" ({req.quantity})" if req.quantity else "")
            if not req.required:
                text += " — " + self.tr("opsional")
            # A QCheckBox cannot wrap its text: the box stands alone and the whole
            # requirement is a wrapped label beside it (a click on the label ticks the box).
            cb = QCheckBox()
            cb.setAccessibleName(text)
            cb.setToolTip(text)
            name = _ClickLabel(text)
            name.setWordWrap(True)
            name.setBuddy(cb)
            name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            name.clicked.connect(cb.toggle)
            scan = QToolButton()
            scan.setText(self.tr("Pindai…"))
            scan.setToolTip(self.tr("Lampirkan hasil pindaian (JPG/PNG/PDF)"))
            scan.clicked.connect(lambda _c=False, code=req.code: self.attach_scan(code))
            row = QHBoxLayout()
            row.addWidget(cb, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(name, 1)
            row.addWidget(scan, 0, Qt.AlignmentFlag.AlignTop)
            v.addLayout(row)
            self.requirement_labels[req.code] = name
            label = _label("help")
            v.addWidget(label)
            self.requirement_boxes[req.code] = cb
            self.scan_labels[req.code] = label
        self.requirements_error = _label("error")
        v.addWidget(self.requirements_error)
        return box

    def requirements(self) -> dict[str, bool]:
        return {code: cb.isChecked() for code, cb in self.requirement_boxes.items()}

    def import_photo(self) -> bool:
        result = photo.choose_photo(self)
        if result is None:
            return False
        jpeg, image = result
        self.photo_jpeg = jpeg
        self.photo_label.setPixmap(QPixmap.fromImage(image).scaled(
            self.photo_label.size(), Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))
        self.photo_info.setText(self.tr("{w}×{h} piksel, {kb} KB").format(
            w=image.width(), h=image.height(), kb=max(1, round(len(jpeg) / 1024))))
        self.photo_clear.setEnabled(True)
        # The 3x4 photo brought in counts as the requirement (AK/I: "Pas Photo 3x4").
        for code, box in self.requirement_boxes.items():
            text = self.requirement_labels[code].text()
            if "3x4" in code.replace("_", "") or "3x4" in text.replace(" ", ""):
                box.setChecked(True)
        return True

    def _clear_photo(self) -> None:
        self.photo_jpeg = None
        self.photo_label.setPixmap(QPixmap())
        self.photo_label.setText(self.tr("Belum ada foto"))
        self.photo_clear.setEnabled(False)

    def attach_scan(self, code: str) -> bool:
        path = open_file_name(self, self.tr("Pilih Hasil Pindaian"), self.tr(SCAN_FILTER))
        if not path:
            return False
        try:
            scan = read_scan(path)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Pindaian"), file_problem(exc, path))
            return False
        if scan.mime_type not in cases.ALLOWED_MIME:
            QMessageBox.warning(self, self.tr("Pindaian"), self.tr("Hanya JPG, PNG atau PDF."))
            return False
        if len(scan.content) > cases.MAX_ATTACHMENT_BYTES:
            QMessageBox.warning(self, self.tr("Pindaian"),
                                self.tr("Berkas terlalu besar (maks. 10 MB)."))
            return False
        self.scans[code] = scan
        self.scan_labels[code].setText(self.tr("Lampiran: {name}").format(name=scan.filename))
        self.scan_labels[code].setVisible(True)
        self.requirement_boxes[code].setChecked(True)
        return True

    # -- saving
    def save(self) -> bool:
        """Register the case; on a validation error show it at the fields and stay open."""
        self.form.clear_errors()
        self.banner.setVisible(False)
        self.requirements_error.setVisible(False)
        self.note_error.setVisible(False)
        try:
            detail = cases.register_case(self.ctx.db, self.ctx.user, self.sop.code,
                                         self.form.values(), self.requirements(),
                                         self.note.toPlainText().strip())
        except ValidationError as exc:
            self._show_errors(exc.errors)
            return False
        except PermissionDenied as exc:
            QMessageBox.warning(self, self.tr("Tidak diizinkan"), exc.message)
            return False
        except AppError as exc:
            QMessageBox.warning(self, self.tr("Gagal menyimpan"), exc.message)
            return False
        self.created_case_id = detail.id
        self._store_attachments(detail.id)
        if self.attachment_warnings:
            QMessageBox.warning(self, self.tr("Lampiran"), self.tr(
                "Berkas {no} sudah terdaftar, tetapi lampiran berikut gagal disimpan:\n{items}"
            ).format(no=detail.register_number, items="\n".join(self.attachment_warnings)))
        self.accept()
        return True

    def _store_attachments(self, case_id: int) -> None:
        jobs: list[tuple[str, str | None, _Scan]] = []
        if self.photo_jpeg:
            jobs.append(("pas_foto", None, _Scan("pas_foto_3x4.jpg", self.photo_jpeg,
                                                 "image/jpeg")))
        for code, scan in self.scans.items():
            jobs.append(("scan", code, scan))
        for kind, code, scan in jobs:
            try:
                cases.add_attachment(self.ctx.db, self.ctx.user, case_id, kind=kind,
                                     filename=scan.filename, content=scan.content,
                                     mime_type=scan.mime_type, requirement_code=code)
            except AppError as exc:
                self.attachment_warnings.append(f"{scan.filename}: {exc.message}")

    def _show_errors(self, errors: dict[str, str]) -> None:
        rest = self.form.set_errors(errors)
        if "persyaratan" in rest:
            self.requirements_error.setText(rest.pop("persyaratan"))
            self.requirements_error.setVisible(True)
        if "catatan" in rest:
            self.note_error.setText(rest.pop("catatan"))
            self.note_error.setVisible(True)
        text = self.tr("Data belum benar. Periksa isian yang ditandai merah ({n}).").format(
            n=len(errors))
        if rest:
            text += "\n" + "\n".join(f"{k}: {v}" for k, v in rest.items())
        self.banner.setText(text)
        self.banner.setVisible(True)
        first = self.form.first_error_widget()
        if first is not None:
            self.scroll.ensureWidgetVisible(first, 40, 60)
            first.setFocus()
