"""Render the pictures in this folder: the revision comparison dialog and the versions panel
(offscreen Qt, fresh demo data), and the exported BPMN diagrams opened in bpmn-js in headless
Chromium (Debian ``chromium``; bpmn-js from ``tools/bpmn``, installed with ``npm ci``).

Run from the repository root: ``python docs/sop_versions/make_pictures.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "gui"))
sys.path.insert(0, str(ROOT / "tests" / "core"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop_app.core import auth, sop_versions  # noqa: E402
from desktop_app.core.bpmn import export_bpmn  # noqa: E402
from desktop_app.core.db import open_database  # noqa: E402
from desktop_app.core.demo.cases import seed_demo  # noqa: E402
from desktop_app.core.sop_import import import_sop_document  # noqa: E402
from desktop_app.gui.admin.sop_revision import RevisionDialog  # noqa: E402
from desktop_app.gui.admin.sop_versions import SopVersionsPanel  # noqa: E402
from desktop_app.gui.app import _application  # noqa: E402
from desktop_app.gui.context import AppContext  # noqa: E402

OUT = Path(__file__).resolve().parent
DIST = ROOT / "tools" / "bpmn" / "node_modules" / "bpmn-js" / "dist"
PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="{dist}/assets/diagram-js.css">
<link rel="stylesheet" href="{dist}/assets/bpmn-js.css">
<link rel="stylesheet" href="{dist}/assets/bpmn-font/css/bpmn.css">
<style>html,body,#c{{margin:0;width:100%;height:100%;background:#fff}}</style></head>
<body><div id="c"></div>
<script src="{dist}/bpmn-navigated-viewer.production.min.js"></script>
<script>
const viewer = new BpmnJS({{container: '#c'}});
viewer.importXML({xml}).then(r => {{
  viewer.get('canvas').zoom('fit-viewport');
  if (r.warnings.length) document.body.innerText = 'WARNINGS ' + r.warnings.length;
}}).catch(e => {{ document.body.innerText = 'ERROR ' + e.message; }});
</script></body></html>"""


class Clock:
    now = datetime(2026, 12, 2, 9, 0)

    def __call__(self) -> datetime:
        return self.now


def bpmn_pictures(db, tmp: Path) -> None:  # noqa: ANN001
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None or not DIST.is_dir():
        print("chromium or tools/bpmn/node_modules missing: BPMN pictures skipped")
        return
    for code, size in (("phi", "1280,1500"), ("pelatihan", "1180,2050")):
        with db.read() as s:
            _, sop = sop_versions.active_version(s, code)
        page = tmp / f"{code}.html"
        page.write_text(PAGE.format(dist=DIST.as_uri(), xml=json.dumps(export_bpmn(sop))),
                        encoding="utf-8")
        target = OUT / f"bpmn_{code}_bpmn-js.png"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--hide-scrollbars", "--allow-file-access-from-files",
                        f"--window-size={size}", "--virtual-time-budget=8000",
                        f"--screenshot={target}", page.as_uri()],
                       check=True, capture_output=True, timeout=120)
        print(target)


def main() -> None:
    from test_sop_versions_gui import revised_jht_file

    app = _application()
    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = open_database(f"sqlite:///{tmp}/demo.sqlite", clock=clock)
        seed_demo(db)
        admin_id = next(u.id for u in auth.list_users(db) if u.username == "admin")
        ctx = AppContext(db=db, sops=sop_versions.active_sops(db),
                         actor=auth.actor_for(db, admin_id))
        path = revised_jht_file(tmp)
        running, texts = sop_versions.running_texts(db)
        result = import_sop_document(path.read_bytes(), path.name, running=running,
                                     base_texts=texts)
        draft = sop_versions.save_draft(db, ctx.user, result.text, path.name,
                                        result.report_lines())
        dialog = RevisionDialog(ctx, draft)
        dialog.resize(1400, 860)
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(OUT / "revisi_berdampingan.png"))
        dialog.close()
        panel = SopVersionsPanel(ctx)
        panel.resize(1280, 420)
        panel.show()
        app.processEvents()
        panel.grab().save(str(OUT / "versi_sop_admin.png"))
        panel.close()
        print(OUT / "revisi_berdampingan.png")
        bpmn_pictures(db, tmp)
        db.dispose()


if __name__ == "__main__":
    main()
