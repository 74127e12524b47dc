"""Start-up progress: slow start-up work runs off the GUI thread behind a small splash window.

``run_with_progress`` runs a function in a thread and keeps Qt's event loop turning; when the
work takes longer than half a second a splash with the program's name, what is happening and a
busy bar appears, so a migration, the daily backup or the demo seeding never looks like a hang.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QVBoxLayout, QWidget

T = TypeVar("T")
SHOW_AFTER_MS = 500
POLL_MS = 15


class StartupSplash(QFrame):
    """A small frameless window: program name, current step, busy bar."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("startupSplash")
        self.setFrameShape(QFrame.Shape.Box)
        self.setMinimumWidth(420)
        heading = QLabel(title)
        heading.setProperty("role", "title")
        self.label = QLabel()
        self.label.setWordWrap(True)
        bar = QProgressBar()
        bar.setRange(0, 0)  # busy: the steps have no known length
        bar.setTextVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(heading)
        layout.addWidget(self.label)
        layout.addWidget(bar)

    def set_text(self, text: str) -> None:
        self.label.setText(text)


class Progress:
    """What the worker may report; read by the GUI thread on its next poll."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __call__(self, text: str) -> None:
        self.text = text


def run_with_progress(title: str, text: str, work: Callable[[Progress], T],
                      parent: QWidget | None = None) -> T:
    """Run ``work(progress)`` off the GUI thread; show a splash if it takes over 0.5 s.

    Returns what ``work`` returned, or raises what it raised, in the GUI thread."""
    progress = Progress(text)
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = work(progress)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the GUI thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="startup-work", daemon=True)
    splash = StartupSplash(title, parent)
    loop = QEventLoop()

    def poll() -> None:
        splash.set_text(progress.text)
        if not thread.is_alive():
            timer.stop()
            loop.quit()

    timer = QTimer()
    timer.setInterval(POLL_MS)
    timer.timeout.connect(poll)
    QTimer.singleShot(SHOW_AFTER_MS, lambda: thread.is_alive() and splash.show())
    thread.start()
    timer.start()
    loop.exec()
    thread.join()
    splash.close()
    splash.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
