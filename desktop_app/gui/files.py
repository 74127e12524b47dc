"""Where file dialogs start, and Qt's own texts in Bahasa Indonesia.

Saving defaults to the user's Documents folder (not the program's working folder, which for a
service account can be a folder the user cannot write). Qt's own dialog texts are loaded from
Qt's ``qtbase_id`` translation when Qt ships one; the program's own dialogs (printing, saving a
PDF, the message boxes) carry Indonesian texts themselves.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QStandardPaths, QTranslator
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

_translators: list[QTranslator] = []


def documents_dir() -> str:
    """The user's Documents folder (created if missing), else the home folder."""
    path = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if not path:
        return str(Path.home())
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except OSError:
        return str(Path.home())
    return path


def in_documents(file_name: str) -> str:
    """``file_name`` in the Documents folder: the starting point of a save dialog."""
    return os.path.join(documents_dir(), file_name)


def install_qt_translations(app: QApplication) -> bool:
    """Load Qt's Indonesian translation (``qtbase_id``) if this Qt has one; True if loaded."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    locale = QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)
    if translator.load(locale, "qtbase", "_", folder) and app.installTranslator(translator):
        _translators.append(translator)
        return True
    return False


def _start_in(start: str) -> str:
    """Where a dialog opens: ``start`` when it names an existing folder or a file in one,
    else the Documents folder (a bare file name goes into Documents)."""
    if start:
        folder = os.path.dirname(start)
        if os.path.isdir(start) or (folder and os.path.isdir(folder)):
            return start
        if not folder:
            return in_documents(start)
    return documents_dir()


def open_file_name(parent: QWidget | None, title: str, filters: str = "", start: str = "") -> str:
    """Ask for a file to open, starting in ``start`` or the user's Documents folder; "" if
    the user cancelled."""
    path, _filter = QFileDialog.getOpenFileName(parent, title, _start_in(start), filters)
    return path


def save_file_name(parent: QWidget | None, title: str, file_name: str = "",
                   filters: str = "") -> str:
    """Ask where to save ``file_name``, starting in the user's Documents folder (or the folder
    ``file_name`` already names); "" if the user cancelled."""
    path, _filter = QFileDialog.getSaveFileName(parent, title, _start_in(file_name), filters)
    return path


def file_problem(exc: OSError, path: str | os.PathLike[str] = "") -> str:
    """One Indonesian sentence for a file that could not be read or written (the system's
    own text goes to the log, never to the user)."""
    import errno
    import logging

    logging.getLogger(__name__).warning("file %s: %r", path, exc)
    name = f" {Path(path).name}" if path else ""
    if exc.errno in (errno.EACCES, errno.EPERM):
        why = "tidak ada izin untuk folder atau berkas itu"
    elif exc.errno == errno.ENOENT:
        why = "berkas atau foldernya tidak ada"
    elif exc.errno == errno.ENOSPC:
        why = "disk penuh"
    else:
        why = "periksa folder dan disknya"
    return QApplication.translate("Files", "Berkas{name} tidak dapat dibuka atau disimpan "
                                  "({why}).").format(name=name, why=why)


def write_file(parent: QWidget | None, title: str, path: str, data: bytes) -> bool:
    """Write ``data`` to ``path``; on failure say so in Indonesian and return False."""
    from PySide6.QtWidgets import QMessageBox

    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        QMessageBox.warning(parent, title, file_problem(exc, path))
        return False
    return True
