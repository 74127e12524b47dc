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
from PySide6.QtWidgets import QApplication

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
