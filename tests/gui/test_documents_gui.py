"""Documents tab, PDF preview and printing, and the document settings (offscreen)."""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox

from desktop_app.core import auth, cases
from desktop_app.core.db import Database
from desktop_app.core.demo.cases import advance
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.documents import context as dc
from desktop_app.core.documents import service as ds
from desktop_app.core.sop import get_sop
from desktop_app.gui.documents_panel import DocumentsPanel
from desktop_app.gui.office_documents_settings import OfficeDocumentsSettings
from desktop_app.gui.pdf_preview import PdfPreviewDialog


def actors_of(db: Database) -> dict[str, auth.Actor]:
    from sqlalchemy import select

    from desktop_app.core.models import User

    with db.read() as s:
        ids = dict(s.execute(select(User.username, User.id)).all())
    return {name: auth.actor_for(db, uid) for name, uid in ids.items()}


def _case(db: Database, code: str, steps: int) -> cases.CaseDetail:
    dc.install_placeholder_emblem(db)
    actors = actors_of(db)
    rng = random.Random(9)
    sop = get_sop(code)
    case = cases.register_case(db, actors["petugas"], code,
                               demo_intake(code, rng, db.now().date()),
                               {r.code: True for r in sop.requirements})
    return advance(db, actors, case, steps, rng)


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []

    def fake(_parent: Any, _title: str, text: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", fake)
    return seen


def test_panel_lists_drafts_off_thread_and_previews(qtbot, sqlite_db, make_ctx,
                                                    warnings) -> None:
    case = _case(sqlite_db, "jht", 1)
    ds.draft_document(sqlite_db, actors_of(sqlite_db)["petugas"], case.id, "tanda_terima")
    panel = DocumentsPanel(make_ctx(sqlite_db, "jfu"), case.id)
    qtbot.addWidget(panel)
    assert panel.table.rowCount() == 1
    assert panel.table.item(0, 2).text() == "Siap Cetak"
    assert [t[0] for t in panel.types] == ["tanda_terima", "surat_klaim_jht"]
    assert "Surat Permohonan Klaim" in panel.missing_label.text()
    panel.type_box.setCurrentIndex(1)
    panel.draft_selected_type()
    assert panel.busy and panel.progress.isVisible() is not None
    qtbot.waitUntil(lambda: not panel.busy, timeout=20000)
    assert not warnings
    assert panel.table.rowCount() == 2
    assert panel.table.item(1, 2).text() == "Draf"
    assert panel.selected().doc_type == "surat_klaim_jht"
    assert panel.submit_button.isEnabled()
    dialog = panel.open_preview(panel.selected())
    qtbot.addWidget(dialog)
    pdf = ds.document_pdf(sqlite_db, panel.selected().id)
    assert dialog.page_count == len(PdfReader(io.BytesIO(pdf)).pages)
    dialog.zoom_in.click()
    dialog.fit_page.click()


def test_missing_field_message(qtbot, sqlite_db, make_ctx, warnings) -> None:
    case = _case(sqlite_db, "ak1", 1)  # at step 3, no pas foto
    panel = DocumentsPanel(make_ctx(sqlite_db, "admintu"), case.id)
    qtbot.addWidget(panel)
    panel.draft("kartu_ak1")
    qtbot.waitUntil(lambda: not panel.busy, timeout=20000)
    assert len(warnings) == 1
    assert "Pas foto 3×4 (tab Lampiran)" in warnings[0]
    assert panel.table.rowCount() == 0


def test_preview_saves_the_pdf_as_is(qtbot, sqlite_db, tmp_path: Path) -> None:
    """Printing itself is measured on real print queues in tests/printing."""
    case = _case(sqlite_db, "phi", 3)
    cases.update_case(sqlite_db, actors_of(sqlite_db)["admin"], case.id,
                      expected_version=case.version,
                      data={"dinas_tujuan_mediator": "Dinas Tenaga Kerja Kabupaten Lahat"})
    view = ds.draft_document(sqlite_db, actors_of(sqlite_db)["jfu"], case.id,
                             "surat_permohonan_mediator")
    pdf = ds.document_pdf(sqlite_db, view.id)
    dialog = PdfPreviewDialog(pdf, "Surat", None)
    qtbot.addWidget(dialog)
    assert dialog.page_count == len(PdfReader(io.BytesIO(pdf)).pages)
    assert dialog.save_to(str(tmp_path / "salinan")) and (tmp_path / "salinan.pdf").read_bytes() == pdf


def test_settings_validate_at_the_field(qtbot, sqlite_db, make_ctx) -> None:
    widget = OfficeDocumentsSettings(make_ctx(sqlite_db, "admin"))
    qtbot.addWidget(widget)
    widget.letter_pattern.setText("{kode}/{salah}")
    widget.classification["jht"].setText("abc")
    assert not widget.save()
    assert "Pola tidak valid" in widget.errors.message("letter_pattern")
    assert "500.15.3" in widget.errors.message("classification.jht")
    widget.letter_pattern.setText("{kode}/{nomor:03d}/{unit}/{tahun}")
    widget.classification["jht"].setText("500.15.9")
    widget.paper.setCurrentText("F4")
    assert widget.save()
    from desktop_app.core import settings

    assert settings.get_setting(sqlite_db, settings.NUMBERING)["classification"] == {
        "jht": "500.15.9"}
    assert settings.get_setting(sqlite_db, settings.DOCUMENTS)["paper"] == "F4"
    assert not widget.set_emblem(b"not an image", "image/gif", "x.gif")
    assert "PNG, JPG atau SVG" in widget.errors.message("lambang")
    index = next(i for i, u in enumerate(widget._officials) if u.username == "kadis")
    widget.official_box.setCurrentIndex(index)
    widget.official_nip.setText("123")
    assert not widget.save_official()
    assert "18 digit" in widget.official_errors.message("nip")
