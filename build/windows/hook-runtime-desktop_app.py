"""PyInstaller runtime hook for the desktop_app bundle; runs before any program module.

Windows (the office PCs):

* WeasyPrint opens Pango, HarfBuzz, fontconfig and GLib with
  ``LoadLibraryEx(..., LOAD_LIBRARY_SEARCH_DEFAULT_DIRS)``. That search looks in the folder of the
  .exe, System32 and folders registered with ``AddDllDirectory`` only -- not in ``_internal``
  where PyInstaller puts the DLLs, and not in ``SetDllDirectory``. So the bundle's DLL folders
  are registered here, first, and also put at the front of ``PATH`` so that a GTK, MSYS2 or
  other Qt installation elsewhere on the PC can never be picked instead of our copies.
* fontconfig reads ``FONTCONFIG_FILE``. Without a configuration it finds no fonts and WeasyPrint
  writes PDFs with blank text, so it is pointed at the shipped ``fontconfig/fonts.conf`` (which
  lists only our Liberation fonts in ``resources/fonts``). Any value inherited from other
  software is overridden on purpose.
* ``QT_PLUGIN_PATH`` is already set to the bundle's plugin folder by PyInstaller's own PySide6
  runtime hook; a stray ``QT_QPA_PLATFORM_PLUGIN_PATH`` from another Qt program is removed so
  that it cannot load a foreign ``qwindows.dll``.

All platforms: no ``__pycache__`` is written next to the Alembic migration scripts, which are
loaded from source inside the (possibly read-only) install folder.
"""

import contextlib
import os
import sys


def _desktop_app_rthook() -> None:
    base = getattr(sys, "_MEIPASS", None)
    if not base:
        return
    sys.dont_write_bytecode = True

    if sys.platform != "win32":
        return

    dll_dirs = [base]
    for sub in ("PySide6", "shiboken6"):
        path = os.path.join(base, sub)
        if os.path.isdir(path):
            dll_dirs.append(path)
    handles = []
    for path in dll_dirs:
        with contextlib.suppress(OSError):
            handles.append(os.add_dll_directory(path))
    # Keep the handles alive for the life of the process (closing one removes the folder).
    sys._desktop_app_dll_handles = handles  # type: ignore[attr-defined]
    os.environ["PATH"] = os.pathsep.join([base, os.environ.get("PATH", "")])

    fonts_conf = os.path.join(base, "fontconfig", "fonts.conf")
    if os.path.isfile(fonts_conf):
        os.environ["FONTCONFIG_FILE"] = fonts_conf
        os.environ["FONTCONFIG_PATH"] = os.path.dirname(fonts_conf)

    os.environ.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)


_desktop_app_rthook()
del _desktop_app_rthook
