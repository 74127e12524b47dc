"""Start-up: no configuration opens the wizard, an empty configured database asks for its first
administrator, --demo keeps its own file, an unreachable server says so, and the daily backup
runs after login and shows its date to the administrator."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QLabel

from desktop_app.core import config
from desktop_app.core.backup.automatic import backup_dir
from desktop_app.core.config import Locations
from desktop_app.gui import app as app_module
from desktop_app.gui.login import LoginDialog
from desktop_app.gui.setup_wizard import PAGE_ADMIN, PAGE_MODE, SetupWizard


@pytest.fixture
def loc(tmp_path, monkeypatch):
    loc = Locations(tmp_path / "mesin", tmp_path / "pengguna", tmp_path / "data-mesin",
                    tmp_path / "data")
    monkeypatch.setattr(config.Locations, "from_platform", classmethod(lambda cls: loc))
    monkeypatch.delenv(config.ENV_DATABASE, raising=False)
    return loc


@pytest.fixture
def seen(monkeypatch, free_widgets):
    """Replace the modal loops: the wizard is driven by ``drive`` (one per test), the login
    is cancelled; what was shown is recorded."""
    record: dict[str, object] = {"wizard_start": None, "login": 0}

    def wizard_exec(self: SetupWizard) -> int:
        self.show()
        record["wizard_start"] = self.currentId()
        drive = record.get("drive")
        return int(drive(self)) if callable(drive) else 0

    def login_exec(self: LoginDialog) -> int:
        record["login"] = int(record["login"]) + 1
        record["demo_table"] = self.demoGroup.isVisibleTo(self)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(SetupWizard, "exec", wizard_exec)
    monkeypatch.setattr(LoginDialog, "exec", login_exec)
    return record


def _one_pc(w: SetupWizard) -> bool:
    w.next()
    w.next()
    page = w.admin_page
    page.full_name.setText("Rina")
    page.password.setText("admin-kantor-1")
    page.password_again.setText("admin-kantor-1")
    w.next()
    w.next()
    w.next()
    return True


def test_first_start_without_configuration_runs_the_wizard_then_the_login(loc, seen):
    seen["drive"] = _one_pc
    assert app_module.run_gui(None, demo=False) == 0
    assert seen["wizard_start"] == PAGE_MODE and seen["login"] == 1
    resolved = config.resolve(None)
    assert resolved.source == config.MACHINE
    from sqlalchemy.engine import make_url

    assert make_url(resolved.url).database == str(loc.machine_data / "data"
                                                  / "layanan_tenaga_kerja.sqlite")


def test_cancelled_wizard_writes_nothing(loc, seen):
    assert app_module.run_gui(None, demo=False) == 0
    assert seen["login"] == 0 and config.resolve(None).url is None


def test_configured_empty_database_asks_for_the_first_administrator(loc, seen, tmp_path):
    url = f"sqlite:///{tmp_path / 'dipasang.sqlite'}"
    config.save_connection(url, config.MACHINE)
    seen["drive"] = lambda w: bool(w.db)  # accepted at once: no account made
    app_module.run_gui(None, demo=False)
    assert seen["wizard_start"] == PAGE_ADMIN


def test_configured_database_with_accounts_goes_to_the_login(loc, seen, sqlite_db):
    config.save_connection(sqlite_db.url, config.USER)
    assert app_module.run_gui(None, demo=False) == 0
    assert seen["wizard_start"] is None and seen["login"] == 1
    assert seen["demo_table"] is False


def test_demo_keeps_its_own_database(loc, seen, sqlite_db, monkeypatch):
    config.save_connection(sqlite_db.url, config.MACHINE)
    seeded = []
    monkeypatch.setattr("desktop_app.core.demo.cases.seed_demo", lambda db: seeded.append(db.url))
    assert app_module.run_gui(None, demo=True) == 0
    assert seeded == [loc.demo_database_url()] and seen["wizard_start"] is None
    assert seen["demo_table"] is True


def test_unreachable_server_says_why_and_offers_the_setup(loc, seen, no_blocking_message_boxes):
    config.save_connection("postgresql://ltk_app@127.0.0.1:1/layanan", config.MACHINE)
    assert app_module.run_gui(None, demo=False) == 2  # the offered wizard was cancelled
    kind, text = no_blocking_message_boxes[-1]
    assert kind == "question" and "port 1" in text and "konfigurasi komputer" in text
    assert seen["wizard_start"] == PAGE_MODE


def test_daily_backup_after_login_shows_its_date_to_the_administrator(qtbot, demo_db, make_ctx,
                                                                       free_widgets):
    ctx = make_ctx(demo_db, "admin")
    window = app_module.build_main_window(ctx, idle_timeout_ms=0)
    qtbot.addWidget(window)
    app_module._daily_backup(ctx, window)
    label = window.findChild(QLabel, "lastBackupLabel")
    assert label is not None
    qtbot.waitUntil(lambda: any(backup_dir(demo_db).glob("*.ltkbak")), timeout=60_000)
    qtbot.waitUntil(lambda: "30 November 2026" in label.text(), timeout=10_000)
    assert label.text().startswith("Cadangan terakhir")


def test_clerk_does_not_see_the_backup_label(qtbot, demo_db, make_ctx, free_widgets):
    ctx = make_ctx(demo_db, "petugas")
    window = app_module.build_main_window(ctx, idle_timeout_ms=0)
    qtbot.addWidget(window)
    app_module._daily_backup(ctx, window)
    qtbot.waitUntil(lambda: any(backup_dir(demo_db).glob("*.ltkbak")), timeout=60_000)
    assert window.findChild(QLabel, "lastBackupLabel") is None


def test_slow_start_up_work_shows_the_splash_and_fast_work_does_not(qtbot, free_widgets):
    import time

    from PySide6.QtWidgets import QApplication

    from desktop_app.gui.splash import StartupSplash, run_with_progress

    def visible_splashes() -> int:
        return sum(1 for w in QApplication.topLevelWidgets()
                   if isinstance(w, StartupSplash) and w.isVisible())

    from PySide6.QtCore import QTimer

    seen: list[int] = []  # looked at from the GUI thread while the work runs

    def slow(progress):
        progress("Meningkatkan skema…")
        time.sleep(1.5)
        return 42

    QTimer.singleShot(100, lambda: seen.append(visible_splashes()))
    QTimer.singleShot(1000, lambda: seen.append(visible_splashes()))
    assert run_with_progress("Uji", "Membuka basis data…", slow) == 42
    assert seen == [0, 1]  # not before half a second, then shown
    assert visible_splashes() == 0
    assert run_with_progress("Uji", "cepat", lambda _p: 7) == 7
    qtbot.wait(700)
    assert visible_splashes() == 0  # fast work never flashes a splash
    with pytest.raises(ValueError, match="rusak"):
        run_with_progress("Uji", "gagal", lambda _p: (_ for _ in ()).throw(ValueError("rusak")))
