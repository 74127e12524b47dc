"""Signer credentials: issue, import and re-protect a user's PKCS#12, and check its passphrase.

Wrong signing passphrases are counted on the credential, apart from the login: after
:data:`MAX_WRONG_PASSPHRASES` in a row, signing (and paraf-free signing actions that need the
passphrase) is locked for :data:`SIGNING_LOCKOUT`; the user can still log in and work, and an
administrator can unlock signing at once (:func:`unlock_signing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core import audit
from desktop_app.core.auth import Actor, record_refusal, require_roles
from desktop_app.core.db import Database
from desktop_app.core.errors import AppError, NotFound, ValidationError
from desktop_app.core.models import CertificateRevocation, SignerCredential, User
from desktop_app.core.office_time import as_office_aware
from desktop_app.core.roles import ADMIN
from desktop_app.core.settings import office_profile
from desktop_app.core.signing import pki
from desktop_app.core.signing.office_ca import _add_trusted_root, office_ca, trust_roots
from desktop_app.core.signing.pki import SignerBundle, WrongPassphrase
from desktop_app.core.signing.terms import (
    HOW_TO_GET_CERTIFICATE,
    CredentialMissing,
    _check_new_passphrase,
    _to_local_naive,
    _user_by_username,
)

MAX_WRONG_PASSPHRASES = 5
SIGNING_LOCKOUT = timedelta(minutes=15)


class SigningLocked(AppError):
    """Too many wrong signing passphrases: signing is locked until ``until`` (login is not)."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(
            f"Tanda tangan elektronik Anda dikunci sampai pukul {until:%H:%M} karena "
            f"{MAX_WRONG_PASSPHRASES} kali frasa sandi salah. Pekerjaan lain tetap dapat "
            "dilakukan; administrator dapat membuka kuncinya lebih awal (menu Tanda Tangan › "
            "Sertifikat Tanda Tangan).")

    def __reduce__(self) -> tuple:
        return (type(self), (self.until,))


@dataclass(frozen=True)
class CredentialStatus:
    """Whether a user can sign electronically: ``state`` is "none", "valid", "expired" or
    "revoked" (the office revoked the certificate)."""

    user_id: int
    state: str
    subject_name: str | None = None
    not_after: datetime | None = None
    source: str | None = None
    serial_hex: str | None = None
    message: str = ""

    @property
    def valid(self) -> bool:
        return self.state == "valid"


def credential_status(db: Database, user_id: int) -> CredentialStatus:
    with db.read() as s:
        cred = s.get(SignerCredential, user_id)
        if cred is None:
            return CredentialStatus(user_id, "none", message="Anda belum memiliki sertifikat "
                                    f"tanda tangan elektronik. {HOW_TO_GET_CERTIFICATE}.")
        now = db.now()
        from desktop_app.core.formatting import tanggal

        if cred.not_after <= now:
            return CredentialStatus(
                user_id, "expired", cred.subject_name, cred.not_after, cred.source,
                cred.serial_hex,
                f"Sertifikat tanda tangan Anda habis masa berlakunya pada "
                f"{tanggal(cred.not_after.date())}. {HOW_TO_GET_CERTIFICATE}.")
        revoked = s.scalars(select(CertificateRevocation).where(
            CertificateRevocation.serial_hex == cred.serial_hex,
            CertificateRevocation.user_id == user_id)).first()
        if revoked is not None and revoked.revoked_at <= now:
            return CredentialStatus(
                user_id, "revoked", cred.subject_name, cred.not_after, cred.source,
                cred.serial_hex,
                f"Sertifikat tanda tangan Anda telah dicabut sejak "
                f"{tanggal(revoked.revoked_at.date())}; tanda tangan elektronik tidak dapat "
                f"dibuat. {HOW_TO_GET_CERTIFICATE}.")
        source = "impor" if cred.source == "impor" else "CA kantor"
        return CredentialStatus(
            user_id, "valid", cred.subject_name, cred.not_after, cred.source, cred.serial_hex,
            f"Sertifikat {cred.subject_name} ({source}) berlaku sampai "
            f"{tanggal(cred.not_after.date())}.")


def _store_credential(s: Session, user: User, bundle: SignerBundle, source: str,
                      now: datetime) -> SignerCredential:
    cred = s.get(SignerCredential, user.id)
    if cred is None:
        cred = SignerCredential(user_id=user.id)
        s.add(cred)
    cred.pkcs12 = bundle.pkcs12
    cred.cert_pem = bundle.cert_pem
    cred.subject_name = bundle.subject_name[:255]
    cred.serial_hex = bundle.serial_hex[:64]
    cred.not_after = _to_local_naive(bundle.not_after)
    cred.source = source
    cred.created_at = now
    return cred


