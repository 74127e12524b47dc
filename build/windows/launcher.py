"""Entry script that PyInstaller freezes into both executables of the Windows bundle.

``LayananTenagaKerja.exe`` (windowed) and ``desktop-app.exe`` (console) both run this file; it
only hands over to ``desktop_app.__main__:main``, the same entry point as the ``desktop-app``
console script of a pip install.
"""

from __future__ import annotations

import multiprocessing
import os
import sys


def _launch() -> int:
    # A windowed (console=False) executable has no stdout/stderr on Windows: sys.stdout and
    # sys.stderr are None, and any print() or logging.StreamHandler would fail. Send them to
    # the null device instead; errors still reach the user through the GUI's own dialogs and
    # through PyInstaller's "Unhandled exception" dialog.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115

    from desktop_app.__main__ import main

    return main()


if __name__ == "__main__":
    multiprocessing.freeze_support()  # harmless unless something spawns worker processes
    sys.exit(_launch())
