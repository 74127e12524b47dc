"""Field-level error display: the message under the field and a red border on it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop_app.core.errors import AppError, ValidationError
from desktop_app.gui.keyboard import give_mnemonics
from desktop_app.gui.style import set_error


class FieldErrors:
    """Maps service field names (``ValidationError.errors`` keys) to widgets and their labels."""

    def __init__(self) -> None:
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self.general = QLabel()
        self.general.setProperty("role", "message-error")
        self.general.setWordWrap(True)
        self.general.hide()

    def wrap(self, name: str, widget: QWidget) -> QWidget:
        """A container holding ``widget`` with its (hidden) error label underneath."""
        set_error(widget, False)  # so property("error") is never an unset (None) value
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        label = QLabel()
        label.setProperty("role", "field-error")
        label.setWordWrap(True)
        label.hide()
        label.setObjectName(f"error_{name}")
        layout.addWidget(label)
        self._fields[name] = (widget, label)
        return box

    def alias(self, name: str, existing: str) -> None:
        """Show errors for ``name`` at the field registered as ``existing``."""
        self._fields[name] = self._fields[existing]

    def clear(self) -> None:
        for widget, label in self._fields.values():
            set_error(widget, False)
            label.clear()
            label.hide()
        self.general.clear()
        self.general.hide()

    def show(self, errors: ValidationError | dict[str, str]) -> None:
        """Put each message beside its field; messages for unknown fields go to the top."""
        self.clear()
        items = errors.errors if isinstance(errors, ValidationError) else errors
        rest = []
        first: QWidget | None = None
        for name, message in items.items():
            if name in self._fields:
                widget, label = self._fields[name]
                set_error(widget, True)
                label.setText(message)
                label.show()
                first = first or widget
            else:
                rest.append(message)
        if rest:
            self.general.setText("\n".join(rest))
            self.general.show()
        if first is not None:
            first.setFocus()

    def attempt(self, save: Callable[[], object], general: str = "_") -> bool:
        """Run a service call; True when it succeeded. A ValidationError is shown at its
        fields, any other refusal (permission, conflict …) under ``general``."""
        try:
            save()
        except ValidationError as exc:
            self.show(exc)
            return False
        except AppError as exc:
            self.show({general: exc.message})
            return False
        return True

    def message(self, name: str) -> str:
        """The message shown at ``name`` ("" when none) — for tests."""
        widget, label = self._fields[name]
        return label.text() if not label.isHidden() else ""

    def has_error(self, name: str) -> bool:
        widget, _label = self._fields[name]
        return widget.property("error") == "true"


def save_cancel_buttons(dialog: QDialog, on_save: Callable[[], object]) -> QDialogButtonBox:
    """The "Simpan / Batal" button row of the admin dialogs."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Cancel)
    save = buttons.button(QDialogButtonBox.StandardButton.Save)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    save.setText(dialog.tr("Simpan"))
    cancel.setText(dialog.tr("Batal"))
    # Alt+S / Alt+B, or the next free letters of the dialog built so far
    give_mnemonics(dialog, [save, cancel])
    buttons.accepted.connect(on_save)
    buttons.rejected.connect(dialog.reject)
    return buttons
