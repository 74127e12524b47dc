"""Files attached to a case (scans, photos): size and type checked, stored in the database."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from desktop_app.core import audit
from desktop_app.core.auth import Actor, current_actor, record_refusal
from desktop_app.core.cases import permissions
from desktop_app.core.cases.acting import _load_for_update
from desktop_app.core.db import Database, retry_on_conflict
from desktop_app.core.errors import NotFound, PermissionDenied, ValidationError
from desktop_app.core.models import Attachment, Case
from desktop_app.core.sop_versions import sop_of_case
from desktop_app.core.textcheck import clean_text

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_MIME = {"image/jpeg", "image/png", "application/pdf"}


@retry_on_conflict
def add_attachment(db: Database, actor: Actor, case_id: int, *, kind: str, filename: str,
                   content: bytes, mime_type: str, requirement_code: str | None = None) -> int:
    """Store a scanned requirement or a photo with the case (by those who may change it:
    :mod:`cases.permissions`); a refusal is audited and nothing is stored."""
    errors = {}
    if mime_type not in ALLOWED_MIME:
        errors["berkas"] = "Hanya JPG, PNG atau PDF."
    if len(content) > MAX_ATTACHMENT_BYTES:
        errors["berkas"] = "Berkas terlalu besar (maks. 10 MB)."
    if not content:
        errors["berkas"] = "Berkas kosong."
    if kind not in permissions.ATTACHMENT_KINDS:
        errors["jenis"] = "Jenis lampiran tidak dikenal."
    elif kind == "pas_foto" and "berkas" not in errors:
        from desktop_app.core.documents.photo import check_photo

        problem = check_photo(content, mime_type)  # really a JPEG/PNG picture, sensibly sized
        if problem:
            errors["berkas"] = problem[:1].upper() + problem[1:] + "."
    filename = clean_text(filename or "").strip() or "lampiran"
    if errors:
        raise ValidationError(errors)
    now = db.now()
    refusal = None
    with db.write() as s:
        actor = current_actor(s, actor, now)
        case = _load_for_update(s, case_id, None)
        sop = sop_of_case(s, case)
        if requirement_code is not None and requirement_code not in {
                r.code for r in sop.requirements}:
            raise ValidationError({"persyaratan": "Persyaratan tidak dikenal pada SOP ini."})
        reason = permissions.edit_refusal(
            sop, actor, status=case.status, current_lane=case.current_lane,
            signed=permissions.has_signed_document(s, case.id))
        if reason:
            refusal = PermissionDenied(reason.replace("mengubah data berkas",
                                                      "menambah lampiran"))
        else:
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
    record_refusal(db, actor, "add_attachment", "case", case_id, refusal.message)
    raise refusal


def attachment_content(db: Database, attachment_id: int, actor: Actor | None = None) -> bytes:
    """The stored file. With ``actor`` (the screens pass the signed-in account) only for
    readers of the case's SOP; the refusal, and an allowed opening, are audited."""
    refusal = case_id = content = None
    with db.read() as s:
        reader = permissions.reader_now(db, s, actor) if actor is not None else None
        att = s.get(Attachment, attachment_id)
        if att is None:
            raise NotFound("Lampiran tidak ditemukan.")
        if reader is not None:
            case_id = att.case_id
            refusal = permissions.read_refusal(sop_of_case(s, s.get(Case, case_id)), reader)
        if refusal is None:
            content = att.content
    if refusal is not None:
        raise permissions.refuse_read(db, actor, "buka_lampiran", "case", case_id, refusal)
    if actor is not None and case_id is not None:
        permissions.record_read(db, actor, "buka_lampiran", case_id,
                                {"lampiran": attachment_id})
    return content


def latest_attachment(db: Database, case_id: int, kind: str) -> tuple[int, bytes] | None:
    """Internal read (documents, signing), made after the caller's own check."""
    with db.read() as s:
        att = s.scalars(select(Attachment).where(Attachment.case_id == case_id,
                                                 Attachment.kind == kind)
                        .order_by(Attachment.id.desc())).first()
        return (att.id, att.content) if att else None
