"""Paraf and signature as office work: the office CA, signer credentials, the signing queue,
paraf, batch signing, wet signatures, returns and verification.

Every function takes the open :class:`Database` and (where someone acts) the signed-in
:class:`Actor`, checks permission itself, audits what it does, and never touches Qt.

Document statuses (shared with ``documents.service``): ``draf`` → ``menunggu_paraf`` →
``menunggu_ttd`` → ``ditandatangani``; ``dibatalkan`` when voided by a correction.

A paraf is valid only for the exact bytes it was given to: each paraf approval stores the
document's SHA-256, and a document whose PDF changed since goes back for a new paraf instead
of being signed (the old approvals stay on record, no longer matching).

Signing a batch: the signing passphrase is checked once (a wrong one counts like a failed
login and locks the account after :data:`auth.MAX_FAILED_LOGINS`), then each document is
rendered with its signature block, PAdES-signed *outside* any write transaction, and stored
in its own short transaction that re-checks the document's row version — so two PCs signing
the same document give exactly one signature, and a failure stops the batch after the
documents already signed.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from desktop_app.core import audit, services, sop_versions, workflow
from desktop_app.core.auth import (
    LOCKOUT,
    MAX_FAILED_LOGINS,
    ActingFor,
    Actor,
    record_refusal,
    require_roles,
)
from desktop_app.core.db import Database
from desktop_app.core.errors import (
    AccountLocked,
    AppError,
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from desktop_app.core.models import (
    Attachment,
    Case,
    Document,
    DocumentApproval,
    Setting,
    SignerCredential,
    User,
)
from desktop_app.core.roles import ADMIN
from desktop_app.core.settings import get_calendar, office_profile
from desktop_app.core.signing import pdfsign, pki
from desktop_app.core.signing.pdfsign import sha256_hex
from desktop_app.core.signing.pki import CaBundle, SignerBundle, WrongPassphrase
from desktop_app.core.sop import DocumentSpec, Sop
from desktop_app.core.sop_versions import sop_for_version, sop_of_case

log = logging.getLogger(__name__)

# ------------------------------------------------------------------------------ constants

DRAFT = "draf"
AWAITING_PARAF = "menunggu_paraf"
AWAITING_SIGNATURE = "menunggu_ttd"
SIGNED = "ditandatangani"
VOIDED = "dibatalkan"
STATUS_LABELS = {
    DRAFT: "Draf",
    AWAITING_PARAF: "Menunggu paraf",
    AWAITING_SIGNATURE: "Menunggu tanda tangan",
    SIGNED: "Ditandatangani",
    VOIDED: "Dibatalkan",
}

PARAF = "paraf"
TTD = "ttd"
METHOD_ELECTRONIC = "elektronik"
METHOD_WET = "basah"

OFFICE_CA_SETTING = "office_ca"
TRUSTED_ROOTS_SETTING = "trusted_roots"
QR_PREFIX = "PAGARALAM-TK:"
MIN_PASSPHRASE_LENGTH = 8
WET_SCAN_MIME = {"application/pdf", "image/jpeg", "image/png"}
MAX_SCAN_BYTES = 10 * 1024 * 1024

HOW_TO_GET_CERTIFICATE = (
    "Minta administrator menerbitkan sertifikat tanda tangan (menu Pengaturan → Sertifikat) "
    "atau impor sertifikat BSrE (.p12)"
)
CHANGED_SINCE_PARAF = "berubah sejak diparaf, kembali untuk paraf ulang"

VERIFY_GENUINE = pdfsign.STATUS_GENUINE  # "asli"
VERIFY_ALTERED = pdfsign.STATUS_ALTERED  # "diubah"
VERIFY_UNKNOWN = pdfsign.STATUS_UNKNOWN  # "tidak_dikenal"
VERIFY_VOIDED = "dibatalkan"
VERIFY_LABELS = {
    VERIFY_GENUINE: "ASLI",
    VERIFY_ALTERED: "DIUBAH",
    VERIFY_UNKNOWN: "TIDAK DIKENAL",
    VERIFY_VOIDED: "DIBATALKAN",
}
EXIT_CODES = {VERIFY_GENUINE: 0, VERIFY_ALTERED: 1, VERIFY_UNKNOWN: 2, VERIFY_VOIDED: 3}

DEMO_CA_PASSPHRASE = "ca-demo-2026"
SIGNING_ROLES = frozenset({"kadis", "kabid", "kasi", "sekretaris"})

_WIB = timezone(timedelta(hours=7))


def demo_signing_passphrase(username: str) -> str:
    """The demo signing passphrase of a demo official: ``ttd-<username>-2026``."""
    return f"ttd-{username}-2026"


# --------------------------------------------------------------------------------- errors


class CredentialMissing(AppError):
    """The signer has no (valid) certificate; the message says how to get one."""


class DocumentChanged(AppError):
    """The document changed since it was initialled; it went back for a new paraf."""


# ------------------------------------------------------------------------ small helpers


def _to_local_naive(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(_WIB).replace(tzinfo=None)


def _check_new_passphrase(passphrase: str, field_name: str) -> None:
    if not passphrase or len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise ValidationError(
            {field_name: f"Frasa sandi minimal {MIN_PASSPHRASE_LENGTH} karakter."})


def _user_by_username(s: Session, username: str) -> User:
    user = s.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise NotFound(f"Pengguna '{username}' tidak ditemukan.")
    return user


def _spec(sop: Sop, doc_type: str) -> DocumentSpec:
    spec = sop.document(doc_type)
    if spec is None:
        raise NotFound(f"Dokumen '{doc_type}' tidak dikenal pada SOP {sop.code}.")
    return spec


def _lane_role(actor: Actor, sop: Sop, lane: str) -> tuple[str, ActingFor | None] | None:
    """The role the actor holds in ``lane`` (own first, else through a delegation)."""
    if not lane:
        return None
    roles = sop.roles_of_lane(lane)
    own = sorted(actor.roles.intersection(roles))
    if own:
        return own[0], None
    deputy = actor.delegation_for(roles)
    if deputy is not None:
        return sorted(deputy.roles.intersection(roles))[0], deputy
    return None


def _doc_title(sop: Sop, doc_type: str) -> str:
    spec = sop.document(doc_type)
    return spec.title if spec else doc_type


def _fresh_paraf_lanes(doc: Document) -> set[str]:
    """Lanes whose paraf matches the document's current bytes."""
    return {a.lane for a in doc.approvals
            if a.kind == PARAF and a.document_sha256 and a.document_sha256 == doc.sha256}


def _has_stale_paraf(doc: Document) -> bool:
    return any(a.kind == PARAF and a.document_sha256 != doc.sha256 for a in doc.approvals)


