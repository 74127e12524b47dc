"""Issue 11, items 7 and 13: password rules, who may delegate and for how long, who may
attach files, closed and signed cases read-only for everyone (docs/access.md)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from desktop_app.core import auth, cases, workflow
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.errors import PermissionDenied, ValidationError
from desktop_app.core.models import Attachment, AuditEvent, Document
from desktop_app.core.sop import get_sop

PDF = b"%PDF-1.4 contoh"


def _register(db, actors, code="ak1"):
    sop = get_sop(code)
    return cases.register_case(db, actors["petugas"], code,
                               demo_intake(code, random.Random(3), db.now().date()),
                               {r.code: True for r in sop.requirements})


def _attachments(db):
    with db.read() as s:
        return s.scalar(select(func.count(Attachment.id)))


def _last_audit(db):
    with db.read() as s:
        return s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()


@pytest.mark.parametrize("password", ["12345678", "1234567890", "password123", "Rahasia123!",
                                      "aaaaaaaaaaaa", "indonesia2026"])
def test_weak_passwords_are_refused(db, actors, password):
    with pytest.raises(ValidationError) as err:
        auth.create_user(db, actors["admin"], username="baru", full_name="Pegawai Baru",
                         password=password, roles=["staf"])
    assert set(err.value.errors) == {"password"}
    with pytest.raises(ValidationError):
        auth.reset_password(db, actors["admin"], "staf", password)


def test_own_password_is_not_changed_without_the_old_one(db, actors):
    with pytest.raises(PermissionDenied):
        auth.reset_password(db, actors["staf"], "staf", "Sandi-Baru-Staf-9")
    assert _last_audit(db).action == "izin_ditolak"


def test_delegation_only_by_the_head_for_their_own_lane_and_at_most_three_months(db, actors,
                                                                                 clock):
    today = clock.now.date()
    with pytest.raises(ValidationError) as err:
        auth.add_delegation(db, actors["kabid"], from_username="kabid", to_username="kasi",
                            starts_on=today, ends_on=today.replace(year=today.year + 100))
    assert "3 bulan" in err.value.errors["ends_on"]
    with pytest.raises(PermissionDenied):  # staff hands on their own lane: not a head
        auth.add_delegation(db, actors["staf"], from_username="staf", to_username="petugas",
                            starts_on=today, ends_on=today)
    with pytest.raises(PermissionDenied):  # a head hands on another head's lane
        auth.add_delegation(db, actors["kasi"], from_username="kabid", to_username="kasi",
                            starts_on=today, ends_on=today)
    assert auth.add_delegation(db, actors["kabid"], from_username="kabid", to_username="kasi",
                               starts_on=today, ends_on=today + timedelta(days=60))
    assert auth.add_delegation(db, actors["admin"], from_username="kadis",
                               to_username="sekretaris", starts_on=today,
                               ends_on=today + timedelta(days=89))
    auth.set_active(db, actors["admin"], "jfu", False)
    with pytest.raises(ValidationError):
        auth.add_delegation(db, actors["kabid"], from_username="kabid", to_username="jfu",
                            starts_on=today, ends_on=today)


def test_attachments_only_by_who_holds_the_case_and_validated(db, actors):
    case = _register(db, actors)  # waits at the completeness check (petugas)
    req = case.sop.requirements[0].code
    before = _attachments(db)
    for who in ("staf", "panitia", "kadis"):
        with pytest.raises(PermissionDenied):
            cases.add_attachment(db, actors[who], case.id, kind="scan", filename="a.pdf",
                                 content=PDF, mime_type="application/pdf",
                                 requirement_code=req)
        last = _last_audit(db)
        assert last.action == "izin_ditolak" and last.username == who
    with pytest.raises(ValidationError) as err:
        cases.add_attachment(db, actors["petugas"], case.id, kind="x" * 40, filename="a.pdf",
                             content=PDF, mime_type="application/pdf")
    assert "jenis" in err.value.errors
    with pytest.raises(ValidationError) as err:
        cases.add_attachment(db, actors["petugas"], case.id, kind="scan", filename="a.pdf",
                             content=PDF, mime_type="application/pdf",
                             requirement_code="bukan_persyaratan")
    assert "persyaratan" in err.value.errors
    assert _attachments(db) == before
    cases.add_attachment(db, actors["petugas"], case.id, kind="scan", filename="a\x00.pdf",
                         content=PDF, mime_type="application/pdf", requirement_code=req)
    cases.add_attachment(db, actors["admin"], case.id, kind="scan", filename="b.pdf",
                         content=PDF, mime_type="application/pdf", requirement_code=req)
    assert _attachments(db) == before + 2


def test_closed_and_signed_cases_are_read_only_even_for_the_administrator(db, actors):
    case = _register(db, actors)
    with db.write() as s:  # a letter of the case was signed
        s.add(Document(case_id=case.id, doc_type="surat", status="ditandatangani",
                       created_at=db.now(), created_by_id=actors["kabid"].user_id))
    for who in ("admin", "petugas"):
        with pytest.raises(PermissionDenied) as err:
            cases.update_case(db, actors[who], case.id, expected_version=case.version,
                              data={"telepon": "081299990000"})
        assert "ditandatangani" in err.value.message
        with pytest.raises(PermissionDenied):
            cases.add_attachment(db, actors[who], case.id, kind="scan", filename="a.pdf",
                                 content=PDF, mime_type="application/pdf")
    other = _register(db, actors)
    closed = cases.act(db, actors["petugas"], other.id, workflow.WITHDRAW,
                       expected_version=other.version, reason="Pemohon menarik berkasnya.")
    assert not closed.is_open
    with pytest.raises(PermissionDenied) as err:
        cases.update_case(db, actors["admin"], other.id, expected_version=closed.version,
                          data={"telepon": "081299990000"})
    assert "ditutup" in err.value.message
