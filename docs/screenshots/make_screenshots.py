"""Render the screenshots in this folder (offscreen, Fusion, 1280×800) from fresh demo data.

Run from the repository root: ``python docs/screenshots/make_screenshots.py``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop_app.core import auth  # noqa: E402
from desktop_app.core.db import open_database  # noqa: E402
from desktop_app.core.demo.cases import seed_demo  # noqa: E402
from desktop_app.core.sop import load_sops  # noqa: E402
from desktop_app.gui.app import _application, build_main_window  # noqa: E402
from desktop_app.gui.context import AppContext  # noqa: E402
from desktop_app.gui.login import LoginDialog  # noqa: E402

OUT = Path(__file__).resolve().parent


class Clock:
    now = datetime(2026, 11, 30, 9, 0)

    def __call__(self) -> datetime:
        return self.now


def main() -> None:
    app = _application()

    def pump(seconds: float = 0.5) -> None:
        end = time.time() + seconds
        while time.time() < end:
            app.processEvents()
            time.sleep(0.01)

    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{tmp}/demo.sqlite", clock=clock)
        seed_demo(db)
        clock.now += timedelta(minutes=40)  # some 5- and 10-minute steps are late now
        ctx = AppContext(db=db, sops=load_sops(), demo=True)
        login = LoginDialog(ctx)
        login.show()
        pump(0.3)
        login.grab().save(str(OUT / "login_demo.png"))
        login.close()

        for username, shots in (("kabid", ("tugas_saya_kabid",)),
                                ("petugas", ("sop_tab_ak1",)),
                                ("admin", ("pengguna_admin", "pengaturan_admin"))):
            ctx.actor = auth.login(db, username, f"{username}-demo-2026")
            window = build_main_window(ctx, idle_timeout_ms=0)
            window.resize(1280, 800)
            window.show()
            pump(1.0)
            for shot in shots:
                if shot == "sop_tab_ak1":
                    window.tabs.setCurrentWidget(window.sop_tabs["ak1"])
                elif shot == "pengguna_admin":
                    window.tabs.setCurrentWidget(window.users_panel)
                elif shot == "pengaturan_admin":
                    window.tabs.setCurrentWidget(window.settings_panel)
                pump(1.0)
                window.grab().save(str(OUT / f"{shot}.png"))
            window.close()
        ctx.actor = auth.login(db, "kasi", "kasi-demo-2026")
        window = build_main_window(ctx, idle_timeout_ms=50)
        window.resize(1280, 800)
        window.show()
        pump(0.5)
        window.grab().save(str(OUT / "layar_terkunci.png"))
        window.close()
        db.dispose()


if __name__ == "__main__":
    main()
