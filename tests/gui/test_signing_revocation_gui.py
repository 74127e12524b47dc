"""Issue 15 in the window: the administrator revokes a signer's certificate in Pengaturan
Sertifikat; the signer sees it and can no longer sign."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDateTime

from desktop_app.core.db import Database
from desktop_app.core.demo.signing import (
    DEMO_CA_PASSPHRASE,
    demo_signing_passphrase,
    setup_demo_signing,
)
from desktop_app.core.signing import revocation
from desktop_app.core.signing.credentials import check_signing_passphrase
from desktop_app.gui.signer_setup import SignerSetupDialog


def test_admin_revokes_a_certificate_in_the_dialog(qtbot, sqlite_db: Database,
                                                   make_ctx: Callable, tmp_path) -> None:
    setup_demo_signing(sqlite_db)
    admin = SignerSetupDialog(make_ctx(sqlite_db, "admin"))
    qtbot.addWidget(admin)
    admin.tabs.setCurrentIndex(admin.tabs.count() - 1)
    assert admin.tabs.tabText(admin.tabs.currentIndex()) == "Cabut Sertifikat"
    i = admin.revoke_combo.findData("kabid")
    assert i > 0
    admin.revoke_combo.setCurrentIndex(i)
    admin.revoke_ca_pass.setText(DEMO_CA_PASSPHRASE)
    admin.btn_revoke.click()  # no reason chosen: told at the field, nothing written
    assert "alasan" in admin.revoke_feedback.text().lower()
    assert revocation.recorded_revocations(sqlite_db) == []
    assert "nomor 1" in admin.crl_status.text()

    admin.revoke_reason.setCurrentIndex(admin.revoke_reason.findData("kunci_bocor"))
    admin.revoke_date.setDateTime(QDateTime(2026, 11, 30, 7, 30, 0))  # before the FakeClock's 8:00
    admin.revoke_ca_pass.setText("bukan-frasa-ca")
    admin.btn_revoke.click()
    assert "salah" in admin.revoke_feedback.text()
    admin.revoke_ca_pass.setText(DEMO_CA_PASSPHRASE)
    admin.btn_revoke.click()
    assert "dicabut" in admin.revoke_feedback.text() and "CRL nomor 2" in \
        admin.revoke_feedback.text(), admin.revoke_feedback.text()
    (rev,) = revocation.recorded_revocations(sqlite_db)
    assert rev.reason == "kunci_bocor" and rev.revoked_at.hour == 7
    assert admin.revoke_combo.findData("kabid") < 0  # already revoked: no longer offered
    assert "nomor 2" in admin.crl_status.text() and "1 sertifikat dicabut" in \
        admin.crl_status.text(), admin.crl_status.text()

    kabid_ctx = make_ctx(sqlite_db, "kabid")
    mine = SignerSetupDialog(kabid_ctx)
    qtbot.addWidget(mine)
    assert "DICABUT" in mine.my_status.text()
    import pytest

    from desktop_app.core.signing.terms import CredentialMissing

    # The passphrase check itself already says the certificate is revoked...
    with pytest.raises(CredentialMissing, match="dicabut"):
        check_signing_passphrase(sqlite_db, kabid_ctx.user, demo_signing_passphrase("kabid"))
    with pytest.raises(revocation.SigningRefused):
        revocation.ensure_can_sign(sqlite_db, kabid_ctx.user)


def _one_letter_waiting(db: Database) -> int:
    import random

    from sqlalchemy import select

    from desktop_app.core import auth, cases, workflow
    from desktop_app.core.demo.cases import advance
    from desktop_app.core.demo.people import demo_intake
    from desktop_app.core.documents import service as docs
    from desktop_app.core.documents.context import install_placeholder_emblem
    from desktop_app.core.models import User
    from desktop_app.core.signing import paraf
    from desktop_app.core.sop import get_sop

    install_placeholder_emblem(db)
    setup_demo_signing(db)
    with db.read() as s:
        ids = dict(s.execute(select(User.username, User.id)).all())
    a = {u: auth.actor_for(db, i) for u, i in ids.items()}
    rng = random.Random(1)
    sop = get_sop("jht")
    case = cases.register_case(db, a["petugas"], "jht", demo_intake("jht", rng, db.now().date()),
                               {r.code: True for r in sop.requirements})
    case = advance(db, a, case, 1, rng)
    doc = docs.draft_document(db, a["jfu"], case.id, "surat_klaim_jht")
    cases.act(db, a["jfu"], case.id, workflow.FINISH, expected_version=None)
    paraf.paraf_documents(db, a["kabid"], [doc.id])
    return doc.id


def test_skewed_pc_clock_and_revoked_certificate_are_told_in_the_queue(
        qtbot, sqlite_db: Database, make_ctx: Callable, clock) -> None:
    from datetime import timedelta

    from desktop_app.gui.signing_queue import SigningQueueWindow

    _one_letter_waiting(sqlite_db)
    # Office mode stand-in: the server runs 12 minutes behind this PC.
    sqlite_db.server_clock = lambda: clock.now - timedelta(minutes=12)  # type: ignore[attr-defined]
    window = SigningQueueWindow(make_ctx(sqlite_db, "kadis"))
    qtbot.addWidget(window)
    window.ask_passphrase = lambda count: demo_signing_passphrase("kadis")  # type: ignore[method-assign]
    window.table.selectAll()
    window.btn_batch.click()
    qtbot.waitUntil(lambda: "Jam komputer" in window.message_text(), timeout=30_000)
    assert "lebih cepat 12 menit" in window.message_text()
    assert window.row_count() == 1

    del sqlite_db.server_clock
    revocation.revoke_certificate(sqlite_db, None, DEMO_CA_PASSPHRASE, username="kadis",
                                  reason="berhenti")
    window.table.selectAll()
    window.btn_batch.click()
    qtbot.waitUntil(lambda: "dicabut" in window.message_text(), timeout=30_000)
    assert window.row_count() == 1


def test_verify_dialog_saves_the_printable_report(qtbot, sqlite_db: Database,
                                                  make_ctx: Callable, tmp_path) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from desktop_app.core.signing import batch, queue
    from desktop_app.gui.verify_dialog import VerifyDialog

    doc_id = _one_letter_waiting(sqlite_db)
    kadis = make_ctx(sqlite_db, "kadis").user
    assert batch.sign_documents(sqlite_db, kadis, [doc_id], demo_signing_passphrase("kadis")).ok
    letter = tmp_path / "surat.pdf"
    letter.write_bytes(queue.document_pdf(sqlite_db, doc_id))
    dialog = VerifyDialog(make_ctx(sqlite_db, "petugas"))
    qtbot.addWidget(dialog)
    assert not dialog.btn_report.isEnabled()
    assert dialog.check_file(letter).genuine
    assert "Rantai sertifikat" in dialog.details.text() and "B-LT): ada" in dialog.details.text()
    out = tmp_path / "laporan.pdf"
    dialog.ask_report_path = lambda: out  # type: ignore[method-assign]
    assert dialog.btn_report.isEnabled()
    dialog.btn_report.click()
    reader = PdfReader(BytesIO(out.read_bytes()))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "ASLI" in text and "surat.pdf" in text and "Nomor dokumen" in text
