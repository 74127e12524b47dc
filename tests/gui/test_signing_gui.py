"""Antrian Tanda Tangan, the signing dialog, verification and certificate setup (pytest-qt)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from desktop_app.core import auth, cases, workflow
from desktop_app.core.db import Database
from desktop_app.core.demo.cases import advance
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.demo.signing import demo_signing_passphrase, setup_demo_signing
from desktop_app.core.documents import service as docs
from desktop_app.core.documents.context import install_placeholder_emblem
from desktop_app.core.models import Document
from desktop_app.core.signing import batch, credentials, paraf, queue, terms
from desktop_app.core.sop import get_sop
from desktop_app.gui.signer_setup import SignerSetupDialog
from desktop_app.gui.signing_dialog import SigningDialog
from desktop_app.gui.signing_queue import SigningQueueWindow, open_queue_if_waiting
from desktop_app.gui.verify_dialog import VerifyDialog

pytestmark = pytest.mark.gui

KADIS_PASS = demo_signing_passphrase("kadis")


def _actors(db: Database) -> dict[str, auth.Actor]:
    from desktop_app.core.models import User

    with db.read() as s:
        ids = dict(s.execute(select(User.username, User.id)).all())
    return {u: auth.actor_for(db, i) for u, i in ids.items()}


def _submitted(db: Database, a: dict[str, auth.Actor], seed: int) -> tuple[int, int]:
    """A JHT case whose claim letter is numbered and waits for the Kabid's paraf."""
    rng = random.Random(seed)
    sop = get_sop("jht")
    case = cases.register_case(db, a["petugas"], "jht",
                               demo_intake("jht", rng, db.now().date()),
                               {r.code: True for r in sop.requirements})
    case = advance(db, a, case, 1, rng)
    doc = docs.draft_document(db, a["jfu"], case.id, "surat_klaim_jht")
    cases.act(db, a["jfu"], case.id, workflow.FINISH, expected_version=None)
    return case.id, doc.id


@pytest.fixture
def office_db(sqlite_db: Database) -> Database:
    install_placeholder_emblem(sqlite_db)
    setup_demo_signing(sqlite_db)
    return sqlite_db


def _awaiting_signature(db: Database, n: int) -> list[tuple[int, int]]:
    a = _actors(db)
    pairs = [_submitted(db, a, seed) for seed in range(n)]
    paraf.paraf_documents(db, a["kabid"], [d for _c, d in pairs])
    return pairs


def test_kadis_batch_signs_20_documents_from_the_queue(qtbot, office_db: Database,
                                                       make_ctx: Callable) -> None:
    pairs = _awaiting_signature(office_db, 20)
    window = SigningQueueWindow(make_ctx(office_db, "kadis"))
    qtbot.addWidget(window)
    window.show()
    assert window.row_count() == 20
    asked: list[int] = []

    def passphrase(count: int) -> str:
        asked.append(count)
        return KADIS_PASS

    window.ask_passphrase = passphrase  # type: ignore[method-assign]
    window.table.selectAll()
    assert window.btn_batch.isEnabled() and "(20)" in window.btn_batch.text()
    qtbot.mouseClick(window.btn_batch, Qt.MouseButton.LeftButton)
    assert asked == [20]  # one passphrase for the whole batch
    assert window.progress_dialog is not None
    qtbot.waitUntil(lambda: window.last_result is not None, timeout=120_000)
    result = window.last_result
    assert result is not None and result.ok, result.error
    assert len(result.signed) == 20 and len(result.advanced_cases) == 20
    assert window.progress_dialog is None
    assert "20 dokumen berhasil ditandatangani" in window.message_text()
    assert window.row_count() == 0
    with office_db.read() as s:
        statuses = set(s.scalars(select(Document.status)))
    assert statuses == {terms.SIGNED}
    for case_id, _doc_id in pairs:
        case = cases.get_case(office_db, case_id)
        assert (case.current_step, case.current_lane) == (6, "pengadministrasi")


def test_wrong_passphrase_in_the_window_signs_nothing(qtbot, office_db: Database,
                                                      make_ctx: Callable) -> None:
    _awaiting_signature(office_db, 2)
    window = SigningQueueWindow(make_ctx(office_db, "kadis"))
    qtbot.addWidget(window)
    window.ask_passphrase = lambda count: "salah-sandi"  # type: ignore[method-assign]
    window.table.selectAll()
    window.btn_batch.click()
    qtbot.waitUntil(lambda: "Sisa percobaan" in window.message_text(), timeout=30_000)
    assert window.row_count() == 2 and window.btn_batch.isEnabled()


