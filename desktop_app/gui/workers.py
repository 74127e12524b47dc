"""Run slow work (queries, counts) on the Qt thread pool and hand results back to the GUI thread.

A :class:`Task` is a ``QRunnable`` whose :class:`TaskSignals` live in the GUI thread; the worker
thread emits them, and Qt queues the call into the receiver's thread. Callers tag each request
with a generation number and drop answers to older requests (see :class:`Generation`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, QThreadPool, Signal

__all__ = ["Generation", "Task", "TaskSignals", "connection_events", "run_and_wait", "run_task"]


class TaskSignals(QObject):
    """Signals of one task; ``done(result)`` or ``failed(exception)``, always in the GUI thread."""

    done = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    """Call ``fn()`` on a pool thread and emit its result or its exception."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = TaskSignals()
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # noqa: BLE001 - handed to the GUI to show
            outcome, payload = self.signals.failed, exc
        else:
            outcome, payload = self.signals.done, result
        # RuntimeError: the window that asked is gone (closed, or the program is quitting).
        with contextlib.suppress(RuntimeError):
            outcome.emit(payload)


class ConnectionEvents(QObject):
    """``lost(exc)``: a background task found the database server away (GUI thread)."""

    lost = Signal(object)


_events: ConnectionEvents | None = None


def connection_events() -> ConnectionEvents:
    """The one :class:`ConnectionEvents` of the program (see :mod:`desktop_app.gui.connection`)."""
    global _events  # noqa: PLW0603 - one per process, made when first asked for
    if _events is None:
        _events = ConnectionEvents()
    return _events


def _report_lost(exc: object) -> None:
    from desktop_app.core.errors import DatabaseUnavailable

    if isinstance(exc, DatabaseUnavailable):
        connection_events().lost.emit(exc)


# Signals objects must outlive the runnable until their queued calls are delivered.
_alive: set[TaskSignals] = set()


def run_task(fn: Callable[[], Any], on_done: Callable[[Any], None],
             on_error: Callable[[Exception], None] | None = None,
             pool: QThreadPool | None = None) -> Task:
    """Run ``fn`` off the GUI thread; ``on_done(result)`` / ``on_error(exc)`` run in the GUI thread."""
    task = Task(fn)
    signals = task.signals
    _alive.add(signals)

    def _finish(_: object = None) -> None:
        _alive.discard(signals)

    signals.done.connect(on_done)
    if on_error is not None:
        signals.failed.connect(on_error)
    signals.failed.connect(_report_lost)  # the banner of a lost server connection
    signals.done.connect(_finish)
    signals.failed.connect(_finish)
    (pool or QThreadPool.globalInstance()).start(task)
    return task


def run_and_wait(fn: Callable[[], Any], pool: QThreadPool | None = None) -> Any:
    """Run ``fn`` off the GUI thread and wait for it while the GUI keeps painting (a local
    event loop, as a modal dialog has); return its result or raise its exception.

    For a change the caller must finish before it goes on (an action, then what follows it):
    the caller disables what could start another one and shows that it is busy."""
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def done(result: Any) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(exc: Exception) -> None:
        outcome["error"] = exc
        loop.quit()

    run_task(fn, done, failed, pool)
    if not outcome:  # not already answered
        loop.exec()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


class Generation:
    """A counter that marks which request is the newest; stale answers are ignored."""

    def __init__(self) -> None:
        self.value = 0

    def next(self) -> int:
        self.value += 1
        return self.value

    def is_current(self, value: int) -> bool:
        return value == self.value