# -------------------------------------------------------------------------- office CA


@dataclass(frozen=True)
class CaInfo:
    subject: str
    not_after: datetime
    created_at: datetime | None
    created_by: str | None
    fingerprint_sha256: str


def _office_ca_setting(db: Database) -> dict[str, Any] | None:
    with db.read() as s:
        row = s.get(Setting, OFFICE_CA_SETTING)
        return (row.value or None) if row is not None else None


def office_ca(db: Database) -> CaBundle | None:
    """The office CA (certificate + encrypted key), or None before it is set up."""
    value = _office_ca_setting(db)
    if not value:
        return None
    return CaBundle(value["cert_pem"].encode("ascii"), value["key_pem"].encode("ascii"))


def office_ca_pem(db: Database) -> bytes | None:
    ca = office_ca(db)
    return ca.cert_pem if ca else None


def office_ca_info(db: Database) -> CaInfo | None:
    value = _office_ca_setting(db)
    if not value:
        return None
    cert = pki.load_certificates(value["cert_pem"].encode("ascii"))[0]
    from cryptography.hazmat.primitives import hashes

    return CaInfo(
        subject=cert.subject.rfc4514_string(),
        not_after=_to_local_naive(cert.not_valid_after_utc),
        created_at=datetime.fromisoformat(value["created_at"]) if value.get("created_at")
        else None,
        created_by=value.get("created_by"),
        fingerprint_sha256=cert.fingerprint(hashes.SHA256()).hex(":").upper(),
    )


def setup_office_ca(db: Database, actor: Actor | None, ca_passphrase: str, *,
                    common_name: str = "CA Bidang Tenaga Kerja Kota Pagar Alam",
                    organization: str | None = None, valid_years: int = 10,
                    replace: bool = False) -> CaInfo:
    """Create the office's certificate authority (administrator; ``actor`` None = system).

    The CA key is stored encrypted with ``ca_passphrase`` (never in the clear). A second CA
    is refused unless ``replace`` — certificates issued by the old CA keep verifying only
    while its certificate stays a trusted root, so the old one is kept in the trusted roots.
    """
    if actor is not None:
        require_roles(db, actor, [ADMIN], "setup_office_ca", "setting", OFFICE_CA_SETTING)
    _check_new_passphrase(ca_passphrase, "ca_passphrase")
    org = organization or str(office_profile(db).get("pemerintah") or "Pemerintah Kota Pagar Alam")
    org = org.title() if org.isupper() else org
    existing = office_ca(db)
    if existing is not None and not replace:
        raise ValidationError({"ca": "CA kantor sudah dibuat. Pilih 'ganti' untuk membuat CA "
                                     "baru (sertifikat lama tetap dapat diperiksa)."})
    bundle = pki.create_office_ca(common_name[:64], org[:64], ca_passphrase,
                                  valid_years=valid_years)
    now = db.now()
    who = actor.username if actor else "sistem"
    with db.write() as s:
        row = s.get(Setting, OFFICE_CA_SETTING)
        if row is not None and row.value and not replace:
            raise ValidationError({"ca": "CA kantor sudah dibuat."})
        value = {"cert_pem": bundle.cert_pem.decode("ascii"),
                 "key_pem": bundle.key_pem_encrypted.decode("ascii"),
                 "created_at": now.isoformat(), "created_by": who}
        if row is None:
            s.add(Setting(key=OFFICE_CA_SETTING, value=value))
        else:
            old_pem = (row.value or {}).get("cert_pem")
            row.value = value
            if old_pem:
                _add_trusted_root(s, old_pem.encode("ascii"), who, now, note="CA kantor lama")
        audit.record(s, at=now, user_id=actor.user_id if actor else None, username=who,
                     action="buat_ca_kantor", entity="setting", entity_id=OFFICE_CA_SETTING,
                     detail={"ganti": bool(existing), "nama": common_name})
    db.cache.pop(f"setting:{OFFICE_CA_SETTING}", None)
    info = office_ca_info(db)
    assert info is not None
    return info


def _trusted_roots(s: Session) -> list[dict[str, Any]]:
    row = s.get(Setting, TRUSTED_ROOTS_SETTING)
    return list(row.value or []) if row is not None else []


def _add_trusted_root(s: Session, pem: bytes, who: str, now: datetime, note: str = "") -> None:
    cert = pki.load_certificates(pem)[0]
    from cryptography.hazmat.primitives import serialization

    text = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
    row = s.get(Setting, TRUSTED_ROOTS_SETTING)
    roots = list(row.value or []) if row is not None else []
    if any(r.get("pem") == text for r in roots):
        return
    roots.append({"pem": text, "subject": cert.subject.rfc4514_string(), "added_by": who,
                  "added_at": now.isoformat(), "note": note})
    if row is None:
        s.add(Setting(key=TRUSTED_ROOTS_SETTING, value=roots))
    else:
        row.value = roots


def trust_roots(db: Database) -> list[bytes]:
    """PEM certificates trusted when verifying: the office CA, older office CAs, and the
    roots that came with imported signer certificates (e.g. the BSrE root)."""
    with db.read() as s:
        row = s.get(Setting, OFFICE_CA_SETTING)
        roots = [row.value["cert_pem"].encode("ascii")] if row is not None and row.value else []
        roots += [r["pem"].encode("ascii") for r in _trusted_roots(s)]
    return roots


# -------------------------------------------------------------------------- credentials


@dataclass(frozen=True)
class CredentialStatus:
    """Whether a user can sign electronically: ``state`` is "none", "valid" or "expired"."""

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
        raise ValidationError({"ca": "CA kantor belum dibuat (menu Pengaturan → Sertifikat)."})
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
        user = s.get(User, actor.user_id)
        if user is not None:
            user.failed_logins = 0
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
                            not_after=cred.not_after.replace(tzinfo=_WIB))


# ------------------------------------------------------------- passphrase failures counted


def _ensure_not_locked(db: Database, actor: Actor) -> None:
    with db.read() as s:
        until = s.scalar(select(User.locked_until).where(User.id == actor.user_id))
    if until is not None and until > db.now():
        raise AccountLocked(until)


