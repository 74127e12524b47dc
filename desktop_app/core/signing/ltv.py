"""Long-term evidence of a signed letter (issue 15): chain, revocation at signing time, LTV
material, changes after signing.

Kept apart from ``pdfsign.verify_pdf`` (which answers "intact and trusted?" with pyHanko) so
the two can change independently: this module reads what a third party needs to follow the
verdict and applies the office's revocations.

Revocation is judged here, not by pyHanko: a signature is compared with each revocation
known - from the CRLs embedded in the letter (its DSS), CRLs given by the verifier (``--crl``)
and, with a database, the office's own records - whose CRL signature checks out against the
signer's issuer. Signed at or after the revocation date: not valid; before: valid, with a note.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from io import BytesIO

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from desktop_app.core.signing import pki
from desktop_app.core.signing.pki import REVOCATION_REASONS

log = logging.getLogger(__name__)

_REASON_BY_FLAG = {flag: code for code, (_label, flag) in REVOCATION_REASONS.items()}


@dataclass(frozen=True)
class RevocationFinding:
    revoked_at: dt.datetime  # aware
    reason: str  # code of pki.REVOCATION_REASONS
    source: str  # "CRL dalam dokumen", "CRL", "basis data"


@dataclass(frozen=True)
class SignatureEvidence:
    """What a third party needs to follow the verdict on one signature."""

    field_name: str
    signer: str
    serial_hex: str
    signed_at: dt.datetime | None
    chain: tuple[str, ...]  # subject CNs, signer first, up to the trusted root (if found)
    chain_to_trusted_root: bool
    cert_not_after: dt.datetime
    revocation: RevocationFinding | None
    revoked_before_signing: bool
    crl_checked: bool  # a CRL of the signer's issuer was available
    ltv_in_document: bool  # DSS with the chain and a CRL of the issuer
    dss_has_chain: bool = False  # DSS with the signer's certificate (maybe no CRL)
    dss_crl_numbers: tuple[int, ...] = ()
    later_revisions: int = 0  # incremental updates after the signature
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Evidence:
    signatures: tuple[SignatureEvidence, ...]
    dss_certificates: int
    dss_crls: int

    @property
    def revoked(self) -> SignatureEvidence | None:
        return next((e for e in self.signatures if e.revoked_before_signing), None)


def _cn(cert: x509.Certificate) -> str:
    attrs = cert.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else cert.subject.rfc4514_string()


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    if cert.issuer != issuer.subject:
        return False
    try:
        cert.verify_directly_issued_by(issuer)
    except Exception:  # noqa: BLE001 - bad signature, unsupported key: not the issuer
        return False
    return True


def _chain(leaf: x509.Certificate, pool: list[x509.Certificate],
           roots: list[x509.Certificate]) -> tuple[list[x509.Certificate], bool]:
    chain = [leaf]
    current = leaf
    for _ in range(8):
        root = next((r for r in roots if _issued_by(current, r)), None)
        if root is not None:
            if root.public_bytes(Encoding.DER) != current.public_bytes(Encoding.DER):
                chain.append(root)
            return chain, True
        parent = next((c for c in pool if c is not current and _issued_by(current, c)), None)
        if parent is None or parent in chain:
            return chain, False
        chain.append(parent)
        current = parent
    return chain, False


def _read_dss(reader: object) -> tuple[list[x509.Certificate], list[bytes]]:
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    try:
        dss = DocumentSecurityStore.read_dss(reader)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - no DSS (or unreadable): no LTV material
        return [], []
    certs: list[x509.Certificate] = []
    for ref in dss.certs.values():
        try:
            certs.append(x509.load_der_x509_certificate(ref.get_object().data))
        except Exception:  # noqa: BLE001 - an unreadable entry is skipped
            continue
    crls: list[bytes] = []
    for ref in dss.crls:
        try:
            crls.append(ref.get_object().data)
        except Exception:  # noqa: BLE001
            continue
    return certs, crls


def _load_crls(blobs: list[bytes]) -> list[x509.CertificateRevocationList]:
    out = []
    for blob in blobs:
        try:
            raw = bytes(blob)
            out.append(x509.load_pem_x509_crl(raw) if b"-----BEGIN" in raw
                       else x509.load_der_x509_crl(raw))
        except ValueError:
            log.info("ignoring an unreadable CRL")
    return out


def _crl_number(crl: x509.CertificateRevocationList) -> int | None:
    try:
        return crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    except x509.ExtensionNotFound:
        return None


def _crl_of(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    return crl.issuer == issuer.subject and crl.is_signature_valid(
        issuer.public_key())  # type: ignore[arg-type]


def _finding_in(crl: x509.CertificateRevocationList, serial: int,
                source: str) -> RevocationFinding | None:
    entry = crl.get_revoked_certificate_by_serial_number(serial)
    if entry is None:
        return None
    try:
        flag = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
        reason = _REASON_BY_FLAG.get(flag, "lainnya")
    except x509.ExtensionNotFound:
        reason = "lainnya"
    return RevocationFinding(entry.revocation_date_utc, reason, source)


def collect(pdf: bytes, trust_roots_pem: list[bytes], *, extra_crls: list[bytes] = (),  # type: ignore[assignment]
            recorded: list[tuple[str, str | None, dt.datetime, str]] = ()  # type: ignore[assignment]
            ) -> Evidence:
    """The evidence for every signature of ``pdf``.

    ``recorded``: revocations from the database as (serial hex, issuer cert SHA-256,
    revoked_at aware, reason code). Never raises on a damaged file: it gives no signatures.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    from desktop_app.core.signing.revocation import cert_sha256

    roots: list[x509.Certificate] = []
    for blob in trust_roots_pem:
        try:
            roots += pki.load_certificates(blob)
        except Exception:  # noqa: BLE001
            continue
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_regular_signatures)
        total_revisions = reader.xrefs.total_revisions
    except Exception:  # noqa: BLE001
        return Evidence((), 0, 0)
    dss_certs, dss_crl_blobs = _read_dss(reader)
    dss_crls = _load_crls(dss_crl_blobs)
    given_crls = _load_crls(list(extra_crls))
    out = []
    for emb in embedded:
        try:
            leaf = x509.load_der_x509_certificate(emb.signer_cert.dump())
            cms_certs = [x509.load_der_x509_certificate(c.dump()) for c in emb.other_embedded_certs]
        except Exception:  # noqa: BLE001
            continue
        try:
            signed_at = emb.self_reported_timestamp
        except Exception:  # noqa: BLE001
            signed_at = None
        chain, trusted = _chain(leaf, cms_certs + dss_certs, roots)
        issuer = chain[1] if len(chain) > 1 else None
        serial_hex = format(leaf.serial_number, "x")
        finding = None
        crl_checked = False
        numbers: list[int] = []
        if issuer is not None:
            for crl in dss_crls:
                if _crl_of(crl, issuer):
                    crl_checked = True
                    n = _crl_number(crl)
                    if n is not None:
                        numbers.append(n)
                    finding = finding or _finding_in(crl, leaf.serial_number,
                                                     "CRL dalam dokumen")
            for crl in given_crls:
                if _crl_of(crl, issuer):
                    crl_checked = True
                    finding = finding or _finding_in(crl, leaf.serial_number, "CRL")
            issuer_fp = cert_sha256(issuer)
            for serial, fp, when, reason in recorded:
                if serial == serial_hex and (fp is None or fp == issuer_fp):
                    crl_checked = True
                    finding = finding or RevocationFinding(when, reason, "basis data")
        has_chain = any(c.public_bytes(Encoding.DER) == leaf.public_bytes(Encoding.DER)
                        for c in dss_certs)
        ltv = has_chain and bool(numbers)
        revoked_before = bool(finding is not None and signed_at is not None
                              and signed_at >= finding.revoked_at)
        try:
            later = max(0, total_revisions - 1 - emb.signed_revision)
        except Exception:  # noqa: BLE001
            later = 0
        out.append(SignatureEvidence(
            field_name=str(emb.field_name or ""), signer=_cn(leaf), serial_hex=serial_hex,
            signed_at=signed_at, chain=tuple(_cn(c) for c in chain),
            chain_to_trusted_root=trusted, cert_not_after=leaf.not_valid_after_utc,
            revocation=finding, revoked_before_signing=revoked_before,
            crl_checked=crl_checked, ltv_in_document=ltv, dss_has_chain=has_chain,
            dss_crl_numbers=tuple(numbers),
            later_revisions=later))
    return Evidence(tuple(out), len(dss_certs), len(dss_crls))


