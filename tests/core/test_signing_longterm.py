"""Issue 15: revocation, long-term validation (PAdES B-LT), trusted signing time, verification
evidence and report - on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import select
from test_signing_service import (  # the helpers of the signing service tests
    KADIS_PASS,
    _actors,
    _audits,
    _doc,
    _pdf_text,
    awaiting_signature,
)

from desktop_app.core.db import Database
from desktop_app.core.demo.signing import DEMO_CA_PASSPHRASE, setup_demo_signing, sign_samples
from desktop_app.core.documents.context import install_placeholder_emblem
from desktop_app.core.errors import ValidationError
from desktop_app.core.models import RevocationList, SignerCredential, User
from desktop_app.core.office_time import office_now
from desktop_app.core.signing import (
    batch,
    credentials,
    ltv,
    office_ca,
    pdfsign,
    pki,
    revocation,
    verification,
)
from desktop_app.core.signing.signing_time import ClockSkew

WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def office(db: Database) -> dict:
    """Emblem set, office CA and demo credentials; returns the demo actors."""
    install_placeholder_emblem(db)
    setup_demo_signing(db)
    return _actors(db)


def _real_office_now() -> dt.datetime:
    return office_now().replace(microsecond=0)


def _root(db: Database) -> bytes:
    pem = office_ca.office_ca_pem(db)
    assert pem is not None
    return pem


def _kadis_bundle(db: Database, office: dict) -> pki.SignerBundle:
    return credentials._load_bundle(db, office["kadis"].user_id)


def test_revoke_later_signature_rejected_earlier_accepted(
        db: Database, office: dict, clock, tmp_path: Path) -> None:
    clock.set(_real_office_now())
    _case, (doc_id,) = awaiting_signature(db, office)
    bundle = _kadis_bundle(db, office)  # kept, as a thief who copied the key would
    assert batch.sign_documents(db, office["kadis"], [doc_id], KADIS_PASS).ok
    earlier = _doc(db, doc_id).pdf

    clock.advance(hours=1)
    revoked_at = db.now()
    with pytest.raises(pki.WrongPassphrase):
        revocation.revoke_certificate(db, office["admin"], "salah-sekali", username="kadis",
                                      reason="kunci_bocor", crl_dir=tmp_path)
    with pytest.raises(ValidationError):  # a date in the future is refused
        revocation.revoke_certificate(db, office["admin"], DEMO_CA_PASSPHRASE,
                                      username="kadis", reason="kunci_bocor",
                                      revoked_at=revoked_at + dt.timedelta(days=2),
                                      crl_dir=tmp_path)
    assert revocation.recorded_revocations(db) == []
    crl = revocation.revoke_certificate(db, office["admin"], DEMO_CA_PASSPHRASE,
                                        username="kadis", reason="kunci_bocor",
                                        revoked_at=revoked_at, crl_dir=tmp_path)
    assert crl is not None and crl.entries == 1 and crl.number == 2
    assert (tmp_path / "ca-kantor.crl").read_bytes() == revocation.current_crls(db)[0]
    assert _audits(db, "cabut_sertifikat") and _audits(db, "terbitkan_crl")
    with db.read() as s:
        assert len(s.scalars(select(RevocationList)).all()) == 2

    # The queue's certificate banner says so (not "berlaku")...
    from desktop_app.core.signing.credentials import credential_status

    status = credential_status(db, office["kadis"].user_id)
    assert status.state == "revoked" and not status.valid and "dicabut" in status.message
    # The program refuses the revoked key...
    _case2, (doc2,) = awaiting_signature(db, office, seed=2)
    with pytest.raises(revocation.SigningRefused, match="dicabut"):
        batch.sign_documents(db, office["kadis"], [doc2], KADIS_PASS)
    assert _doc(db, doc2).status != "ditandatangani"

    # ...and a signature made with it after the revocation (outside the program) is not valid
    later = pdfsign.sign_pdf(_doc(db, doc2).pdf, bundle, KADIS_PASS, reason="curian",
                             extra_certs=[_root(db)],
                             signing_time=(revoked_at + dt.timedelta(minutes=30)).replace(
                                 tzinfo=WIB),
                             ltv_crls=[])
    report = verification.verify_document(db, later)
    assert report.status == "dicabut" and report.exit_code == 4, report.message
    assert "dicabut sejak" in report.message and "sesudahnya" in report.message

    report = verification.verify_document(db, earlier)
    assert report.status == "asli", report.message
    assert "dicabut sesudah dokumen ini ditandatangani" in report.message

    # With no database: the root and the CRL file decide the same way.
    crl_file = (tmp_path / "ca-kantor.crl").read_bytes()
    assert verification.verify_pdf_bytes(later, [_root(db)], crls=[crl_file]).status == "dicabut"
    assert verification.verify_pdf_bytes(earlier, [_root(db)], crls=[crl_file]).genuine
    # Without the CRL nothing is known of the revocation (the letter's own CRL predates it).
    assert verification.verify_pdf_bytes(later, [_root(db)]).genuine


def test_deactivated_signer_cannot_sign(db: Database, office: dict) -> None:
    _case, (doc_id,) = awaiting_signature(db, office)
    with db.write() as s:
        user = s.get(User, office["kadis"].user_id)
        assert user is not None
        user.is_active = False
    with pytest.raises(revocation.SigningRefused, match="dinonaktifkan"):
        batch.sign_documents(db, office["kadis"], [doc_id], KADIS_PASS)
    assert _doc(db, doc_id).status != "ditandatangani"


def test_blt_letter_verifies_with_only_the_root_after_the_certificate_expired(
        db: Database, office: dict, clock, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    clock.set(_real_office_now())
    revocation.issue_crl(db, office["admin"], DEMO_CA_PASSPHRASE, crl_dir=tmp_path)
    _case, (doc_id,) = awaiting_signature(db, office)
    assert batch.sign_documents(db, office["kadis"], [doc_id], KADIS_PASS).ok
    pdf = _doc(db, doc_id).pdf
    evidence = ltv.collect(pdf, [_root(db)])
    (ev,) = evidence.signatures
    assert ev.ltv_in_document and ev.dss_crl_numbers == (2,) and ev.chain_to_trusted_root
    assert evidence.dss_crls == 1 and evidence.dss_certificates >= 2

    with db.read() as s:
        cred = s.get(SignerCredential, office["kadis"].user_id)
        assert cred is not None
        expiry = cred.not_after
    # Years later: the certificate has expired, there is no database, only the root.
    future = expiry.replace(tzinfo=WIB) + dt.timedelta(days=400)
    monkeypatch.setattr(pdfsign, "_utcnow", lambda: future.astimezone(dt.UTC))
    report = verification.verify_pdf_bytes(pdf, [_root(db)])
    assert report.status == "asli", report.message
    assert "habis masa berlakunya" in report.message
    text = "\n".join(report.lines())
    assert "PAdES B-LT): ada" in text and "tidak dicabut" in text
    assert "Perubahan setelah ditandatangani" in text


def test_signing_time_is_the_server_clock_and_a_skewed_pc_is_refused(
        db: Database, office: dict, clock) -> None:
    _case, (doc_id,) = awaiting_signature(db, office)
    if db.is_sqlite:
        # One PC: its clock is the only one; the signature carries it.
        clock.set(_real_office_now())
        assert batch.sign_documents(db, office["kadis"], [doc_id], KADIS_PASS).ok
        assert _doc(db, doc_id).signed_at == clock.now
        return
    del db.server_clock  # the real PostgreSQL now()
    clock.set(_real_office_now() + dt.timedelta(minutes=12))  # this PC runs 12 minutes fast
    with pytest.raises(ClockSkew, match="lebih cepat 12 menit"):
        batch.sign_documents(db, office["kadis"], [doc_id], KADIS_PASS)
    assert _doc(db, doc_id).status != "ditandatangani"
    clock.set(_real_office_now() - dt.timedelta(minutes=2))  # within the tolerance
    assert batch.sign_documents(db, office["kadis"], [doc_id], KADIS_PASS).ok
    doc = _doc(db, doc_id)
    assert doc.signed_at is not None
    # the server's time, not the PC's (2 minutes slow)
    assert abs(doc.signed_at - _real_office_now()) < dt.timedelta(seconds=30)
    assert doc.signed_at - clock.now >= dt.timedelta(minutes=1)
    check = pdfsign.verify_pdf(doc.pdf, [_root(db)])
    assert check.signed_at is not None
    assert check.signed_at.astimezone(WIB).replace(tzinfo=None) == doc.signed_at
    (event,) = [e for e in _audits(db, "tanda_tangan_dokumen") if e.entity_id == str(doc_id)
                or e.entity_id == doc_id]
    assert event.at == doc.signed_at
    stamp = f"{doc.signed_at:%H:%M} WIB"
    assert stamp in " ".join(_pdf_text(doc.pdf).split())
    assert verification.verify_document(db, doc.pdf).signed_at == doc.signed_at


def test_ca_renewal_keeps_old_letters_verifiable(db: Database, office: dict,
                                                 tmp_path: Path) -> None:
    _case, (doc_id,) = awaiting_signature(db, office)
    assert batch.sign_documents(db, office["kadis"], [doc_id], KADIS_PASS).ok
    old_root = _root(db)
    pdf = _doc(db, doc_id).pdf
    office_ca.setup_office_ca(db, office["admin"], "ca-baru-2031", replace=True)
    assert _root(db) != old_root
    report = verification.verify_document(db, pdf)
    assert report.status == "asli", report.message
    assert verification.verify_pdf_bytes(pdf, [old_root]).genuine
    # the new root alone does not vouch for the old letter
    assert verification.verify_pdf_bytes(pdf, [_root(db)]).status == "tidak_dikenal"
    # the renewed CA issues its own CRLs
    info = revocation.issue_crl(db, office["admin"], "ca-baru-2031", crl_dir=tmp_path)
    assert info.number == 2 and info.entries == 0  # 1 was issued when it was created


def test_cli_revoke_issue_crl_and_verify_report(db: Database, office: dict, tmp_path: Path,
                                               clock, capsys: pytest.CaptureFixture,
                                               monkeypatch: pytest.MonkeyPatch,
                                               request: pytest.FixtureRequest) -> None:
    import time

    from pypdf import PdfReader

    from desktop_app.cli import admin, verify

    # The command line runs on an office PC: its local time is WIB (the program's clock).
    monkeypatch.setenv("TZ", "Asia/Jakarta")
    time.tzset()
    request.addfinalizer(time.tzset)  # after monkeypatch restored TZ

    # The command line opens its own connection on the real clock, so the revocation below is
    # dated by the real time: the letter is signed two minutes earlier (inside the certificate's
    # five-minute skew), never in the same second - a signature made in the revocation's own
    # second counts as made after it.
    clock.set(_real_office_now() - dt.timedelta(minutes=2))
    _case, (doc_id,) = awaiting_signature(db, office)
    assert batch.sign_documents(db, office["kadis"], [doc_id], KADIS_PASS).ok
    letter = tmp_path / "surat.pdf"
    letter.write_bytes(_doc(db, doc_id).pdf)
    ca = tmp_path / "ca.pem"
    ca.write_bytes(_root(db))
    crl_dir = tmp_path / "crl"

    import argparse
    import io

    from desktop_app.core.demo.accounts import DEMO_ACCOUNTS

    def demo_password(username: str) -> str:
        return next(a.password for a in DEMO_ACCOUNTS if a.username == username)

    def run_admin(*argv: str) -> int:
        parser = argparse.ArgumentParser()
        parser.add_argument("--database")
        sub = parser.add_subparsers(dest="command")
        admin.add_parser(sub)
        args = parser.parse_args(["--database", db.url, "admin", "--admin-user", "admin", *argv])
        # The administrator's password on standard input (the CLI is not a back door).
        monkeypatch.setattr("sys.stdin", io.StringIO(demo_password("admin") + "\n"))
        return admin.run(args)

    assert run_admin("revoke-cert", "kadis", "--reason", "berhenti", "--ca-passphrase",
                     DEMO_CA_PASSPHRASE, "--crl-dir", str(crl_dir)) == 0
    assert "dicabut" in capsys.readouterr().out
    assert run_admin("issue-crl", "--ca-passphrase", DEMO_CA_PASSPHRASE,
                     "--crl-dir", str(crl_dir)) == 0
    assert "CRL nomor 3" in capsys.readouterr().out  # 1 at setup, 2 at revocation
    assert (crl_dir / "ca-kantor-0003.crl").exists()

    out_pdf = tmp_path / "laporan.pdf"
    code = verify.main(["verify", "--ca", str(ca), "--crl", str(crl_dir / "ca-kantor.crl"),
                        "--report", str(out_pdf), str(letter)])
    text = capsys.readouterr().out
    assert code == 0, text
    assert "Rantai sertifikat" in text and "sesudah dokumen ditandatangani" in text
    reader = PdfReader(BytesIO(out_pdf.read_bytes()))
    assert len(reader.pages) == 1
    page = " ".join(reader.pages[0].extract_text().split())
    assert "Laporan Verifikasi" in page and "ASLI" in page and "B-LT" in page


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) not installed")
def test_pdfsig_says_valid_for_every_signed_document_type(tmp_path: Path) -> None:
    written = [p for p in sign_samples(tmp_path) if p.suffix == ".pdf"]
    assert len(written) >= 5
    ca = (tmp_path / "ca_kantor.pem").read_bytes()
    for path in written:
        out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True,
                             check=False).stdout
        assert "Signature is Valid" in out, (path.name, out)
        (ev,) = ltv.collect(path.read_bytes(), [ca]).signatures
        assert ev.ltv_in_document, path.name


def test_imported_bsre_certificate_revoked_for_the_office(db: Database, office: dict,
                                                         clock, tmp_path: Path) -> None:
    from test_signing import _external_pkcs12  # noqa: PLC0415 - shared helper

    clock.set(_real_office_now())
    p12, root_pem = _external_pkcs12(b"bsre-rahasia")
    credentials.import_credential(db, office["admin"], p12, "bsre-rahasia", username="kadis")
    _case, (doc_id,) = awaiting_signature(db, office)
    assert batch.sign_documents(db, office["kadis"], [doc_id], "bsre-rahasia").ok
    pdf = _doc(db, doc_id).pdf
    (ev,) = ltv.collect(pdf, [root_pem]).signatures
    # chain in the letter, but the office has no CRL of the BSrE issuer to embed
    assert ev.dss_has_chain and not ev.ltv_in_document and ev.chain_to_trusted_root
    assert "sebagian" in "\n".join(ltv.describe(ev))

    clock.advance(minutes=5)
    assert revocation.revoke_certificate(db, office["admin"], DEMO_CA_PASSPHRASE,
                                         username="kadis", reason="berhenti",
                                         crl_dir=tmp_path) is None  # no office CRL for it
    _case2, (doc2,) = awaiting_signature(db, office, seed=2)
    with pytest.raises(revocation.SigningRefused):
        batch.sign_documents(db, office["kadis"], [doc2], "bsre-rahasia")
    report = verification.verify_document(db, pdf)  # signed before: still genuine, with note
    assert report.status == "asli" and "dicabut sesudah" in report.message, report.message
