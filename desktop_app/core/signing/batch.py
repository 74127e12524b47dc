"""Signing documents in a batch with the signer's certificate (PAdES).

The passphrase is checked once; each document is rendered with its signature block,
signed *outside* any write transaction, and stored in its own short transaction that
re-checks the row version - so two PCs signing the same document give exactly one
signature, and a failure stops the batch after the documents already signed.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from desktop_app.core import audit, cases, workflow
from desktop_app.core.auth import ActingFor, Actor, record_refusal
from desktop_app.core.db import Database, lock_cases, retry_on_conflict
from desktop_app.core.errors import AppError, NotFound, PermissionDenied
from desktop_app.core.models import Case, Document, DocumentApproval, User
from desktop_app.core.signing import pdfsign, pki
from desktop_app.core.signing.credentials import _count_wrong_passphrase, check_signing_passphrase
from desktop_app.core.signing.office_ca import office_ca_pem
from desktop_app.core.signing.paraf import _case_documents, _refuse
from desktop_app.core.signing.pdfsign import sha256_hex
from desktop_app.core.signing.pki import SignerBundle, WrongPassphrase
from desktop_app.core.signing.revocation import current_crls, ensure_can_sign
from desktop_app.core.signing.signing_time import as_aware, signing_now
from desktop_app.core.signing.terms import (
    AWAITING_PARAF,
    AWAITING_SIGNATURE,
    CHANGED_SINCE_PARAF,
    METHOD_ELECTRONIC,
    PARAF,
    SIGNED,
    STATUS_LABELS,
    TTD,
    DocumentChanged,
    _doc_title,
    _fresh_paraf_lanes,
    _lane_role,
    _spec,
)
from desktop_app.core.sop import DocumentSpec, Sop
from desktop_app.core.sop_versions import sop_for_version, sop_of_case

log = logging.getLogger(__name__)


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
    cases.act_in_session(s, db, actor, case, workflow.SIGN,
                         note="Dokumen ditandatangani melalui antrian tanda tangan")
    return True


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


def _record_signature(doc: Document, lane: str, actor: Actor, role: str,
                      deputy: ActingFor | None, now: datetime, method: str) -> None:
    """Mark ``doc`` signed by ``actor`` (for ``deputy``'s head when acting) and append the
    signature's approval over the document as it now stands (``doc.sha256``)."""
    doc.status = SIGNED
    doc.signed_at = now
    doc.signed_by_id = actor.user_id
    doc.approvals.append(DocumentApproval(
        kind=TTD, lane=lane, user_id=actor.user_id, user_name=actor.full_name, role=role,
        on_behalf_of_id=deputy.user_id if deputy else None,
        on_behalf_of_name=deputy.user_name if deputy else None,
        delegation_kind=deputy.kind if deputy else None, at=now,
        document_sha256=doc.sha256, method=method))


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
                 signed: bool = True, signed_at: datetime | None = None) -> dict[str, Any]:
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
                 qr_payload=doc_context.verification_qr(db, code) if (signed and code) else None,
                 signed_at=(signed_at or db.now()) if signed else None)
    return block


def _render_final(s: Session, db: Database, doc: Document, block: dict[str, Any],
                  number: str | None = None) -> bytes:
    """The document rendered with its number and signature block (documents.service)."""
    from desktop_app.core.documents import service as docsvc

    return docsvc.render_final_in_session(s, db, doc, block, number)


class _NumberTaken(Exception):
    """Another PC took the number this signature was rendered with: render and sign again."""


_NUMBER_ATTEMPTS = 5


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
    ensure_can_sign(db, actor, signing_now(db))  # clock, account and certificate first
    bundle = check_signing_passphrase(db, actor, passphrase)
    # Unlock the key once for the batch (PBKDF2 costs ~20 ms per unlock): re-sealed in memory
    # only, under a random one-time passphrase with a single KDF round; never stored.
    bundle, passphrase = _batch_bundle(bundle, passphrase)
    ca_pem = office_ca_pem(db)
    crls = current_crls(db)  # embedded in every letter (PAdES B-LT)
    signed: list[int] = []
    advanced: list[int] = []
    if progress:
        progress(0, len(ids))
    for i, doc_id in enumerate(ids):
        if cancelled is not None and cancelled():
            return BatchResult(tuple(signed), doc_id, "Dibatalkan oleh pengguna.", len(ids),
                               tuple(advanced))
        try:
            case_advanced = _sign_one(db, actor, doc_id, bundle, passphrase, ca_pem, crls)
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
              ca_pem: bytes | None, crls: Sequence[bytes] = ()) -> int | None:
    """Sign one document; returns the case id when the case moved on, else None.

    The letter number is taken in the signing transaction. The face is rendered and signed
    with the number the series will give next; when another PC took that number meanwhile,
    the transaction is rolled back and the document rendered and signed again."""
    for _ in range(_NUMBER_ATTEMPTS - 1):
        try:
            return _sign_attempt(db, actor, doc_id, bundle, passphrase, ca_pem, crls)
        except _NumberTaken:
            continue
    try:
        return _sign_attempt(db, actor, doc_id, bundle, passphrase, ca_pem, crls)
    except _NumberTaken:
        raise AppError("Nomor surat sedang diambil komputer lain; ulangi penandatanganan.") \
            from None


def _sign_attempt(db: Database, actor: Actor, doc_id: int, bundle: SignerBundle,
                  passphrase: str, ca_pem: bytes | None,
                  crls: Sequence[bytes] = ()) -> int | None:
    from desktop_app.core.documents import service as docsvc

    # One trusted instant (the server's in office mode) for stamp, PDF, number, record, audit.
    now = signing_now(db)
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
        shown = doc.number
        number = doc.number or docsvc.expected_number(s, db, doc, now)
        if missing:
            changed = True
        else:
            changed = False
            role, deputy = who
            block = signer_block(s, db, actor, deputy, doc.verification_code, sop=sop,
                                 spec=spec, signed_at=now)
            final = _render_final(s, db, doc, block, number)
        s.rollback()
    if changed:
        _send_back_for_paraf(db, actor, doc_id, version_seen)
        raise DocumentChanged(f"{title} {shown or f'#{doc_id}'}: {CHANGED_SINCE_PARAF}.")
    reason = f"{title} nomor {number}" if number else title
    try:
        signed_pdf = pdfsign.sign_pdf(final, bundle, passphrase, reason=reason,
                                      extra_certs=[ca_pem] if ca_pem else (),
                                      signing_time=as_aware(now), ltv_crls=crls)
    except WrongPassphrase:
        raise _count_wrong_passphrase(db, actor, "tanda_tangan") from None
    digest = sha256_hex(signed_pdf)

    # Phase 2 (write): store only if nobody signed or changed the document meanwhile.
    @retry_on_conflict
    def store() -> int | None:
        # ``now``: the one trusted signing instant taken before the signature (stamp = PDF)
        try:
            with db.write() as s:
                case_id = s.scalar(select(Document.case_id).where(Document.id == doc_id))
                lock_cases(s, [case_id] if case_id else [])  # core/db.py lock order
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
                # The number (and agenda entry) is taken here, in the signing transaction.
                if docsvc.take_number_in_session(s, db, doc, now) != number:
                    raise _NumberTaken()
                doc.pdf = signed_pdf
                doc.sha256 = digest
                _record_signature(doc, spec.sign_lane, actor, role, deputy, now,
                                  METHOD_ELECTRONIC)
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

    return store()
