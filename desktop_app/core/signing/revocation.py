"""Revoking signer certificates and the office CA's revocation lists (CRLs) - issue 15.

The administrator, with the CA passphrase, revokes a signer's certificate with a reason and
the date from which it is no longer to be trusted (the day the laptop was lost, the day the
official left office). Every revocation makes the office CA issue a new CRL; the administrator
can also issue one on demand (``desktop-app admin issue-crl``), e.g. before the previous one's
``nextUpdate``. Each CRL is kept in the database (``revocation_lists``) and written as a file
beside the backups (``<backup folder>/crl/``), so a verifier with no database can be given it.

Signing refuses a revoked certificate and a deactivated account (:func:`ensure_can_sign`).
Verification (``signing.ltv``) judges a signature by its signing time against the revocation
date: after it, not valid; before it, valid with a note.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import func, select

from desktop_app.core import audit
from desktop_app.core.auth import Actor, require_roles
from desktop_app.core.db import Database
from desktop_app.core.errors import AppError, NotFound, ValidationError
from desktop_app.core.models import CertificateRevocation, RevocationList, SignerCredential, User
from desktop_app.core.roles import ADMIN
from desktop_app.core.signing import pki
from desktop_app.core.signing.office_ca import office_ca, trust_roots
from desktop_app.core.signing.pki import REVOCATION_REASONS, RevokedEntry, WrongPassphrase
from desktop_app.core.signing.signing_time import as_aware
from desktop_app.core.signing.terms import _user_by_username

CRL_VALIDITY = timedelta(days=30)
"""``nextUpdate`` of each CRL: a new one is due (``admin issue-crl``) within a month."""


class SigningRefused(AppError):
    """The signer's certificate is revoked or the account is deactivated."""


@dataclass(frozen=True)
class Revoked:
    """A revocation as the verifier needs it (from the database or from a CRL)."""

    serial_hex: str
    issuer_sha256: str | None
    revoked_at: datetime  # naive office-local time
    reason: str
    source: str  # "basis data" or "CRL"


@dataclass(frozen=True)
class CrlInfo:
    number: int
    issued_at: datetime
    next_update: datetime
    entries: int
    path: Path | None


