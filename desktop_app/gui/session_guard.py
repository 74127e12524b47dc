"""Back to the login dialog when a service says the session ended (issue 11).

Every service re-reads the signed-in account in its own transaction and raises
:class:`SessionEnded` when it was deactivated, locked or given other roles. Wherever that
error is caught (a dialog, a worker thread), :data:`errors.SESSION_ENDED_LISTENERS` tells this
guard; it closes the program's windows and shows the login dialog with the reason.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop_app.core import errors
from desktop_app.gui.context import AppContext


class SessionGuard(QObject):
    """Listens for ended sessions (from any thread) and runs the return to the login dialog
    on the GUI thread. ``on_login(actor)`` builds the new main window after a new login."""

    ended = Signal(str)

    def __init__(self, ctx: AppContext, on_login: Callable[[], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.on_login = on_login
        self.login_dialog: QDialog | None = None
        self.ended.connect(self._return_to_login, Qt.ConnectionType.QueuedConnection)
        errors.SESSION_ENDED_LISTENERS.append(self._heard)

    def stop(self) -> None:
        if self._heard in errors.SESSION_ENDED_LISTENERS:
            errors.SESSION_ENDED_LISTENERS.remove(self._heard)

    def _heard(self, exc: errors.SessionEnded) -> None:
        self.ended.emit(exc.message)  # queued: safe from a worker thread

    def _return_to_login(self, message: str) -> None:
        if self.login_dialog is not None and self.login_dialog.isVisible():
            return  # already back at the login
        app = QApplication.instance()
        before = [w for w in (app.topLevelWidgets() if app else [])  # type: ignore[attr-defined]
                  if w.isVisible()]
        self.ctx.actor = None
        from desktop_app.gui.login import LoginDialog

        # The login dialog is on screen before the other windows close, so closing the last
        # of them does not end the program.
        dialog = LoginDialog(self.ctx)
        dialog.setObjectName("sessionEndedLogin")
        dialog.show_message(message)
        dialog.accepted.connect(lambda: self._logged_in(dialog))
        dialog.rejected.connect(QApplication.quit)
        self.login_dialog = dialog
        dialog.open()
        for widget in before:
            if isinstance(widget, QDialog):
                widget.reject()
        for widget in before:
            if isinstance(widget, QWidget) and not isinstance(widget, QDialog):
                widget.close()

    def _logged_in(self, dialog: QDialog) -> None:
        self.ctx.actor = dialog.actor  # type: ignore[attr-defined]
        self.login_dialog = None
        self.on_login()
