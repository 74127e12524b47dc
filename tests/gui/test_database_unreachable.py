"""Issue 8, item 7: a database server that goes away. Every place the user meets it says so in
Indonesian with what to do - the start, an SOP tab, saving a new case, the login - and never
shows the driver's text; what nothing caught goes to the log file the message names."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import create_engine

from desktop_app.core import cases
from desktop_app.core.db import Database
from desktop_app.core.errors import DatabaseUnavailable
from desktop_app.core.sop import load_sops
from desktop_app.gui.context import AppContext

pytestmark = pytest.mark.usefixtures("free_widgets")

GONE = "postgresql+psycopg://postgres@127.0.0.1:1/layanan?connect_timeout=2"
RAW = ("psycopg", "connection", "Connection refused", "Traceback", "OperationalError")


@pytest.fixture
def gone_db(clock):
    engine = create_engine(GONE, pool_pre_ping=True)
    db = Database(url=GONE, engine=engine, write_engine=engine, clock=clock)
    yield db
    engine.dispose()


def _clean(text: str) -> None:
    assert "Koneksi ke server basis data terputus" in text, text
    assert not any(word in text for word in RAW), text


def test_services_raise_an_indonesian_error(gone_db):
    with pytest.raises(DatabaseUnavailable) as err:
        cases.get_case(gone_db, 1)
    _clean(err.value.message)
    assert "127.0.0.1:1" in err.value.message and "isian Anda tidak hilang" in err.value.message


def test_sop_tab_intake_and_login_say_it_in_indonesian(qtbot, sqlite_db, make_ctx, gone_db,
                                                       no_blocking_message_boxes):
    from desktop_app.core.demo.people import demo_intake
    from desktop_app.gui.intake import IntakeDialog
    from desktop_app.gui.login import LoginDialog
    from desktop_app.gui.sop_tab import SopTab

    actor = make_ctx(sqlite_db, "petugas").actor
    ctx = AppContext(db=sqlite_db, sops=load_sops(), actor=actor)
    tab = SopTab(ctx, ctx.sop("jht"))
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: not tab.model.is_loading, timeout=20000)
    ctx.db = gone_db  # the server goes away while the program is open
    tab.refresh()
    qtbot.waitUntil(lambda: "Koneksi" in tab.count_label.text(), timeout=20000)
    _clean(tab.count_label.text())

    intake = IntakeDialog(ctx, ctx.sop("jht"))
    qtbot.addWidget(intake)
    intake.form.set_values(demo_intake("jht", __import__("random").Random(1),
                                       sqlite_db.now().date()))
    for box in intake.requirement_boxes.values():
        box.setChecked(True)
    qtbot.mouseClick(intake.save_button, Qt.MouseButton.LeftButton)
    assert intake.created_case_id is None
    assert no_blocking_message_boxes, "Simpan dan Daftarkan showed nothing"
    _clean(no_blocking_message_boxes[-1][1])

    login = LoginDialog(AppContext(db=gone_db, sops=()))
    qtbot.addWidget(login)
    login.usernameEdit.setText("petugas")
    login.passwordEdit.setText("apa-saja")
    login.try_login()
    _clean(login.messageLabel.text())


def test_exception_hook_logs_and_names_the_file(qtbot, tmp_path, no_blocking_message_boxes):
    from sqlalchemy.exc import OperationalError

    from desktop_app.gui import errors

    path = errors.setup_logging(tmp_path)
    try:
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))
    except OperationalError as exc:
        errors._hook(type(exc), exc, exc.__traceback__)
    kind, text = no_blocking_message_boxes[-1]
    assert kind == "critical"
    _clean(text.split("Rincian")[0])
    assert str(path) in text
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "server closed the connection" in path.read_text(encoding="utf-8")


def test_banner_while_the_server_is_away_then_reload(qtbot, sqlite_db, make_ctx, gone_db, clock):
    """A read that finds the server away puts "Koneksi ke server terputus – mencoba lagi…"
    above the tabs; the program asks again in the background and, once the server answers,
    the banner goes and the list reloads (a case registered meanwhile shows)."""
    import random

    from desktop_app.core.demo.people import demo_intake
    from desktop_app.gui.main_window import MainWindow

    ctx = make_ctx(sqlite_db, "petugas")
    window = MainWindow(ctx, idle_timeout_ms=0)
    qtbot.addWidget(window)
    window.connection._timer.setInterval(300)
    window.show()
    tab = window.sop_tabs["jht"]
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab._started and not tab.model.is_loading, timeout=20000)
    before = tab.model.rowCount()
    banner = window.connection.banner
    assert not banner.isVisible()

    ctx.db = gone_db  # the server goes away
    window.refresh_current()
    qtbot.waitUntil(banner.isVisible, timeout=20000)
    assert banner.text() == "Koneksi ke server terputus – mencoba lagi…"
    assert banner.y() < window.tabs.y()  # above the tabs
    qtbot.wait(900)  # it keeps trying while the server is away
    assert banner.isVisible() and window.connection.is_lost

    sop = ctx.sop("jht")
    cases.register_case(sqlite_db, ctx.actor, "jht",
                        demo_intake("jht", random.Random(3), clock.now.date()),
                        {r.code: True for r in sop.requirements})
    ctx.db = sqlite_db  # the server answers again
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=20000)
    qtbot.waitUntil(lambda: not tab.model.is_loading and tab.model.rowCount() == before + 1,
                    timeout=20000)
    assert "Koneksi" not in tab.count_label.text()
    assert "tersambung kembali" in window.statusbar.currentMessage()
