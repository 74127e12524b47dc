"""Registering a case: applicant or company, register number, first step, audit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desktop_app.core import audit, workflow
from desktop_app.core.auth import Actor, require_roles
from desktop_app.core.cases.acting import _event
from desktop_app.core.cases.due import _case_due
from desktop_app.core.cases.requirements import _validate_requirements
from desktop_app.core.cases.views import CaseDetail, _detail
from desktop_app.core.db import Database, retry_on_conflict
from desktop_app.core.errors import ValidationError
from desktop_app.core.intake import case_title, clean_intake
from desktop_app.core.models import Applicant, Case, Company, RequirementCheck, StepEvent
from desktop_app.core.numbering import format_register_number, next_value, register_series
from desktop_app.core.settings import get_calendar
from desktop_app.core.sop_versions import active_version
from desktop_app.core.textcheck import clean_text, search_key


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


@retry_on_conflict
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
    note = clean_text(note or "")
    if len(note) > 4000:
        raise ValidationError({"catatan": "Catatan terlalu panjang (maks. 4000 karakter)."})
    calendar = get_calendar(db)
    with db.write() as s:
        seq = next_value(s, register_series(sop.code, now.year))
        number = format_register_number(sop.register_prefix, now.year, seq)
        title = case_title(sop, clean)
        case = Case(
            sop_code=sop.code, sop_version_id=sop_version_id, register_number=number,
            register_year=now.year,
            register_seq=seq, status=workflow.IN_PROGRESS, current_step=first.no,
            current_lane=first.lane, title=title, title_key=search_key(title),
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
