"""The signing queue: what waits for the actor's paraf or signature, and a document's detail."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select

from desktop_app.core import sop_versions, workflow
from desktop_app.core.auth import ActingFor, Actor
from desktop_app.core.db import Database
from desktop_app.core.errors import NotFound
from desktop_app.core.models import Case, Document, DocumentApproval
from desktop_app.core.settings import get_calendar
from desktop_app.core.signing.terms import (
    AWAITING_PARAF,
    AWAITING_SIGNATURE,
    PARAF,
    STATUS_LABELS,
    TTD,
    _doc_title,
    _lane_role,
)
from desktop_app.core.sop import Sop, sops
from desktop_app.core.sop_versions import sop_of_case


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
    plan = _queue_plan(actor, sop_list if sop_list is not None else sops())
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
    return bool(_queue_plan(actor, sops()).conditions)


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
