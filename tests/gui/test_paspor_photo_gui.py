"""The CPMI's photo on the passport recommendation where the clerk meets it: the office setting
in Dokumen dan Kop Surat, the Dokumen tab naming the missing photo, and the photo attached on
the checklist's "Pas foto 3x4" in the Lampiran tab."""

from __future__ import annotations

import io
import random

import pytest
from PySide6.QtWidgets import QFileDialog

from desktop_app.core import cases, settings
from desktop_app.core.demo.cases import advance
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.documents.context import install_placeholder_emblem
from desktop_app.core.sop import get_sop
from desktop_app.gui.case_detail import CaseDetailDialog
from desktop_app.gui.office_documents_settings import OfficeDocumentsSettings

pytestmark = pytest.mark.gui


def test_setting_defaults_to_a_photo_and_is_saved(qtbot, sqlite_db, make_ctx):
    widget = OfficeDocumentsSettings(make_ctx(sqlite_db, "admin"))
    qtbot.addWidget(widget)
    assert widget.paspor_photo.isChecked()  # the office's form has one (default)
    widget.paspor_photo.setChecked(False)
    assert widget.save()
    assert settings.get_setting(sqlite_db, settings.DOCUMENTS)["paspor_pas_foto"] is False
    again = OfficeDocumentsSettings(make_ctx(sqlite_db, "admin"))
    qtbot.addWidget(again)
    assert not again.paspor_photo.isChecked()


def test_dokumen_tab_names_the_missing_photo_then_the_lampiran_tab_supplies_it(
        qtbot, sqlite_db, clock, make_ctx, no_blocking_message_boxes, monkeypatch, tmp_path):
    from PIL import Image

    install_placeholder_emblem(sqlite_db)
    actors = {n: make_ctx(sqlite_db, n).actor for n in ("petugas", "admintu", "kasi", "kabid")}
    rng = random.Random(4)
    case = cases.register_case(sqlite_db, actors["petugas"], "paspor",
                               demo_intake("paspor", rng, clock.now.date()),
                               {r.code: True for r in get_sop("paspor").requirements})
    case = advance(sqlite_db, actors, case, 2, rng)
    assert case.current_step == 4
    dlg = CaseDetailDialog(make_ctx(sqlite_db, "admintu"), case.id)
    qtbot.addWidget(dlg)
    dlg.documents.draft("rekomendasi_paspor")
    qtbot.waitUntil(lambda: not dlg.documents.busy and bool(dlg.documents.last_error),
                    timeout=30000)
    assert "Pas foto 3x4 (tab Lampiran)" in dlg.documents.last_error
    assert "foto.src" not in dlg.documents.last_error

    photo = tmp_path / "pas_foto.png"
    buf = io.BytesIO()
    Image.new("RGB", (354, 472), (225, 230, 235)).save(buf, "PNG")
    photo.write_bytes(buf.getvalue())
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(photo), "")))
    box = dlg.attachment_requirement
    box.setCurrentIndex(box.findData("pas_foto_3x4"))
    assert box.currentText() == "Pas foto 3x4"
    assert dlg.add_attachment()
    dlg.documents.last_error = ""
    dlg.documents.draft("rekomendasi_paspor")
    qtbot.waitUntil(lambda: not dlg.documents.busy and any(
        v.doc_type == "rekomendasi_paspor" for v in dlg.documents.views), timeout=30000)
    assert not dlg.documents.last_error
