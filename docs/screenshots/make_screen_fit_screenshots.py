"""Screenshots of the main screens on the office's 1366x768 screen, at 100 % and at 125 %.

Run from the repository root: ``python docs/screenshots/make_screen_fit_screenshots.py``.
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


def run_all() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "screen.json"
        config.write_text(json.dumps({"screens": [{"name": "office", "x": 0, "y": 0,
                                                   "width": 1366, "height": 768,
                                                   "logicalDpi": 96, "dpr": 1}]}))
        for name, factor in CONFIGS.items():
            env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
                       QT_SCALE_FACTOR=factor, SCREEN_FIT_NAME=name,
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
        seed_demo(db)
        setup_demo_signing(db)
        clock.now += timedelta(minutes=40)

        def ctx_of(username: str) -> AppContext:
            ctx = AppContext(db=db, sops=load_sops(), demo=True)
            ctx.actor = auth.login(db, username, f"{username}-demo-2026")
            return ctx

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
        db.dispose()


if __name__ == "__main__":
    if "--one" in sys.argv:
        one()
    else:
        run_all()
