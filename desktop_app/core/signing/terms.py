"""The signing vocabulary shared by every signing module.

Document statuses, approval kinds and methods, verification results, the signing errors
and small helpers (SOP and document-spec lookup, lanes, local time).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core.auth import ActingFor, Actor
from desktop_app.core.errors import AppError, NotFound, ValidationError
from desktop_app.core.models import Document, User
from desktop_app.core.office_time import to_office
from desktop_app.core.signing import pdfsign
from desktop_app.core.sop import DocumentSpec, Sop

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
    "Minta administrator menerbitkan sertifikat tanda tangan (menu Tanda Tangan › Sertifikat "
    "Tanda Tangan) atau impor sertifikat BSrE (.p12)"
)
CHANGED_SINCE_PARAF = "berubah sejak diparaf, kembali untuk paraf ulang"

VERIFY_GENUINE = pdfsign.STATUS_GENUINE  # "asli"
VERIFY_ALTERED = pdfsign.STATUS_ALTERED  # "diubah"
VERIFY_UNKNOWN = pdfsign.STATUS_UNKNOWN  # "tidak_dikenal"
VERIFY_VOIDED = "dibatalkan"
VERIFY_REVOKED = "dicabut"  # signed at or after the signer's certificate was revoked
VERIFY_LABELS = {
    VERIFY_GENUINE: "ASLI",
    VERIFY_ALTERED: "DIUBAH",
    VERIFY_UNKNOWN: "TIDAK DIKENAL",
    VERIFY_VOIDED: "DIBATALKAN",
    VERIFY_REVOKED: "TIDAK SAH (SERTIFIKAT DICABUT)",
}
EXIT_CODES = {VERIFY_GENUINE: 0, VERIFY_ALTERED: 1, VERIFY_UNKNOWN: 2, VERIFY_VOIDED: 3,
              VERIFY_REVOKED: 4}
# The Ketua Panitia (role panitia) signs the training report the Kepala Dinas receives.
SIGNING_ROLES = frozenset({"kadis", "kabid", "kasi", "sekretaris", "panitia"})



class CredentialMissing(AppError):
    """The signer has no (valid) certificate; the message says how to get one."""


class DocumentChanged(AppError):
    """The document changed since it was initialled; it went back for a new paraf."""


def _to_local_naive(moment: datetime) -> datetime:
    return to_office(moment)


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


def new_verification_code() -> str:
    """A random, unambiguous code like ``7KQ4-M2XD-93PA`` (used by samples)."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
