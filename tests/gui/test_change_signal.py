"""Issue 8, item 3: one change signal in the application context refreshes every open window:
a second window on the same case, its Dokumen list, the signing queue and Tugas Saya."""

from __future__ import annotations

import random

import pytest
from PySide6.QtWidgets import QDialog

from desktop_app.core import cases, workflow
from desktop_app.core.demo.cases import advance
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.demo.signing import setup_demo_signing
from desktop_app.core.documents.context import install_placeholder_emblem
from desktop_app.core.sop import get_sop
from desktop_app.gui.case_detail import CaseDetailDialog
from desktop_app.gui.context import AppContext
from desktop_app.gui.dialogs import ConfirmActionDialog

pytestmark = pytest.mark.usefixtures("free_widgets")

USERS = ("petugas", "jfu", "kabid", "sekretaris", "kadis")


def _jht_at_step3(db, make_ctx) -> cases.CaseDetail:
    install_placeholder_emblem(db)
    sop = get_sop("jht")
    actors = {n: make_ctx(db, n).actor for n in USERS}
    case = cases.register_case(db, actors["petugas"], "jht",
                               demo_intake("jht", random.Random(3), db.now().date()),
                               {r.code: True for r in sop.requirements})
    return advance(db, actors, case, 1, random.Random(3))


def test_second_window_and_documents_list_follow_an_action(qtbot, sqlite_db, make_ctx,
                                                           monkeypatch):
    case = _jht_at_step3(sqlite_db, make_ctx)
    ctx: AppContext = make_ctx(sqlite_db, "jfu")  # one application: one context, one signal
    first = CaseDetailDialog(ctx, case.id)
    second = CaseDetailDialog(ctx, case.id)
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    first.documents.draft("surat_klaim_jht")
    qtbot.waitUntil(lambda: any(v.doc_type == "surat_klaim_jht"
                                for v in second.documents.views), timeout=30000)
    monkeypatch.setattr(ConfirmActionDialog, "exec", lambda d: QDialog.DialogCode.Accepted)
    assert first.run_action(workflow.FINISH), first.messages
    # The other window shows the new step and the letter waiting for the paraf, without
    # reopening (since issue 12 the number comes with the signature).
    assert second.detail.current_step == 4
    letter = next(v for v in second.documents.views if v.doc_type == "surat_klaim_jht")
    assert letter.status == "menunggu_paraf" and letter.number is None
    assert workflow.FINISH not in second.action_buttons


def test_signing_queue_paraf_reloads_the_open_case_and_tasks(qtbot, sqlite_db, make_ctx):
    from desktop_app.gui.signing_queue import SigningQueueWindow
    from desktop_app.gui.tasks_tab import TasksTab

    case = _jht_at_step3(sqlite_db, make_ctx)
    actors = {n: make_ctx(sqlite_db, n).actor for n in USERS}
    setup_demo_signing(sqlite_db)
    case = advance(sqlite_db, actors, case, 1, random.Random(3))  # drafted, at the paraf
    assert case.current_step == 4
    ctx = make_ctx(sqlite_db, "kabid")
    window = CaseDetailDialog(ctx, case.id)
    tasks = TasksTab(ctx)
    queue = SigningQueueWindow(ctx)
    for w in (window, tasks, queue):
        qtbot.addWidget(w)
    tasks.refresh()
    qtbot.waitUntil(lambda: tasks.model.rowCount() > 0, timeout=20000)
    before = tasks.model.rowCount()
    queue.select_ids({r.document_id for r in queue.model.rows if r.case_id == case.id})
    queue.paraf_selected()
    assert window.detail.current_step == 5  # moved on by the queue, shown here at once
    paraf_rows = [v for v in window.documents.views if v.paraf]
    assert paraf_rows and paraf_rows[0].status == "menunggu_ttd"
    qtbot.waitUntil(lambda: tasks.model.rowCount() == before - 1, timeout=20000)


def test_second_pc_sees_the_change(qtbot, db, make_ctx, monkeypatch):
    """Two PCs on the same database (two application contexts, two change signals): what PC A
    does reaches PC B's open case window and its Tugas Saya after B's next probe."""
    from desktop_app.gui.tasks_tab import TasksTab

    sop = get_sop("ak1")
    pc_a = make_ctx(db, "petugas")
    pc_b = make_ctx(db, "petugas")
    assert pc_a.changes is not pc_b.changes
    case = cases.register_case(db, pc_a.user, "ak1",
                               demo_intake("ak1", random.Random(8), db.now().date()),
                               {r.code: True for r in sop.requirements})
    window_b = CaseDetailDialog(pc_b, case.id)
    tasks_b = TasksTab(pc_b)
    qtbot.addWidget(window_b)
    qtbot.addWidget(tasks_b)
    qtbot.waitUntil(lambda: tasks_b.model.rowCount() == 1, timeout=20000)
    cases.act(db, pc_a.user, case.id, workflow.COMPLETE_OK, expected_version=case.version)
    assert window_b.detail.current_step == 2  # not yet: B has heard nothing
    with qtbot.waitSignal(pc_b.changes.caseChanged, timeout=20000):
        window_b.check_for_changes()  # B's timer fires
    assert window_b.detail.current_step == 3
    assert workflow.COMPLETE_OK not in window_b.action_buttons
    qtbot.waitUntil(lambda: tasks_b.model.rowCount() == 0, timeout=20000)