def cert_sha256(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()


def reason_label(code: str) -> str:
    return REVOCATION_REASONS.get(code, (code,))[0]


def default_crl_dir(db: Database) -> Path | None:
    """``crl`` beside the backups: ``<database folder>/cadangan/crl`` for a one-PC office.
    None for an office server (its backups are made on the server by IT, docs/server.md):
    the CRL is in the database, and ``--crl-dir`` writes the file where the administrator
    wants it."""
    from sqlalchemy.engine import make_url

    if db.is_sqlite:
        return Path(make_url(db.url).database or ".").parent / "cadangan" / "crl"
    return None


def _find_issuer(db: Database, cert: x509.Certificate) -> x509.Certificate | None:
    for pem in trust_roots(db):
        for root in pki.load_certificates(pem):
            if root.subject == cert.issuer:
                try:
                    cert.verify_directly_issued_by(root)
                except Exception:  # noqa: BLE001 - wrong key or algorithm: not the issuer
                    continue
                return root
    return None


def revoke_certificate(db: Database, admin: Actor | None, ca_passphrase: str, *,
                       username: str, reason: str, revoked_at: datetime | None = None,
                       crl_dir: Path | None = None) -> CrlInfo | None:
    """Revoke ``username``'s signing certificate from ``revoked_at`` (default: now).

    Administrator only; the CA passphrase is checked before anything is written. The
    revocation is recorded, audited, and a new CRL is issued when the certificate comes from
    the office CA (an imported BSrE certificate is revoked for this office only: its CRL is
    BSrE's to publish). Returns the new CRL, or None for an imported certificate.
    """
    if admin is not None:
        require_roles(db, admin, [ADMIN], "revoke_certificate", "user", username)
    errors: dict[str, str] = {}
    if reason not in REVOCATION_REASONS:
        errors["alasan"] = "Pilih alasan pencabutan."
    now = db.now()
    when = (revoked_at or now).replace(microsecond=0)
    if when.tzinfo is not None:
        from desktop_app.core.signing.terms import _to_local_naive

        when = _to_local_naive(when)
    if when > now + timedelta(minutes=1):
        errors["tanggal"] = "Tanggal pencabutan tidak boleh di masa depan."
    if errors:
        raise ValidationError(errors)
    ca = office_ca(db)
    if ca is None:
        raise ValidationError({"ca": "CA kantor belum dibuat."})
    try:
        pki.load_ca(ca, ca_passphrase)
    except WrongPassphrase:
        raise WrongPassphrase("Frasa sandi CA kantor salah.") from None
    with db.read() as s:
        user = _user_by_username(s, username)
        cred = s.get(SignerCredential, user.id)
        if cred is None:
            raise NotFound(f"{user.full_name} tidak memiliki sertifikat tanda tangan.")
        cert = pki.load_certificates(cred.cert_pem)[0]
        user_id, source = user.id, cred.source
    issuer = _find_issuer(db, cert)
    issuer_fp = cert_sha256(issuer) if issuer is not None else hashlib.sha256(
        cert.issuer.public_bytes()).hexdigest()
    serial = format(cert.serial_number, "x")
    who = admin.username if admin else "sistem"
    with db.write() as s:
        exists = s.scalar(select(CertificateRevocation.id).where(
            CertificateRevocation.issuer_sha256 == issuer_fp,
            CertificateRevocation.serial_hex == serial))
        if exists is not None:
            raise ValidationError({"sertifikat": "Sertifikat ini sudah dicabut."})
        s.add(CertificateRevocation(
            serial_hex=serial, issuer_sha256=issuer_fp,
            subject_name=cert.subject.rfc4514_string()[:255], user_id=user_id, reason=reason,
            revoked_at=when, recorded_at=now, recorded_by=who))
        s.flush()
        audit.record(s, at=now, user_id=admin.user_id if admin else None, username=who,
                     action="cabut_sertifikat", entity="user", entity_id=user_id,
                     detail={"username": username, "serial": serial, "alasan": reason,
                             "berlaku_sejak": when.isoformat(), "sumber": source})
    ca_cert = pki.load_certificates(ca.cert_pem)[0]
    if issuer is None or cert_sha256(issuer) != cert_sha256(ca_cert):
        return None
    return issue_crl(db, admin, ca_passphrase, crl_dir=crl_dir)


def issue_crl(db: Database, admin: Actor | None, ca_passphrase: str, *,
              crl_dir: Path | None = None) -> CrlInfo:
    """Issue the office CA's next CRL (every revocation it recorded), store it in the database
    and write it as ``ca-kantor.crl`` (latest) and ``ca-kantor-<n>.crl`` in ``crl_dir``."""
    if admin is not None:
        require_roles(db, admin, [ADMIN], "issue_crl", "setting", "crl")
    ca = office_ca(db)
    if ca is None:
        raise ValidationError({"ca": "CA kantor belum dibuat."})
    ca_cert = pki.load_certificates(ca.cert_pem)[0]
    fp = cert_sha256(ca_cert)
    now = db.now()
    with db.read() as s:
        rows = s.execute(select(CertificateRevocation.serial_hex,
                                CertificateRevocation.revoked_at,
                                CertificateRevocation.reason)
                         .where(CertificateRevocation.issuer_sha256 == fp)).all()
        number = (s.scalar(select(func.max(RevocationList.number))
                           .where(RevocationList.issuer_sha256 == fp)) or 0) + 1
    entries = [RevokedEntry(r[0], as_aware(r[1]), r[2]) for r in rows]
    try:
        der = pki.build_crl(ca, ca_passphrase, entries, number=number,
                            this_update=as_aware(now), next_update=as_aware(now + CRL_VALIDITY))
    except WrongPassphrase:
        raise WrongPassphrase("Frasa sandi CA kantor salah.") from None
    who = admin.username if admin else "sistem"
    with db.write() as s:
        s.add(RevocationList(issuer_sha256=fp, number=number, issued_at=now,
                             next_update=now + CRL_VALIDITY, der=der, issued_by=who))
        audit.record(s, at=now, user_id=admin.user_id if admin else None, username=who,
                     action="terbitkan_crl", entity="setting", entity_id="crl",
                     detail={"nomor": number, "jumlah_dicabut": len(entries)})
    folder = crl_dir or default_crl_dir(db)
    path = _write_crl_file(folder, der, number) if folder is not None else None
    return CrlInfo(number, now, now + CRL_VALIDITY, len(entries), path)


def _write_crl_file(folder: Path, der: bytes, number: int) -> Path | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"ca-kantor-{number:04d}.crl").write_bytes(der)
        latest = folder / "ca-kantor.crl"
        latest.write_bytes(der)
        return latest
    except OSError:
        return None  # the CRL is in the database; the file is a convenience copy


