"""Start the desktop program: find the database (or run the setup wizard), open it behind a
splash, (demo data), log in, show the main window, then the daily SQLite backup."""

from __future__ import annotations

import logging
import os
import sys
import time

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from desktop_app.core.db import Database
from desktop_app.gui.context import AppContext, ChangeHub

log = logging.getLogger(__name__)

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
    from desktop_app.gui.files import install_qt_translations

    install_qt_translations(app)  # Qt's own texts, where Qt ships qtbase_id
    from PySide6.QtGui import QIcon

    from desktop_app.resources import resource_path

    app.setWindowIcon(QIcon(str(resource_path("images", "app_icon.svg"))))
    from desktop_app.gui.style import apply_style

    apply_style(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


def build_main_window(ctx: AppContext, idle_timeout_ms: int | None = None) -> QWidget:
    """The main window for the signed-in ``ctx.actor`` (tests pass a short idle timeout)."""
    from desktop_app.gui.main_window import MainWindow

    window = MainWindow(ctx, idle_timeout_ms=idle_timeout_ms)
    if ctx.demo:
        mark_demo_window(window)
    return window


DEMO_BANNER = "DATA CONTOH — bukan data kantor"


def mark_demo_window(window: QWidget) -> None:
    """A demo window says DATA CONTOH where nobody can miss it: in its title and in a red
    band at the right of the menu bar, on every tab."""
    window.setWindowTitle(f"[DATA CONTOH] {window.windowTitle()}")
    menu_bar = window.menuBar()  # type: ignore[attr-defined]
    # Parented at once: PySide does not hand a corner widget's ownership to the menu bar.
    banner = QLabel(QApplication.translate("App", DEMO_BANNER), menu_bar)
    banner.setObjectName("demoBanner")
    banner.setStyleSheet("QLabel { background: #b00020; color: white; font-weight: bold; "
                         "font-size: 12pt; padding: 2px 12px; }")
    # Beside the search box when the window has one (the corner holds one widget: setting
    # the banner as the corner would drop the search box).
    corner = menu_bar.cornerWidget()
    layout = corner.layout() if corner is not None else None
    if layout is not None:
        layout.insertWidget(0, banner)
    else:
        menu_bar.setCornerWidget(banner)
    banner.show()


def _mark_shown(widget: QWidget) -> None:
    """For the start-up benchmark: print when the login dialog is on screen."""
    if os.environ.get("DESKTOP_APP_STARTUP_PROBE"):
        def probe() -> None:
            print(f"LOGIN_SHOWN {time.time():.6f}", flush=True)
            if os.environ.get("DESKTOP_APP_STARTUP_PROBE") == "exit":
                widget.close()
                QApplication.instance().exit(0)  # type: ignore[union-attr]

        QTimer.singleShot(0, probe)


def _open_failure(exc: Exception, url: str) -> str:
    """One sentence for a database that would not open (details to the log)."""
    from sqlalchemy.exc import DBAPIError

    from desktop_app.core.errors import AppError

    if isinstance(exc, AppError):
        return exc.message
    if isinstance(exc, DBAPIError):
        from sqlalchemy.engine import make_url

        from desktop_app.core.server import describe_failure

        return describe_failure(exc, make_url(url)).message
    log.error("opening the database failed", exc_info=exc)
    from desktop_app.gui.errors import log_path

    return QApplication.translate("App", "Basis data tidak dapat dibuka. Rincian tercatat di "
                                  "berkas log: {path}").format(path=log_path() or "-")


def _open(url: str, source_label: str) -> Database | None:
    """Open (and migrate) the configured database behind the splash; None when it failed and
    the person chose not to set up another connection."""
    from desktop_app.core.db import open_database
    from desktop_app.gui.splash import run_with_progress

    try:
        return run_with_progress(APP_NAME, QApplication.translate("App", "Membuka basis data…"),
                                 lambda _p: open_database(url))
    except Exception as exc:  # noqa: BLE001 - every failure becomes a sentence
        reason = _open_failure(exc, url)
    answer = QMessageBox.question(None, APP_NAME, QApplication.translate(
        "App", "{reason}\n\n(Basis data dari {source}.)\n\nBuka penyiapan koneksi untuk "
        "memilih basis data lain?").format(reason=reason, source=source_label))
    if answer != QMessageBox.StandardButton.Yes:
        return None
    return _setup(None)


def _setup(db: Database | None, url: str | None = None) -> Database | None:
    """The first-run wizard: from the start (no database), or at the administrator page of an
    open database that has no account yet. None when it was cancelled."""
    from desktop_app.gui.setup_wizard import SetupWizard

    wizard = SetupWizard(configured_url=url if db is not None else None)
    if db is not None:
        wizard.attach(db)
    if not wizard.exec():
        if wizard.db is not None and wizard.db is not db:
            wizard.db.dispose()
        return None
    return wizard.db


def _daily_backup(ctx: AppContext, window: QWidget) -> None:
    """SQLite: today's automatic backup off the GUI thread; the administrator sees the date of
    the last one in the status bar, and hears about a damaged file."""
    from desktop_app.core import backup
    from desktop_app.core.formatting import tanggal
    from desktop_app.gui.workers import run_task

    if not ctx.db.is_sqlite or ctx.demo:
        return
    label = QLabel()
    label.setObjectName("lastBackupLabel")
    is_admin = ctx.user.has_role("admin")

    def show_last() -> None:
        last = backup.last_backup(ctx.db)
        label.setText(QApplication.translate("App", "Cadangan terakhir: {when}").format(
            when=f"{tanggal(last.date())} {last:%H:%M}" if last else
            QApplication.translate("App", "belum ada")))

    def done(result: object) -> None:
        show_last()
        problem = getattr(result, "problem", None)
        if problem and is_admin:
            QMessageBox.warning(window, APP_NAME, problem)

    def failed(exc: Exception) -> None:
        log.error("automatic backup failed", exc_info=exc)
        label.setText(QApplication.translate("App", "Cadangan otomatis gagal (lihat log)"))
        if is_admin:
            QMessageBox.warning(window, APP_NAME, getattr(exc, "message", None) or
                                QApplication.translate("App", "Cadangan otomatis hari ini gagal."
                                                       " Rincian ada di log."))

    if is_admin:
        window.statusbar.addPermanentWidget(label)  # type: ignore[attr-defined]
        show_last()
    run_task(lambda: backup.run_daily_backup(ctx.db), done, failed)


def run_gui(database: str | None, demo: bool) -> int:
    """Run the program; returns the exit code."""
    app = _application()
    from desktop_app.gui.errors import install_exception_hook, setup_logging

    try:
        setup_logging()
    except OSError:
        log.warning("the log folder is not writable; logging to the console only")
    install_exception_hook()
    from desktop_app.core import config
    from desktop_app.core.db import network_share_warning
    from desktop_app.gui.splash import run_with_progress

    resolved = config.resolve(database, demo=demo)
    if resolved.url is None:
        db = _setup(None)
    else:
        db = _open(resolved.url, resolved.source_label)
        if db is not None and not demo:
            from desktop_app.core.first_run import has_users

            if not has_users(db):
                opened = db
                db = _setup(db, resolved.url)
                if db is None:
                    opened.dispose()
    if db is None:
        return 2 if resolved.url is not None else 0
    warnings = []
    warning = network_share_warning(db.url)
    if warning:
        warnings.append(warning)
        QMessageBox.warning(None, APP_NAME, warning)
    if demo:
        from desktop_app.core.db_kind import RealDatabaseRefused
        from desktop_app.core.demo.cases import seed_demo

        try:
            run_with_progress(APP_NAME, QApplication.translate(
                "App", "Mengisi data demo (hanya pada awal pertama)…"), lambda _p: seed_demo(db))
        except RealDatabaseRefused as exc:
            QMessageBox.critical(None, APP_NAME, exc.message)
            db.dispose()
            return 2
    # The SOP files are read after the login: the login dialog does not need them.
    ctx = AppContext(db=db, sops=(), demo=demo, warnings=warnings)
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
    from desktop_app.core.sop_versions import active_sops
    from desktop_app.gui.session_guard import SessionGuard

    window = None

    def reopen() -> None:  # after a session ended and someone logged in again
        nonlocal window
        window = build_main_window(ctx)
        window.show()

    guard = SessionGuard(ctx, reopen)
    backup_started = False
    while True:
        ctx.sops = active_sops(db)
        window = build_main_window(ctx)
        window.show()
        QTimer.singleShot(0, window.open_queue_if_waiting)
        if not backup_started:
            _daily_backup(ctx, window)
            backup_started = True
        settle_memory()
        code = app.exec()
        if not getattr(window, "switch_requested", False):
            break
        # Keluar / Ganti Pengguna: the window is gone; the login asks who works next.
        window.deleteLater()
        ctx.actor = None
        ctx.changes = ChangeHub()  # the closed windows' listeners go with them
        login = LoginDialog(ctx)
        if not login.exec() or login.actor is None:
            break
        ctx.actor = login.actor
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(5000)
    guard.stop()
    db.dispose()
    return code
