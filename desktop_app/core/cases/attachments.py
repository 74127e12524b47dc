"""Files attached to a case (scans, photos): size and type checked, stored in the database."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from desktop_app.core import audit, workflow
from desktop_app.core.auth import Actor
from desktop_app.core.cases.acting import _load_for_update
from desktop_app.core.db import Database
from desktop_app.core.errors import NotFound, PermissionDenied, ValidationError
from desktop_app.core.models import Attachment

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_MIME = {"image/jpeg", "image/png", "application/pdf"}


def add_attachment(db: Database, actor: Actor, case_id: int, *, kind: str, filename: str,
                   content: bytes, mime_type: str, requirement_code: str | None = None) -> int:
    """Store a scanned requirement or a photo with the case."""
    errors = {}
    if mime_type not in ALLOWED_MIME:
        errors["berkas"] = "Hanya JPG, PNG atau PDF."
    if len(content) > MAX_ATTACHMENT_BYTES:
        errors["berkas"] = "Berkas terlalu besar (maks. 10 MB)."
    if not content:
        errors["berkas"] = "Berkas kosong."
    if errors:
        raise ValidationError(errors)
    now = db.now()
    with db.write() as s:
        case = _load_for_update(s, case_id, None)
        if case.status not in workflow.OPEN_STATUSES and kind != "ttd_basah":
            raise PermissionDenied("Berkas yang sudah ditutup tidak dapat diberi lampiran.")
        digest = hashlib.sha256(content).hexdigest()
        att = Attachment(case_id=case.id, kind=kind, requirement_code=requirement_code,
                         filename=filename[-255:], mime_type=mime_type, size=len(content),
                         sha256=digest, content=content, uploaded_by_id=actor.user_id,
                         uploaded_at=now)
        s.add(att)
        s.flush()
        audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                     action="tambah_lampiran", entity="case", entity_id=case.id,
                     detail={"lampiran": att.id, "jenis": kind, "sha256": digest})
        return att.id


def attachment_content(db: Database, attachment_id: int) -> bytes:
    with db.read() as s:
        att = s.get(Attachment, attachment_id)
        if att is None:
            raise NotFound("Lampiran tidak ditemukan.")
        return att.content


def latest_attachment(db: Database, case_id: int, kind: str) -> tuple[int, bytes] | None:
    with db.read() as s:
        att = s.scalars(select(Attachment).where(Attachment.case_id == case_id,
                                                 Attachment.kind == kind)
                        .order_by(Attachment.id.desc())).first()
        return (att.id, att.content) if att else None
