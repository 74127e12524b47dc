"""How a case's documents follow its steps (called by ``cases.act_in_session``).

When a step finishes, the drafts it produced that need a signer go to the signing queue
(unnumbered KONSEP copies; the number is taken when the document is signed); a paraf or sign step cannot pass while its documents still wait for that paraf or
signature (they are initialled and signed through the signing queue, which then moves the case).
A step whose SOP names a letter (drafted, initialled or signed there, or to be signed before
its end) cannot pass while that letter does not exist: a paraf or a signature is never recorded
on a case without its letter. Letters nobody signs (receipts, minutes, the return letter) do
not hold a step.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core.errors import ValidationError

if TYPE_CHECKING:
    from desktop_app.core.auth import Actor
    from desktop_app.core.db import Database
    from desktop_app.core.models import Case, Document
    from desktop_app.core.sop import DocumentSpec, Sop, Step
    from desktop_app.core.workflow import Transition


def _current_documents(s: Session, case: Case) -> list[Document]:
    """The newest version of each (type, seq) of the case, voided ones left out."""
    from desktop_app.core.models import Document

    # Most actions concern cases without documents: ask cheaply (Core, one index probe) first.
    if s.connection().execute(select(Document.id).where(Document.case_id == case.id)
                              .limit(1)).first() is None:
        return []
    latest: dict[tuple[str, int], Document] = {}
    for doc in s.scalars(select(Document).where(Document.case_id == case.id)
                         .order_by(Document.version)):
        latest[(doc.doc_type, doc.seq)] = doc
    from desktop_app.core.documents.service import VOIDED

    return [d for d in latest.values() if d.status != VOIDED]


def _name(sop: Sop, doc: Document) -> str:
    spec = sop.document(doc.doc_type)
    title = spec.title if spec else doc.doc_type
    return f"{title} ({doc.number})" if doc.number else title


def before_transition(s: Session, db: Database, actor: Actor, case: Case, sop: Sop, step: Step,
                      transition: Transition, now: datetime, reason: str = "") -> None:
    """Gate the case's documents and submit its drafts as the case leaves ``step``."""
    from desktop_app.core import workflow
    from desktop_app.core.documents import service
    from desktop_app.core.documents.catalog import IncompleteDocument

    if transition.action == workflow.RETURN_TO_STEP:
        _void_documents_sent_back(s, actor, case, sop, transition.step_no, reason, now)
        return
    if transition.action == workflow.RESUBMIT:
        from desktop_app.core.documents.return_letter import supersede_on_resubmit

        supersede_on_resubmit(s, actor, case, sop, now)
        return

    forward = (transition.step_completed
               and transition.action not in (workflow.REJECT, workflow.WITHDRAW,
                                             workflow.RETURN_TO_STEP, workflow.INCOMPLETE,
                                             workflow.RESUBMIT))
    if not forward:
        return
    docs = _current_documents(s, case)
    # 0. A step whose SOP names a letter cannot pass without it: the drafting step needs the
    # draft, a paraf or sign step (or a later step the letter must be signed before) needs the
    # letter that waits for it.
    have = {d.doc_type for d in docs}
    absent = [spec.title for spec in _letters_due(sop, step, case) if spec.code not in have]
    if absent:
        raise ValidationError({"dokumen": (
            f"Langkah ini belum dapat diselesaikan: {', '.join(absent)} belum dibuat. "
            "Buat dokumennya di tab Dokumen; paraf dan tanda tangan diberikan melalui "
            "Antrian Tanda Tangan.")})
    if not docs:
        return
    # 1. Drafts of this step (or left over from earlier steps) that need a signer: submitted.
    for doc in docs:
        spec = sop.document(doc.doc_type)
        if (doc.status != service.DRAFT or spec is None or spec.step > step.no
                or not service.needs_signature(sop, spec)):
            continue
        try:
            service.submit_for_signing_in_session(s, db, actor, doc, now)
        except IncompleteDocument as exc:
            labels = "; ".join(label for _, label in exc.missing)
            raise ValidationError({"dokumen": f"{exc.doc_type.title} belum dapat diajukan. "
                                              f"Lengkapi: {labels}."}) from None
    # 2. A paraf step waits for the paraf of its lane on every document that needs it.
    unsigned = [_name(sop, d) for d in docs
                if (spec := sop.document(d.doc_type)) is not None
                and 0 < spec.signed_before_end_of_step <= step.no
                and d.status != service.SIGNED]
    if unsigned:
        raise ValidationError({"dokumen": (
            f"{', '.join(unsigned)} belum ditandatangani; langkah ini baru dapat diselesaikan "
            "setelah penandatanganan (Antrian Tanda Tangan).")})
    if step.kind == "paraf":
        waiting = []
        for doc in docs:
            spec = sop.document(doc.doc_type)
            if doc.status != service.WAIT_PARAF or spec is None:
                continue
            if spec.paraf_lanes and step.lane not in spec.paraf_lanes:
                continue
            if not any(a.kind == "paraf" and a.lane == step.lane for a in doc.approvals):
                waiting.append(_name(sop, doc))
        if waiting:
            raise ValidationError({"dokumen": (
                f"Paraf dokumen {', '.join(waiting)} melalui Antrian Tanda Tangan sebelum "
                "langkah ini diselesaikan.")})
    # 3. A sign step waits for the signature of every document signed in its lane.
    if step.kind == "sign":
        waiting = [_name(sop, d) for d in docs
                   if (spec := sop.document(d.doc_type)) is not None
                   and spec.sign_lane == step.lane and d.status != service.SIGNED]
        if waiting:
            raise ValidationError({"dokumen": (
                f"Tanda tangani dokumen {', '.join(waiting)} melalui Antrian Tanda Tangan "
                "sebelum langkah ini diselesaikan.")})


