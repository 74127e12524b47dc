"""The common frame of the action dialogs: a notice, the fields, errors at the fields, OK/Batal."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.intake import INVALID_STYLE, set_invalid
from desktop_app.gui.keyboard import give_mnemonics

NOTICE_STYLE = ("background:#fff8e1; color:#5d4037; border:1px solid #ffe082; border-radius:4px;"
                " padding:6px;")


class ActionDialog(QDialog):
    """Base of the action dialogs. Subclasses add fields with :meth:`add_field` and
    implement :meth:`act_kwargs` and (optionally) :meth:`check`."""

    def __init__(self, title: str, ok_text: str, intro: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setStyleSheet(INVALID_STYLE)
        self.setMinimumWidth(520)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.setVisible(False)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.intro.setVisible(bool(intro))
        self.form = QFormLayout()
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self.general_error = QLabel()
        self.general_error.setProperty("role", "error")
        self.general_error.setWordWrap(True)
        self.general_error.setVisible(False)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(self.tr("Batal"),
                                                    QDialogButtonBox.ButtonRole.RejectRole)
        # Alt+letter for both ("&Batal"; the action's first free letter), unique here
        give_mnemonics(self.buttons, [self.ok_button, self.cancel_button])
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # The fields scroll when the screen is short (1366x768 at 125 %); the buttons stay.
        fields = QWidget()
        fields.setLayout(self.form)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.fields_scroll = QScrollArea()
        self.fields_scroll.setWidgetResizable(True)
        self.fields_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.fields_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fields_scroll.setWidget(fields)
        lay = QVBoxLayout(self)
        lay.addWidget(self.notice)
        lay.addWidget(self.intro)
        lay.addWidget(self.fields_scroll, 1)
        lay.addWidget(self.general_error)
        lay.addWidget(self.buttons)

    # -- building
    def add_field(self, key: str, label: str, widget: QWidget) -> QWidget:
        """Add ``widget`` under ``label``; errors for ``key`` appear beneath it."""
        error = QLabel()
        error.setProperty("role", "error")
        error.setWordWrap(True)
        error.setVisible(False)
        cell = QWidget()
        v = QVBoxLayout(cell)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(widget)
        v.addWidget(error)
        self.form.addRow(label, cell)
        self._fields[key] = (widget, error)
        return widget

    @staticmethod
    def text_box(height: int = 80, placeholder: str = "") -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setTabChangesFocus(True)
        box.setFixedHeight(height)
        box.setPlaceholderText(placeholder)
        return box

    # -- state
    def set_notice(self, text: str) -> None:
        """A yellow note above the fields (e.g. "the case was reloaded, check and send again")."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def clear_errors(self) -> None:
        for widget, error in self._fields.values():
            error.setText("")
            error.setVisible(False)
            set_invalid(widget, False)
        self.general_error.setVisible(False)

    def set_errors(self, errors: dict[str, str]) -> bool:
        """Show service errors at the fields; True when at least one belongs to this dialog."""
        self.clear_errors()
        shown = False
        for key, msg in errors.items():
            if key in self._fields:
                widget, error = self._fields[key]
                error.setText(msg)
                error.setVisible(True)
                set_invalid(widget, True)
                shown = True
        return shown

    def error_text(self, key: str) -> str:
        return self._fields[key][1].text()

    def field_widget(self, key: str) -> QWidget:
        return self._fields[key][0]

    def check(self) -> dict[str, str]:
        """Errors found before sending (required fields); empty when all is well."""
        return {}

    def accept(self) -> None:
        errors = self.check()
        if errors:
            self.set_errors(errors)
            return
        super().accept()

    def act_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``cases.act``."""
        raise NotImplementedError


class ConfirmActionDialog(ActionDialog):
    """Confirm a forward action (Selesai, Paraf, Tanda Tangan, Serahkan…) with an optional note."""

    def __init__(self, title: str, ok_text: str, intro: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, ok_text, intro, parent)
        self.note = self.text_box(64, self.tr("Opsional"))
        self.add_field("catatan", self.tr("Catatan"), self.note)

    def act_kwargs(self) -> dict[str, Any]:
        return {"note": self.note.toPlainText().strip()}
