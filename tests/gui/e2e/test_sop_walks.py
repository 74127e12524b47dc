"""End to end, per SOP: a case walked through the real windows, as the role holding each lane.

The clerk registers it in the intake window, returns it incomplete (the return letter is
issued and shown), takes it back (Ajukan Ulang) and declares it complete; every later step is
done by its lane's demo user in their own window: letters drafted in the case's Dokumen tab,
paraf and signature given in the signing queue (which moves the case), the other steps with
the case window's own button. A walk fails when an action it needs is missing, refused or
silent (a message box), or when a window shows a step the database does not.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop_app.core import cases, workflow
from desktop_app.core.demo.people import _training_field, demo_intake
from desktop_app.core.demo.signing import demo_signing_passphrase, setup_demo_signing
from desktop_app.core.documents import lifecycle
from desktop_app.core.documents import service as docs
from desktop_app.core.documents.context import install_placeholder_emblem
from desktop_app.core.sop import load_sops
from desktop_app.gui import case_detail
from desktop_app.gui.case_detail import CaseDetailDialog
from desktop_app.gui.dialogs import (
    ActionDialog,
    BipartiteMeetingDialog,
    ConfirmActionDialog,
    IncompleteDialog,
)
from desktop_app.gui.intake import IntakeDialog
from desktop_app.gui.signing_queue import SigningQueueWindow

SOPS = {s.code: s for s in load_sops()}
pytestmark = pytest.mark.usefixtures("free_widgets")

# The demo user who holds each role.
USER_OF_ROLE = {"petugas_penerima": "petugas", "jfu": "jfu", "mediator": "jfu", "kasi": "kasi",
                "pengadministrasi": "admintu", "kabid": "kabid", "sekretaris": "sekretaris",
                "kadis": "kadis", "staf": "staf", "panitia": "panitia"}


class Walk:
    """One case, one SOP: the person at each lane, through the windows."""

    def __init__(self, qtbot: Any, db: Any, clock: Any, make_ctx: Callable[..., Any],
                 monkeypatch: pytest.MonkeyPatch, code: str) -> None:
        self.qtbot, self.db, self.clock, self.make_ctx = qtbot, db, clock, make_ctx
        self.sop = SOPS[code]
        self.code = code
        self.rng = random.Random(21)
        self.messages: list[tuple[str, str]] = []
        self.fill: dict[type, Callable[[Any], None]] = {ConfirmActionDialog: lambda d: None}
        self.case_id: int | None = None
        walk = self

        def fake_exec(dlg: ActionDialog) -> int:
            filler = walk.fill.get(type(dlg))
            if filler is None:
                return QDialog.DialogCode.Rejected
            filler(dlg)
            assert dlg.check() == {}, dlg.check()
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr(ActionDialog, "exec", fake_exec)
        monkeypatch.setattr(case_detail, "show_message",
                            lambda _p, _k, title, text: walk.messages.append((title, text)))
        monkeypatch.setattr(SigningQueueWindow, "ask_passphrase",
                            lambda q, _n: demo_signing_passphrase(q.ctx.user.username))
        install_placeholder_emblem(db)  # the administrator's Dokumen & Kop Surat settings
        setup_demo_signing(db)  # the administrator issued the officials' certificates

    # ----------------------------------------------------------------- helpers
    def user_for(self, lane: str) -> str:
        return USER_OF_ROLE[self.sop.roles_of_lane(lane)[0]]

    def detail(self) -> cases.CaseDetail:
        assert self.case_id is not None
        return cases.get_case(self.db, self.case_id)

    def window(self, user: str) -> CaseDetailDialog:
        dlg = CaseDetailDialog(self.make_ctx(self.db, user), self.case_id)
        self.qtbot.addWidget(dlg)
        return dlg

    def click(self, dlg: CaseDetailDialog, code: str) -> None:
        assert code in dlg.action_buttons, (code, list(dlg.action_buttons), dlg.detail.title)
        with self.qtbot.waitSignal(dlg.caseChanged, timeout=30000):
            self.qtbot.mouseClick(dlg.action_buttons[code], Qt.MouseButton.LeftButton)
        assert not self.messages, self.messages

    # ----------------------------------------------------------------- the walk
    def register(self) -> None:
        first_office = self.sop.step(workflow.first_office_step(self.sop))
        clerk = "petugas" if self.sop.first_step.kind == "submit" else \
            self.user_for(first_office.lane if self.sop.first_step.kind == "submit"
                          else self.sop.first_step.lane)
        dlg = IntakeDialog(self.make_ctx(self.db, clerk), self.sop)
        self.qtbot.addWidget(dlg)
        dlg.form.set_values(demo_intake(self.code, self.rng, self.clock.now.date()))
        missing = self.sop.requirements[0].code if workflow.check_step(self.sop) else None
        for req, box in dlg.requirement_boxes.items():
            box.setChecked(req != missing)
        self.qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
        assert dlg.created_case_id is not None, dlg.banner.text()
        self.case_id = dlg.created_case_id

    def return_and_resubmit(self) -> None:
        """Tidak Lengkap (return letter issued and shown), Ajukan Ulang, Lengkap."""
        check = workflow.check_step(self.sop)
        clerk = self.user_for(check.lane)
        dlg = self.window(clerk)
        self.fill[IncompleteDialog] = lambda d: d.note.setPlainText(
            "Mohon lengkapi persyaratan yang belum diserahkan.")
        self.click(dlg, workflow.INCOMPLETE)
        self.qtbot.waitUntil(lambda: any(v.doc_type == "surat_pengembalian"
                                         and v.status == docs.ISSUED
                                         for v in dlg.documents.views), timeout=30000)
        assert dlg.documents._preview is not None  # shown, ready to print for the applicant
        self.clock.advance(days=1)
        again = self.window(clerk)  # the applicant is back the next day
        for box in again.requirement_boxes.values():
            box.setChecked(True)
        self.click(again, workflow.RESUBMIT)
        self.click(again, workflow.COMPLETE_OK)
        assert again.detail.current_step == check.no + 1

    def letters_here(self, dlg: CaseDetailDialog) -> None:
        """Draft the letters this step makes, in the Dokumen tab."""
        detail = dlg.detail
        step = self.sop.step(detail.current_step)
        for spec in lifecycle._letters_due(self.sop, step, detail):  # type: ignore[arg-type]
            have = {v.doc_type for v in dlg.documents.views if v.status != docs.VOIDED}
            if spec.step != step.no or spec.code in have:
                continue
            if spec.code in ("kartu_ak1", "rekomendasi_paspor"):
                # the applicant's 3x4 photo (card; the recommendation where the office's
                # form has one), attached by the step's holder (tab Lampiran)
                from desktop_app.core.demo.cases import _add_demo_photo

                _add_demo_photo(self.db, dlg.ctx.user, detail.id, spec.code)
            dlg.documents.draft(spec.code)
            self.qtbot.waitUntil(lambda c=spec.code: not dlg.documents.busy and any(
                v.doc_type == c for v in dlg.documents.views), timeout=60000)
            assert not dlg.documents.last_error, dlg.documents.last_error

    def in_queue(self, user: str, kind: str) -> None:
        """The official's signing queue: paraf or sign this case's letters."""
        queue = SigningQueueWindow(self.make_ctx(self.db, user))
        self.qtbot.addWidget(queue)
        ids = {r.document_id for r in queue.model.rows
               if r.case_id == self.case_id and r.awaited == kind}
        assert ids, (user, kind, [(r.case_id, r.awaited) for r in queue.model.rows])
        queue.select_ids(ids)
        if kind == "paraf":
            queue.paraf_selected()
        else:
            queue.sign_selected()
            self.qtbot.waitUntil(lambda: not queue._busy, timeout=120000)
            assert queue.last_result is not None and queue.last_result.ok, queue.message.text()

    def signatures_due(self, step_no: int) -> None:
        """Letters to be signed before this step ends (an official with no step of their
        own): signed in that official's queue first."""
        for spec in self.sop.documents:
            if not 0 < spec.signed_before_end_of_step <= step_no:
                continue
            views = [v for v in docs.documents_for_case(self.db, self.case_id)
                     if v.doc_type == spec.code and v.status == docs.WAIT_SIGN]
            if views:
                self.in_queue(self.user_for(spec.sign_lane), "ttd")

    def bipartite(self, agree: bool) -> None:
        def fill(d: BipartiteMeetingDialog) -> None:
            d.place.setText("Ruang Rapat Bidang Tenaga Kerja")
            d.worker.setPlainText("Menuntut upah lembur dibayar penuh.")
            d.employer.setPlainText("Perusahaan belum sanggup membayar.")
            d.result_text.setPlainText("Sepakat." if agree else "Belum sepakat.")
            if agree:
                d.agreed.setChecked(True)
                d.points.setPlainText("- Upah lembur dibayar paling lambat 31 Desember")
        self.fill[BipartiteMeetingDialog] = fill

    def step(self) -> None:
        detail = self.detail()
        step = self.sop.step(detail.current_step)
        user = self.user_for(step.lane)
        self.clock.advance(minutes=5)
        if step.kind in ("paraf", "sign"):
            self.signatures_due(step.no)
            self.in_queue(user, "paraf" if step.kind == "paraf" else "ttd")
            after = self.window(user)  # the case window shows where the queue moved it
            assert (after.detail.current_step, after.detail.status) != (
                detail.current_step, detail.status), (step.no, step.kind)
            return
        self.signatures_due(step.no)
        dlg = self.window(user)
        for name in step.requires_fields:  # the step's own fields, filled with Ubah
            if not dlg.detail.data.get(name):
                cases.update_case(self.db, dlg.ctx.user, detail.id,
                                  expected_version=dlg.reload().version,
                                  data={name: _training_field(name, self.rng)})
                dlg.reload()
        self.letters_here(dlg)
        action = {"check": workflow.COMPLETE_OK, "bipartite": workflow.BIPARTITE,
                  "handover": workflow.HANDOVER}.get(step.kind) or \
            {"approve": workflow.APPROVE}.get(step.kind, workflow.FINISH)
        self.click(dlg, action)
        assert dlg.detail.current_step != detail.current_step or not dlg.detail.is_open or \
            step.kind == "bipartite"

    def to_the_end(self, limit: int = 20) -> cases.CaseDetail:
        for _ in range(limit):
            if not self.detail().is_open:
                break
            self.step()
        detail = self.detail()
        assert detail.status == workflow.COMPLETED, (detail.current_step, detail.status)
        # Every letter the case needed is signed (or, the return letter, issued).
        for v in docs.documents_for_case(self.db, detail.id):
            if v.status == docs.VOIDED:
                continue
            assert not v.needs_signer or v.status == docs.SIGNED, (v.label, v.status)
        return detail