def current_crls(db: Database) -> list[bytes]:
    """The latest CRL (DER) of every issuer the office issued CRLs for."""
    with db.read() as s:
        latest = (select(RevocationList.issuer_sha256,
                         func.max(RevocationList.number).label("n"))
                  .group_by(RevocationList.issuer_sha256).subquery())
        return list(s.scalars(select(RevocationList.der).join(
            latest, (RevocationList.issuer_sha256 == latest.c.issuer_sha256)
            & (RevocationList.number == latest.c.n))))


def latest_crl(db: Database) -> CrlInfo | None:
    """The office CA's latest CRL (number, issued, next update, entries), or None."""
    ca = office_ca(db)
    if ca is None:
        return None
    fp = cert_sha256(pki.load_certificates(ca.cert_pem)[0])
    with db.read() as s:
        row = s.scalars(select(RevocationList).where(RevocationList.issuer_sha256 == fp)
                        .order_by(RevocationList.number.desc())).first()
        if row is None:
            return None
        entries = len(x509.load_der_x509_crl(row.der))
        return CrlInfo(row.number, row.issued_at, row.next_update, entries, None)


def recorded_revocations(db: Database) -> list[Revoked]:
    with db.read() as s:
        rows = s.scalars(select(CertificateRevocation)).all()
        return [Revoked(r.serial_hex, r.issuer_sha256, r.revoked_at, r.reason, "basis data")
                for r in rows]


def revocation_of_user(db: Database, user_id: int) -> CertificateRevocation | None:
    """The revocation of the user's current certificate, if it was revoked."""
    with db.read() as s:
        cred = s.get(SignerCredential, user_id)
        if cred is None:
            return None
        rev = s.scalars(select(CertificateRevocation).where(
            CertificateRevocation.serial_hex == cred.serial_hex,
            CertificateRevocation.user_id == user_id)).first()
        if rev is not None:
            s.expunge(rev)
        return rev


def ensure_can_sign(db: Database, actor: Actor, at: datetime | None = None) -> None:
    """Refuse to sign with a deactivated account or a revoked certificate (audited)."""
    from desktop_app.core.auth import record_refusal
    from desktop_app.core.formatting import tanggal

    with db.read() as s:
        user = s.get(User, actor.user_id)
        active = bool(user is not None and user.is_active)
    if not active:
        record_refusal(db, actor, "tanda_tangan", "user", actor.user_id, "akun dinonaktifkan")
        raise SigningRefused("Akun Anda dinonaktifkan: tidak dapat menandatangani dokumen.")
    rev = revocation_of_user(db, actor.user_id)
    if rev is not None and rev.revoked_at <= (at or db.now()):
        record_refusal(db, actor, "tanda_tangan", "user", actor.user_id,
                       "sertifikat dicabut")
        raise SigningRefused(
            f"Sertifikat tanda tangan Anda telah dicabut sejak {tanggal(rev.revoked_at.date())} "
            f"({reason_label(rev.reason)}). Minta administrator menerbitkan sertifikat baru.")