def issue_credential(db: Database, admin: Actor | None, ca_passphrase: str, username: str,
                     signer_passphrase: str, *, valid_years: int = 3) -> SignerCredential:
    """The administrator issues a signing certificate for ``username`` from the office CA.

    The new key is sealed in a PKCS#12 under the signer's own ``signer_passphrase`` (which the
    signer should change at once, see :func:`change_signing_passphrase`).
    """
    if admin is not None:
        require_roles(db, admin, [ADMIN], "issue_credential", "user", username)
    _check_new_passphrase(signer_passphrase, "signer_passphrase")
    ca = office_ca(db)
    if ca is None:
        raise ValidationError({"ca": "CA kantor belum dibuat (menu Tanda Tangan › Sertifikat "
                                     "Tanda Tangan)."})
    with db.read() as s:
        user = _user_by_username(s, username)
        name, nip, jabatan, email = user.full_name, user.nip, user.jabatan, None
    profile = office_profile(db)
    org = str(profile.get("pemerintah") or "Pemerintah Kota Pagar Alam")
    org = org.title() if org.isupper() else org
    try:
        bundle = pki.issue_signer_certificate(
            ca, ca_passphrase, name=name, nip=nip or "", position=jabatan or "",
            organization=org[:64], email=email, signer_passphrase=signer_passphrase,
            valid_years=valid_years)
    except WrongPassphrase:
        raise WrongPassphrase("Frasa sandi CA kantor salah.") from None
    now = db.now()
    with db.write() as s:
        user = _user_by_username(s, username)
        cred = _store_credential(s, user, bundle, "kantor", now)
        audit.record(s, at=now, user_id=admin.user_id if admin else None,
                     username=admin.username if admin else "sistem",
                     action="terbitkan_sertifikat", entity="user", entity_id=user.id,
                     detail={"username": username, "serial": bundle.serial_hex,
                             "berlaku_sampai": cred.not_after.isoformat()})
        s.flush()
        s.expunge(cred)
        return cred


def import_credential(db: Database, actor: Actor, pkcs12_bytes: bytes, passphrase: str, *,
                      username: str | None = None) -> SignerCredential:
    """Take in an external PKCS#12 (e.g. BSrE) as the signing credential of ``username``
    (default: the actor). Only the administrator may import for someone else.

    The file's passphrase becomes the signing passphrase. A new root of trust (the chain's
    root, when the office does not trust it yet) is accepted only from the administrator:
    otherwise any signer could bring a home-made CA, issue a certificate in the Kepala
    Dinas' name and have letters "verify" as his.
    """
    target = username or actor.username
    if target != actor.username:
        require_roles(db, actor, [ADMIN], "import_credential", "user", target)
    if not pkcs12_bytes:
        raise ValidationError({"berkas": "Berkas sertifikat kosong."})
    bundle = pki.import_pkcs12(pkcs12_bytes, passphrase)
    roots = _chain_roots(pkcs12_bytes, passphrase)
    if ADMIN not in actor.roles and not _chain_trusted(db, bundle, roots):
        record_refusal(db, actor, "import_credential", "user", target,
                       "akar sertifikat belum dipercaya kantor")
        raise ValidationError({"berkas": (
            "Penerbit sertifikat ini belum dipercaya kantor. Minta administrator mengimpor "
            "sertifikat ini (menu Tanda Tangan → Sertifikat Tanda Tangan) agar akarnya "
            "ditambahkan ke daftar yang dipercaya.")})
    now = db.now()
    with db.write() as s:
        user = _user_by_username(s, target)
        cred = _store_credential(s, user, bundle, "impor", now)
        for pem in roots:
            _add_trusted_root(s, pem, actor.username, now, note=f"rantai sertifikat {target}")
        audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                     action="impor_sertifikat", entity="user", entity_id=user.id,
                     detail={"username": target, "subjek": bundle.subject_name,
                             "serial": bundle.serial_hex, "akar": len(roots)})
        s.flush()
        s.expunge(cred)
        return cred


def _chain_trusted(db: Database, bundle: SignerBundle, roots: list[bytes]) -> bool:
    """Whether the certificate leads to a root the office already trusts."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    trusted = [x509.load_pem_x509_certificate(p) for p in trust_roots(db)]
    trusted_der = {t.public_bytes(Encoding.DER) for t in trusted}
    if roots:
        return all(x509.load_pem_x509_certificate(p).public_bytes(Encoding.DER) in trusted_der
                   for p in roots)
    leaf = x509.load_pem_x509_certificate(bundle.cert_pem)
    return any(t.subject == leaf.issuer for t in trusted)


def _chain_roots(pkcs12_bytes: bytes, passphrase: str) -> list[bytes]:
    """Top certificates of the chain inside a PKCS#12 (self-signed roots, else the last)."""
    from cryptography.hazmat.primitives import serialization

    _key, cert, chain = pki._open_pkcs12(pkcs12_bytes, passphrase)
    if not chain:
        return []
    roots = [c for c in chain if c.issuer == c.subject]
    if not roots:
        roots = [chain[-1]]
    return [c.public_bytes(serialization.Encoding.PEM) for c in roots]


