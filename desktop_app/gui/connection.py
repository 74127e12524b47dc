"""The database connection lost and found again, shown as a banner in the main window.

Any background read (:func:`desktop_app.gui.workers.run_task`) that fails with
:class:`~desktop_app.core.errors.DatabaseUnavailable` reports it on :func:`connection_events`.
A :class:`ConnectionWatch` in the main window then shows "Koneksi ke server terputus – mencoba
lagi…", asks the server every few seconds off the GUI thread, and when it answers hides the
banner and emits :attr:`ConnectionWatch.restored` (the window reloads what it shows). Nothing the
user typed is touched: open forms stay as they are.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget
from sqlalchemy import text

from desktop_app.core.db import Database
from desktop_app.gui.context import AppContext
from desktop_app.gui.workers import connection_events, run_task

__all__ = ["RETRY_MS", "ConnectionWatch", "ping"]

RETRY_MS = 5000  # how often the server is asked again while it is away

BANNER_STYLE = ("background:#fff3e0; color:#8a3b00; border:1px solid #ffb74d;"
                " border-radius:4px; padding:6px; font-weight:600;")


def ping(db: Database) -> bool:
    """One trivial query; raises DatabaseUnavailable when the server does not answer."""
    with db.read() as session:
        session.execute(text("SELECT 1"))
    return True


class ConnectionWatch(QObject):
    """Shows :attr:`banner` while the server is away and retries until it answers."""

    restored = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget, retry_ms: int = RETRY_MS) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.banner = QLabel(self.tr("Koneksi ke server terputus – mencoba lagi…"), parent)
        self.banner.setObjectName("connectionBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.hide()
        self._timer = QTimer(self)
        self._timer.setInterval(retry_ms)
        self._timer.timeout.connect(self.retry)
        self._asking = False
        connection_events().lost.connect(self.lost)

    @property
    def is_lost(self) -> bool:
        return self._timer.isActive()

    def lost(self, _exc: object = None) -> None:
        """A read failed because the server is away: banner on, retry in the background."""
        if not self._timer.isActive():
            self.banner.show()
            self._timer.start()

    def retry(self) -> None:
        if self._asking:
            return
        self._asking = True
        db = self.ctx.db

        def answered(_ok: object) -> None:
            self._asking = False
            if not self._timer.isActive():
                return
            self._timer.stop()
            self.banner.hide()
            self.restored.emit()

        def still_away(_exc: Exception) -> None:
            self._asking = False  # the timer asks again

        run_task(lambda: ping(db), answered, still_away)

    def stop(self) -> None:
        self._timer.stop()
        with contextlib.suppress(RuntimeError, TypeError):  # already disconnected
            connection_events().lost.disconnect(self.lost)