def _applies(spec: DocumentSpec, case: Case) -> bool:
    """Whether the case needs the document at all (its ``when``)."""
    meetings = list((case.data or {}).get("_bipartit", []))
    if spec.when == "selalu":
        return True
    if spec.when == "sepakat":
        return any(m.get("sepakat") for m in meetings)
    if spec.when == "berselisih":
        return bool(meetings) and not any(m.get("sepakat") for m in meetings)
    return False  # "dikembalikan" (issued by the clerk), "per_pertemuan" (the parties sign)


def _letters_due(sop: Sop, step: Step, case: Case) -> list[DocumentSpec]:
    """The letters an official initials or signs that must exist before ``step`` passes."""
    from desktop_app.core.documents import service

    out = []
    for spec in sop.documents:
        if not service.needs_signature(sop, spec) or not _applies(spec, case):
            continue
        if spec.step > step.no:
            continue
        drafted_here = spec.step == step.no
        initialled_here = step.kind == "paraf" and step.lane in spec.paraf_lanes
        signed_here = step.kind == "sign" and spec.sign_lane == step.lane
        signed_by_now = 0 < spec.signed_before_end_of_step <= step.no
        if drafted_here or initialled_here or signed_here or signed_by_now:
            out.append(spec)
    return out


def _void_documents_sent_back(s: Session, actor: Actor, case: Case, sop: Sop, target_step: int,
                              reason: str, now: datetime) -> None:
    """A case sent back to (or before) the step that drafted a document: the numbered letter
    that was waiting for paraf or signature (unnumbered) is voided with the reason,
    so the step redrafts it and the queue no longer offers the old text."""
    from desktop_app.core import audit
    from desktop_app.core.documents import service

    for doc in _current_documents(s, case):
        spec = sop.document(doc.doc_type)
        if spec is None or spec.step < target_step:
            continue
        if doc.status not in (service.WAIT_PARAF, service.WAIT_SIGN):
            continue
        doc.status = service.VOIDED
        doc.voided_at = now
        doc.void_reason = f"Berkas dikembalikan ke langkah {target_step}: {reason}".strip()
        if doc.pdf:
            from desktop_app.core.documents.marks import stamp_void

            doc.pdf = stamp_void(bytes(doc.pdf), now, doc.void_reason)
        s.flush()
        audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                     action="batalkan_dokumen", entity="document", entity_id=doc.id,
                     detail={"berkas": case.register_number, "jenis": doc.doc_type,
                             "nomor": doc.number, "alasan": doc.void_reason})
