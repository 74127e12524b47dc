"""Load Qt Designer forms (``ui/*.ui``) into an existing widget instance.

``QUiLoader`` normally returns a new top-level widget. Here the top-level element of the form
becomes ``base`` itself, and every named child widget, layout and action becomes an attribute
of ``base`` (as ``uic`` does), so classes keep their own methods and signals.
"""

from __future__ import annotations

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtGui import QAction
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

from desktop_app.resources import ui_root


class _IntoInstance(QUiLoader):
    def __init__(self, base: QWidget) -> None:
        super().__init__(base)
        self._base = base

    def createWidget(self, class_name: str, parent: QWidget | None = None,  # noqa: N802
                     name: str = "") -> QWidget:
        if parent is None:
            return self._base
        widget = super().createWidget(class_name, parent, name)
        if name:
            setattr(self._base, name, widget)
        return widget

    def createAction(self, parent: object = None, name: str = "") -> QAction:  # noqa: N802
        action = super().createAction(parent, name)
        if name:
            setattr(self._base, name, action)
        return action

    def createLayout(self, class_name: str, parent: object = None,  # noqa: N802
                     name: str = "") -> object:
        layout = super().createLayout(class_name, parent, name)
        if name:
            setattr(self._base, name, layout)
        return layout


def load_form(base: QWidget, form: str) -> None:
    """Build ``ui/<form>`` into ``base`` (whose class must match the form's top-level class)."""
    path = ui_root() / form
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"form not found: {path}")
    try:
        loader = _IntoInstance(base)
        if loader.load(file) is None:
            raise RuntimeError(f"{form}: {loader.errorString()}")
    finally:
        file.close()