def _count_wrong_passphrase(db: Database, actor: Actor, context: str) -> AppError:
    """Count a wrong signing passphrase like a failed login (own transaction); returns the
    error to raise: :class:`WrongPassphrase` with the attempts left, or :class:`AccountLocked`."""
    now = db.now()
    with db.write() as s:
        user = s.get(User, actor.user_id)
        if user is None:
            return WrongPassphrase()
        user.failed_logins = (user.failed_logins or 0) + 1
        detail: dict[str, Any] = {"gagal_ke": user.failed_logins, "konteks": context}
        error: AppError
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
            detail["dikunci_sampai"] = user.locked_until.isoformat()
            error = AccountLocked(user.locked_until)
        else:
            left = MAX_FAILED_LOGINS - user.failed_logins
            error = WrongPassphrase(f"Frasa sandi tanda tangan salah. Sisa percobaan: {left}.")
        audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                     action="ttd_sandi_salah", entity="user", entity_id=actor.user_id,
                     detail=detail)
    return error


def _passphrase_ok(db: Database, actor: Actor) -> None:
    with db.write() as s:
        user = s.get(User, actor.user_id)
        if user is not None and user.failed_logins:
            user.failed_logins = 0


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


# ------------------------------------------------------------------------------ the queue


@dataclass(frozen=True)
class QueueRow:
    """One document waiting for the actor's paraf or signature."""

    document_id: int
    case_id: int
    sop_code: str
    sop_name: str
    register_number: str
    applicant: str
    doc_type: str
    doc_title: str
    number: str | None
    awaited: str  # "paraf" or "ttd"
    lane: str
    since: datetime
    due_at: datetime | None
    minutes_left: int | None  # working minutes; negative = overdue; None = no standard
    waiting_minutes: int  # working minutes since the document started waiting
    row_version: int
    on_behalf_of: str | None = None  # head's name when held through a delegation
    delegation_kind: str | None = None

    @property
    def awaited_label(self) -> str:
        return "Paraf" if self.awaited == PARAF else "Tanda tangan"

    @property
    def overdue(self) -> bool:
        return self.minutes_left is not None and self.minutes_left < 0


@dataclass(frozen=True)
class _QueuePlan:
    conditions: list[Any]
    lanes: dict[tuple[str, str, str], tuple[str, str, ActingFor | None]]  # (sop,doc,kind)


def _queue_plan(actor: Actor, sop_list: Iterable[Sop] | Mapping[int, Sop]) -> _QueuePlan:
    """Conditions per SOP, or per SOP version when given ``{version id: Sop}`` (a case is
    planned by the version it runs on)."""
    conds: list[Any] = []
    lanes: dict[tuple[str, str, str], tuple[str, str, ActingFor | None]] = {}
    pairs = sop_list.items() if isinstance(sop_list, Mapping) else (
        (None, sop) for sop in sop_list)
    for version_id, sop in pairs:
        which = Case.sop_code == sop.code if version_id is None else \
            Case.sop_version_id == version_id
        for spec in sop.documents:
            paraf_lanes = [(lane, _lane_role(actor, sop, lane)) for lane in spec.paraf_lanes]
            mine = [(lane, who) for lane, who in paraf_lanes if who is not None]
            if mine and spec.sign_lane:
                lane_codes = [lane for lane, _ in mine]
                lanes[(sop.code, spec.code, PARAF)] = (mine[0][0], mine[0][1][0], mine[0][1][1])
                done = exists().where(
                    DocumentApproval.document_id == Document.id,
                    DocumentApproval.kind == PARAF,
                    DocumentApproval.lane.in_(lane_codes),
                    DocumentApproval.document_sha256 == Document.sha256)
                conds.append(and_(which, Document.doc_type == spec.code,
                                  Document.status == AWAITING_PARAF,
                                  Case.current_step > spec.step, ~done))
            who = _lane_role(actor, sop, spec.sign_lane)
            if who is not None:
                lanes[(sop.code, spec.code, TTD)] = (spec.sign_lane, who[0], who[1])
                conds.append(and_(which, Document.doc_type == spec.code,
                                  Document.status == AWAITING_SIGNATURE,
                                  Case.current_step > spec.step))
    return _QueuePlan(conds, lanes)


def queue_statement(actor: Actor,
                    sop_list: Iterable[Sop] | Mapping[int, Sop] | None = None) -> Any:
    """The one SQL query behind :func:`signing_queue` (None when the actor signs nothing)."""
    plan = _queue_plan(actor, sop_list if sop_list is not None else services.sops())
    if not plan.conditions:
        return None, plan
    last_approval = (select(func.max(DocumentApproval.at))
                     .where(DocumentApproval.document_id == Document.id)
                     .correlate(Document).scalar_subquery())
    stmt = (select(Document.id, Document.case_id, Case.sop_code, Case.register_number,
                   Case.title, Document.doc_type, Document.number, Document.status,
                   Case.step_due_at, Document.rendered_at, Document.created_at, last_approval,
                   Document.doc_version)
            .join(Case, Case.id == Document.case_id)
            .where(Document.status.in_((AWAITING_PARAF, AWAITING_SIGNATURE)),
                   Case.status == workflow.IN_PROGRESS, or_(*plan.conditions))
            .order_by(Case.step_due_at.is_(None), Case.step_due_at, Document.id))
    return stmt, plan


def signing_queue(db: Database, actor: Actor, now: datetime | None = None) -> list[QueueRow]:
    """Every document in any SOP waiting for the actor's paraf or signature — including those
    of a head the actor deputises for today — soonest due first (overdue at the top)."""
    versions = _versions(db)
    sop_list = list(versions.values())
    stmt, plan = queue_statement(actor, versions)
    if stmt is None:
        return []
    now = now or db.now()
    calendar = get_calendar(db)
    sop_index = {s.code: s for s in sop_list}
    titles = {(s.code, d.code): d.title for s in sop_list for d in s.documents}
    with db.read() as s:
        rows = s.execute(stmt).all()
    out: list[QueueRow] = []
    between = _minutes_between_fn(calendar)
    for (doc_id, case_id, sop_code, register, applicant, doc_type, number, status, due,
         rendered, created, last_at, version) in rows:
        kind = PARAF if status == AWAITING_PARAF else TTD
        lane, _role, deputy = plan.lanes[(sop_code, doc_type, kind)]
        since = max(t for t in (last_at, rendered, created) if t is not None)
        out.append(QueueRow(
            document_id=doc_id, case_id=case_id, sop_code=sop_code,
            sop_name=sop_index[sop_code].tab_label, register_number=register,
            applicant=applicant, doc_type=doc_type,
            doc_title=titles.get((sop_code, doc_type), doc_type), number=number,
            awaited=kind, lane=lane, since=since, due_at=due,
            minutes_left=between(now, due) if due is not None else None,
            waiting_minutes=max(0, between(since, now)), row_version=version,
            on_behalf_of=deputy.user_name if deputy else None,
            delegation_kind=deputy.kind if deputy else None))
    return out


def _versions(db: Database) -> dict[int, Sop]:
    return {vid: sop for vid, (sop, _name) in sop_versions.versions_in_use(db).items()}


