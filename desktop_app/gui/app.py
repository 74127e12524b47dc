"""Start the desktop program: open the database, (demo data), log in, show the main window."""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_app.gui.context import AppContext

APP_NAME = "Layanan Bidang Tenaga Kerja"


def settle_memory() -> None:
    """After start-up: move the long-lived objects (ORM, SOPs, widgets) out of the collector's
    sight, so a full garbage collection never stalls scrolling (it took ~55 ms)."""
    import gc

    gc.collect()
    gc.freeze()


def _application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("Pemerintah Kota Pagar Alam")
    QLocale.setDefault(QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia))
    from desktop_app.gui.style import apply_style

    apply_style(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


def build_main_window(ctx: AppContext, idle_timeout_ms: int | None = None) -> QWidget:
    """The main window for the signed-in ``ctx.actor`` (tests pass a short idle timeout)."""
    from desktop_app.gui.main_window import MainWindow

    return MainWindow(ctx, idle_timeout_ms=idle_timeout_ms)


def _mark_shown(widget: QWidget) -> None:
    """For the start-up benchmark: print when the login dialog is on screen."""
    if os.environ.get("DESKTOP_APP_STARTUP_PROBE"):
        def probe() -> None:
            print(f"LOGIN_SHOWN {time.time():.6f}", flush=True)
            if os.environ.get("DESKTOP_APP_STARTUP_PROBE") == "exit":
                widget.close()
                QApplication.instance().exit(0)  # type: ignore[union-attr]

        QTimer.singleShot(0, probe)


def run_gui(database: str | None, demo: bool) -> int:
    """Run the program; returns the exit code."""
    app = _application()
    from desktop_app.core.db import network_share_warning, open_database
    from desktop_app.core.errors import AppError

    try:
        db = open_database(database)
    except AppError as exc:
        QMessageBox.critical(None, APP_NAME, exc.message)
        return 2
    except Exception as exc:  # noqa: BLE001 - the user must see why the program stops
        QMessageBox.critical(None, APP_NAME, QApplication.translate(
            "App", "Basis data tidak dapat dibuka:\n{error}").format(error=exc))
        return 2
    warnings = []
    warning = network_share_warning(db.url)
    if warning:
        warnings.append(warning)
        QMessageBox.warning(None, APP_NAME, warning)
    if demo:
        from desktop_app.core.demo import seed_demo

        seed_demo(db)
    from desktop_app.core.sop_versions import active_sops

    ctx = AppContext(db=db, sops=active_sops(db), demo=demo, warnings=warnings)
    from desktop_app.gui.login import LoginDialog

    login = LoginDialog(ctx)
    _mark_shown(login)
    if os.environ.get("DESKTOP_APP_STARTUP_PROBE") == "exit":
        login.show()
        return app.exec()
    if not login.exec() or login.actor is None:
        db.dispose()
        return 0
    ctx.actor = login.actor
    window = build_main_window(ctx)
    window.show()
    QTimer.singleShot(0, window.open_queue_if_waiting)
    settle_memory()
    code = app.exec()
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(5000)
    db.dispose()
    return code
