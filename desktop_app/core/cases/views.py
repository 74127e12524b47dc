"""What the case screen shows: a case with its data, checklist, history and attachments."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core import workflow
from desktop_app.core.auth import Actor
from desktop_app.core.cases import permissions
from desktop_app.core.db import Database
from desktop_app.core.errors import NotFound
from desktop_app.core.models import (
    Attachment,
    Case,
    RequirementCheck,
    SopVersion,
    StepEvent,
    User,
)
from desktop_app.core.sop import Sop
from desktop_app.core.sop_versions import sop_of_case, version_label


@dataclass(frozen=True)
class EventView:
    step_no: int
    lane: str
    action: str
    user_name: str
    role: str
    on_behalf_of_name: str | None
    note: str
    started_at: datetime
    finished_at: datetime
    standard_minutes: int
    working_minutes: int
    on_time: bool
    detail: dict[str, Any]


@dataclass(frozen=True)
class AttachmentView:
    id: int
    kind: str
    requirement_code: str | None
    filename: str
    mime_type: str
    size: int
    uploaded_at: datetime


@dataclass(frozen=True)
class CaseDetail:
    """Everything a case screen shows."""

    id: int
    sop_code: str
    register_number: str
    status: str
    status_label: str
    current_step: int
    current_lane: str
    title: str
    nik: str | None
    data: dict[str, Any]
    requirements: dict[str, bool]
    attention_note: str | None
    registered_at: datetime
    step_started_at: datetime
    step_due_at: datetime | None
    due_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime
    updated_by: str
    version: int
    events: tuple[EventView, ...] = ()
    attachments: tuple[AttachmentView, ...] = ()
    # The SOP version the case runs on (not necessarily the one new cases start on).
    sop: Sop | None = field(default=None, compare=False, repr=False)
    sop_version_id: int = 0
    sop_version_label: str = ""

    @property
    def is_open(self) -> bool:
        return self.status in workflow.OPEN_STATUSES

    @property
    def bipartite_meetings(self) -> list[dict[str, Any]]:
        return list(self.data.get("_bipartit", []))

    def state(self) -> workflow.CaseState:
        return workflow.CaseState(self.sop_code, self.status, self.current_step, self.data,
                                  _meetings_at_current_step(self.data))


def _meetings_at_current_step(data: Mapping[str, Any]) -> int:
    return len([m for m in data.get("_bipartit", []) if not m.get("selesai_siklus")])


def _detail(s: Session, case: Case, *, with_history: bool = True,
            updated_by_name: str | None = None) -> CaseDetail:
    sop = sop_of_case(s, case)
    step_kind = sop.step(case.current_step).kind
    # Plain Core selects (rows, not ORM objects): this runs after every action.
    conn = s.connection()
    checks = dict(conn.execute(
        select(RequirementCheck.requirement_code, RequirementCheck.present)
        .where(RequirementCheck.case_id == case.id)).all())
    updated_by = updated_by_name or s.scalar(
        select(User.full_name).where(User.id == case.updated_by_id)) or "?"
    events: tuple[EventView, ...] = ()
    attachments: tuple[AttachmentView, ...] = ()
    if with_history:
        e = StepEvent
        events = tuple(
            EventView(*row[:-1], dict(row[-1] or {}))
            for row in conn.execute(
                select(e.step_no, e.lane, e.action, e.user_name, e.role, e.on_behalf_of_name,
                       e.note, e.started_at, e.finished_at, e.standard_minutes,
                       e.working_minutes, e.on_time, e.detail)
                .where(e.case_id == case.id).order_by(e.id)))
        a = Attachment
        attachments = tuple(
            AttachmentView(*row) for row in conn.execute(
                select(a.id, a.kind, a.requirement_code, a.filename, a.mime_type, a.size,
                       a.uploaded_at).where(a.case_id == case.id).order_by(a.id)))
    return CaseDetail(
        id=case.id, sop_code=case.sop_code, register_number=case.register_number,
        status=case.status, status_label=workflow.status_label(case.status, step_kind),
        current_step=case.current_step, current_lane=case.current_lane, title=case.title,
        nik=case.nik, data=dict(case.data or {}), requirements=checks,
        attention_note=case.attention_note, registered_at=case.registered_at,
        step_started_at=case.step_started_at, step_due_at=case.step_due_at, due_at=case.due_at,
        closed_at=case.closed_at, updated_at=case.updated_at, updated_by=updated_by,
        version=case.version, events=events, attachments=attachments,
        sop=sop, sop_version_id=case.sop_version_id, sop_version_label=_version_label(s, case),
    )


def _version_label(s: Session, case: Case) -> str:
    row = s.execute(select(SopVersion.version, SopVersion.revised, SopVersion.content_hash)
                    .where(SopVersion.id == case.sop_version_id)).one()
    return version_label(row.version, row.revised, row.content_hash)


def _read(db: Database, actor: Actor | None, find: Callable[[Session], Case | None],
          missing: str, opened: bool = False) -> CaseDetail:
    refusal: str | None = None
    detail: CaseDetail | None = None
    with db.read() as s:
        reader = permissions.reader_now(db, s, actor) if actor is not None else None
        case = find(s)
        if case is None:
            raise NotFound(missing)
        if reader is not None:
            refusal = permissions.read_refusal(sop_of_case(s, case), reader)
        if refusal is None:
            detail = _detail(s, case)
        case_id = case.id
    if refusal is not None:
        raise permissions.refuse_read(db, actor, "buka_berkas", "case", case_id, refusal)
    if opened and actor is not None:
        permissions.record_read(db, actor, "buka_berkas", case_id)
    assert detail is not None
    return detail


def get_case(db: Database, case_id: int, actor: Actor | None = None, *,
             opened: bool = False) -> CaseDetail:
    """The case screen's content. With ``actor`` (every screen passes the signed-in
    account) a case of a SOP the account may not read is refused and the refusal audited;
    without one it is an internal read (rendering, signing) made after its own check.
    ``opened``: the case screen is being opened - recorded in the audit (``buka_berkas``)."""
    return _read(db, actor, lambda s: s.get(Case, case_id),
                 f"Berkas #{case_id} tidak ditemukan.", opened)


def get_case_by_number(db: Database, register_number: str,
                       actor: Actor | None = None) -> CaseDetail:
    return _read(db, actor, lambda s: s.scalars(
        select(Case).where(Case.register_number == register_number)).first(),
        f"Berkas {register_number} tidak ditemukan.")