def _minutes_between_fn(calendar: Any) -> Callable[[datetime, datetime], int]:
    """``calendar.working_minutes_between`` with the calendar's index looked up once (the
    queue calls it twice per row, 20,000 times for 10,000 documents)."""
    try:
        from desktop_app.core.office_calendar import _US_PER_MINUTE

        index = calendar._index()
        position = calendar._position
    except AttributeError:  # pragma: no cover - calendar without the private fast path
        return calendar.working_minutes_between

    def between(a: datetime, b: datetime) -> int:
        return (position(index, b) - position(index, a)) // _US_PER_MINUTE if b >= a else \
            -((position(index, a) - position(index, b)) // _US_PER_MINUTE)

    return between


def queue_count(db: Database, actor: Actor) -> int:
    """How many documents wait for the actor (for a badge or deciding to open the queue)."""
    stmt, _plan = queue_statement(actor, _versions(db))
    if stmt is None:
        return 0
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def is_signer(actor: Actor) -> bool:
    """Whether the actor (or a head they deputise for) initials or signs any document."""
    return bool(_queue_plan(actor, services.sops()).conditions)


# -------------------------------------------------------------------------- document views


@dataclass(frozen=True)
class ApprovalView:
    kind: str
    lane: str
    lane_name: str
    user_name: str
    role: str
    on_behalf_of_name: str | None
    delegation_kind: str | None
    at: datetime
    method: str
    valid: bool  # matches the document's current bytes


@dataclass(frozen=True)
class DocumentView:
    id: int
    case_id: int
    sop_code: str
    register_number: str
    applicant: str
    doc_type: str
    title: str
    number: str | None
    status: str
    status_label: str
    version: int
    paraf_lanes: tuple[str, ...]
    sign_lane: str
    verification_code: str | None
    signed_at: datetime | None
    voided_at: datetime | None
    void_reason: str | None
    row_version: int
    approvals: tuple[ApprovalView, ...]


def document_detail(db: Database, document_id: int) -> DocumentView:
    with db.read() as s:
        doc = s.get(Document, document_id)
        if doc is None:
            raise NotFound(f"Dokumen #{document_id} tidak ditemukan.")
        case = s.get(Case, doc.case_id)
        assert case is not None
        sop = sop_of_case(s, case)
        spec = sop.document(doc.doc_type)

        def lane_name(code: str) -> str:
            try:
                return sop.lane(code).name
            except KeyError:
                return code

        approvals = tuple(ApprovalView(
            a.kind, a.lane, lane_name(a.lane), a.user_name, a.role, a.on_behalf_of_name,
            a.delegation_kind, a.at, a.method,
            a.kind == TTD or (a.document_sha256 is not None and a.document_sha256 == doc.sha256))
            for a in doc.approvals)
        return DocumentView(
            id=doc.id, case_id=case.id, sop_code=case.sop_code,
            register_number=case.register_number, applicant=case.title,
            doc_type=doc.doc_type, title=_doc_title(sop, doc.doc_type), number=doc.number,
            status=doc.status, status_label=STATUS_LABELS.get(doc.status, doc.status),
            version=doc.version, paraf_lanes=spec.paraf_lanes if spec else (),
            sign_lane=spec.sign_lane if spec else "", verification_code=doc.verification_code,
            signed_at=doc.signed_at, voided_at=doc.voided_at, void_reason=doc.void_reason,
            row_version=doc.doc_version, approvals=approvals)


def document_pdf(db: Database, document_id: int) -> bytes | None:
    """The stored PDF of a document (None before it is rendered)."""
    with db.read() as s:
        return s.scalar(select(Document.pdf).where(Document.id == document_id))


# ------------------------------------------------------------------------------ paraf


@dataclass(frozen=True)
class ParafResult:
    documents: tuple[int, ...]
    ready_to_sign: tuple[int, ...]
    advanced_cases: tuple[int, ...]


def _refuse(db: Database, actor: Actor, action: str, entity_id: object, message: str) -> None:
    record_refusal(db, actor, action, "document", entity_id, message)
    raise PermissionDenied(message)


def paraf_documents(db: Database, actor: Actor, doc_ids: Sequence[int],
                    note: str = "") -> ParafResult:
    """Initial documents for the actor's paraf lane; one transaction for the whole selection.

    A document whose every paraf lane is done goes to ``menunggu_ttd``. When every document
    of the case's current paraf step is initialled, the case moves on (workflow ``paraf``) in
    the same transaction.
    """
    ids = list(dict.fromkeys(doc_ids))
    if not ids:
        return ParafResult((), (), ())
    now = db.now()
    refusal: str | None = None
    refused_id: object = "-"
    try:
        with db.write() as s:
            done: list[int] = []
            ready: list[int] = []
            cases: dict[int, tuple[Case, set[str], ActingFor | None]] = {}
            for doc_id in ids:
                doc = s.get(Document, doc_id)
                if doc is None:
                    raise NotFound(f"Dokumen #{doc_id} tidak ditemukan.")
                case = s.get(Case, doc.case_id)
                assert case is not None
                sop = sop_of_case(s, case)
                spec = _spec(sop, doc.doc_type)
                fresh = _fresh_paraf_lanes(doc)
                mine = [(lane, who) for lane in spec.paraf_lanes
                        if (who := _lane_role(actor, sop, lane)) is not None]
                if not mine:
                    refusal = (f"Anda tidak berwenang memberi paraf pada "
                               f"{_doc_title(sop, doc.doc_type)}.")
                    refused_id = doc_id
                    raise PermissionDenied(refusal)
                if doc.status != AWAITING_PARAF:
                    raise ValidationError({"dokumen": f"{_doc_title(sop, doc.doc_type)} "
                                           f"{doc.number or ''} tidak menunggu paraf "
                                           f"({STATUS_LABELS.get(doc.status, doc.status)})."})
                if case.status != workflow.IN_PROGRESS:
                    raise ValidationError({"berkas": f"Berkas {case.register_number} tidak "
                                           "sedang diproses."})
                todo = [(lane, who) for lane, who in mine if lane not in fresh]
                if not todo:
                    raise ValidationError({"dokumen": "Paraf Anda sudah tercatat pada "
                                           f"{_doc_title(sop, doc.doc_type)}."})
                lane, (role, deputy) = todo[0]
                doc.approvals.append(DocumentApproval(
                    kind=PARAF, lane=lane, user_id=actor.user_id, user_name=actor.full_name,
                    role=role, on_behalf_of_id=deputy.user_id if deputy else None,
                    on_behalf_of_name=deputy.user_name if deputy else None,
                    delegation_kind=deputy.kind if deputy else None, at=now,
                    document_sha256=doc.sha256, method=METHOD_ELECTRONIC))
                fresh.add(lane)
                if set(spec.paraf_lanes) <= fresh:
                    doc.status = AWAITING_SIGNATURE if spec.sign_lane else doc.status
                    ready.append(doc.id)
                done.append(doc.id)
                entry = cases.setdefault(case.id, (case, set(), deputy))
                entry[1].add(lane)
                s.flush()
                audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                             action="paraf_dokumen", entity="document", entity_id=doc.id,
                             detail={"nomor": doc.number, "berkas": case.register_number,
                                     "jalur": lane, "sha256": doc.sha256, "catatan": note,
                                     "atas_nama": deputy.user_name if deputy else None})
            advanced = []
            for case, lanes_done, _deputy in cases.values():
                if _advance_after_paraf(s, db, actor, case, lanes_done, note):
                    advanced.append(case.id)
            return ParafResult(tuple(done), tuple(ready), tuple(advanced))
    except StaleDataError:
        raise ConflictError("pengguna lain", None) from None
    except PermissionDenied:
        if refusal is None:
            raise
    _refuse(db, actor, "paraf", refused_id, refusal)
    raise AssertionError("unreachable")


