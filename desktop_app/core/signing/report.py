"""The one-page printable verification report of a signed letter (issue 15), for an auditor:
the verdict, the document's facts, and per signature the chain, the revocation status at
signing time, the long-term validation material and the changes after signing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes

from desktop_app.core.db import Database
from desktop_app.core.office_time import zone_label
from desktop_app.core.signing import ltv, pki
from desktop_app.core.signing.pdfsign import _format_wib, sha256_hex
from desktop_app.core.signing.verification import VerificationReport, long_term_evidence

TEMPLATE = "verification/report.html.j2"


def _root_line(pem: bytes) -> list[str]:
    out = []
    try:
        certs = pki.load_certificates(pem)
    except Exception:  # noqa: BLE001 - an unreadable root was ignored by the verifier too
        return out
    for cert in certs:
        fp = cert.fingerprint(hashes.SHA256()).hex(":").upper()
        out.append(f"{cert.subject.rfc4514_string()} — SHA-256 {fp}")
    return out


def report_context(report: VerificationReport, pdf: bytes, file_name: str, *,
                   roots: Sequence[bytes], crls: Sequence[bytes] = (),
                   db: Database | None = None, now: dt.datetime | None = None
                   ) -> dict[str, Any]:
    from desktop_app.core.formatting import tanggal_jam
    from desktop_app.core.signing.office_ca import trust_roots

    all_roots = list(roots) + (trust_roots(db) if db is not None else [])
    evidence = long_term_evidence(pdf, all_roots, crls=crls, db=db)
    moment = now or dt.datetime.now(dt.UTC)
    evidence_lines = {line for ev in evidence.signatures for line in ltv.describe(ev, moment)}
    other = [line for line in report.lines()[2:]
             if line not in evidence_lines and not line.startswith(("Penanda tangan:",
                                                                    "Waktu tanda tangan:"))]
    other = [line for line in other if not line.startswith(
        ("Dokumen:", "Nomor dokumen:", "Nomor register", "Kode verifikasi:"))]
    return {
        "report": {
            "file_name": file_name,
            "file_sha256": sha256_hex(pdf),
            "status": report.status,
            "status_label": report.label,
            "message": report.message,
            "checked_at": _format_wib(moment),
            "checked_with": ("basis data kantor dan akar tepercaya" if db is not None
                             else "akar tepercaya yang diberikan (tanpa basis data)")
                            + (f", {len(crls)} CRL tambahan" if crls else ""),
            "roots": [line for pem in all_roots for line in _root_line(pem)],
        },
        "facts": {
            "signer": report.signer_name, "nip": report.signer_nip,
            "signed_at": f"{tanggal_jam(report.signed_at)} {zone_label()}" if report.signed_at else None,
            "document_title": report.document_title,
            "document_number": report.document_number,
            "register_number": report.register_number,
            "verification_code": report.verification_code,
        },
        "signatures": [{"lines": ltv.describe(ev, moment)} for ev in evidence.signatures],
        "other_lines": other,
    }


def render_report(report: VerificationReport, pdf: bytes, file_name: str, *,
                  roots: Sequence[bytes], crls: Sequence[bytes] = (),
                  db: Database | None = None) -> bytes:
    from desktop_app.core.documents.renderer import render_pdf

    return render_pdf(TEMPLATE, report_context(report, pdf, file_name, roots=roots, crls=crls,
                                               db=db))


def write_report(path: Path, report: VerificationReport, pdf: bytes, file_name: str, *,
                 roots: Sequence[bytes], crls: Sequence[bytes] = (),
                 db: Database | None = None) -> Path:
    path.write_bytes(render_report(report, pdf, file_name, roots=roots, crls=crls, db=db))
    return path
