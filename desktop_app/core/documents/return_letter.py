"""The return letter (Surat Pengembalian Berkas): issued by the clerk with "Tidak Lengkap".

The clerk hands the letter to the applicant at the counter, so nobody signs it (``signed =
false`` in the SOP): :func:`issue_return_letter` numbers and renders it in one step and it is
``diterbitkan`` at once. It never waits in a signing queue and never stops the case: when the
applicant brings the missing papers (Ajukan Ulang) a return letter still unissued is voided as
superseded, and an issued one stays as the record of that return. A second return issues a
new version; the earlier one is kept.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from desktop_app.core import audit, workflow
from desktop_app.core.auth import Actor
from desktop_app.core.db import Database
from desktop_app.core.documents import context as doc_context
from desktop_app.core.documents import service
from desktop_app.core.errors import ConflictError, ValidationError
from desktop_app.core.models import Case, Document, StepEvent
from desktop_app.core.sop import Sop
from desktop_app.core.sop_versions import sop_of_case

RETURN_LETTER = "surat_pengembalian"

__all__ = ["RETURN_LETTER", "issue_return_letter", "return_letter_code", "supersede_on_resubmit"]


def return_letter_code(sop: Sop) -> str | None:
    """The SOP's document issued when a file is returned ("dikembalikan"), if any."""
    spec = next((d for d in sop.documents if d.when == "dikembalikan"), None)
    return spec.code if spec else None


def _return_count(s: Session, case: Case) -> int:
    return s.scalar(select(func.count(StepEvent.id)).where(
        StepEvent.case_id == case.id, StepEvent.action == workflow.INCOMPLETE)) or 0


def _issued_count(s: Session, case: Case, code: str) -> int:
    """Letters issued (and not voided by hand since): one per return."""
    return s.scalar(select(func.count(Document.id)).where(
        Document.case_id == case.id, Document.doc_type == code,
        Document.status == service.ISSUED)) or 0


def issue_return_letter(db: Database, actor: Actor, case_id: int,
                        paper: str | None = None) -> service.DocumentView:
    """Number, render and issue the return letter of a returned case (status
    ``diterbitkan``), listing the requirements still missing; returns it.

    Issued once per return: called again for the same return it returns the letter already
    issued. Raises :class:`IncompleteDocument` (nothing stored, no number taken) when data
    the letter prints are missing, :class:`ValidationError` when the case is not returned.
    """
    now = db.now()
    with db.read() as s:
        case = service._load_case(s, case_id)
        sop = sop_of_case(s, case)
        code = return_letter_code(sop)
        if code is None:
            raise ValidationError({"jenis": f"SOP {sop.tab_label} tidak memiliki surat "
                                            "pengembalian berkas."})
        spec = service._spec(sop, code)
        allowed = service._may_draft(actor, sop, case, spec)
        issued = service._latest(s, case_id, code, 1)
        if allowed and case.status != workflow.RETURNED and issued is not None \
                and issued.status == service.ISSUED:
            return service._view(s, issued, sop)  # the letter of the last return
        if allowed and case.status != workflow.RETURNED:
            raise ValidationError({"status": "Surat pengembalian dibuat saat berkas dinyatakan "
                                             "Tidak Lengkap."})
    if not allowed:
        service._deny(db, actor, "issue_return_letter", case_id,
                      "Anda tidak berwenang menerbitkan surat pengembalian berkas ini.")
    try:
        with db.write() as s:
            case = service._load_case(s, case_id)
            if case.status != workflow.RETURNED:
                raise ValidationError({"status": "Berkas sudah diajukan ulang."})
            current = service._latest(s, case_id, code, 1)
            if current is not None and current.status == service.ISSUED \
                    and _issued_count(s, case, code) >= _return_count(s, case):
                return service._view(s, current, sop)  # this return's letter, already issued
            chosen = service._paper(db, code, paper, current)
            probe = doc_context.build_context(s, db, case, code, 1, number="0", today=now.date())
            doc_context.check_complete(code, probe)
            if current is not None and current.status == service.DRAFT:
                doc = current
            else:
                doc = Document(case_id=case_id, doc_type=code, seq=1,
                               version=(current.version + 1) if current else 1,
                               status=service.DRAFT, created_at=now,
                               created_by_id=actor.user_id)
                s.add(doc)
            number = service._take_number(s, db, sop, spec, now)
            # The footer's code lets the applicant (or the counter) look the case up.
            verification = service.verification_code_for(s, doc)
            ctx = doc_context.build_context(s, db, case, code, 1, number=number,
                                            today=now.date(), verification_code=verification)
            pdf = doc_context.render_context(code, ctx, chosen)
            doc.paper = chosen
            doc.number = number
            doc.classification_code = service.classification_for(db, sop, spec)
            doc.pdf = pdf
            doc.sha256 = hashlib.sha256(pdf).hexdigest()
            doc.data_hash = doc_context.context_hash(ctx, chosen)
            doc.rendered_at = now
            doc.status = service.ISSUED
            s.flush()
            audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                         action="terbitkan_dokumen", entity="document", entity_id=doc.id,
                         detail={"berkas": case.register_number, "jenis": code,
                                 "nomor": number, "versi": doc.version, "sha256": doc.sha256})
            return service._view(s, doc, sop)
    except (StaleDataError, IntegrityError):
        raise ConflictError("pengguna lain", now) from None


def supersede_on_resubmit(s: Session, actor: Actor, case: Case, sop: Sop,
                          now: datetime) -> None:
    """Ajukan Ulang: a return letter never issued (a draft, or one an older version sent to
    signing) is voided as superseded so that nothing of the return stands in the way of
    Lengkap; an issued one stays as the record of the return."""
    code = return_letter_code(sop)
    if code is None:
        return
    for doc in s.scalars(select(Document).where(
            Document.case_id == case.id, Document.doc_type == code,
            Document.status.in_((service.DRAFT, service.WAIT_PARAF, service.WAIT_SIGN)))):
        doc.status = service.VOIDED
        doc.voided_at = now
        doc.void_reason = "Digantikan: berkas diajukan ulang (surat tidak diterbitkan)."
        s.flush()
        audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                     action="batalkan_dokumen", entity="document", entity_id=doc.id,
                     detail={"berkas": case.register_number, "jenis": doc.doc_type,
                             "nomor": doc.number, "alasan": doc.void_reason})