def _case_documents(s: Session, case_id: int) -> list[Document]:
    return list(s.scalars(select(Document).where(
        Document.case_id == case_id,
        Document.status.in_((AWAITING_PARAF, AWAITING_SIGNATURE, SIGNED)))))


def _advance_after_paraf(s: Session, db: Database, actor: Actor, case: Case,
                         lanes_done: set[str], note: str) -> bool:
    sop = sop_of_case(s, case)
    step = sop.step(case.current_step)
    if case.status != workflow.IN_PROGRESS or step.kind != "paraf" or step.lane not in lanes_done:
        return False
    docs = [d for d in _case_documents(s, case.id)
            if step.lane in (_spec(sop, d.doc_type).paraf_lanes)]
    if not docs:
        return False
    for d in docs:
        if d.status == AWAITING_PARAF and step.lane not in _fresh_paraf_lanes(d):
            return False
    services.act_in_session(s, db, actor, case, workflow.PARAF,
                            note=note or "Paraf dokumen melalui antrian tanda tangan")
    return True


def _advance_after_signature(s: Session, db: Database, actor: Actor, case: Case,
                             sign_lane: str) -> bool:
    sop = sop_of_case(s, case)
    step = sop.step(case.current_step)
    if case.status != workflow.IN_PROGRESS or step.kind != "sign" or step.lane != sign_lane:
        return False
    docs = [d for d in _case_documents(s, case.id)
            if _spec(sop, d.doc_type).sign_lane == sign_lane]
    if not docs or any(d.status != SIGNED for d in docs):
        return False
    services.act_in_session(s, db, actor, case, workflow.SIGN,
                            note="Dokumen ditandatangani melalui antrian tanda tangan")
    return True


# ------------------------------------------------------------------------------ signing


@dataclass(frozen=True)
class BatchResult:
    """What a batch signature did: the documents signed (in order), and the first failure."""

    signed: tuple[int, ...]
    failed_id: int | None = None
    error: str | None = None
    total: int = 0
    advanced_cases: tuple[int, ...] = ()
    returned_for_paraf: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return self.failed_id is None and self.error is None


def _signature_image_uri(s: Session, user_id: int) -> str | None:
    image = s.scalar(select(User.signature_image).where(User.id == user_id))
    if not image:
        return None
    from desktop_app.core.documents.renderer import data_uri

    mime = "image/svg+xml" if image.lstrip().startswith(b"<") else (
        "image/jpeg" if image[:3] == b"\xff\xd8\xff" else "image/png")
    return data_uri(image, mime)


def signer_block(s: Session, db: Database, actor: Actor, deputy: ActingFor | None,
                 code: str | None, *, sop: Sop, spec: DocumentSpec | None,
                 signed: bool = True) -> dict[str, Any]:
    """The ``signature`` context of a signed document (``documents.context.signer_block``
    for the signer, plus the signed stamp): the signer's name, rank and NIP, and for a deputy
    "Plh."/"Plt." before the head's position."""
    from desktop_app.core.documents import context as doc_context

    user = s.get(User, actor.user_id)
    assert user is not None
    head = s.get(User, deputy.user_id) if deputy is not None else None
    block = doc_context.signer_block(s, db, sop, spec, signer=user, acting_for_user=head,
                                     delegation_kind=deputy.kind if deputy else None)
    block = {k: v for k, v in block.items() if not k.startswith("_")}
    block.update(signed=signed, image=_signature_image_uri(s, user.id) if signed else None,
                 qr_payload=f"{QR_PREFIX}{code}" if (signed and code) else None,
                 signed_at=db.now() if signed else None)
    return block


def _render_final(s: Session, db: Database, doc: Document, block: dict[str, Any]) -> bytes:
    """The numbered document rendered with its signature block (documents.service)."""
    from desktop_app.core.documents import service as docsvc

    return docsvc.render_final_in_session(s, db, doc, block)


def _sign_permission(actor: Actor, sop: Sop, spec: DocumentSpec
                     ) -> tuple[str, ActingFor | None] | None:
    return _lane_role(actor, sop, spec.sign_lane)


def _precheck(db: Database, actor: Actor, ids: list[int]) -> None:
    """Refuse (audited) before anything is signed when a document is not the actor's to sign."""
    with db.read() as s:
        rows = s.execute(select(Document.id, Document.doc_type, Document.number,
                                Case.sop_version_id)
                         .join(Case, Case.id == Document.case_id)
                         .where(Document.id.in_(ids))).all()
        sops = {r[3]: sop_for_version(s, r[3]) for r in rows}
    found = {r[0]: r for r in rows}
    for doc_id in ids:
        if doc_id not in found:
            raise NotFound(f"Dokumen #{doc_id} tidak ditemukan.")
        _id, doc_type, number, version_id = found[doc_id]
        sop = sops[version_id]
        spec = sop.document(doc_type)
        if spec is None or not spec.sign_lane or _sign_permission(actor, sop, spec) is None:
            _refuse(db, actor, "tanda_tangan", doc_id,
                    f"Anda tidak berwenang menandatangani {_doc_title(sop, doc_type)}"
                    f"{' ' + number if number else ''}.")


