"""Render the first-run wizard's pages into this folder (offscreen, on throw-away folders).

Run from the repository root: ``python docs/screenshots/make_setup_screenshots.py``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop_app.core.config import Locations  # noqa: E402
from desktop_app.gui.app import _application  # noqa: E402
from desktop_app.gui.setup_wizard import SetupWizard  # noqa: E402

OUT = Path(__file__).resolve().parent


def main() -> None:
    app = _application()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        loc = Locations(base / "mesin", base / "pengguna", base / "data-mesin", base / "data")
        w = SetupWizard(loc)
        w.resize(680, 600)
        w.show()

        def shot(name: str) -> None:
            for _ in range(5):
                app.processEvents()
            w.grab().save(str(OUT / f"{name}.png"))

        shot("penyiapan_1_lokasi")
        w.mode_page.server.setChecked(True)
        w.next()
        page = w.server_page
        page.host.setText("server-kantor")
        page.port.setValue(1)
        page.password.setText("rahasia")
        page.host.setText("127.0.0.1")
        page.test_button.click()
        shot("penyiapan_2_server_gagal")
        w.back()
        w.mode_page.local.setChecked(True)
        w.next()
        w.next()
        a = w.admin_page
        a.full_name.setText("Rina Marlina")
        a.username.setText("rina")
        a.password.setText("admin-kantor-1")
        a.password_again.setText("admin-kantor-2")
        w.next()
        shot("penyiapan_3_admin_salah")
        a.password_again.setText("admin-kantor-1")
        w.next()
        lambang = (ROOT / "resources" / "images" / "lambang_placeholder.svg").read_bytes()
        w.profile_page.set_emblem(lambang, "image/svg+xml", "lambang_kota.svg")
        shot("penyiapan_4_kop")
        w.next()
        kadis = w.officials_page.edits["kadis"]
        kadis["full_name"].setText("Drs. H. Ahmad Fauzi, M.Si")
        kadis["nip"].setText("196805121994031004")
        kadis["pangkat"].setText("Pembina Utama Muda / IV.c")
        shot("penyiapan_5_pejabat")
        w.next()
        shot("penyiapan_6_selesai")
        w.db.dispose()


if __name__ == "__main__":
    main()
