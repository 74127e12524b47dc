"""Issue 11: a clerk's window shows the cases of its own SOPs only (docs/access.md)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from desktop_app.core import cases
from desktop_app.core.models import AuditEvent
from desktop_app.core.sop import load_sops
from desktop_app.gui import case_actions
from desktop_app.gui.app import build_main_window

pytestmark = pytest.mark.gui


def _lane_labels(roles: set[str]) -> list[str]:
    """From the SOP files: the tab labels of the SOPs where ``roles`` hold a lane."""
    return [s.tab_label for s in sorted(load_sops(), key=lambda s: (s.order, s.code))
            if any(roles & set(lane.roles) for lane in s.lanes)]


def test_a_training_clerk_sees_only_training(qtbot, demo_db, make_ctx, monkeypatch):
    ctx = make_ctx(demo_db, "staf")
    window = build_main_window(ctx, idle_timeout_ms=0)
    qtbot.addWidget(window)
    window.show()
    assert window.tab_titles() == ["Tugas Saya", *_lane_labels({"staf"})]
    assert set(window.sop_tabs) == {"pelatihan"}
    qtbot.waitUntil(lambda: "Memuat" not in window.tasks_tab.count_label.text(),
                    timeout=15000)
    assert {r.row.sop_code for r in window.tasks_tab.model.rows} <= {"pelatihan"}
    # An AK/I case opened by its number (e.g. from an old link): refused, said, audited.
    other = cases.list_cases(demo_db, cases.CaseQuery(sop_code="ak1"), 0, 1)[0]
    shown = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda parent, title, text: shown.append(text))
    case_actions.open_case(ctx, other.id, window, lambda: None)
    assert shown and "Kartu AK/I" in shown[0]
    with demo_db.read() as s:
        event = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.action == "izin_ditolak" and event.username == "staf"
    assert json.loads(event.detail)["aksi"] == "buka_berkas"


def test_a_clerks_own_tab_still_loads_its_cases(qtbot, demo_db, make_ctx):
    ctx = make_ctx(demo_db, "kasi")
    window = build_main_window(ctx, idle_timeout_ms=0)
    qtbot.addWidget(window)
    window.show()
    assert set(window.sop_tabs) == {"ak1", "paspor"}
    tab = window.sop_tabs["ak1"]
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab._started, timeout=1000)
    qtbot.waitUntil(lambda: not tab.model.is_loading, timeout=15000)
    ids = [tab.model.case_id(r) for r in range(tab.model.rowCount())]
    assert ids and {r.sop_code for r in cases.case_rows(demo_db, ids)} == {"ak1"}