def describe(ev: SignatureEvidence, now: dt.datetime | None = None) -> list[str]:
    """Indonesian lines for the CLI, the dialog and the printed report."""
    from desktop_app.core.signing.pdfsign import _format_wib

    now = now or dt.datetime.now(dt.UTC)
    lines = [f"Tanda tangan '{ev.field_name}': {ev.signer} (nomor seri {ev.serial_hex})"]
    chain = " → ".join(ev.chain)
    lines.append(f"  Rantai sertifikat: {chain} "
                 + ("(sampai akar tepercaya)" if ev.chain_to_trusted_root
                    else "(TIDAK sampai akar tepercaya)"))
    if ev.cert_not_after < now:
        lines.append(f"  Sertifikat habis masa berlakunya pada {_format_wib(ev.cert_not_after)}"
                     "; diperiksa pada waktu penandatanganan.")
    if ev.revocation is None:
        lines.append("  Status pencabutan saat ditandatangani: tidak dicabut"
                     + ("" if ev.crl_checked else " (tidak ada CRL penerbit untuk diperiksa)"))
    else:
        rev = ev.revocation
        label = REVOCATION_REASONS.get(rev.reason, (rev.reason,))[0]
        when = _format_wib(rev.revoked_at)
        if ev.revoked_before_signing:
            lines.append(f"  Status pencabutan: DICABUT sejak {when} ({label}; sumber: "
                         f"{rev.source}) - tanda tangan dibuat sesudahnya, TIDAK SAH")
        else:
            lines.append(f"  Status pencabutan: dicabut sejak {when} ({label}; sumber: "
                         f"{rev.source}), sesudah dokumen ditandatangani - tanda tangan "
                         "tetap sah")
    if ev.ltv_in_document:
        numbers = ", ".join(str(n) for n in ev.dss_crl_numbers)
        lines.append(f"  Data validasi jangka panjang (PAdES B-LT): ada (rantai sertifikat dan "
                     f"CRL nomor {numbers})")
    elif ev.dss_has_chain:
        lines.append("  Data validasi jangka panjang (PAdES B-LT): sebagian (rantai sertifikat "
                     "ada, CRL penerbit tidak ada)")
    else:
        lines.append("  Data validasi jangka panjang (PAdES B-LT): tidak ada")
    if ev.later_revisions == 1 and (ev.ltv_in_document or ev.dss_has_chain):
        lines.append("  Perubahan setelah ditandatangani: hanya penambahan data validasi "
                     "(DSS) sesudah tanda tangan")
    elif ev.later_revisions:
        lines.append(f"  Perubahan setelah ditandatangani: {ev.later_revisions} pembaruan "
                     "tambahan (yang diizinkan hanya data validasi dan tanda tangan berikutnya; "
                     "perubahan isi membuat status DIUBAH)")
    else:
        lines.append("  Perubahan setelah ditandatangani: tidak ada")
    return lines