@pytest.mark.parametrize("code", ["jht", "jakon", "ak1", "paspor"])
def test_sop_walk_with_return_and_resubmission(qtbot, sqlite_db, clock, make_ctx, monkeypatch,
                                               code):
    walk = Walk(qtbot, sqlite_db, clock, make_ctx, monkeypatch, code)
    walk.register()
    walk.return_and_resubmit()
    detail = walk.to_the_end()
    assert [e.action for e in detail.events].count(workflow.INCOMPLETE) == 1


def test_phi_walk_dispute_to_mediation(qtbot, sqlite_db, clock, make_ctx, monkeypatch):
    walk = Walk(qtbot, sqlite_db, clock, make_ctx, monkeypatch, "phi")
    walk.register()
    walk.return_and_resubmit()
    walk.bipartite(agree=False)
    walk.step()  # first meeting
    walk.step()  # second meeting: still in dispute, on to the mediator letter
    assert walk.detail().current_step == 4
    detail = walk.to_the_end()
    assert detail.current_step == 7


def test_training_walk_with_the_signature_gates(qtbot, sqlite_db, clock, make_ctx,
                                                monkeypatch):
    walk = Walk(qtbot, sqlite_db, clock, make_ctx, monkeypatch, "pelatihan")
    walk.register()
    detail = walk.to_the_end()
    report = next(v for v in docs.documents_for_case(sqlite_db, detail.id)
                  if v.doc_type == "laporan_pelatihan")
    assert report.status == docs.SIGNED  # signed by the Ketua Panitia before step 11
    last = [e for e in detail.events if e.action == workflow.HANDOVER][-1]
    assert last.user_name == make_ctx(sqlite_db, "kadis").actor.full_name


