"""Verifying a signed document: by its PDF bytes or by its printed verification code."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.core.db import Database
from desktop_app.core.models import Case, Document, User
from desktop_app.core.office_time import zone_label
from desktop_app.core.signing import ltv, pdfsign
from desktop_app.core.signing.office_ca import trust_roots
from desktop_app.core.signing.pdfsign import sha256_hex
from desktop_app.core.signing.terms import (
    EXIT_CODES,
    METHOD_WET,
    QR_PREFIX,
    SIGNED,
    TTD,
    VERIFY_ALTERED,
    VERIFY_GENUINE,
    VERIFY_LABELS,
    VERIFY_REVOKED,
    VERIFY_UNKNOWN,
    VERIFY_VOIDED,
    VOIDED,
    _doc_title,
    _to_local_naive,
)
from desktop_app.core.sop_versions import sop_of_case


@dataclass(frozen=True)
class VerificationReport:
    """The answer to "is this document genuine?" (from a PDF or from a printed QR code)."""

    status: str  # asli / diubah / tidak_dikenal / dibatalkan
    message: str
    signer_name: str | None = None
    signer_nip: str | None = None
    signed_at: datetime | None = None
    register_number: str | None = None
    document_number: str | None = None
    document_title: str | None = None
    document_id: int | None = None
    case_id: int | None = None
    on_behalf_of: str | None = None
    delegation_kind: str | None = None
    verification_code: str | None = None
    void_reason: str | None = None
    source: str = "pdf"  # "pdf" or "kode"
    details: tuple[str, ...] = field(default=())

    @property
    def genuine(self) -> bool:
        return self.status == VERIFY_GENUINE

    @property
    def label(self) -> str:
        return VERIFY_LABELS.get(self.status, self.status)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES.get(self.status, 2)

    def lines(self) -> list[str]:
        """Human-readable lines (CLI output, dialog)."""
        from desktop_app.core.formatting import tanggal_jam

        out = [f"Status: {self.label}", self.message]
        if self.signer_name:
            who = self.signer_name + (f" (NIP {self.signer_nip})" if self.signer_nip else "")
            if self.on_behalf_of:
                who += f", {self.delegation_kind or 'Plh.'} atas nama {self.on_behalf_of}"
            out.append(f"Penanda tangan: {who}")
        if self.signed_at:
            out.append(f"Waktu tanda tangan: {tanggal_jam(self.signed_at)} {zone_label()}")
        if self.document_title:
            out.append(f"Dokumen: {self.document_title}")
        if self.document_number:
            out.append(f"Nomor dokumen: {self.document_number}")
        if self.register_number:
            out.append(f"Nomor register berkas: {self.register_number}")
        if self.verification_code:
            out.append(f"Kode verifikasi: {self.verification_code}")
        if self.void_reason:
            out.append(f"Alasan pembatalan: {self.void_reason}")
        out.extend(self.details)
        return out


def _doc_facts(s: Session, doc: Document) -> dict[str, Any]:
    case = s.get(Case, doc.case_id)
    sop = sop_of_case(s, case) if case else None
    ttd = next((a for a in reversed(doc.approvals) if a.kind == TTD), None)
    signer = s.get(User, doc.signed_by_id) if doc.signed_by_id else None
    return {
        "register_number": case.register_number if case else None,
        "document_number": doc.number,
        "document_title": _doc_title(sop, doc.doc_type) if sop else doc.doc_type,
        "document_id": doc.id,
        "case_id": doc.case_id,
        "signer_name": ttd.user_name if ttd else (signer.full_name if signer else None),
        "signer_nip": signer.nip if signer else None,
        "signed_at": doc.signed_at,
        "on_behalf_of": ttd.on_behalf_of_name if ttd else None,
        "delegation_kind": ttd.delegation_kind if ttd else None,
        "verification_code": doc.verification_code,
    }


def _voided_message(doc: Document) -> str:
    from desktop_app.core.formatting import tanggal

    when = f" pada {tanggal(doc.voided_at.date())}" if doc.voided_at else ""
    return (f"Tanda tangan dokumen ini sah, tetapi dokumen telah DIBATALKAN{when} dan "
            "diganti versi baru. Jangan gunakan dokumen ini.")


def verify_pdf_bytes(pdf: bytes, trust_roots_pem: Sequence[bytes],
                     crls: Sequence[bytes] = ()) -> VerificationReport:
    """Check a PDF against the given roots only (no database): used for ``--ca`` files.
    ``crls``: revocation lists given by the verifier, besides those inside the letter."""
    return with_long_term_checks(_verify_pdf_bytes(pdf, trust_roots_pem), pdf,
                                 list(trust_roots_pem), crls=crls)


def _verify_pdf_bytes(pdf: bytes, trust_roots_pem: Sequence[bytes]) -> VerificationReport:
    result = pdfsign.verify_pdf(pdf, list(trust_roots_pem))
    return VerificationReport(status=result.status, message=result.message,
                              signer_name=result.signer_name, signer_nip=result.signer_nip,
                              signed_at=_to_local_naive(result.signed_at)
                              if result.signed_at else None)


def verify_document(db: Database | None, pdf_bytes: bytes,
                    extra_roots: Sequence[bytes] = (), crls: Sequence[bytes] = ()
                    ) -> VerificationReport:
    """:func:`_verify_document` then the revocation and long-term checks
    (:func:`with_long_term_checks`)."""
    roots = list(extra_roots) + (trust_roots(db) if db is not None else [])
    return with_long_term_checks(_verify_document(db, pdf_bytes, extra_roots), pdf_bytes,
                                 roots, crls=crls, db=db)


def _verify_document(db: Database | None, pdf_bytes: bytes,
                     extra_roots: Sequence[bytes] = ()) -> VerificationReport:
    """Is this PDF a genuine signed document of the office? Checks the PAdES signature against
    the office CA and the other trusted roots, then finds the document in the database (by the
    file's hash or by the hash of its signed revision) to name the case and number."""
    roots = list(extra_roots) + (trust_roots(db) if db is not None else [])
    result = pdfsign.verify_pdf(pdf_bytes, roots)
    base = VerificationReport(
        status=result.status, message=result.message, signer_name=result.signer_name,
        signer_nip=result.signer_nip,
        signed_at=_to_local_naive(result.signed_at) if result.signed_at else None)
    if db is None or result.status == VERIFY_ALTERED and result.signed_revision_sha256 is None:
        return base
    hashes = {sha256_hex(pdf_bytes)}
    if result.signed_revision_sha256:
        hashes.add(result.signed_revision_sha256)
        hashes |= pdfsign.revision_hashes(pdf_bytes)  # B-LT: validation data appended since
    with db.read() as s:
        doc = s.scalars(select(Document).where(Document.sha256.in_(hashes))
                        .order_by(Document.id.desc())).first()
        if doc is None:
            if result.status == VERIFY_GENUINE:
                return VerificationReport(
                    **{**base.__dict__, "details": (
                        "Dokumen tidak ditemukan di basis data ini (mungkin diterbitkan "
                        "kantor lain atau dari basis data lain).",)})
            return base
        facts = _doc_facts(s, doc)
        # The certificate in the file is what proves who signed; the database adds the rest.
        facts.update(signer_name=base.signer_name or facts["signer_name"],
                     signer_nip=base.signer_nip or facts["signer_nip"])
        if doc.status == VOIDED and (result.status == VERIFY_GENUINE or (
                result.status == VERIFY_ALTERED and doc.sha256 in hashes)):
            # A voided letter's stored file carries the DIBATALKAN stamp as an update after
            # the signed file (which may itself end with its B-LT validation data).
            return VerificationReport(status=VERIFY_VOIDED, message=_voided_message(doc),
                                      void_reason=doc.void_reason, **facts)
        if result.status == VERIFY_GENUINE:
            return VerificationReport(status=VERIFY_GENUINE, message=result.message, **facts)
        # Altered or unknown: still say which document it claims to be.
        return VerificationReport(status=result.status, message=result.message, **facts)


_CODE_RE = re.compile(r"[^A-Z0-9]")


def normalize_code(text: str) -> str:
    """The verification code from a typed code or the QR text ("PAGARALAM-TK:<code>", or a
    URL ending in the code)."""
    raw = (text or "").strip()
    if raw.upper().startswith(QR_PREFIX):
        raw = raw[len(QR_PREFIX):]
    elif "/" in raw:
        raw = raw.rstrip("/").rsplit("/", 1)[-1]
    # Any case, with or without the hyphen, spaces or dashes of another kind: "k3jw65gp",
    # "K3JW-65GP" and "k3jw 65gp" are one code. Shown in its printed form XXXX-XXXX.
    bare = _CODE_RE.sub("", raw.upper())
    return f"{bare[:4]}-{bare[4:]}" if len(bare) == 8 else bare


def verify_code(db: Database, code: str) -> VerificationReport:
    """Check the code read from a printout's QR: genuine only if a signed, non-voided document
    carries it; the report names the document so the clerk can compare it with the paper."""
    clean = normalize_code(code)
    if not clean:
        return VerificationReport(status=VERIFY_UNKNOWN, message="Kode verifikasi kosong.",
                                  source="kode")
    with db.read() as s:
        doc = s.scalars(select(Document).where(
            func.replace(func.upper(Document.verification_code), "-", "")
            == clean.replace("-", ""))).first()
        if doc is None:
            return VerificationReport(
                status=VERIFY_UNKNOWN, source="kode", verification_code=clean,
                message="Kode verifikasi tidak dikenal: tidak ada dokumen kantor dengan kode "
                        "ini.")
        facts = _doc_facts(s, doc)
        if doc.status == VOIDED:
            return VerificationReport(status=VERIFY_VOIDED, message=_voided_message(doc),
                                      void_reason=doc.void_reason, source="kode", **facts)
        if doc.status != SIGNED:
            return VerificationReport(
                status=VERIFY_UNKNOWN, source="kode", **facts,
                message="Dokumen dengan kode ini belum ditandatangani: cetakan ini belum sah.")
        ttd = next((a for a in reversed(doc.approvals) if a.kind == TTD), None)
        method = " (tanda tangan basah)" if ttd and ttd.method == METHOD_WET else ""
        return VerificationReport(
            status=VERIFY_GENUINE, source="kode", **facts,
            message="Kode dikenal: dokumen ini diterbitkan dan ditandatangani kantor" + method
                    + ". Cocokkan nomor, nama dan isi dengan cetakan.")


# ------------------------------------------------------------ revocation and long-term (i15)


def long_term_evidence(pdf: bytes, roots: Sequence[bytes], *, crls: Sequence[bytes] = (),
                       db: Database | None = None) -> ltv.Evidence:
    """Chain, revocation, LTV material and later changes of each signature (``signing.ltv``),
    with the office's revocations and CRLs when a database is given."""
    recorded: list[tuple[str, str | None, datetime, str]] = []
    extra = list(crls)
    if db is not None:
        from desktop_app.core.signing.revocation import current_crls, recorded_revocations
        from desktop_app.core.signing.signing_time import as_aware

        recorded = [(r.serial_hex, r.issuer_sha256, as_aware(r.revoked_at), r.reason)
                    for r in recorded_revocations(db)]
        extra += current_crls(db)
    return ltv.collect(pdf, list(roots), extra_crls=extra, recorded=recorded)


def with_long_term_checks(report: VerificationReport, pdf: bytes, roots: Sequence[bytes], *,
                          crls: Sequence[bytes] = (), db: Database | None = None
                          ) -> VerificationReport:
    """Apply revocation to the verdict and add the evidence lines: a genuine (or voided)
    signature made at or after its certificate's revocation becomes ``dicabut``; one made
    before stays genuine with a note."""
    if report.status not in (VERIFY_GENUINE, VERIFY_VOIDED, VERIFY_UNKNOWN, VERIFY_ALTERED):
        return report
    evidence = long_term_evidence(pdf, roots, crls=crls, db=db)
    if not evidence.signatures:
        return report
    lines: list[str] = []
    for ev in evidence.signatures:
        lines += ltv.describe(ev)
    changes: dict[str, Any] = {"details": tuple(report.details) + tuple(lines)}
    bad = evidence.revoked
    if bad is not None and report.status in (VERIFY_GENUINE, VERIFY_VOIDED):
        from desktop_app.core.signing.pdfsign import _format_wib
        from desktop_app.core.signing.revocation import reason_label

        assert bad.revocation is not None
        changes.update(status=VERIFY_REVOKED, message=(
            f"TIDAK SAH: sertifikat {bad.signer} telah dicabut sejak "
            f"{_format_wib(bad.revocation.revoked_at)} "
            f"({reason_label(bad.revocation.reason)}), dan tanda tangan ini dibuat sesudahnya."))
    elif report.status == VERIFY_GENUINE and any(
            e.revocation is not None for e in evidence.signatures):
        changes["message"] = report.message + (
            " Catatan: sertifikat penanda tangan dicabut sesudah dokumen ini ditandatangani; "
            "tanda tangan ini tetap sah.")
    return replace(report, **changes)
