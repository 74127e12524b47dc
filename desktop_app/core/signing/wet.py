"""Wet signatures: a document signed on paper, recorded with its scan."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm.exc import StaleDataError

from desktop_app.core import audit
from desktop_app.core.auth import Actor
from desktop_app.core.db import Database, lock_cases
from desktop_app.core.errors import AppError, NotFound, ValidationError
from desktop_app.core.models import Attachment, Case, Document
from desktop_app.core.signing.batch import (
    _advance_after_signature,
    _already_signed_message,
    _precheck,
    _record_signature,
    _sign_permission,
)
from desktop_app.core.signing.terms import (
    AWAITING_PARAF,
    AWAITING_SIGNATURE,
    CHANGED_SINCE_PARAF,
    MAX_SCAN_BYTES,
    METHOD_WET,
    SIGNED,
    WET_SCAN_MIME,
    DocumentChanged,
    _fresh_paraf_lanes,
    _spec,
)
from desktop_app.core.sop_versions import sop_of_case


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
            lock_cases(s, [doc.case_id])  # core/db.py lock order: the case first
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
                from desktop_app.core.documents.service import take_number_in_session

                changed = False
                # The number is taken when the signature is recorded (the clerk writes it on
                # the signed paper from the agenda).
                take_number_in_session(s, db, doc, now)
                digest = hashlib.sha256(scan_bytes).hexdigest()
                ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[mime]
                att = Attachment(case_id=case.id, kind="ttd_basah", requirement_code=None,
                                 filename=(filename or f"ttd_basah_{doc.number or doc.id}.{ext}"
                                           ).replace("/", "-")[-255:],
                                 mime_type=mime, size=len(scan_bytes), sha256=digest,
                                 content=scan_bytes, uploaded_by_id=actor.user_id,
                                 uploaded_at=now)
                s.add(att)
                _record_signature(doc, spec.sign_lane, actor, role, deputy, now, METHOD_WET)
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
