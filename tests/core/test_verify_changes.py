"""Verification a clerk can use (issue 12): codes in any case and without the hyphen, files
changed after signing (incremental update, appended bytes) reported as changed with the
signed revision intact, and no pyHanko traceback on stderr."""

from __future__ import annotations

import io

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from test_signing_service import KADIS_PASS, _doc, awaiting_signature, office  # noqa: F401

from desktop_app.core.db import Database
from desktop_app.core.documents.marks import stamp_void
from desktop_app.core.signing import batch, verification


def _metadata_update(pdf: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    info = writer.trailer["/Info"].get_object()
    info["/Title"] = generic.TextStringObject("Diubah")
    writer.mark_update(writer.trailer.raw_get("/Info"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_code_in_any_case_with_or_without_hyphen(db: Database, office: dict) -> None:  # noqa: F811
    _case_id, (doc_id,) = awaiting_signature(db, office)
    assert batch.sign_documents(db, office["kadis"], [doc_id], KADIS_PASS).ok
    code = _doc(db, doc_id).verification_code
    for typed in (code, code.lower(), code.replace("-", ""), code.replace("-", "").lower(),
                  f" {code[:4].lower()} {code[5:]} ", f"PAGARALAM-TK:{code}"):
        report = verification.verify_code(db, typed)
        assert report.status == "asli", (typed, report.message)
        assert report.verification_code == code


def test_changes_after_signing_are_reported(db: Database, office: dict, capfd) -> None:  # noqa: F811
    _case_id, (doc_id,) = awaiting_signature(db, office)
    assert batch.sign_documents(db, office["kadis"], [doc_id], KADIS_PASS).ok
    signed = _doc(db, doc_id).pdf
    assert verification.verify_document(db, signed).status == "asli"
    for changed in (_metadata_update(signed), signed + b"\n% tambahan\njunk\n"):
        report = verification.verify_document(db, changed)
        assert report.status == "diubah", report.message
        assert "setelah ditandatangani" in report.message
        assert "masih utuh" in report.message
        assert report.document_number == _doc(db, doc_id).number  # still names the letter
    # a content change after signing: pyHanko's own analysis; no traceback on stderr
    stamped = stamp_void(signed, _doc(db, doc_id).signed_at, "Uji")
    report = verification.verify_document(db, stamped)
    assert report.status == "diubah" and "masih utuh" in report.message
    err = capfd.readouterr().err
    assert "Traceback" not in err and "SuspiciousModification" not in err


def test_cli_verify_prints_no_traceback(db: Database, office: dict, tmp_path) -> None:  # noqa: F811
    """pytest installs log handlers; a real process has none, which is where pyHanko's
    logged tracebacks used to reach stderr."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from desktop_app.core.signing import office_ca

    _case_id, (doc_id,) = awaiting_signature(db, office)
    assert batch.sign_documents(db, office["kadis"], [doc_id], KADIS_PASS).ok
    signed = _doc(db, doc_id).pdf
    (tmp_path / "ca.pem").write_bytes(office_ca.office_ca_pem(db))
    (tmp_path / "diubah.pdf").write_bytes(stamp_void(signed, _doc(db, doc_id).signed_at, "x"))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
           "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "desktop_app", "verify",
                          str(tmp_path / "diubah.pdf"), "--ca", str(tmp_path / "ca.pem")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "DIUBAH" in run.stdout.upper()
    assert "Traceback" not in run.stderr and "SuspiciousModification" not in run.stderr


def test_qr_carries_the_office_verification_url_when_set(db: Database, office: dict,  # noqa: F811
                                                          monkeypatch) -> None:
    """With a verification page in the profile the QR holds "<url>/<code>"; verify, the
    counter's Cek Status Berkas and the search box read it back. A bad URL is refused at
    its field."""
    import pytest

    from desktop_app.core import settings
    from desktop_app.core.documents import renderer
    from desktop_app.core.errors import ValidationError
    from desktop_app.core.reports import person
    from desktop_app.gui.reports.menu import looks_like_receipt

    url = "https://dpmptsptk.pagaralamkota.go.id/verifikasi"
    with pytest.raises(ValidationError) as refused:
        settings.save_setting(db, office["admin"], settings.OFFICE_PROFILE,
                              {"url_verifikasi": "dpmptsptk verifikasi"})
    assert "url_verifikasi" in refused.value.errors
    settings.save_setting(db, office["admin"], settings.OFFICE_PROFILE,
                          {"url_verifikasi": url + "/"})
    drawn: list[str] = []
    real_qr = renderer.qr_svg

    def recording_qr(payload: object, border: int = 1) -> str:
        drawn.append(str(payload))
        return real_qr(payload, border)

    monkeypatch.setitem(renderer.environment().filters, "qr_svg", recording_qr)
    case_id, (doc_id,) = awaiting_signature(db, office)
    assert batch.sign_documents(db, office["kadis"], [doc_id], KADIS_PASS).ok
    code = _doc(db, doc_id).verification_code
    assert f"{url}/{code}" in drawn  # the QR printed on the signed letter
    assert verification.verify_code(db, f"{url}/{code}").status == "asli"
    assert looks_like_receipt(f"{url}/{code}")
    standing = person.case_standing(db, office["petugas"], f"{url}/{code}")
    assert standing.case_id == case_id
