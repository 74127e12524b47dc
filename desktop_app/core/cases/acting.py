"""Acting on a case: one workflow action in one transaction (state, step event, audit)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from desktop_app.core import audit, workflow
from desktop_app.core.auth import Actor, current_actor, record_refusal
from desktop_app.core.cases.due import _standard_minutes
from desktop_app.core.cases.requirements import (
    _save_checks,
    _validate_requirements,
    missing_requirements,
)
from desktop_app.core.cases.views import CaseDetail, _detail, _meetings_at_current_step, get_case
from desktop_app.core.db import Database, lock_cases, retry_on_conflict
from desktop_app.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from desktop_app.core.intake import clean_intake
from desktop_app.core.models import Case, RequirementCheck, StepEvent, User
from desktop_app.core.office_calendar import OfficeCalendar
from desktop_app.core.settings import get_calendar
from desktop_app.core.sop import Sop, Step
from desktop_app.core.sop_versions import sop_of_case
from desktop_app.core.textcheck import clean_text


def _event(case: Case, step: Step, actor: Actor, spec_role: str, acting_for: Any, action: str,
           now: datetime, calendar: OfficeCalendar, note: str = "",
           detail: dict[str, Any] | None = None) -> StepEvent:
    standard = _standard_minutes(step, calendar)
    worked = max(0, calendar.working_minutes_between(case.step_started_at, now))
    due = case.step_due_at or calendar.add_standard_time(case.step_started_at, step.time)
    return StepEvent(
        case_id=case.id, step_no=step.no, lane=step.lane, action=action, user_id=actor.user_id,
        user_name=actor.full_name, role=spec_role,
        on_behalf_of_id=acting_for.user_id if acting_for else None,
        on_behalf_of_name=acting_for.user_name if acting_for else None,
        note=note, started_at=case.step_started_at, finished_at=now,
        standard_minutes=standard, working_minutes=worked, on_time=now <= due,
        detail=detail or {},
    )


def allowed_actions(db: Database, actor: Actor, case_id: int) -> list[workflow.ActionSpec]:
    """The buttons to show for this user on this case now."""
    detail = get_case(db, case_id)
    return workflow.allowed_actions(detail.sop, detail.state(), actor)


def _load_for_update(s: Session, case_id: int, expected_version: int | None) -> Case:
    lock_cases(s, [case_id])  # the lock order of core/db.py: the case first
    case = s.get(Case, case_id, populate_existing=True)
    if case is None:
        raise NotFound(f"Berkas #{case_id} tidak ditemukan.")
    if expected_version is not None and case.version != expected_version:
        who = s.scalar(select(User.full_name).where(User.id == case.updated_by_id)) or "?"
        raise ConflictError(who, case.updated_at)
    return case


def _conflict_from_stale(db: Database, case_id: int) -> ConflictError:
    with db.read() as s:
        case = s.get(Case, case_id)
        who = s.scalar(select(User.full_name).where(User.id == case.updated_by_id)) if case else "?"
        return ConflictError(who or "?", case.updated_at if case else None)


@retry_on_conflict
def act(db: Database, actor: Actor, case_id: int, action: str, *,
        expected_version: int | None, note: str = "", reason: str = "",
        target_step: int | None = None, meeting: Mapping[str, Any] | None = None,
        requirements: Mapping[str, bool] | None = None,
        data: Mapping[str, Any] | None = None, history: bool = False) -> CaseDetail:
    """Take ``action`` on a case: one transaction that moves the case, writes the step event
    and the audit event — or, on any error, nothing.

    The returned detail carries the case's new state; its ``events`` and ``attachments`` are
    filled only with ``history=True`` (``get_case`` always fills them). Reading the whole
    history back after every action cost a fifth of the action's time.

    ``expected_version`` is the version the user's screen showed; if another PC changed the case
    since, :class:`ConflictError` names who and when. ``requirements``/``data`` let the check
    step save the checklist or corrections together with the decision.
    """
    try:
        with db.write() as s:
            case = _load_for_update(s, case_id, expected_version)
            try:
                act_in_session(s, db, actor, case, action, note=note, reason=reason,
                               target_step=target_step, meeting=meeting,
                               requirements=requirements, data=data)
            except PermissionDenied as exc:
                refusal = exc
            else:
                return _detail(s, case, with_history=history, updated_by_name=actor.full_name)
    except StaleDataError:
        raise _conflict_from_stale(db, case_id) from None
    # Refused: nothing of the action was written; record the refusal in its own transaction.
    record_refusal(db, actor, action, "case", case_id, refusal.message)
    raise refusal


def act_in_session(s: Session, db: Database, actor: Actor, case: Case, action: str, *,
                   note: str = "", reason: str = "", target_step: int | None = None,
                   meeting: Mapping[str, Any] | None = None,
                   requirements: Mapping[str, bool] | None = None,
                   data: Mapping[str, Any] | None = None) -> workflow.ActionSpec:
    """The body of :func:`act` inside the caller's transaction (the signing service uses it to
    sign a document and advance its case atomically). Raises PermissionDenied unaudited."""
    note, reason = clean_text(note or ""), clean_text(reason or "")
    if len(note) > 4000 or len(reason) > 4000:
        raise ValidationError({"catatan": "Catatan terlalu panjang (maks. 4000 karakter)."})
    now = db.now()
    actor = current_actor(s, actor, now)  # as the database says now, in this transaction
    calendar = get_calendar(db)
    sop = sop_of_case(s, case)
    data_now = dict(case.data or {})
    if data:
        data_now.update(clean_intake(sop, data, today=now.date(), partial=True))
    state = workflow.CaseState(sop.code, case.status, case.current_step, data_now,
                               _meetings_at_current_step(data_now))
    spec = workflow.find_action(sop, state, actor, action)
    clean_meeting = _clean_meeting(meeting, now) if action == workflow.BIPARTITE else None
    transition = workflow.plan(sop, state, spec, reason=reason, target_step=target_step,
                               meeting=clean_meeting)
    detail: dict[str, Any] = {}
    checks: dict[str, bool] = {}
    if requirements is not None:
        checks = _validate_requirements(sop, requirements)
        _save_checks(s, case.id, checks)
    elif action in (workflow.COMPLETE_OK, workflow.INCOMPLETE):
        checks = {c.requirement_code: c.present for c in s.scalars(
            select(RequirementCheck).where(RequirementCheck.case_id == case.id))}
    if action == workflow.COMPLETE_OK:
        missing = missing_requirements(sop, checks)
        if missing:
            raise ValidationError({"persyaratan": "Belum lengkap: " + ", ".join(missing)})
    if action == workflow.INCOMPLETE:
        detail["persyaratan_kurang"] = missing_requirements(sop, checks)
    if clean_meeting is not None:
        meetings = list(data_now.get("_bipartit", []))
        clean_meeting["ke"] = _meetings_at_current_step(data_now) + 1
        meetings.append(clean_meeting)
        data_now["_bipartit"] = meetings
        detail["pertemuan"] = clean_meeting
    if target_step:
        detail["ke_langkah"] = target_step
    step = sop.step(case.current_step)
    # Documents of this step: numbered when they go to signing, and a paraf/sign step cannot
    # pass while its documents still wait for that paraf or signature.
    from desktop_app.core.documents import lifecycle

    lifecycle.before_transition(s, db, actor, case, sop, step, transition, now, reason=reason)
    event_note = reason or note
    # A Core insert: the event is never changed afterwards, so it skips the unit of work.
    s.connection().execute(insert(StepEvent), [{"case_id": case.id, **_event_fields(
        case, step, actor, spec, action, now, calendar, event_note,
        {**detail, "hasil": transition.outcome} if transition.outcome else detail)}])
    _apply(case, sop, transition, now, calendar, actor, reason)
    case.data = data_now
    s.flush()
    audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                 action=f"berkas_{action}", entity="case", entity_id=case.id,
                 detail={"nomor": case.register_number, "langkah": step.no,
                         "status": case.status, "catatan": event_note,
                         "atas_nama": spec.acting_for.user_name if spec.acting_for else None})
    return spec


def _event_fields(case: Case, step: Step, actor: Actor, spec: workflow.ActionSpec, action: str,
                  now: datetime, calendar: OfficeCalendar, note: str,
                  detail: dict[str, Any]) -> dict[str, Any]:
    ev = _event(case, step, actor, spec.role, spec.acting_for, action, now, calendar, note, detail)
    return {c: getattr(ev, c) for c in (
        "step_no", "lane", "action", "user_id", "user_name", "role", "on_behalf_of_id",
        "on_behalf_of_name", "note", "started_at", "finished_at", "standard_minutes",
        "working_minutes", "on_time", "detail")}


def _apply(case: Case, sop: Sop, t: workflow.Transition, now: datetime,
           calendar: OfficeCalendar, actor: Actor, reason: str) -> None:
    moved = t.step_no != case.current_step or t.status != case.status
    case.status = t.status
    case.current_lane = t.lane
    if moved or t.step_completed:
        case.current_step = t.step_no
        case.step_started_at = now
        case.step_due_at = None if t.closes else calendar.add_standard_time(
            now, sop.step(t.step_no).time)
    if t.status == workflow.RETURNED:
        case.step_due_at = None
    case.attention_note = reason if t.action in (workflow.RETURN_TO_STEP,
                                                 workflow.INCOMPLETE) else None
    if t.closes:
        case.closed_at = now
    case.updated_at = now
    case.updated_by_id = actor.user_id


def _clean_meeting(meeting: Mapping[str, Any] | None, now: datetime) -> dict[str, Any]:
    if meeting is None:
        raise ValidationError({"pertemuan": "Data pertemuan bipartit wajib diisi."})
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    raw_date = meeting.get("tanggal")
    try:
        from desktop_app.core.intake import parse_date

        out["tanggal"] = parse_date(raw_date).isoformat() if raw_date else now.date().isoformat()
    except ValueError as exc:
        errors["tanggal"] = str(exc)
    for key, label, required in (("tempat", "Tempat", True),
                                 ("pendapat_pekerja", "Pendapat pekerja", True),
                                 ("pendapat_pengusaha", "Pendapat pengusaha", True),
                                 ("hasil", "Hasil perundingan", True)):
        value = str(meeting.get(key) or "").strip()
        if required and not value:
            errors[key] = f"{label} wajib diisi."
        elif len(value) > 4000:
            errors[key] = f"{label} terlalu panjang (maks. 4000 karakter)."
        out[key] = value
    out["sepakat"] = bool(meeting.get("sepakat"))
    isi = meeting.get("isi_kesepakatan") or []
    if out["sepakat"] and not isi:
        errors["isi_kesepakatan"] = "Isi kesepakatan wajib diisi bila para pihak sepakat."
    out["isi_kesepakatan"] = [str(x).strip() for x in isi if str(x).strip()]
    if errors:
        raise ValidationError(errors)
    return out
