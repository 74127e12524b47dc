"""Use cases of the office: register a case, act on it, list and search cases, attach files.

Every function takes the open :class:`Database` and the signed-in :class:`Actor`, checks the
actor's permission itself, and does its work in one transaction that also writes the step event
and the audit event — or nothing. Qt never appears here; the GUI, the CLI, the tests and the
benchmarks all call these functions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, func, insert, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from desktop_app.core import audit, workflow
from desktop_app.core.auth import Actor, record_refusal, require_roles
from desktop_app.core.db import Database
from desktop_app.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from desktop_app.core.intake import case_title, clean_intake
from desktop_app.core.models import (
    Applicant,
    Attachment,
    Case,
    Company,
    RequirementCheck,
    SopVersion,
    StepEvent,
    User,
)
from desktop_app.core.numbering import format_register_number, next_value, register_series
from desktop_app.core.office_calendar import OfficeCalendar
from desktop_app.core.settings import get_calendar
from desktop_app.core.sop import Sop, Step, load_sops, sop_by_code
from desktop_app.core.sop_versions import active_version, sop_of_case, version_label

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_MIME = {"image/jpeg", "image/png", "application/pdf"}


def sops() -> tuple[Sop, ...]:
    """The SOPs the office runs, in tab order."""
    return load_sops()


def get_sop(code: str) -> Sop:
    try:
        return sop_by_code(code)
    except KeyError:
        raise NotFound(f"SOP '{code}' tidak dikenal.") from None


# ------------------------------------------------------------------------------ views


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


def get_case(db: Database, case_id: int) -> CaseDetail:
    with db.read() as s:
        case = s.get(Case, case_id)
        if case is None:
            raise NotFound(f"Berkas #{case_id} tidak ditemukan.")
        return _detail(s, case)


def get_case_by_number(db: Database, register_number: str) -> CaseDetail:
    with db.read() as s:
        case = s.scalars(select(Case).where(Case.register_number == register_number)).first()
        if case is None:
            raise NotFound(f"Berkas {register_number} tidak ditemukan.")
        return _detail(s, case)


# ------------------------------------------------------------------------- registration


def _standard_minutes(step: Step, calendar: OfficeCalendar) -> int:
    return step.time.total_minutes_estimate(calendar)


def _case_due(sop: Sop, start_step: int, start: datetime, calendar: OfficeCalendar) -> datetime:
    due = start
    for step in sop.steps[start_step - 1:]:
        due = calendar.add_standard_time(due, step.time)
    return due


def _upsert_applicant(s: Session, data: Mapping[str, Any], now: datetime) -> Applicant:
    nik = data["nik"]
    person = s.scalars(select(Applicant).where(Applicant.nik == nik)).one_or_none()
    if person is None:
        person = Applicant(nik=nik, created_at=now)
        s.add(person)
    person.nama = data.get("nama") or person.nama
    person.tempat_lahir = data.get("tempat_lahir") or person.tempat_lahir
    if data.get("tanggal_lahir"):
        person.tanggal_lahir = date.fromisoformat(data["tanggal_lahir"])
    person.jenis_kelamin = data.get("jenis_kelamin") or person.jenis_kelamin
    person.alamat = data.get("alamat") or person.alamat
    person.telepon = data.get("telepon") or person.telepon
    person.email = data.get("email") or person.email
    person.updated_at = now
    return person


def _upsert_company(s: Session, data: Mapping[str, Any], now: datetime) -> Company:
    npwp = data.get("npwp") or None
    company = None
    if npwp:
        company = s.scalars(select(Company).where(Company.npwp == npwp)).one_or_none()
    if company is None:
        company = s.scalars(select(Company).where(
            Company.nama == data["nama_perusahaan"], Company.npwp.is_(None))).first()
    if company is None:
        company = Company(nama=data["nama_perusahaan"], npwp=npwp, created_at=now)
        s.add(company)
    company.alamat = data.get("alamat_perusahaan") or company.alamat
    company.telepon = data.get("telepon") or company.telepon
    return company


def _validate_requirements(sop: Sop, checks: Mapping[str, bool] | None) -> dict[str, bool]:
    checks = dict(checks or {})
    unknown = [c for c in checks if c not in {r.code for r in sop.requirements}]
    if unknown:
        raise ValidationError({"persyaratan": f"Persyaratan tidak dikenal: {', '.join(unknown)}"})
    return {r.code: bool(checks.get(r.code, False)) for r in sop.requirements}


def missing_requirements(sop: Sop, checks: Mapping[str, bool]) -> list[str]:
    """Labels of required items not handed in."""
    return [r.label for r in sop.requirements if r.required and not checks.get(r.code)]


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


def register_case(db: Database, actor: Actor, sop_code: str, data: Mapping[str, Any],
                  requirements: Mapping[str, bool] | None = None, note: str = "") -> CaseDetail:
    """The counter clerk records an application (or the JFU opens a training plan).

    Service SOPs: step 1 (the applicant hands in the file) is finished at once and the case
    waits at the completeness check. Training: the case starts at step 1 with the JFU.
    The case starts on the SOP's active version and finishes on it.
    """
    with db.read() as s:
        sop_version_id, sop = active_version(s, sop_code)
    first = sop.first_step
    lane_roles = sop.roles_of_lane(first.lane) or (
        sop.roles_of_lane(sop.step(2).lane) if len(sop.steps) > 1 else ())
    require_roles(db, actor, lane_roles, "register_case", "sop", sop_code)
    now = db.now()
    clean = clean_intake(sop, data, today=now.date())
    checks = _validate_requirements(sop, requirements)
    if len(note) > 4000:
        raise ValidationError({"catatan": "Catatan terlalu panjang (maks. 4000 karakter)."})
    calendar = get_calendar(db)
    with db.write() as s:
        seq = next_value(s, register_series(sop.code, now.year))
        number = format_register_number(sop.register_prefix, now.year, seq)
        title = case_title(sop, clean)
        case = Case(
            sop_code=sop.code, sop_version_id=sop_version_id, register_number=number, register_year=now.year,
            register_seq=seq, status=workflow.IN_PROGRESS, current_step=first.no,
            current_lane=first.lane, title=title, title_key=title.lower(),
            nik=clean.get("nik"), data=clean, registered_at=now, registered_by_id=actor.user_id,
            step_started_at=now, step_due_at=calendar.add_standard_time(now, first.time),
            due_at=_case_due(sop, first.no, now, calendar), updated_at=now,
            updated_by_id=actor.user_id,
        )
        if sop.subject == "person" and clean.get("nik"):
            person = _upsert_applicant(s, clean, now)
            s.flush()
            case.applicant_id = person.id
        elif sop.subject == "company" and clean.get("nama_perusahaan"):
            company = _upsert_company(s, clean, now)
            s.flush()
            case.company_id = company.id
        s.add(case)
        s.flush()
        if checks:
            s.connection().execute(insert(RequirementCheck), [
                {"case_id": case.id, "requirement_code": code, "present": present, "note": ""}
                for code, present in checks.items()])
        role = sorted(actor.effective_roles & set(lane_roles))[0] if lane_roles else ""
        if first.kind == "submit":
            s.add(_event(case, first, actor, role, None, workflow.REGISTER, now, calendar,
                         note=note, detail={"nomor_register": number}))
            nxt = sop.step(first.no + 1)
            case.current_step, case.current_lane = nxt.no, nxt.lane
            case.step_started_at = now
            case.step_due_at = calendar.add_standard_time(now, nxt.time)
        else:
            s.add(StepEvent(case_id=case.id, step_no=first.no, lane=first.lane,
                            action=workflow.REGISTER, user_id=actor.user_id,
                            user_name=actor.full_name, role=role, note=note, started_at=now,
                            finished_at=now, standard_minutes=0, working_minutes=0,
                            on_time=True, detail={"nomor_register": number}))
        s.flush()
        audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                     action="daftar_berkas", entity="case", entity_id=case.id,
                     detail={"sop": sop.code, "nomor": number, "nama": title})
        return _detail(s, case, with_history=False, updated_by_name=actor.full_name)


# -------------------------------------------------------------------------------- acting


def allowed_actions(db: Database, actor: Actor, case_id: int) -> list[workflow.ActionSpec]:
    """The buttons to show for this user on this case now."""
    detail = get_case(db, case_id)
    return workflow.allowed_actions(detail.sop, detail.state(), actor)


def _load_for_update(s: Session, case_id: int, expected_version: int | None) -> Case:
    case = s.get(Case, case_id)
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
    if len(note) > 4000 or len(reason) > 4000:
        raise ValidationError({"catatan": "Catatan terlalu panjang (maks. 4000 karakter)."})
    now = db.now()
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


def _save_checks(s: Session, case_id: int, checks: Mapping[str, bool]) -> None:
    existing = {c.requirement_code: c for c in s.scalars(
        select(RequirementCheck).where(RequirementCheck.case_id == case_id))}
    for code, present in checks.items():
        if code in existing:
            existing[code].present = present
        else:
            s.add(RequirementCheck(case_id=case_id, requirement_code=code, present=present))


def update_case(db: Database, actor: Actor, case_id: int, *, expected_version: int,
                data: Mapping[str, Any] | None = None,
                requirements: Mapping[str, bool] | None = None) -> CaseDetail:
    """Correct intake data or the checklist of an open case (by whoever holds it now)."""
    now = db.now()
    try:
        with db.write() as s:
            case = _load_for_update(s, case_id, expected_version)
            sop = sop_of_case(s, case)
            if case.status not in workflow.OPEN_STATUSES:
                raise PermissionDenied("Berkas yang sudah ditutup tidak dapat diubah.")
            lane_roles = set(sop.roles_of_lane(case.current_lane))
            check = workflow.check_step(sop)
            if check is not None:  # the counter may always correct what it typed in
                lane_roles |= set(sop.roles_of_lane(check.lane))
            if not (actor.effective_roles & (lane_roles | {"admin"})):
                refusal = PermissionDenied("Hanya petugas pada langkah berjalan yang dapat "
                                           "mengubah data berkas.")
            else:
                refusal = None
            if refusal is None:
                changed: list[str] = []
                if data:
                    clean = clean_intake(sop, data, today=now.date(), partial=True)
                    merged = dict(case.data or {})
                    changed = [k for k, v in clean.items() if merged.get(k) != v]
                    merged.update(clean)
                    case.data = merged
                    case.title = case_title(sop, merged)
                    case.title_key = case.title.lower()
                    case.nik = merged.get("nik")
                if requirements is not None:
                    _save_checks(s, case.id, _validate_requirements(sop, requirements))
                    changed.append("persyaratan")
                case.updated_at = now
                case.updated_by_id = actor.user_id
                s.flush()
                audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                             action="ubah_data_berkas", entity="case", entity_id=case.id,
                             detail={"isian": changed})
                return _detail(s, case)
    except StaleDataError:
        raise _conflict_from_stale(db, case_id) from None
    record_refusal(db, actor, "update_case", "case", case_id, refusal.message)
    raise refusal


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


# ------------------------------------------------------------------------------ listing


SORT_COLUMNS = {
    "register_number": (Case.register_year, Case.register_seq),
    "title": (Case.title_key,),
    "current_step": (Case.current_step,),
    "status": (Case.status,),
    "registered_at": (Case.registered_at,),
    "step_due_at": (Case.step_due_at,),
}


@dataclass(frozen=True)
class CaseQuery:
    """What a case list asks for: filters become SQL; nothing is filtered in Python."""

    sop_code: str | None = None
    statuses: tuple[str, ...] = ()
    lane: str | None = None
    lanes: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    late_only: bool = False
    search: str = ""
    sort: str = "registered_at"
    descending: bool = True
    now: datetime | None = None


@dataclass(frozen=True)
class CaseRow:
    id: int
    sop_code: str
    register_number: str
    title: str
    nik: str | None
    current_step: int
    current_lane: str
    status: str
    registered_at: datetime
    step_due_at: datetime | None
    version: int
    sop_version_id: int = 0  # the SOP version the case runs on


_ROW_COLUMNS = (Case.id, Case.sop_code, Case.register_number, Case.title, Case.nik,
                Case.current_step, Case.current_lane, Case.status, Case.registered_at,
                Case.step_due_at, Case.version, Case.sop_version_id)


def _after_prefix(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _search_ids(text: str, sop_code: str | None) -> Any:
    """Ids of cases whose NIK, name or register number starts with ``text``.

    A sub-select over the search indexes: given the plain condition, SQLite would walk the
    whole SOP in the sort column's index and test each row (0.46 s at 1M cases instead of
    10 ms). Prefixes are ranges, which both SQLite and PostgreSQL answer from an index
    (SQLite's LIKE is case-insensitive and cannot use a plain index).
    """
    digits = text.replace(" ", "").replace(".", "")
    scope = [Case.sop_code == sop_code] if sop_code else []
    if digits.isdigit() and len(digits) == 16:
        return select(Case.id).where(Case.nik == digits, *scope)
    if digits.isdigit() and len(digits) >= 6:
        return select(Case.id).where(Case.nik >= digits, Case.nik < _after_prefix(digits),
                                     *scope)
    key, number = text.lower(), text.upper()
    return union_all(
        select(Case.id).where(Case.title_key >= key, Case.title_key < _after_prefix(key),
                              *scope),
        select(Case.id).where(Case.register_number >= number,
                              Case.register_number < _after_prefix(number), *scope),
    )


def _filtered(stmt: Select, q: CaseQuery, now: datetime) -> Select:
    conds = []
    if q.sop_code:
        conds.append(Case.sop_code == q.sop_code)
    if q.statuses:
        conds.append(Case.status.in_(q.statuses))
    if q.lane:
        conds.append(Case.current_lane == q.lane)
    if q.lanes:
        conds.append(Case.current_lane.in_(q.lanes))
    if q.date_from:
        conds.append(Case.registered_at >= datetime.combine(q.date_from, datetime.min.time()))
    if q.date_to:
        conds.append(Case.registered_at < datetime.combine(q.date_to, datetime.max.time()))
    if q.late_only:
        conds.append(and_(Case.status == workflow.IN_PROGRESS, Case.step_due_at < now))
    text = q.search.strip()
    if text:
        conds.append(Case.id.in_(_search_ids(text, q.sop_code)))
    return stmt.where(*conds) if conds else stmt


def _ordered(stmt: Select, q: CaseQuery) -> Select:
    cols = SORT_COLUMNS.get(q.sort)
    if cols is None:
        raise ValidationError({"urutan": f"Kolom urutan tidak dikenal: {q.sort}"})
    order = [c.desc() if q.descending else c.asc() for c in cols]
    tie = Case.id.desc() if q.descending else Case.id.asc()
    return stmt.order_by(*order, tie)


def count_cases(db: Database, q: CaseQuery) -> int:
    """How many cases match (no ORDER BY: the count does not sort)."""
    now = q.now or db.now()
    with db.read() as s:
        return s.scalar(_filtered(select(func.count(Case.id)), q, now)) or 0


def list_cases(db: Database, q: CaseQuery, offset: int = 0, limit: int = 100) -> list[CaseRow]:
    """One page of the case list, sorted by the user's column, then by id (stable pages)."""
    now = q.now or db.now()
    stmt = _ordered(_filtered(select(*_ROW_COLUMNS), q, now), q).offset(offset).limit(limit)
    with db.read() as s:
        return [CaseRow(*row) for row in s.execute(stmt)]


def list_case_ids(db: Database, q: CaseQuery) -> list[int]:
    """The ordered ids of every matching case (a view fetches rows lazily by id)."""
    now = q.now or db.now()
    stmt = _ordered(_filtered(select(Case.id), q, now), q)
    with db.read() as s:
        return list(s.scalars(stmt))


def case_rows(db: Database, ids: Sequence[int]) -> list[CaseRow]:
    """Rows for ``ids``, in the order given."""
    if not ids:
        return []
    with db.read() as s:
        rows = {r[0]: CaseRow(*r) for r in s.execute(select(*_ROW_COLUMNS)
                                                     .where(Case.id.in_(list(ids))))}
    return [rows[i] for i in ids if i in rows]


def my_task_query(sop_list: Sequence[Sop], actor: Actor) -> list[tuple[str, tuple[str, ...]]]:
    """(sop_code, lanes) pairs whose current work belongs to one of the actor's roles."""
    pairs = []
    roles = actor.effective_roles
    for sop in sop_list:
        lanes = tuple(lane.code for lane in sop.lanes if roles & set(lane.roles))
        if lanes:
            pairs.append((sop.code, lanes))
    return pairs


def my_tasks(db: Database, actor: Actor, limit: int = 500) -> list[CaseRow]:
    """Every open case in any SOP waiting for one of my lanes, soonest due (overdue) first.

    Returned files (waiting at the counter for the applicant) count for the counter clerk.
    One sub-select per lane, each read in due order from ``ix_cases_lane_status_due`` and cut
    at ``limit``, then merged: a single OR over all lanes made SQLite sort every open case
    (0.9 s at a million cases).
    """
    by_lane: dict[str, list[str]] = {}
    for code, lanes in my_task_query(sops(), actor):
        for lane in lanes:
            by_lane.setdefault(lane, []).append(code)
    parts = [
        select(*_ROW_COLUMNS).where(Case.current_lane == lane,
                                    Case.status == workflow.IN_PROGRESS,
                                    Case.sop_code.in_(codes))
        .order_by(Case.step_due_at).limit(limit)
        for lane, codes in by_lane.items()
    ]
    if actor.effective_roles & {"petugas_penerima"}:
        parts.append(select(*_ROW_COLUMNS).where(Case.status == workflow.RETURNED)
                     .order_by(Case.id).limit(limit))
    if not parts:
        return []
    merged = union_all(*[p.subquery().select() for p in parts]).subquery()
    stmt = (select(merged).order_by(merged.c.step_due_at.is_(None), merged.c.step_due_at,
                                    merged.c.id).limit(limit))
    with db.read() as s:
        return [CaseRow(*row) for row in s.execute(stmt)]


def due_state(db: Database, due: datetime | None, now: datetime | None = None) -> str:
    """"tepat_waktu", "segera" or "terlambat" on the office calendar ("" when not running)."""
    if due is None:
        return ""
    return get_calendar(db).due_state(due, now or db.now())


@dataclass
class Summary:
    """Counts for a tab header: per status, and how many are late."""

    by_status: dict[str, int] = field(default_factory=dict)
    late: int = 0


def summarize(db: Database, sop_code: str) -> Summary:
    now = db.now()
    with db.read() as s:
        rows = s.execute(select(Case.status, func.count()).where(Case.sop_code == sop_code)
                         .group_by(Case.status)).all()
        late = s.scalar(select(func.count()).where(
            Case.sop_code == sop_code, Case.status == workflow.IN_PROGRESS,
            Case.step_due_at < now)) or 0
    return Summary({st: n for st, n in rows}, late)