def change_signing_passphrase(db: Database, actor: Actor, old: str, new: str) -> None:
    """Re-seal the actor's key under a new passphrase (a wrong old one counts as a failure)."""
    _check_new_passphrase(new, "frasa_baru")
    bundle = _load_bundle(db, actor.user_id)
    _ensure_not_locked(db, actor)
    try:
        key, cert, chain = pki._open_pkcs12(bundle.pkcs12, old)
    except WrongPassphrase:
        raise _count_wrong_passphrase(db, actor, "ganti_frasa") from None
    resealed = pki._signer_bundle(key, cert, chain, new.encode("utf-8"))
    now = db.now()
    with db.write() as s:
        cred = s.get(SignerCredential, actor.user_id)
        assert cred is not None
        cred.pkcs12 = resealed.pkcs12
        cred.failed_passphrases = 0
        audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                     action="ganti_frasa_ttd", entity="user", entity_id=actor.user_id)


def _load_bundle(db: Database, user_id: int) -> SignerBundle:
    status = credential_status(db, user_id)
    if not status.valid:
        raise CredentialMissing(status.message)
    with db.read() as s:
        cred = s.get(SignerCredential, user_id)
        assert cred is not None
        return SignerBundle(pkcs12=cred.pkcs12, cert_pem=cred.cert_pem,
                            subject_name=cred.subject_name, serial_hex=cred.serial_hex,
                            not_after=as_office_aware(cred.not_after))


def _ensure_not_locked(db: Database, actor: Actor) -> None:
    with db.read() as s:
        until = s.scalar(select(SignerCredential.locked_until)
                         .where(SignerCredential.user_id == actor.user_id))
    if until is not None and until > db.now():
        raise SigningLocked(until)


def signing_locked_until(db: Database, user_id: int) -> datetime | None:
    """When the user's signing lock ends, or None when they may sign."""
    with db.read() as s:
        until = s.scalar(select(SignerCredential.locked_until)
                         .where(SignerCredential.user_id == user_id))
    return until if until is not None and until > db.now() else None


def _count_wrong_passphrase(db: Database, actor: Actor, context: str) -> AppError:
    """Count a wrong signing passphrase on the credential (own transaction); returns the
    error to raise: :class:`WrongPassphrase` with the attempts left, or :class:`SigningLocked`.
    The login is not affected."""
    now = db.now()
    with db.write() as s:
        cred = s.get(SignerCredential, actor.user_id)
        if cred is None:
            return WrongPassphrase()
        cred.failed_passphrases = (cred.failed_passphrases or 0) + 1
        detail: dict[str, Any] = {"gagal_ke": cred.failed_passphrases, "konteks": context}
        error: AppError
        if cred.failed_passphrases >= MAX_WRONG_PASSPHRASES:
            cred.locked_until = now + SIGNING_LOCKOUT
            cred.failed_passphrases = 0
            detail["ttd_dikunci_sampai"] = cred.locked_until.isoformat()
            error = SigningLocked(cred.locked_until)
        else:
            left = MAX_WRONG_PASSPHRASES - cred.failed_passphrases
            error = WrongPassphrase(f"Frasa sandi tanda tangan salah. Sisa percobaan: {left}.")
        audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                     action="ttd_sandi_salah", entity="user", entity_id=actor.user_id,
                     detail=detail)
    return error


def _passphrase_ok(db: Database, actor: Actor) -> None:
    with db.write() as s:
        cred = s.get(SignerCredential, actor.user_id)
        if cred is not None and (cred.failed_passphrases or cred.locked_until):
            cred.failed_passphrases = 0
            cred.locked_until = None


def unlock_signing(db: Database, admin: Actor, username: str) -> None:
    """The administrator lifts a user's signing lock (and clears the count of failures)."""
    require_roles(db, admin, {ADMIN}, "buka_kunci_ttd")
    now = db.now()
    with db.write() as s:
        user = s.scalar(select(User).where(User.username == username))
        cred = s.get(SignerCredential, user.id) if user is not None else None
        if cred is None:
            raise NotFound(f"Pengguna {username} belum memiliki sertifikat tanda tangan.")
        cred.failed_passphrases = 0
        cred.locked_until = None
        audit.record(s, at=now, user_id=admin.user_id, username=admin.username,
                     action="buka_kunci_ttd", entity="user", entity_id=user.id,
                     detail={"pengguna": username})


def check_signing_passphrase(db: Database, actor: Actor, passphrase: str) -> SignerBundle:
    """The actor's credential, once ``passphrase`` opens it (failures counted, lockout)."""
    bundle = _load_bundle(db, actor.user_id)
    _ensure_not_locked(db, actor)
    try:
        pki.check_passphrase(bundle, passphrase)
    except WrongPassphrase:
        raise _count_wrong_passphrase(db, actor, "tanda_tangan") from None
    _passphrase_ok(db, actor)
    return bundle
