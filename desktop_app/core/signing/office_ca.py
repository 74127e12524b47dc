"""The office CA: created once, kept in the settings table, and the roots trusted besides it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from desktop_app.core import audit
from desktop_app.core.auth import Actor, require_roles
from desktop_app.core.db import Database
from desktop_app.core.errors import ValidationError
from desktop_app.core.models import Setting
from desktop_app.core.roles import ADMIN
from desktop_app.core.settings import office_profile
from desktop_app.core.signing import pki
from desktop_app.core.signing.pki import CaBundle
from desktop_app.core.signing.terms import (
    OFFICE_CA_SETTING,
    TRUSTED_ROOTS_SETTING,
    _check_new_passphrase,
    _to_local_naive,
)


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
    # The first (empty) CRL, so that every letter carries one (PAdES B-LT) from the start.
    from desktop_app.core.signing.revocation import issue_crl

    issue_crl(db, None, ca_passphrase)
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