def test_return_with_reason_lands_in_the_target_lane(qtbot, office_db: Database,
                                                     make_ctx: Callable) -> None:
    ((case_id, doc_id),) = _awaiting_signature(office_db, 1)
    window = SigningQueueWindow(make_ctx(office_db, "kadis"))
    qtbot.addWidget(window)
    window.select_ids([doc_id])
    offered: list[list[int]] = []

    def ask_return(sop_code: str, targets: list[int]) -> tuple[int, str]:
        offered.append(targets)
        return 3, "Nama perusahaan pada surat salah ketik."

    window.ask_return = ask_return  # type: ignore[method-assign]
    window.btn_return.click()
    assert offered and 3 in offered[0]
    case = cases.get_case(office_db, case_id)
    assert (case.current_step, case.current_lane) == (3, "jfu")
    assert case.attention_note == "Nama perusahaan pada surat salah ketik."
    jfu = _actors(office_db)["jfu"]
    assert case_id in [r.id for r in cases.my_tasks(office_db, jfu)]
    assert window.row_count() == 0
    assert "dikembalikan ke langkah 3" in window.message_text()


def test_paraf_from_the_queue_and_the_signing_dialog(qtbot, office_db: Database,
                                                     make_ctx: Callable) -> None:
    a = _actors(office_db)
    case_id, doc_id = _submitted(office_db, a, 5)
    ctx = make_ctx(office_db, "kabid")
    window = SigningQueueWindow(ctx)
    qtbot.addWidget(window)
    assert window.row_count() == 1 and window.btn_paraf.isEnabled()
    assert not window.btn_sign.isEnabled()
    assert window.pdf_view.isVisible() or window.pdf_view.document() is not None
    dialog = SigningDialog(ctx, doc_id, window, queue=window)
    qtbot.addWidget(dialog)
    assert dialog.event_count() >= 3  # registered, checked, drafted
    assert dialog.swimlane.sop.code == "jht"
    assert "Paraf yang masih ditunggu" in dialog.awaiting.text()
    dialog.btn_paraf.click()
    assert window.row_count() == 0
    assert cases.get_case(office_db, case_id).current_step == 5
    kadis_window = SigningQueueWindow(make_ctx(office_db, "kadis"))
    qtbot.addWidget(kadis_window)
    assert kadis_window.row_count() == 1
    dialog = SigningDialog(make_ctx(office_db, "kadis"), doc_id)
    qtbot.addWidget(dialog)
    assert dialog.approvals.rowCount() == 1
    assert dialog.approvals.item(0, 2).text() == a["kabid"].full_name


def test_queue_opens_after_login_only_when_something_waits(qtbot, office_db: Database,
                                                           make_ctx: Callable) -> None:
    assert open_queue_if_waiting(make_ctx(office_db, "kadis")) is None
    _awaiting_signature(office_db, 1)
    window = open_queue_if_waiting(make_ctx(office_db, "kadis"))
    assert window is not None and window.isVisible()
    qtbot.addWidget(window)
    assert open_queue_if_waiting(make_ctx(office_db, "petugas")) is None


def test_delegate_queue_shows_plh(qtbot, office_db: Database, make_ctx: Callable) -> None:
    a = _actors(office_db)
    today = office_db.now().date()
    auth.add_delegation(office_db, a["kadis"], from_username="kadis", to_username="sekretaris",
                        starts_on=today, ends_on=today + timedelta(days=1), kind="Plh.")
    _awaiting_signature(office_db, 1)
    window = SigningQueueWindow(make_ctx(office_db, "sekretaris"))
    qtbot.addWidget(window)
    assert window.row_count() == 1
    assert window.proxy.index(0, 8).data() == f"Plh. {a['kadis'].full_name}"


def test_verify_dialog_genuine_and_altered(qtbot, office_db: Database,
                                           make_ctx: Callable, tmp_path: Path) -> None:
    ((_case_id, doc_id),) = _awaiting_signature(office_db, 1)
    a = _actors(office_db)
    assert batch.sign_documents(office_db, a["kadis"], [doc_id], KADIS_PASS).ok
    pdf = queue.document_pdf(office_db, doc_id)
    dialog = VerifyDialog(make_ctx(office_db, "petugas"))
    qtbot.addWidget(dialog)
    path = tmp_path / "surat.pdf"
    path.write_bytes(pdf)
    assert dialog.check_file(path).status == "asli"
    assert dialog.headline.text() == "ASLI"
    assert "#2e7d32" in dialog.headline.styleSheet()
    altered = pdf[:2000] + bytes([pdf[2000] ^ 1]) + pdf[2001:]
    assert dialog.check_pdf(altered, "ubah.pdf").status == "diubah"
    assert "#c62828" in dialog.headline.styleSheet()
    code = queue.document_detail(office_db, doc_id).verification_code
    assert dialog.check_code(f"PAGARALAM-TK:{code}").genuine
    assert dialog.check_code("XXXX-0000").status == "tidak_dikenal"