def sign_documents(db: Database, actor: Actor, doc_ids: Sequence[int], passphrase: str,
                   progress: Callable[[int, int], None] | None = None, *,
                   cancelled: Callable[[], bool] | None = None) -> BatchResult:
    """Sign documents with the actor's certificate, one passphrase for the whole batch.

    Raises (nothing signed) when the actor may not sign one of the documents
    (:class:`PermissionDenied`, audited), has no valid certificate (:class:`CredentialMissing`)
    or gives a wrong passphrase (:class:`WrongPassphrase` / :class:`AccountLocked`, counted
    like a failed login). Otherwise each document is signed and stored in its own transaction;
    the first failure stops the batch and is reported in the result with the ones signed.
    """
    ids = list(dict.fromkeys(doc_ids))
    if not ids:
        return BatchResult((), total=0)
    _precheck(db, actor, ids)
    bundle = check_signing_passphrase(db, actor, passphrase)
    # Unlock the key once for the batch (PBKDF2 costs ~20 ms per unlock): re-sealed in memory
    # only, under a random one-time passphrase with a single KDF round; never stored.
    bundle, passphrase = _batch_bundle(bundle, passphrase)
    ca_pem = office_ca_pem(db)
    signed: list[int] = []
    advanced: list[int] = []
    if progress:
        progress(0, len(ids))
    for i, doc_id in enumerate(ids):
        if cancelled is not None and cancelled():
            return BatchResult(tuple(signed), doc_id, "Dibatalkan oleh pengguna.", len(ids),
                               tuple(advanced))
        try:
            case_advanced = _sign_one(db, actor, doc_id, bundle, passphrase, ca_pem)
        except DocumentChanged as exc:
            return BatchResult(tuple(signed), doc_id, exc.message, len(ids), tuple(advanced),
                               (doc_id,))
        except PermissionDenied as exc:
            record_refusal(db, actor, "tanda_tangan", "document", doc_id, exc.message)
            return BatchResult(tuple(signed), doc_id, exc.message, len(ids), tuple(advanced))
        except AppError as exc:
            return BatchResult(tuple(signed), doc_id, exc.message, len(ids), tuple(advanced))
        except Exception as exc:  # noqa: BLE001 - reported, the batch stops cleanly
            log.exception("signing document %s failed", doc_id)
            return BatchResult(tuple(signed), doc_id, f"Gagal menandatangani: {exc}", len(ids),
                               tuple(advanced))
        signed.append(doc_id)
        if case_advanced is not None:
            advanced.append(case_advanced)
        if progress:
            progress(i + 1, len(ids))
    return BatchResult(tuple(signed), None, None, len(ids), tuple(advanced))


def _batch_bundle(bundle: SignerBundle, passphrase: str) -> tuple[SignerBundle, str]:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    key, cert, chain = pki._open_pkcs12(bundle.pkcs12, passphrase)
    one_time = secrets.token_urlsafe(24)
    encryption = (serialization.PrivateFormat.PKCS12.encryption_builder().kdf_rounds(1)
                  .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
                  .hmac_hash(hashes.SHA256()).build(one_time.encode("utf-8")))
    sealed = pkcs12.serialize_key_and_certificates(
        name=None, key=key, cert=cert, cas=chain or None,  # type: ignore[arg-type]
        encryption_algorithm=encryption)
    return SignerBundle(sealed, bundle.cert_pem, bundle.subject_name, bundle.serial_hex,
                        bundle.not_after), one_time


def sign_document(db: Database, actor: Actor, doc_id: int, passphrase: str) -> BatchResult:
    return sign_documents(db, actor, [doc_id], passphrase)


def _already_signed_message(s: Session, doc: Document) -> str:
    who = s.scalar(select(User.full_name).where(User.id == doc.signed_by_id)) or "?"
    when = f" pukul {doc.signed_at:%H:%M}" if doc.signed_at else ""
    return f"Dokumen {doc.number or doc.id} sudah ditandatangani oleh {who}{when}."


def _send_back_for_paraf(db: Database, actor: Actor, doc_id: int, version: int) -> None:
    now = db.now()
    try:
        with db.write() as s:
            doc = s.get(Document, doc_id)
            if doc is None or doc.doc_version != version or doc.status != AWAITING_SIGNATURE:
                return
            doc.status = AWAITING_PARAF
            stale = [{"jalur": a.lane, "oleh": a.user_name, "sha256": a.document_sha256}
                     for a in doc.approvals if a.kind == PARAF]
            s.flush()
            audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                         action="paraf_ulang_dokumen", entity="document", entity_id=doc.id,
                         detail={"nomor": doc.number, "sha256": doc.sha256,
                                 "paraf_tidak_berlaku": stale})
    except StaleDataError:
        return


