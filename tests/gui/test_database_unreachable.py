"""Issue 8, item 7: a database server that goes away. Every place the user meets it says so in
Indonesian with what to do - the start, an SOP tab, saving a new case, the login - and never
shows the driver's text; what nothing caught goes to the log file the message names."""

from __future__ import annotations

import logging
import os

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


class _Proxy:
    """A TCP relay to the PostgreSQL server that can "go away": :meth:`stop` closes the port
    and cuts every open connection (what a lost network does), :meth:`start` opens it again."""

    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 5432)) -> None:
        self.target = target
        self.port = 0
        self.running = False
        self.sockets: list = []
        self.lock = __import__("threading").Lock()

    def start(self) -> None:
        import socket
        import threading

        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.1)
        self.port = listener.getsockname()[1]
        self.running = True
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener) -> None:
        import socket
        import threading

        while self.running:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            client.settimeout(None)
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()
        listener.close()

    @staticmethod
    def _pipe(a, b) -> None:
        import contextlib
        import socket

        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        import contextlib
        import socket
        import time

        self.running = False
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
        time.sleep(0.3)  # the accept loop has closed the port


def test_banner_on_postgresql_that_goes_away_and_comes_back(qtbot, pg_template, make_ctx,
                                                            clock, no_blocking_message_boxes):
    """The same on a real PostgreSQL reached through a relay that is cut (connections dropped,
    port closed) and restored: banner, retries, then gone and the list reloaded."""
    import uuid

    import psycopg

    from desktop_app.core.db import open_database
    from desktop_app.gui.main_window import MainWindow

    pg_url = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    name = f"t_i8b_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    from urllib.parse import urlparse

    server = urlparse(pg_url)
    proxy = _Proxy((server.hostname or "127.0.0.1", server.port or 5432))
    proxy.start()
    db = open_database(f"postgresql+psycopg://postgres@127.0.0.1:{proxy.port}/{name}"
                       "?connect_timeout=3", clock=clock, migrate=False)
    try:
        ctx = make_ctx(db, "petugas")
        window = MainWindow(ctx, idle_timeout_ms=0)
        qtbot.addWidget(window)
        window.connection._timer.setInterval(300)
        window.show()
        tab = window.sop_tabs["jht"]
        window.tabs.setCurrentWidget(tab)
        qtbot.waitUntil(lambda: tab._started and not tab.model.is_loading, timeout=20000)
        banner = window.connection.banner
        assert not banner.isVisible()

        proxy.stop()  # the server goes away
        window.refresh_current()
        qtbot.waitUntil(banner.isVisible, timeout=20000)
        qtbot.waitUntil(lambda: "Koneksi" in tab.count_label.text(), timeout=20000)
        _clean(tab.count_label.text())
        qtbot.wait(900)
        assert banner.isVisible()

        proxy.start()  # and answers again
        qtbot.waitUntil(lambda: not banner.isVisible(), timeout=20000)
        qtbot.waitUntil(lambda: not tab.model.is_loading, timeout=20000)
        assert "Koneksi" not in tab.count_label.text()
        assert not no_blocking_message_boxes
    finally:
        proxy.stop()
        db.dispose()
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _fits(label, window) -> None:
    """The label's whole text is inside its rect, and the rect inside the window."""
    from PySide6.QtCore import QPoint

    text_width = label.fontMetrics().horizontalAdvance(label.text())
    assert text_width <= label.contentsRect().width(), (label.text(), text_width,
                                                       label.contentsRect().width())
    right = label.mapTo(window, QPoint(label.width(), 0)).x()
    assert right <= window.width(), (right, window.width())


def test_count_labels_fit_at_1093_px_while_the_server_is_away(qtbot, sqlite_db, make_ctx,
                                                               gone_db):
    """At 1366x768 and 125 % (1093 logical pixels) the SOP tab's count label, which says the
    connection is lost while the banner shows, and Tugas Saya's count are not cut off."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication

    from desktop_app.gui.main_window import MainWindow

    ctx = make_ctx(sqlite_db, "petugas")
    window = MainWindow(ctx, idle_timeout_ms=0)
    qtbot.addWidget(window)
    window.connection._timer.setInterval(60_000)
    window.resize(1093, 614)
    window.show()
    assert window.width() == 1093
    tasks = window.tasks_tab
    qtbot.waitUntil(lambda: "berkas" in tasks.count_label.text(), timeout=20000)
    QApplication.processEvents()
    _fits(tasks.count_label, window)
    search = window.reports.search  # the menu bar's search box, whole inside the window
    right = search.mapTo(window, QPoint(search.width(), 0)).x()
    assert search.width() >= 300 and right <= window.width(), (search.geometry(), right)
    tab = window.sop_tabs["jht"]
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab._started and not tab.model.is_loading, timeout=20000)
    QApplication.processEvents()
    _fits(tab.count_label, window)

    ctx.db = gone_db  # the server goes away: the banner, and the count says so
    window.refresh_current()
    qtbot.waitUntil(window.connection.banner.isVisible, timeout=20000)
    qtbot.waitUntil(lambda: "Koneksi" in tab.count_label.text(), timeout=20000)
    QApplication.processEvents()
    _fits(tab.count_label, window)
    _fits(window.connection.banner, window)
    # the whole message stays available on the label
    assert "isian Anda tidak hilang" in tab.count_label.toolTip()
    window.connection.stop()
    ctx.db = sqlite_db
