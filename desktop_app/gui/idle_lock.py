"""Lock the window after some idle minutes; only the signed-in user's password unlocks it,
or "Ganti Pengguna" ends the session and the login asks who works next.

An event filter on the ``QApplication`` restarts the timer on every key press, click, wheel or
mouse move. While locked, the lock screen covers the whole window (menus included) and input
meant for anything else is swallowed, so shortcuts cannot reach the hidden screens. When a
modal dialog (say, an open case) is on top, the lock screen covers that dialog, where input
goes, and every other window of the program gets a plain cover.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import auth
from desktop_app.gui.context import AppContext

_ACTIVITY = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel, QEvent.Type.MouseMove, QEvent.Type.TouchBegin,
}
_INPUT = _ACTIVITY | {QEvent.Type.KeyRelease, QEvent.Type.MouseButtonRelease,
                      QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut}


class LockScreen(QWidget):
    """Covers the main window and asks for the password."""

    unlockRequested = Signal(str)  # noqa: N815 - Qt naming
    switchRequested = Signal()  # noqa: N815 - Qt naming

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        panel = QWidget(self)
        panel.setObjectName("lockPanel")
        panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        panel.setMaximumWidth(420)
        panel.setMinimumWidth(380)
        title = QLabel(self.tr("Layar terkunci"))
        title.setProperty("role", "title")
        actor = ctx.actor
        who = QLabel(self.tr("Masukkan kata sandi {name} untuk melanjutkan.").format(
            name=actor.full_name if actor else ""))
        who.setWordWrap(True)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("Kata sandi"))
        self.message_label = QLabel()
        self.message_label.setProperty("role", "message-error")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        self.unlock_button = QPushButton(self.tr("&Buka Kunci"))
        self.unlock_button.setDefault(True)
        # Another clerk at this PC: end this session (what is not saved is not kept) and log in.
        self.switch_button = QPushButton(self.tr("&Ganti Pengguna"))
        self.switch_button.setToolTip(self.tr(
            "Menutup sesi {name}; isian yang belum disimpan tidak ikut tersimpan.").format(
                name=actor.full_name if actor else ""))
        buttons = QHBoxLayout()
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.addWidget(title)
        inner.addWidget(who)
        inner.addWidget(self.password_edit)
        inner.addWidget(self.message_label)
        inner.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(panel)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.password_edit.returnPressed.connect(self._submit)
        self.unlock_button.clicked.connect(self._submit)
        self.switch_button.clicked.connect(self.switchRequested)
        self.hide()

    def _submit(self) -> None:
        self.unlockRequested.emit(self.password_edit.text())

    def show_over(self, target: QWidget) -> None:
        if self.parentWidget() is not target:
            self.setParent(target)
        self.setGeometry(target.rect())
        self.password_edit.clear()
        self.message_label.hide()
        self.show()
        self.raise_()
        self.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)


class IdleLock(QObject):
    """Watches input application-wide and locks ``window`` after ``timeout_ms`` without any.

    ``timeout_ms`` of 0 turns the lock off. Tests pass a few milliseconds.
    """

    locked = Signal()
    unlocked = Signal()
    switchUserRequested = Signal()  # noqa: N815 - the main window's Ganti Pengguna follows

    def __init__(self, ctx: AppContext, window: QWidget, timeout_ms: int) -> None:
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self.screen = LockScreen(ctx, window)
        self.screen.unlockRequested.connect(self.try_unlock)
        self.screen.switchRequested.connect(self.switch_user)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.lock)
        self._locked = False
        self._installed = False
        self._covers: list[QWidget] = []
        self.set_timeout(timeout_ms)

    @staticmethod
    def minutes_to_ms(minutes: int) -> int:
        return max(0, int(minutes)) * 60_000

    @property
    def is_locked(self) -> bool:
        return self._locked

    @property
    def timeout_ms(self) -> int:
        return self._timeout

    def set_timeout(self, timeout_ms: int) -> None:
        self._timeout = max(0, int(timeout_ms))
        app = QApplication.instance()
        if self._timeout and not self._installed and app is not None:
            app.installEventFilter(self)
            self._installed = True
        if self._timeout and not self._locked:
            self._timer.start(self._timeout)
        else:
            self._timer.stop()

    def stop(self) -> None:
        """Remove the filter (the window closes)."""
        self._timer.stop()
        app = QApplication.instance()
        if self._installed and app is not None:
            app.removeEventFilter(self)
            self._installed = False

    def lock(self) -> None:
        if self._locked or not self._timeout:
            return
        self._locked = True
        self._timer.stop()
        target = QApplication.activeModalWidget() or self.window
        for w in QApplication.topLevelWidgets():
            if w is not target and w.isVisible() and w.windowType() not in (
                    Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.SplashScreen):
                cover = QWidget(w)
                cover.setObjectName("lockScreen")
                cover.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
                cover.setGeometry(w.rect())
                cover.show()
                cover.raise_()
                self._covers.append(cover)
        self.screen.show_over(target)
        self.locked.emit()

    def _release(self) -> None:
        self._locked = False
        self.screen.hide()
        for cover in self._covers:
            cover.deleteLater()
        self._covers.clear()

    def switch_user(self) -> None:
        """End the locked session: the other windows close without asking (their unsaved
        input is the locked user's), then :attr:`switchUserRequested` lets the main window
        sign out the way menu Berkas › Ganti Pengguna does."""
        self._release()
        self._timer.stop()
        for w in QApplication.topLevelWidgets():
            if w is self.window or not w.isVisible():
                continue
            if isinstance(w, QDialog):
                w.done(QDialog.DialogCode.Rejected)  # not reject(): no "discard?" question
            else:
                w.close()
        self.switchUserRequested.emit()

    def try_unlock(self, password: str) -> bool:
        if not password:
            self._say(self.tr("Isi kata sandi."))
            return False
        if not auth.check_password(self.ctx.db, self.ctx.user, password):
            self.screen.password_edit.clear()
            self._say(self.tr("Kata sandi salah."))
            return False
        self._release()
        if self._timeout:
            self._timer.start(self._timeout)
        self.unlocked.emit()
        return True

    def _say(self, text: str) -> None:
        self.screen.message_label.setText(text)
        self.screen.message_label.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        etype = event.type()
        if etype == QEvent.Type.Resize and self._locked and watched is self.screen.parent():
            self.screen.setGeometry(self.screen.parentWidget().rect())
            return False
        if etype not in _INPUT:
            return False
        if not self._locked:
            if etype in _ACTIVITY and self._timeout:
                self._timer.start(self._timeout)
            return False
        # Locked: let through only what is meant for the lock screen itself.
        return not (isinstance(watched, QWidget) and (
            watched is self.screen or self.screen.isAncestorOf(watched)))