def test_jht_walk_returned_to_an_earlier_step_with_reason(qtbot, sqlite_db, clock, make_ctx,
                                                          monkeypatch):
    """The Kadis sends the case back from the signing queue to the JFU's step with a reason:
    the letter waiting for him is voided, the JFU sees the reason, redrafts, and the case goes
    the SOP's way again to Selesai."""
    walk = Walk(qtbot, sqlite_db, clock, make_ctx, monkeypatch, "jht")
    walk.register()
    walk.return_and_resubmit()
    for _ in range(2):  # JFU drafts and finishes, Kabid initials: at the Kadis's signature
        walk.step()
    assert walk.detail().current_step == 5
    monkeypatch.setattr(SigningQueueWindow, "ask_return",
                        lambda q, _sop, targets: (3, "Tanggal berhenti kerja salah ketik."))
    queue = SigningQueueWindow(make_ctx(sqlite_db, "kadis"))
    qtbot.addWidget(queue)
    queue.select_ids({r.document_id for r in queue.model.rows if r.case_id == walk.case_id})
    queue.return_current()
    jfu = walk.window("jfu")
    assert jfu.detail.current_step == 3
    assert "Tanggal berhenti kerja salah ketik." in jfu.attention_box.text()
    assert [v.status for v in jfu.documents.views if v.doc_type == "surat_klaim_jht"] == [
        docs.VOIDED]
    detail = walk.to_the_end()
    letters = [v for v in docs.documents_for_case(sqlite_db, detail.id)
               if v.doc_type == "surat_klaim_jht"]
    assert [(v.version, v.status) for v in letters] == [(1, docs.VOIDED), (2, docs.SIGNED)]
