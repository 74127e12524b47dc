"""Issue 12: the office chooses where letter serials come from (docs/numbering.md) in the
documents settings window; the change is audited, admin only, and moves the next number to the
other series."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from desktop_app.core import settings
from desktop_app.core.documents import service as ds
from desktop_app.core.models import AuditEvent
from desktop_app.core.numbering import letter_series
from desktop_app.core.sop import get_sop
from desktop_app.gui.office_documents_settings import OfficeDocumentsSettings

pytestmark = pytest.mark.gui


def _next_series(db) -> str:
    sop = get_sop("jht")
    spec = next(d for d in sop.documents if d.code == "surat_klaim_jht")
    return ds._series_name(db, sop, spec, 2026)


def test_series_setting_changes_the_next_numbers_series(qtbot, sqlite_db, make_ctx):
    widget = OfficeDocumentsSettings(make_ctx(sqlite_db, "admin"))
    qtbot.addWidget(widget)
    assert widget.series.currentData() == ds.SERIES_CLASSIFICATION  # the documented default
    assert _next_series(sqlite_db) == letter_series("500.15.3", 2026)
    widget.series.setCurrentIndex(widget.series.findData(ds.SERIES_UNIT))
    assert widget.save()
    assert settings.get_setting(sqlite_db, settings.NUMBERING)["series"] == ds.SERIES_UNIT
    assert _next_series(sqlite_db) == "surat-unit:TK:2026"
    with sqlite_db.read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "ubah_pengaturan",
                                                   AuditEvent.entity_id == settings.NUMBERING)
                          .order_by(AuditEvent.seq.desc())).first()
    assert event.username == "admin"
    assert json.loads(event.detail)["diubah"]["series"] == {"dari": "klasifikasi",
                                                            "menjadi": "unit"}
    # A fresh window shows what is stored.
    again = OfficeDocumentsSettings(make_ctx(sqlite_db, "admin"))
    qtbot.addWidget(again)
    assert again.series.currentData() == ds.SERIES_UNIT


def test_only_an_administrator_changes_the_series(qtbot, sqlite_db, make_ctx):
    widget = OfficeDocumentsSettings(make_ctx(sqlite_db, "kabid"))
    qtbot.addWidget(widget)
    widget.series.setCurrentIndex(widget.series.findData(ds.SERIES_UNIT))
    assert not widget.save()
    assert "Administrator" in widget.errors.general.text()
    assert settings.get_setting(sqlite_db, settings.NUMBERING)["series"] == ds.SERIES_CLASSIFICATION
