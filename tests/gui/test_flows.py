"""Cases driven through the GUI, user by user: the incomplete path, the bipartite agreement
and its form, and a conflict between two PCs (whole walks per SOP: tests/gui/e2e).

Each user gets a fresh ``CaseDetailDialog`` (as when they open the case on their own PC); the
action dialogs' ``exec`` is replaced by a function that fills them in and accepts.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop_app.core import cases, workflow
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.sop import load_sops
from desktop_app.gui import case_detail
from desktop_app.gui.case_detail import CaseDetailDialog
from desktop_app.gui.dialogs import (
    ActionDialog,
    BipartiteMeetingDialog,
    ConfirmActionDialog,
    IncompleteDialog,
    ReasonDialog,
)
from desktop_app.gui.intake import IntakeDialog

SOPS = {s.code: s for s in load_sops()}

# Delete each test's windows for real (see the fixture in conftest.py).
pytestmark = pytest.mark.usefixtures("free_widgets")


class Driver:
    """Stands in for the user at the action dialogs and the message boxes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.fill: dict[type, Callable[[Any], None]] = {}
        self.shown: list[ActionDialog] = []
        self.messages: list[tuple[str, str]] = []
        driver = self

        def fake_exec(dlg: ActionDialog) -> int:
            driver.shown.append(dlg)
            filler = driver.fill.get(type(dlg))
            if filler is None:
                return QDialog.DialogCode.Rejected
            filler(dlg)
            assert dlg.check() == {}, dlg.check()
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr(ActionDialog, "exec", fake_exec)
        monkeypatch.setattr(case_detail, "show_message",
                            lambda _p, _k, title, text: driver.messages.append((title, text)))
        self.fill[ConfirmActionDialog] = lambda d: None


@pytest.fixture
def driver(monkeypatch: pytest.MonkeyPatch) -> Driver:
    return Driver(monkeypatch)


def _open(qtbot, make_ctx, db, user: str, case_id: int) -> CaseDetailDialog:
    dlg = CaseDetailDialog(make_ctx(db, user), case_id)
    qtbot.addWidget(dlg)
    return dlg


def _click(qtbot, dlg: CaseDetailDialog, code: str) -> None:
    assert code in dlg.action_buttons, (code, list(dlg.action_buttons))
    with qtbot.waitSignal(dlg.caseChanged, timeout=2000) as blocker:
        qtbot.mouseClick(dlg.action_buttons[code], Qt.MouseButton.LeftButton)
    assert blocker.args == [dlg.case_id]


def _register(qtbot, make_ctx, db, clock, code: str, seed: int,
              requirements: dict[str, bool] | None = None) -> int:
    dlg = IntakeDialog(make_ctx(db, "petugas"), SOPS[code])
    qtbot.addWidget(dlg)
    dlg.form.set_values(demo_intake(code, random.Random(seed), clock.now.date()))
    for req_code, cb in dlg.requirement_boxes.items():
        cb.setChecked(True if requirements is None else requirements.get(req_code, False))
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.created_case_id is not None, dlg.banner.text()
    return dlg.created_case_id


# The whole AK/I case and the PHI dispute are walked in tests/gui/e2e/test_sop_walks.py, with
# the letters drafted in the Dokumen tab and the paraf and signature given in the signing queue
# (the buttons alone no longer record a paraf or a signature on a case without its letter).


def test_phi_agreement_closes_the_case(qtbot, sqlite_db, clock, make_ctx, driver):
    case_id = _register(qtbot, make_ctx, sqlite_db, clock, "phi", 13)
    _click(qtbot, _open(qtbot, make_ctx, sqlite_db, "petugas", case_id), workflow.COMPLETE_OK)

    def agree(d: BipartiteMeetingDialog) -> None:
        d.place.setText("Kantor perusahaan")
        d.worker.setPlainText("Upah lembur dibayar.")
        d.employer.setPlainText("Bersedia membayar dalam dua kali angsuran.")
        d.result_text.setPlainText("Sepakat.")
        d.agreed.setChecked(True)
        d.points.setPlainText("- Upah lembur dibayar dua kali\n- Paling lambat 31 Desember")

    driver.fill[BipartiteMeetingDialog] = agree
    dlg = _open(qtbot, make_ctx, sqlite_db, "jfu", case_id)
    _click(qtbot, dlg, workflow.BIPARTITE)
    detail = cases.get_case(sqlite_db, case_id)
    assert detail.status == workflow.COMPLETED and detail.current_step == 3
    assert detail.bipartite_meetings[0]["isi_kesepakatan"] == [
        "Upah lembur dibayar dua kali", "Paling lambat 31 Desember"]
    assert dlg.action_buttons == {}
    assert dlg.swimlane.step_marks()[4] == "skipped"


def test_bipartite_form_errors_stay_in_the_form(qtbot, sqlite_db, clock, make_ctx, driver):
    case_id = _register(qtbot, make_ctx, sqlite_db, clock, "phi", 14)
    _click(qtbot, _open(qtbot, make_ctx, sqlite_db, "petugas", case_id), workflow.COMPLETE_OK)
    dlg = _open(qtbot, make_ctx, sqlite_db, "jfu", case_id)
    form = dlg.dialog_for(dlg.spec(workflow.BIPARTITE))
    assert isinstance(form, BipartiteMeetingDialog)
    form.agreed.setChecked(True)
    errors = form.check()
    assert set(errors) == {"tempat", "pendapat_pekerja", "pendapat_pengusaha", "hasil",
                           "isi_kesepakatan"}
    form.accept()  # refused: the messages are shown at the fields, the dialog stays
    assert "wajib" in form.error_text("tempat")
    assert form.result() != QDialog.DialogCode.Accepted


