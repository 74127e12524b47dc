"""Keyboard rules shared by every window (the counter clerk works mostly without a mouse).

- :func:`install_keyboard_rules` (called by :func:`desktop_app.gui.style.apply_style`):
  every table and list hands Tab on to the next widget (arrows move inside it), and every
  multi-line text box does too (no Tab characters in office notes);
- :func:`only_default`: Enter presses the dialog's default button and never a helper button
  that happens to have the focus ("Isi dari NIK");
- :func:`save_shortcuts`: Ctrl+S, Ctrl+Enter and Ctrl+Return call ``save``;
- :func:`with_mnemonic`: "Lengkap" → "&Lengkap", picking a letter not yet used;
- :func:`give_mnemonics`: Alt+letter for a dialog's buttons ("&Simpan", "&Batal"), each letter
  one no other button, buddied label, group box or tab of the dialog already uses;
  :func:`mnemonic_letters` lists them all (tests check they are unique).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDateTimeEdit,
    QDialog,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QWidget,
)

__all__ = ["down_to_list", "give_mnemonics", "install_keyboard_rules", "mnemonic_letter",
           "mnemonic_letters", "only_default", "save_shortcuts", "used_mnemonics",
           "with_mnemonic"]


class _TabRules(QObject):
    """On a widget's first polish: tables and text boxes release Tab."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QDateTimeEdit) \
                and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) \
                and not event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                             | Qt.KeyboardModifier.AltModifier):
            # Qt's date edits keep Tab between day, month and year: Tab leaves the field.
            watched.interpretText()
            forward = event.key() == Qt.Key.Key_Tab and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            QWidget.focusNextPrevChild(watched, forward)
            return True
        if event.type() == QEvent.Type.Polish:
            if isinstance(watched, QAbstractItemView):
                if watched.property("keepsTab") is not True:
                    watched.setTabKeyNavigation(False)
            elif isinstance(watched, (QPlainTextEdit, QTextEdit)) and not watched.isReadOnly():
                watched.setTabChangesFocus(True)
        return False


_rules: _TabRules | None = None


def install_keyboard_rules(app: QApplication) -> None:
    """Install the application-wide Tab rules once."""
    global _rules
    if _rules is None:
        _rules = _TabRules(app)
        app.installEventFilter(_rules)


def only_default(dialog: QDialog, default: QPushButton) -> None:
    """Make ``default`` the one button Enter presses in ``dialog``."""
    for button in dialog.findChildren(QPushButton):
        if button is not default:
            button.setAutoDefault(False)
            button.setDefault(False)
    default.setAutoDefault(True)
    default.setDefault(True)


def save_shortcuts(widget: QWidget, save: Callable[[], object]) -> list[QShortcut]:
    """Ctrl+S, Ctrl+Enter and Ctrl+Return on ``widget``'s window call ``save``."""
    shortcuts = []
    for seq in (QKeySequence("Ctrl+S"), QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Return),
                QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Enter)):
        shortcut = QShortcut(seq, widget)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(save)
        shortcuts.append(shortcut)
    return shortcuts


def used_mnemonics(buttons: Iterable[QAbstractButton]) -> set[str]:
    """The letters already taken by ``&`` in the buttons' texts."""
    taken = set()
    for button in buttons:
        text = button.text()
        i = text.find("&")
        while i != -1 and i + 1 < len(text):
            if text[i + 1] != "&":
                taken.add(text[i + 1].lower())
                break
            i = text.find("&", i + 2)
    return taken


def mnemonic_letter(text: str) -> str | None:
    """The letter after the first single ``&`` of ``text`` (lower case), or None."""
    i = text.find("&")
    while i != -1 and i + 1 < len(text):
        if text[i + 1] != "&":
            return text[i + 1].lower()
        i = text.find("&", i + 2)
    return None


def mnemonic_letters(root: QWidget, skip: Iterable[QWidget] = ()) -> list[tuple[str, QWidget]]:
    """(letter, widget) of every Alt+letter inside ``root``: buttons (check boxes too),
    labels with a buddy, group boxes and tab titles; ``skip`` left out. A letter listed
    twice is a clash: Alt+letter then only cycles between them."""
    from PySide6.QtWidgets import QGroupBox, QLabel, QTabWidget

    skipped = {id(w) for w in skip}
    out: list[tuple[str, QWidget]] = []
    for widget in root.findChildren(QWidget):
        if id(widget) in skipped:
            continue
        text = ""
        buddied = isinstance(widget, QLabel) and widget.buddy() is not None
        if isinstance(widget, QAbstractButton) or buddied:
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        elif isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                letter = mnemonic_letter(widget.tabText(i))
                if letter:
                    out.append((letter, widget))
            continue
        letter = mnemonic_letter(text) if text else None
        if letter:
            out.append((letter, widget))
    return out


def give_mnemonics(root: QWidget, buttons: Iterable[QAbstractButton]) -> None:
    """Give each of ``buttons`` without one an Alt+letter free in ``root`` (the word's first
    letter where free: "&Simpan", "&Batal"); a button whose letter clashes gets a new one."""
    buttons = list(buttons)
    taken = {letter for letter, _w in mnemonic_letters(root, skip=buttons)}
    for button in buttons:
        letter = mnemonic_letter(button.text())
        if letter and letter not in taken:
            taken.add(letter)
            continue
        plain = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&&")
        button.setText(with_mnemonic(plain, taken))


def with_mnemonic(text: str, taken: set[str]) -> str:
    """``text`` with an ``&`` before a free letter (word starts first); adds it to ``taken``."""
    if "&" in text.replace("&&", ""):
        return text
    words_start = [i for i, ch in enumerate(text) if ch.isalpha() and (i == 0 or text[i - 1] == " ")]
    others = [i for i, ch in enumerate(text) if ch.isalpha() and i not in words_start]
    for i in words_start + others:
        letter = text[i].lower()
        if letter not in taken:
            taken.add(letter)
            return text[:i] + "&" + text[i:]
    return text


class _DownToList(QObject):
    def __init__(self, edit: QWidget, view: QAbstractItemView) -> None:
        super().__init__(edit)
        self.view = view
        edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Down and self.view.model() is not None \
                and self.view.model().rowCount() > 0:
            if not self.view.currentIndex().isValid():
                self.view.setCurrentIndex(self.view.model().index(0, 0))
            self.view.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return False


def down_to_list(edit: QWidget, view: QAbstractItemView) -> None:
    """Down in a search box moves to its result list (where Enter opens the hit)."""
    _DownToList(edit, view)
