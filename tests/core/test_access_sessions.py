"""Issue 11, item 3: an open session stops when its account is deactivated, locked or given
other roles; a delegation lapses when its giver is deactivated. Nothing of the refused work is
written; the refusal is audited."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from desktop_app.core import auth, cases, errors
from desktop_app.core.demo.cases import advance
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.errors import PermissionDenied, SessionEnded
from desktop_app.core.models import AuditEvent, StepEvent
from desktop_app.core.sop import get_sop


def _register(db, actors, code="ak1"):
    sop = get_sop(code)
    data = demo_intake(code, random.Random(1), db.now().date())
    return cases.register_case(db, actors["petugas"], code, data,
                               {r.code: True for r in sop.requirements})


def _events(db, case_id):
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(StepEvent)
                        .where(StepEvent.case_id == case_id))


def test_deactivated_head_cannot_sign_with_an_open_session(db, actors):
    case = advance(db, actors, _register(db, actors), 3, random.Random(1))
    assert case.current_step == 5  # Kabid signs
    kabid = actors["kabid"]  # signed in before being deactivated
    auth.set_active(db, actors["admin"], "kabid", False)
    before = _events(db, case.id)
    heard: list[SessionEnded] = []
    errors.SESSION_ENDED_LISTENERS.append(heard.append)
    try:
        with pytest.raises(SessionEnded) as err:
            cases.act(db, kabid, case.id, "tanda_tangan", expected_version=case.version)
    finally:
        errors.SESSION_ENDED_LISTENERS.remove(heard.append)
    assert "dinonaktifkan" in err.value.message
    assert heard and heard[0] is err.value
    assert _events(db, case.id) == before
    assert cases.get_case(db, case.id).current_step == 5
    with db.read() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert last.action == "izin_ditolak" and last.username == "kabid"


def test_demoted_user_is_sent_back_to_login(db, actors):
    case = _register(db, actors)
    petugas = actors["petugas"]
    auth.set_roles(db, actors["admin"], "petugas", ["staf"])
    with pytest.raises(SessionEnded) as err:
        cases.act(db, petugas, case.id, "lengkap", expected_version=case.version,
                  requirements={r.code: True for r in case.sop.requirements})
    assert "Peran" in err.value.message
    with pytest.raises(SessionEnded):
        cases.update_case(db, petugas, case.id, expected_version=case.version,
                          data={"telepon": "081234567890"})
    with pytest.raises(PermissionDenied):
        _register(db, {"petugas": petugas})
    assert cases.get_case(db, case.id).current_step == case.current_step


def test_locked_account_session_stops_every_writing_service(db, actors, clock):
    case = _register(db, actors)
    petugas = actors["petugas"]
    for _ in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises((errors.LoginFailed, errors.AccountLocked)):
            auth.login(db, "petugas", "salah-sekali-lagi")
    with pytest.raises(SessionEnded) as err:
        cases.update_case(db, petugas, case.id, expected_version=case.version,
                          data={"telepon": "081234567890"})
    assert "dikunci" in err.value.message
    with pytest.raises(SessionEnded):
        cases.add_attachment(db, petugas, case.id, kind="scan", filename="ktp.pdf",
                             content=b"%PDF-1.4 x", mime_type="application/pdf",
                             requirement_code=case.sop.requirements[0].code)
    # Any service that writes its audit event is stopped too: the check sits in audit.record.
    from desktop_app.core import audit

    with pytest.raises(SessionEnded), db.write() as s:
        audit.record(s, at=db.now(), user_id=petugas.user_id, username="petugas",
                     action="ubah_apa_saja", entity="case", entity_id=case.id)
    clock.advance(minutes=16)  # the lock is over: the same session works again
    cases.update_case(db, petugas, case.id, expected_version=case.version,
                      data={"telepon": "081234567890"})


def test_delegation_lapses_when_its_giver_is_deactivated(db, actors, clock):
    auth.add_delegation(db, actors["kabid"], from_username="kabid", to_username="kasi",
                        starts_on=clock.now.date(), ends_on=clock.now.date(), kind="Plh.")
    kasi = auth.actor_for(db, actors["kasi"].user_id)
    assert kasi.acting_for
    case = advance(db, actors, _register(db, actors), 3, random.Random(1))
    auth.set_active(db, actors["admin"], "kabid", False)
    with pytest.raises(PermissionDenied) as err:
        cases.act(db, kasi, case.id, "tanda_tangan", expected_version=case.version)
    assert not isinstance(err.value, SessionEnded)  # Kasi's own account is fine
    assert cases.get_case(db, case.id).current_step == 5
    assert not auth.actor_for(db, kasi.user_id).acting_for
