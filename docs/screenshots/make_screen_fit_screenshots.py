"""Screenshots of the main screens on the office's 1366x768 screen, at 100 % and at 125 %.

Run from the repository root: ``python docs/screenshots/make_screen_fit_screenshots.py``
(``--reports``: only the reports windows and the setup wizard).
It starts itself twice, on an offscreen 1366x768 screen, once plain and once with
``QT_SCALE_FACTOR=1.25`` (Qt then has 1093x614 logical pixels, as on Windows at 125 %); the
taskbar (40 px) is taken off the available geometry. Files: ``fit_<screen>_<window>.png``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
CONFIGS = {"1366x768_100": "1", "1366x768_125": "1.25"}


def run_all(only: str = "") -> None:
    """``only``: "reports" (reports windows and the setup wizard) or "" for everything."""
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "screen.json"
        config.write_text(json.dumps({"screens": [{"name": "office", "x": 0, "y": 0,
                                                   "width": 1366, "height": 768,
                                                   "logicalDpi": 96, "dpr": 1}]}))
        for name, factor in CONFIGS.items():
            env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
                       QT_SCALE_FACTOR=factor, SCREEN_FIT_NAME=name, SCREEN_FIT_ONLY=only,
                       PYTHONPATH=str(ROOT))
            subprocess.run([sys.executable, __file__, "--one"], env=env, check=True)


class Clock:
    now = datetime(2026, 11, 30, 9, 0)

    def __call__(self) -> datetime:
        return self.now


def one() -> None:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QRect

    from desktop_app.core import auth
    from desktop_app.core.db import open_database
    from desktop_app.core.demo.cases import seed_demo
    from desktop_app.core.demo.signing import setup_demo_signing
    from desktop_app.core.signing import queue
    from desktop_app.core.sop import get_sop, load_sops
    from desktop_app.gui import screen_fit
    from desktop_app.gui.app import _application, build_main_window
    from desktop_app.gui.case_detail import CaseDetailDialog
    from desktop_app.gui.context import AppContext
    from desktop_app.gui.intake import IntakeDialog
    from desktop_app.gui.signing_queue import SigningQueueWindow

    app = _application()
    name = os.environ["SCREEN_FIT_NAME"]
    screen = app.primaryScreen().geometry()
    taskbar = round(40 / float(os.environ.get("QT_SCALE_FACTOR", "1")))
    area = QRect(0, 0, screen.width(), screen.height() - taskbar)
    screen_fit.available_geometry = lambda _w=None: area  # the offscreen screen has no taskbar

    def pump(seconds: float = 0.6) -> None:
        end = time.time() + seconds
        while time.time() < end:
            app.processEvents()
            time.sleep(0.01)

    def shot(widget, file: str) -> None:
        widget.show()
        pump()
        widget.grab().save(str(OUT / f"fit_{name}_{file}.png"))
        print(f"{name} {file}: {widget.width()}x{widget.height()} in {area.width()}x"
              f"{area.height()}")

    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{tmp}/demo.sqlite", clock=clock)
        try:
            seed_demo(db)
        except Exception as exc:  # noqa: BLE001 - keep the cases seeded so far
            print(f"seed_demo stopped early ({type(exc).__name__}: {exc}); using what it made")
        setup_demo_signing(db)
        clock.now += timedelta(minutes=40)

        def ctx_of(username: str) -> AppContext:
            ctx = AppContext(db=db, sops=load_sops(), demo=True)
            ctx.actor = auth.login(db, username, f"{username}-demo-2026")
            return ctx

        if os.environ.get("SCREEN_FIT_ONLY") == "reports":
            reports(db, ctx_of, shot)
            wizard(db, ctx_of("admin"), Path(tmp), shot)
            db.dispose()
            return
        petugas = ctx_of("petugas")
        window = build_main_window(petugas)
        window.tabs.setCurrentWidget(window.sop_tabs["ak1"])
        shot(window, "utama_ak1")
        intake = IntakeDialog(petugas, get_sop("ak1"), window)
        shot(intake, "pendaftaran_ak1")
        intake.close()
        from desktop_app.core.cases import CaseQuery, list_cases

        case = next(r for r in list_cases(db, CaseQuery(sop_code="ak1"))
                    if r.status != "selesai")
        detail = CaseDetailDialog(petugas, case.id, window)
        shot(detail, "berkas_ak1")
        detail.close()
        window.close()
        kadis = ctx_of("kadis")
        if queue.queue_count(db, kadis.actor):
            win = SigningQueueWindow(kadis)
            shot(win, "antrian_ttd")
            win.close()
        reports(db, ctx_of, shot)
        wizard(db, ctx_of("admin"), Path(tmp), shot)
        db.dispose()


def reports(db, ctx_of, shot) -> None:  # noqa: ANN001
    """The reports windows: dashboard, recaps, register and agenda books, person search,
    counter lookup and the survey entry."""
    from desktop_app.gui.reports.books import AgendaWindow, RegisterWindow
    from desktop_app.gui.reports.dashboard import DashboardWindow
    from desktop_app.gui.reports.people import CounterLookupDialog, PersonSearchWindow
    from desktop_app.gui.reports.recaps import RecapWindow
    from desktop_app.gui.reports.survey_entry import SurveyEntryDialog

    kabid, petugas = ctx_of("kabid"), ctx_of("petugas")
    for file, make in (("dasbor", lambda: DashboardWindow(kabid)),
                       ("rekap", lambda: RecapWindow(kabid)),
                       ("buku_register", lambda: RegisterWindow(petugas)),
                       ("buku_agenda", lambda: AgendaWindow(ctx_of("admintu"))),
                       ("cari_orang", lambda: PersonSearchWindow(petugas, "Siti")),
                       ("cek_loket", lambda: CounterLookupDialog(petugas)),
                       ("survei", lambda: SurveyEntryDialog(petugas))):
        window = make()
        shot(window, file)
        window.close()


def wizard(db, admin, tmp: Path, shot) -> None:  # noqa: ANN001
    """The first-run wizard's first page and its tallest page (the office profile)."""
    from desktop_app.core.config import Locations
    from desktop_app.gui import setup_wizard

    loc = Locations(machine_config=tmp / "m", user_config=tmp / "u", machine_data=tmp / "md",
                    user_data=tmp / "ud")
    for file, page in (("wizard_awal", setup_wizard.PAGE_MODE),
                       ("wizard_profil", setup_wizard.PAGE_PROFILE)):
        w = setup_wizard.SetupWizard(loc)
        w.db, w.admin, w.url = db, admin.user, "sqlite://"
        w.setStartId(page)
        w.restart()
        shot(w, file)
        w.close()


if __name__ == "__main__":
    if "--one" in sys.argv:
        one()
    else:
        run_all("reports" if "--reports" in sys.argv else "")