def test_signer_setup_issue_and_change_passphrase(qtbot, sqlite_db: Database,
                                                  make_ctx: Callable) -> None:
    admin = SignerSetupDialog(make_ctx(sqlite_db, "admin"))
    qtbot.addWidget(admin)
    admin.ca_pass.setText("frasa-ca-kantor")
    admin.ca_pass2.setText("frasa-ca-kantor")
    admin.btn_ca.click()
    assert "CA kantor dibuat" in admin.ca_feedback.text()
    i = admin.user_combo.findData("kabid")
    assert i >= 0
    admin.user_combo.setCurrentIndex(i)
    admin.issue_ca_pass.setText("frasa-ca-kantor")
    admin.signer_pass.setText("awal-kabid-2026")
    admin.signer_pass2.setText("awal-kabid-2026")
    admin.btn_issue.click()
    assert "diterbitkan" in admin.issue_feedback.text(), admin.issue_feedback.text()
    kabid_id = _actors(sqlite_db)["kabid"].user_id
    assert credentials.credential_status(sqlite_db, kabid_id).valid

    mine = SignerSetupDialog(make_ctx(sqlite_db, "kabid"))
    qtbot.addWidget(mine)
    assert mine.tabs.count() == 1 and "berlaku sampai" in mine.my_status.text()
    mine.old_pass.setText("awal-kabid-2026")
    mine.new_pass.setText("rahasia-kabid-baru")
    mine.new_pass2.setText("rahasia-kabid-baru")
    mine.btn_change.click()
    assert "diganti" in mine.change_feedback.text()
    credentials.check_signing_passphrase(sqlite_db, _actors(sqlite_db)["kabid"],
                                         "rahasia-kabid-baru")


def test_no_certificate_banner(qtbot, sqlite_db: Database, make_ctx: Callable) -> None:
    window = SigningQueueWindow(make_ctx(sqlite_db, "kadis"))
    qtbot.addWidget(window)
    assert window.credential_label.isVisibleTo(window)
    assert "BSrE" in window.credential_label.text()




def test_admin_imports_an_external_certificate_for_an_official(qtbot, sqlite_db: Database,
                                                               make_ctx: Callable,
                                                               monkeypatch) -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[1] / "core" / "test_signing.py"
    spec = importlib.util.spec_from_file_location("core_test_signing", path)
    helpers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helpers)  # the external-CA PKCS#12 maker of the core tests
    p12, _root = helpers._external_pkcs12(b"bsre-rahasia")
    admin = SignerSetupDialog(make_ctx(sqlite_db, "admin"))
    qtbot.addWidget(admin)
    admin.user_combo.setCurrentIndex(admin.user_combo.findData("kadis"))
    monkeypatch.setattr(admin, "ask_p12", lambda: (p12, "bsre-rahasia"))
    admin.btn_import_for.click()
    assert "diimpor untuk kadis" in admin.issue_feedback.text(), admin.issue_feedback.text()
    kadis_id = _actors(sqlite_db)["kadis"].user_id
    assert credentials.credential_status(sqlite_db, kadis_id).valid


def test_wrong_passphrases_lock_signing_only_and_the_admin_unlocks(
        qtbot, office_db: Database, make_ctx: Callable, monkeypatch,
        demo_passwords: dict) -> None:
    """Issue 8, item 6: five wrong signing passphrases in the queue lock signing only (the
    Kadis still logs in); the administrator's "Buka Kunci Tanda Tangan" lifts it."""
    pairs = _awaiting_signature(office_db, 1)
    ctx = make_ctx(office_db, "kadis")
    window = SigningQueueWindow(ctx)
    qtbot.addWidget(window)
    passphrase = {"text": "salah-sandi"}
    monkeypatch.setattr(SigningQueueWindow, "ask_passphrase", lambda w, _n: passphrase["text"])
    for _ in range(credentials.MAX_WRONG_PASSPHRASES):
        window.select_ids({pairs[0][1]})
        window.sign_selected()
        qtbot.waitUntil(lambda: not window._busy, timeout=30000)
    assert "dikunci sampai pukul" in window.message.text(), window.message.text()
    assert auth.login(office_db, "kadis", demo_passwords["kadis"]).username == "kadis"
    admin = SignerSetupDialog(make_ctx(office_db, "admin"))
    qtbot.addWidget(admin)
    admin.user_combo.setCurrentIndex(admin.user_combo.findData("kadis"))
    assert "terkunci" in admin.user_combo.currentText()
    admin.btn_unlock.click()
    assert "dapat dipakai lagi" in admin.issue_feedback.text()
    passphrase["text"] = demo_signing_passphrase("kadis")
    window.select_ids({pairs[0][1]})
    window.sign_selected()
    qtbot.waitUntil(lambda: not window._busy, timeout=60000)
    assert window.last_result is not None and window.last_result.ok
