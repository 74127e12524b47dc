"""One date edit for every form and filter, usable from the keyboard.

- typed as ``ddmmyyyy`` with or without separators (``12081995``, ``12/08/1995``,
  ``12-8-1995``, ``12.08.1995``); the month is a number;
- may be empty (shown as "—") where the field is optional; typing a digit into an empty
  date starts a date instead of producing "—1";
- F4 or Alt+Down opens the calendar (arrows move, Enter picks, Esc closes);
- Tab and Shift+Tab always move to the next/previous field: the day, month and year are
  reached with the arrow keys or by typing, never by Tab (Qt's date edit keeps Tab inside
  its sections, and kept it forever on an empty date).
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, QLocale, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QCalendarWidget, QDateEdit, QStyle, QStyleOptionComboBox, QWidget

__all__ = ["DISPLAY_FORMAT", "DateInput"]

DISPLAY_FORMAT = "dd/MM/yyyy"
_LOCALE = QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)
_SEPARATOR_KEYS = {Qt.Key.Key_Minus, Qt.Key.Key_Period, Qt.Key.Key_Space, Qt.Key.Key_Comma,
                   Qt.Key.Key_Backslash}


class DateInput(QDateEdit):
    """A keyboard-friendly date edit; ``empty_date`` (the minimum) stands for "no date"."""

    def __init__(self, parent: QWidget | None = None, *, empty_date: QDate | None = None,
                 maximum: QDate | None = None) -> None:
        super().__init__(parent)
        self.empty_date = empty_date
        self._advanced = False  # the last digit filled a section and moved to the next
        self.setLocale(_LOCALE)
        self.setDisplayFormat(DISPLAY_FORMAT)
        self.setCalendarPopup(True)
        calendar = QCalendarWidget()
        calendar.setLocale(_LOCALE)
        calendar.setGridVisible(True)
        self.setCalendarWidget(calendar)
        self.setMaximumDate(maximum or QDate(2100, 12, 31))
        if empty_date is not None:
            self.setMinimumDate(empty_date)
            self.setSpecialValueText("—")
            self.setDate(empty_date)
        self.setToolTip(self.tr("Ketik tanggal sebagai hhbbtttt (mis. 12081995); "
                                "F4 atau Alt+Panah Bawah membuka kalender."))

    def is_empty(self) -> bool:
        return self.empty_date is not None and self.date() == self.empty_date

    # -- keyboard
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            mods = event.modifiers()
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not mods & (
                    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
                self.interpretText()
                forward = key == Qt.Key.Key_Tab and not mods & Qt.KeyboardModifier.ShiftModifier
                QWidget.focusNextPrevChild(self, forward)
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if key == Qt.Key.Key_F4 or (alt and key == Qt.Key.Key_Down):
            self.open_calendar()
            return
        if self.isReadOnly():
            super().keyPressEvent(event)
            return
        text = event.text()
        if key in _SEPARATOR_KEYS or key == Qt.Key.Key_Slash:
            if self._advanced:  # "01" already moved on to the month: the "/" is typed too
                self._advanced = False
                return
            if key != Qt.Key.Key_Slash:
                event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Slash, event.modifiers(), "/")
            super().keyPressEvent(event)
            return
        self._advanced = False
        if self.is_empty() and text.isdigit():
            self.setDate(QDate.currentDate())  # each typed section replaces this
            self.setSelectedSection(QDateEdit.Section.DaySection)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.empty_date is not None \
                and self.lineEdit().selectedText() == self.text():
            self.setDate(self.empty_date)  # everything selected and deleted: no date
            return
        section = self.currentSection()
        super().keyPressEvent(event)
        self._advanced = text.isdigit() and self.currentSection() != section

    def open_calendar(self) -> None:
        """Show the calendar popup (what a click on the arrow does), focused for the keys."""
        if self.isReadOnly():
            return
        calendar = self.calendarWidget()
        start = QDate.currentDate() if self.is_empty() else self.date()
        calendar.setCurrentPage(start.year(), start.month())
        if not self.is_empty():
            calendar.setSelectedDate(start)
        option = QStyleOptionComboBox()
        option.initFrom(self)
        option.subControls = QStyle.SubControl.SC_All
        arrow = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                            QStyle.SubControl.SC_ComboBoxArrow, self)
        point = QPointF(arrow.center() if arrow.isValid() else
                        QPoint(self.width() - 8, self.height() // 2))
        for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            event = QMouseEvent(kind, point, self.mapToGlobal(point), Qt.MouseButton.LeftButton,
                                Qt.MouseButton.LeftButton if kind == QEvent.Type.MouseButtonPress
                                else Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
            if kind == QEvent.Type.MouseButtonPress:
                self.mousePressEvent(event)
        if calendar.isVisible():
            calendar.setFocus()
            if self.is_empty():
                calendar.setSelectedDate(QDate.currentDate())