def test_incomplete_then_resubmitted(qtbot, sqlite_db, clock, make_ctx, driver):
    sop = SOPS["ak1"]
    missing = {"fc_ijazah"}
    case_id = _register(qtbot, make_ctx, sqlite_db, clock, "ak1", 15,
                        {r.code: r.code not in missing for r in sop.requirements})
    dlg = _open(qtbot, make_ctx, sqlite_db, "petugas", case_id)
    assert list(dlg.action_buttons)[:2] == [workflow.COMPLETE_OK, workflow.INCOMPLETE]
    # "Lengkap" is refused at the checklist
    qtbot.mouseClick(dlg.action_buttons[workflow.COMPLETE_OK], Qt.MouseButton.LeftButton)
    assert "FC Ijazah Terakhir" in dlg.requirements_error.text()
    assert dlg.tabs.currentIndex() == 1

    seen: dict[str, Any] = {}

    def incomplete(d: IncompleteDialog) -> None:
        seen["missing"] = list(d.missing)
        d.note.setPlainText("Mohon bawa fotokopi ijazah terakhir.")

    driver.fill[IncompleteDialog] = incomplete
    _click(qtbot, dlg, workflow.INCOMPLETE)
    assert seen["missing"] == ["FC Ijazah Terakhir"]
    assert dlg.detail.status == workflow.RETURNED
    assert dlg.attention_box.isVisibleTo(dlg)
    assert "Catatan pengembalian" in dlg.attention_box.text()
    assert "fotokopi ijazah" in dlg.attention_box.text()
    assert next(a for a in dlg.swimlane.arrows() if a.kind == "returned").highlighted

    clock.advance(days=1)
    again = _open(qtbot, make_ctx, sqlite_db, "petugas", case_id)
    assert set(again.action_buttons) == {workflow.RESUBMIT, workflow.WITHDRAW}
    again.requirement_boxes["fc_ijazah"].setChecked(True)
    _click(qtbot, again, workflow.RESUBMIT)
    assert again.detail.status == workflow.IN_PROGRESS and again.detail.current_step == 2
    assert again.detail.requirements["fc_ijazah"] is True
    _click(qtbot, again, workflow.COMPLETE_OK)
    assert again.detail.current_step == 3
    assert not again.attention_box.isVisibleTo(again)


def test_conflict_keeps_the_typed_reason(qtbot, sqlite_db, clock, make_ctx, driver):
    case_id = _register(qtbot, make_ctx, sqlite_db, clock, "ak1", 16)
    a = _open(qtbot, make_ctx, sqlite_db, "petugas", case_id)  # user A's screen
    shown_version = a.detail.version
    # user B (the administrator, on another PC) corrects the case meanwhile
    clock.advance(minutes=2)
    admin = make_ctx(sqlite_db, "admin").actor
    cases.update_case(sqlite_db, admin, case_id, expected_version=shown_version,
                      data={"telepon": "081234567890"})
    attempts: list[dict[str, str]] = []

    def incomplete(d: IncompleteDialog) -> None:
        if not attempts:
            d.note.setPlainText("Foto kopi KTP buram, mohon diganti.")
        attempts.append({"text": d.note.toPlainText(), "notice": d.notice.text()})

    driver.fill[IncompleteDialog] = incomplete
    with qtbot.waitSignal(a.caseChanged, timeout=2000):
        qtbot.mouseClick(a.action_buttons[workflow.INCOMPLETE], Qt.MouseButton.LeftButton)
    title, text = driver.messages[0]
    assert "Berkas ini sudah diubah oleh Administrator Sistem pukul 08:02" in text
    # the dialog came back with the reason still typed in, and a note on what happened
    assert len(attempts) == 2
    assert attempts[1]["text"] == "Foto kopi KTP buram, mohon diganti."
    assert "Administrator Sistem" in attempts[1]["notice"]
    detail = cases.get_case(sqlite_db, case_id)
    assert detail.status == workflow.RETURNED
    assert detail.attention_note == "Foto kopi KTP buram, mohon diganti."
    assert detail.data["telepon"] == "081234567890"  # B's change was not overwritten
    assert a.form.value("telepon") == "081234567890"


def test_reject_requires_a_reason(qtbot, sqlite_db, clock, make_ctx, driver):
    case_id = _register(qtbot, make_ctx, sqlite_db, clock, "ak1", 17)
    dlg = _open(qtbot, make_ctx, sqlite_db, "kadis", case_id)
    form = dlg.dialog_for(dlg.spec(workflow.REJECT))
    assert isinstance(form, ReasonDialog)
    assert form.check() == {"alasan": "Alasan wajib diisi."}
    driver.fill[ReasonDialog] = lambda d: d.reason.setPlainText("Pemohon bukan pencari kerja.")
    _click(qtbot, dlg, workflow.REJECT)
    detail = cases.get_case(sqlite_db, case_id)
    assert detail.status == workflow.REJECTED
    assert dlg.swimlane.step_marks()[2] == "stopped"
