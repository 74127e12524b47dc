"""Paraf: initialling documents for the actor's lane.

A paraf is valid only for the exact bytes it was given to (it stores the document's SHA-256).
When every document of the case's current paraf step is initialled, the case moves on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from desktop_app.core import audit, cases, workflow
from desktop_app.core.auth import ActingFor, Actor, record_refusal
from desktop_app.core.db import Database, lock_cases, retry_on_conflict
from desktop_app.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from desktop_app.core.models import Case, Document, DocumentApproval
from desktop_app.core.signing.terms import (
    AWAITING_PARAF,
    AWAITING_SIGNATURE,
    METHOD_ELECTRONIC,
    PARAF,
    SIGNED,
    STATUS_LABELS,
    _doc_title,
    _fresh_paraf_lanes,
    _lane_role,
    _spec,
)
from desktop_app.core.sop_versions import sop_of_case


@dataclass(frozen=True)
class ParafResult:
    documents: tuple[int, ...]
    ready_to_sign: tuple[int, ...]
    advanced_cases: tuple[int, ...]


def _refuse(db: Database, actor: Actor, action: str, entity_id: object, message: str) -> None:
    record_refusal(db, actor, action, "document", entity_id, message)
    raise PermissionDenied(message)


@retry_on_conflict
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
            # The lock order of core/db.py: the cases first, the audit head last.
            lock_cases(s, s.scalars(select(Document.case_id).where(Document.id.in_(ids))))
            audits: list[dict] = []
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
                audits.append(dict(
                    action="paraf_dokumen", entity="document", entity_id=doc.id,
                    detail={"nomor": doc.number, "berkas": case.register_number,
                            "jalur": lane, "sha256": doc.sha256, "catatan": note,
                            "atas_nama": deputy.user_name if deputy else None}))
            advanced = []
            for case, lanes_done, _deputy in cases.values():
                if _advance_after_paraf(s, db, actor, case, lanes_done, note):
                    advanced.append(case.id)
            for entry in audits:  # last: the audit head is the last lock taken
                audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                             **entry)
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
    cases.act_in_session(s, db, actor, case, workflow.PARAF,
                         note=note or "Paraf dokumen melalui antrian tanda tangan")
    return True