def _sign_one(db: Database, actor: Actor, doc_id: int, bundle: SignerBundle, passphrase: str,
              ca_pem: bytes | None) -> int | None:
    """Sign one document; returns the case id when the case moved on, else None."""
    # Phase 1 (read): checks, render with the signature block, PAdES signature — no locks.
    with db.read() as s, s.no_autoflush:
        doc = s.get(Document, doc_id)
        if doc is None:
            raise NotFound(f"Dokumen #{doc_id} tidak ditemukan.")
        case = s.get(Case, doc.case_id)
        assert case is not None
        sop = sop_of_case(s, case)
        spec = _spec(sop, doc.doc_type)
        title = _doc_title(sop, doc.doc_type)
        who = _sign_permission(actor, sop, spec)
        if who is None:
            raise PermissionDenied(f"Anda tidak berwenang menandatangani {title}.")
        if doc.status == SIGNED:
            raise AppError(_already_signed_message(s, doc))
        if doc.status != AWAITING_SIGNATURE:
            raise AppError(f"{title} {doc.number or ''} tidak menunggu tanda tangan "
                           f"({STATUS_LABELS.get(doc.status, doc.status)}).")
        if case.status != workflow.IN_PROGRESS:
            raise AppError(f"Berkas {case.register_number} tidak sedang diproses.")
        missing = set(spec.paraf_lanes) - _fresh_paraf_lanes(doc)
        version_seen = doc.doc_version
        sha_seen = doc.sha256
        number = doc.number
        if missing:
            changed = True
        else:
            changed = False
            role, deputy = who
            block = signer_block(s, db, actor, deputy, doc.verification_code, sop=sop,
                                 spec=spec)
            final = _render_final(s, db, doc, block)
        s.rollback()
    if changed:
        _send_back_for_paraf(db, actor, doc_id, version_seen)
        raise DocumentChanged(f"{title} {number or f'#{doc_id}'}: {CHANGED_SINCE_PARAF}.")
    reason = f"{title} nomor {number}" if number else title
    try:
        signed_pdf = pdfsign.sign_pdf(final, bundle, passphrase, reason=reason,
                                      extra_certs=[ca_pem] if ca_pem else ())
    except WrongPassphrase:
        raise _count_wrong_passphrase(db, actor, "tanda_tangan") from None
    digest = sha256_hex(signed_pdf)

    # Phase 2 (write): store only if nobody signed or changed the document meanwhile.
    now = db.now()
    try:
        with db.write() as s:
            doc = s.get(Document, doc_id)
            if doc is None:
                raise NotFound(f"Dokumen #{doc_id} tidak ditemukan.")
            if doc.status == SIGNED:
                raise AppError(_already_signed_message(s, doc))
            if doc.doc_version != version_seen or doc.sha256 != sha_seen \
                    or doc.status != AWAITING_SIGNATURE:
                raise AppError(f"{title} {doc.number or ''} diubah oleh pengguna lain saat "
                               "ditandatangani. Muat ulang antrian lalu ulangi.")
            case = s.get(Case, doc.case_id)
            assert case is not None
            doc.pdf = signed_pdf
            doc.sha256 = digest
            doc.signed_at = now
            doc.signed_by_id = actor.user_id
            doc.status = SIGNED
            doc.approvals.append(DocumentApproval(
                kind=TTD, lane=spec.sign_lane, user_id=actor.user_id,
                user_name=actor.full_name, role=role,
                on_behalf_of_id=deputy.user_id if deputy else None,
                on_behalf_of_name=deputy.user_name if deputy else None,
                delegation_kind=deputy.kind if deputy else None, at=now,
                document_sha256=digest, method=METHOD_ELECTRONIC))
            s.flush()
            audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                         action="tanda_tangan_dokumen", entity="document", entity_id=doc.id,
                         detail={"nomor": doc.number, "berkas": case.register_number,
                                 "sha256": digest, "sertifikat": bundle.serial_hex,
                                 "metode": METHOD_ELECTRONIC,
                                 "atas_nama": deputy.user_name if deputy else None,
                                 "jenis_pelimpahan": deputy.kind if deputy else None})
            moved = _advance_after_signature(s, db, actor, case, spec.sign_lane)
            return case.id if moved else None
    except StaleDataError:
        with db.read() as s:
            doc = s.get(Document, doc_id)
            message = _already_signed_message(s, doc) if doc is not None and \
                doc.status == SIGNED else "Dokumen diubah oleh pengguna lain; muat ulang."
        raise AppError(message) from None


# ------------------------------------------------------------------------ wet signature


def mark_wet_signed(db: Database, actor: Actor, doc_id: int, scan_bytes: bytes, mime: str,
                    filename: str = "") -> int:
    """Wet-signature mode: the printed document was signed by hand and scanned back.

    The scan is stored with the case (attachment kind ``ttd_basah``), the document becomes
    ``ditandatangani`` with a ``ttd`` approval of method ``basah`` naming who marked it, and the
    case moves on like after an electronic signature. Returns the attachment id.
    """
    errors = {}
    if mime not in WET_SCAN_MIME:
        errors["berkas"] = "Pindaian harus PDF, JPG atau PNG."
    elif not scan_bytes:
        errors["berkas"] = "Berkas pindaian kosong."
    elif len(scan_bytes) > MAX_SCAN_BYTES:
        errors["berkas"] = "Berkas pindaian terlalu besar (maks. 10 MB)."
    if errors:
        raise ValidationError(errors)
    _precheck(db, actor, [doc_id])
    now = db.now()
    try:
        with db.write() as s:
            doc = s.get(Document, doc_id)
            if doc is None:
                raise NotFound(f"Dokumen #{doc_id} tidak ditemukan.")
            case = s.get(Case, doc.case_id)
            assert case is not None
            sop = sop_of_case(s, case)
            spec = _spec(sop, doc.doc_type)
            who = _sign_permission(actor, sop, spec)
            assert who is not None
            role, deputy = who
            if doc.status == SIGNED:
                raise AppError(_already_signed_message(s, doc))
            if doc.status != AWAITING_SIGNATURE:
                raise ValidationError({"dokumen": "Dokumen tidak menunggu tanda tangan."})
            if set(spec.paraf_lanes) - _fresh_paraf_lanes(doc):
                doc.status = AWAITING_PARAF
                s.flush()
                audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                             action="paraf_ulang_dokumen", entity="document", entity_id=doc.id,
                             detail={"nomor": doc.number, "sha256": doc.sha256})
                changed = True
            else:
                changed = False
                digest = hashlib.sha256(scan_bytes).hexdigest()
                ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[mime]
                att = Attachment(case_id=case.id, kind="ttd_basah", requirement_code=None,
                                 filename=(filename or f"ttd_basah_{doc.number or doc.id}.{ext}"
                                           ).replace("/", "-")[-255:],
                                 mime_type=mime, size=len(scan_bytes), sha256=digest,
                                 content=scan_bytes, uploaded_by_id=actor.user_id,
                                 uploaded_at=now)
                s.add(att)
                doc.status = SIGNED
                doc.signed_at = now
                doc.signed_by_id = actor.user_id
                doc.approvals.append(DocumentApproval(
                    kind=TTD, lane=spec.sign_lane, user_id=actor.user_id,
                    user_name=actor.full_name, role=role,
                    on_behalf_of_id=deputy.user_id if deputy else None,
                    on_behalf_of_name=deputy.user_name if deputy else None,
                    delegation_kind=deputy.kind if deputy else None, at=now,
                    document_sha256=doc.sha256, method=METHOD_WET))
                s.flush()
                audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                             action="tandai_ttd_basah", entity="document", entity_id=doc.id,
                             detail={"nomor": doc.number, "berkas": case.register_number,
                                     "lampiran": att.id, "sha256_pindaian": digest,
                                     "atas_nama": deputy.user_name if deputy else None})
                _advance_after_signature(s, db, actor, case, spec.sign_lane)
                att_id = att.id
    except StaleDataError:
        raise AppError("Dokumen diubah oleh pengguna lain; muat ulang.") from None
    if changed:
        raise DocumentChanged(f"Dokumen {CHANGED_SINCE_PARAF}.")
    return att_id


# ----------------------------------------------------------------------------- returning


def return_targets(db: Database, actor: Actor, case_id: int) -> list[tuple[int, str]]:
    """(step number, label) the actor may send the case back to now (empty: not allowed)."""
    detail = services.get_case(db, case_id)
    sop = detail.sop
    for spec in workflow.allowed_actions(sop, detail.state(), actor):
        if spec.code == workflow.RETURN_TO_STEP:
            return [(no, f"Langkah {no} — {sop.lane(sop.step(no).lane).name}: "
                         f"{sop.step(no).activity}") for no in spec.target_steps]
    return []


