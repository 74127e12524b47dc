"""Administrator's SOP versions through the real windows: import a revised SOP document, see
it side by side with the running version, look at its SOP sheet, activate it; refused files
get a message and nothing is kept."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop_app.core import sop_versions
from desktop_app.gui.admin.sop_revision import RevisionDialog
from desktop_app.gui.admin.sop_versions import SopVersionsPanel
from desktop_app.gui.sop_sheet_dialog import SopSheetDialog

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from sop_documents import revised_jht, seed_blocks, sop_docx  # noqa: E402

pytestmark = pytest.mark.gui


def revised_jht_file(tmp_path: Path) -> Path:
    """JHT with a new step 3, the old step 3 re-timed and the old step 6 reworded."""
    path = tmp_path / "SOP JHT revisi 2026.docx"
    path.write_bytes(sop_docx([revised_jht(retime=True, reword=True,
                                           revised="2 Desember 2026")]))
    return path


def test_import_compare_view_and_activate(qtbot, demo_db, make_ctx, monkeypatch, tmp_path):
    ctx = make_ctx(demo_db, "admin")
    panel = SopVersionsPanel(ctx)
    qtbot.addWidget(panel)
    assert panel.table.rowCount() == 6
    seen = {}

    def fake_sheet_exec(self):
        seen["sheet"] = self.windowTitle()
        return 0

    def fake_revision_exec(self):
        seen["changes"] = [self.table.item(r, 4).text() for r in range(self.table.rowCount())]
        assert not self.activate_button.isEnabled()  # Lihat SOP first
        self.view_sheet()
        assert self.activate_button.isEnabled()
        self.activate()
        return 1

    monkeypatch.setattr(SopSheetDialog, "exec", fake_sheet_exec)
    monkeypatch.setattr(RevisionDialog, "exec", fake_revision_exec)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    panel.import_document(revised_jht_file(tmp_path))
    assert seen["changes"] == ["Tetap", "Tetap", "Langkah baru", "Waktu baku diubah",
                               "Tetap", "Tetap", "Kata diubah"]
    assert seen["sheet"].startswith("Lihat SOP — REGISTRASI KLAIM") and "draf" in seen["sheet"]
    rows = [r for r in sop_versions.list_versions(demo_db, ctx.user, "jht")]
    assert [(r.version, r.status) for r in rows] == [(2, "aktif"), (1, "lama")]
    assert rows[1].open_cases > 0  # the demo's open JHT cases stay on version 1
    assert panel.table.rowCount() == 7


def test_refused_document_shows_why_and_keeps_nothing(qtbot, demo_db, make_ctx, monkeypatch,
                                                      tmp_path):
    ctx = make_ctx(demo_db, "admin")
    panel = SopVersionsPanel(ctx)
    qtbot.addWidget(panel)
    path = tmp_path / "gabung.docx"
    path.write_bytes(sop_docx([seed_blocks()[0]], merge_step_cell=True))
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: shown.append(
        (title, text)))
    panel.import_document(path)
    assert shown == [("Dokumen tidak dapat dibaca",
                      "gabung.docx: langkah 6 memakai sel gabungan (kolom ke-3); jalur dan mutu "
                      "baku tiap langkah harus di sel masing-masing. Pisahkan sel yang digabung "
                      "di tabel alur lalu impor lagi.")]
    assert len(sop_versions.list_versions(demo_db, ctx.user)) == 6
