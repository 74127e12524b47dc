"""Failures the user sees: one Indonesian sentence, the details in a rotating log file.

:func:`setup_logging` writes the program's log to the user's log folder (``platformdirs``),
rotated (1 MB × 5 files). :func:`install_exception_hook` catches what nothing else caught:
the traceback goes to that log, and a message box says what happened in Bahasa Indonesia and
names the log file — never the driver's or Python's own text.
"""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from desktop_app.core.errors import AppError, DatabaseUnavailable

log = logging.getLogger(__name__)

LOG_FILE_NAME = "layanan-tenaga-kerja.log"
_state: dict[str, object] = {"path": None, "showing": False}


def log_directory() -> Path:
    """The user's log folder, e.g. ``%LOCALAPPDATA%\\PagarAlam\\LayananTenagaKerja\\Logs``."""
    import platformdirs

    from desktop_app.core.config import APP_AUTHOR, APP_NAME

    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def setup_logging(directory: Path | None = None) -> Path:
    """Log INFO and above to a rotating file in ``directory`` (default: the user's log
    folder); returns the file's path. Calling it again keeps one handler."""
    folder = directory or log_directory()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, RotatingFileHandler) and getattr(handler, "_desktop_app", False):
            root.removeHandler(handler)
            handler.close()
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler._desktop_app = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    _state["path"] = path
    return path


def log_path() -> Path | None:
    path = _state["path"]
    return path if isinstance(path, Path) else None


def user_message(exc: BaseException) -> str:
    """What to tell the user about ``exc``: the service's own sentence, or a plain Indonesian
    one (a lost database connection says so, with what to do)."""
    if isinstance(exc, AppError):
        return exc.message
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

    if isinstance(exc, (OperationalError, InterfaceError)) or (
            isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return DatabaseUnavailable().message
    return ("Terjadi kesalahan yang tidak terduga; pekerjaan terakhir mungkin belum tersimpan. "
            "Periksa lalu ulangi.")


def failure_text(exc: BaseException) -> str:
    """:func:`user_message` plus where the details are."""
    text = user_message(exc)
    path = log_path()
    if path is not None and not isinstance(exc, AppError):
        text += f"\n\nRincian tercatat di berkas log:\n{path}"
    return text


def _hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    log.error("unhandled error", exc_info=(kind, exc, tb))
    if _state["showing"]:
        return
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is None:
        sys.__excepthook__(kind, exc, tb)
        return
    _state["showing"] = True
    try:
        QMessageBox.critical(QApplication.activeWindow(), "Kesalahan", failure_text(exc))
    finally:
        _state["showing"] = False


def install_exception_hook() -> None:
    """Route uncaught exceptions (also those raised in Qt slots) to the log and a message."""
    sys.excepthook = _hook