def return_case(db: Database, actor: Actor, case_id: int, target_step: int,
                reason: str) -> services.CaseDetail:
    """Send the case back to an earlier step; the reason (required) reaches the lane that must
    act there (``Case.attention_note``, shown in its task list)."""
    if not (reason or "").strip():
        raise ValidationError({"alasan": "Alasan pengembalian wajib diisi."})
    return services.act(db, actor, case_id, workflow.RETURN_TO_STEP, expected_version=None,
                        reason=reason.strip(), target_step=target_step)


# ---------------------------------------------------------------------------- verifying


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
            out.append(f"Waktu tanda tangan: {tanggal_jam(self.signed_at)}")
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


def verify_pdf_bytes(pdf: bytes, trust_roots_pem: Sequence[bytes]) -> VerificationReport:
    """Check a PDF against the given roots only (no database): used for ``--ca`` files."""
    result = pdfsign.verify_pdf(pdf, list(trust_roots_pem))
    return VerificationReport(status=result.status, message=result.message,
                              signer_name=result.signer_name, signer_nip=result.signer_nip,
                              signed_at=_to_local_naive(result.signed_at)
                              if result.signed_at else None)


def verify_document(db: Database | None, pdf_bytes: bytes,
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
        if result.status == VERIFY_GENUINE and doc.status == VOIDED:
            return VerificationReport(status=VERIFY_VOIDED, message=_voided_message(doc),
                                      void_reason=doc.void_reason, **facts)
        if result.status == VERIFY_GENUINE:
            return VerificationReport(status=VERIFY_GENUINE, message=result.message, **facts)
        # Altered or unknown: still say which document it claims to be.
        return VerificationReport(status=result.status, message=result.message, **facts)


_CODE_RE = re.compile(r"[^A-Z0-9-]")


def normalize_code(text: str) -> str:
    """The verification code from a typed code or the QR text ("PAGARALAM-TK:<code>", or a
    URL ending in the code)."""
    raw = (text or "").strip()
    if raw.upper().startswith(QR_PREFIX):
        raw = raw[len(QR_PREFIX):]
    elif "/" in raw:
        raw = raw.rstrip("/").rsplit("/", 1)[-1]
    return _CODE_RE.sub("", raw.upper())


def verify_code(db: Database, code: str) -> VerificationReport:
    """Check the code read from a printout's QR: genuine only if a signed, non-voided document
    carries it; the report names the document so the clerk can compare it with the paper."""
    clean = normalize_code(code)
    if not clean:
        return VerificationReport(status=VERIFY_UNKNOWN, message="Kode verifikasi kosong.",
                                  source="kode")
    with db.read() as s:
        doc = s.scalars(select(Document).where(
            func.upper(Document.verification_code) == clean)).first()
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


# ------------------------------------------------------------------------- demo, samples


def setup_demo_signing(db: Database) -> list[str]:
    """Demo: the office CA (passphrase ``ca-demo-2026``) and a certificate for every user
    holding kadis/kabid/kasi/sekretaris (signing passphrase ``ttd-<username>-2026``).
    Idempotent: existing CA and credentials are kept. Returns the usernames given one."""
    if office_ca(db) is None:
        setup_office_ca(db, None, DEMO_CA_PASSPHRASE)
    with db.read() as s:
        users = s.scalars(select(User).where(User.is_active.is_(True))
                          .order_by(User.username)).all()
        have = set(s.scalars(select(SignerCredential.user_id)))
        todo = [u.username for u in users
                if u.role_codes & SIGNING_ROLES and u.id not in have and u.nip and u.jabatan]
    for username in todo:
        issue_credential(db, None, DEMO_CA_PASSPHRASE, username,
                         demo_signing_passphrase(username))
    return todo


def new_verification_code() -> str:
    """A random, unambiguous code like ``7KQ4-M2XD-93PA`` (used by samples)."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def sign_samples(out_dir: Path) -> list[Path]:
    """``render-samples --signed``: every signed document type rendered with sample data and
    signed by the demo Kepala Dinas (or the Kabid where the SOP's sign lane is kabid or
    kabid_sekretaris), as ``<sop>_<document>_ttd.pdf``, plus ``ca_kantor.pem`` to check them
    with ``desktop-app verify --ca``. Uses a throw-away demo database."""
    from desktop_app.core.auth import actor_for
    from desktop_app.core.db import open_database
    from desktop_app.core.demo import create_demo_users
    from desktop_app.core.documents import card as card_mod
    from desktop_app.core.documents.catalog import DOCUMENT_TYPES, render_document
    from desktop_app.core.documents.samples import sample_context

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="ttd-sampel-") as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'demo.sqlite'}")
        try:
            create_demo_users(db)
            setup_office_ca(db, None, DEMO_CA_PASSPHRASE)
            for username in ("kadis", "kabid"):
                issue_credential(db, None, DEMO_CA_PASSPHRASE, username,
                                 demo_signing_passphrase(username))
            ids = {}
            with db.read() as s:
                ids = dict(s.execute(select(User.username, User.id)).all())
            signers = {u: (actor_for(db, ids[u]), _load_bundle(db, ids[u]))
                       for u in ("kadis", "kabid")}
            ca_pem = office_ca_pem(db)
            assert ca_pem is not None
            (out_dir / "ca_kantor.pem").write_bytes(ca_pem)
            written.append(out_dir / "ca_kantor.pem")
            for sop in services.sops():
                for spec in sop.documents:
                    if not spec.sign_lane:
                        continue
                    username = "kabid" if spec.sign_lane in ("kabid", "kabid_sekretaris") \
                        else "kadis"
                    actor, bundle = signers[username]
                    code = new_verification_code()
                    with db.read() as s:
                        block = signer_block(s, db, actor, None, code, sop=sop, spec=spec)
                    if spec.code == "kartu_ak1":
                        ctx = card_mod.sample_card_context(signed=True)
                        ctx["signature"] = {**ctx["signature"], **block}
                        ctx["document"]["kode_verifikasi"] = code
                        pdf = card_mod.render_card_pdf(ctx)
                    elif spec.code in DOCUMENT_TYPES:
                        ctx = sample_context(spec.code)
                        ctx["signature"] = block
                        ctx["document"]["kode_verifikasi"] = code
                        pdf = render_document(spec.code, ctx)
                    else:
                        continue
                    signed = pdfsign.sign_pdf(
                        pdf, bundle, demo_signing_passphrase(username),
                        reason=f"{spec.title} (contoh)", extra_certs=[ca_pem])
                    path = out_dir / f"{sop.code}_{spec.code}_ttd.pdf"
                    path.write_bytes(signed)
                    written.append(path)
        finally:
            db.dispose()
    return written
