"""Issue 11: who may see a case (docs/access.md, "Who may see a case"; UU 27/2022).

An account reads the cases of the SOPs in which one of its roles (or a delegation in force)
holds a lane; the administrator and the heads (Kepala Bidang, Sekretaris, Kepala Dinas) read
all. Expected sets are computed from the SOP files, never written out by hand.
"""

from __future__ import annotations

import json
import random

import pytest
from sqlalchemy import func, select

from desktop_app.core import auth, cases
from desktop_app.core.demo.accounts import DEMO_ACCOUNTS
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.documents import service as docs
from desktop_app.core.documents.context import install_placeholder_emblem
from desktop_app.core.errors import PermissionDenied, SessionEnded
from desktop_app.core.models import AuditEvent
from desktop_app.core.reports import person
from desktop_app.core.roles import ADMIN, KABID, KADIS, SEKRETARIS
from desktop_app.core.sop import Sop, load_sops

PDF = b"%PDF-1.4 contoh"


def _lane_sops(roles: set[str]) -> set[str]:
    """From the SOP files: the SOPs in which one of ``roles`` holds a lane."""
    return {s.code for s in load_sops() if any(roles & set(lane.roles) for lane in s.lanes)}


def _expected(roles: set[str]) -> set[str]:
    if roles & {ADMIN, KABID, KADIS, SEKRETARIS}:
        return {s.code for s in load_sops()}
    return _lane_sops(roles)


def _registrar(sop: Sop, actors: dict[str, auth.Actor]) -> auth.Actor:
    roles = set(sop.roles_of_lane(sop.first_step.lane))
    if not roles:
        roles = set(sop.roles_of_lane(sop.step(2).lane))
    return next(a for a in actors.values() if a.effective_roles & roles)


def _one_case_per_sop(db, actors) -> dict[str, int]:
    out = {}
    for sop in load_sops():
        out[sop.code] = cases.register_case(
            db, _registrar(sop, actors), sop.code,
            demo_intake(sop.code, random.Random(7), db.now().date()),
            {r.code: True for r in sop.requirements}).id
    return out


def _refusals(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).where(AuditEvent.action == "izin_ditolak")) or 0


def _last_refusal(db) -> AuditEvent:
    with db.read() as s:
        return s.scalars(select(AuditEvent).where(AuditEvent.action == "izin_ditolak")
                         .order_by(AuditEvent.seq.desc())).first()


def test_each_account_sees_the_sops_of_its_lanes(db, actors):
    ids = _one_case_per_sop(db, actors)
    for acc in DEMO_ACCOUNTS:
        actor = actors[acc.username]
        expected = _expected(set(acc.roles))
        seen = {r.sop_code for r in cases.list_cases(db, cases.CaseQuery(reader=actor))}
        assert seen == expected, acc.username
        assert cases.count_cases(db, cases.CaseQuery(reader=actor)) == len(expected)
        rows = cases.case_rows(db, list(ids.values()), actor)
        assert {r.sop_code for r in rows} == expected
        for code, case_id in ids.items():
            if code in expected:
                assert cases.get_case(db, case_id, actor).sop_code == code
    # the clerks of the demo office do not see everything
    assert _expected({"staf"}) != {s.code for s in load_sops()}


def test_a_clerk_cannot_open_a_case_attachment_or_document_of_another_sop(db, actors):
    ids = _one_case_per_sop(db, actors)
    petugas, staf = actors["petugas"], actors["staf"]
    ak1 = ids["ak1"]
    assert "ak1" not in _expected(set(staf.roles))
    att = cases.add_attachment(db, petugas, ak1, kind="scan", filename="ktp.pdf", content=PDF,
                               mime_type="application/pdf")
    install_placeholder_emblem(db)
    doc = docs.draft_document(db, petugas, ak1, "tanda_terima")
    # the counter clerk of AK/I reads it all
    assert cases.get_case(db, ak1, petugas).id == ak1
    assert cases.attachment_content(db, att, petugas) == PDF
    assert docs.documents_for_case(db, ak1, petugas)
    assert docs.document_pdf(db, doc.id, petugas)

    before = _refusals(db)
    reads = [
        ("buka_berkas", lambda: cases.get_case(db, ak1, staf)),
        ("buka_berkas", lambda: cases.get_case_by_number(
            db, cases.get_case(db, ak1).register_number, staf)),
        ("buka_lampiran", lambda: cases.attachment_content(db, att, staf)),
        ("lihat_dokumen", lambda: docs.documents_for_case(db, ak1, staf)),
        ("buka_dokumen", lambda: docs.document_pdf(db, doc.id, staf)),
    ]
    for n, (action, read) in enumerate(reads, 1):
        with pytest.raises(PermissionDenied) as err:
            read()
        assert "Kartu AK/I" in err.value.message
        assert _refusals(db) == before + n
        event = _last_refusal(db)
        assert event.username == "staf"
        assert event.entity_id == str(ak1)
        assert json.loads(event.detail)["aksi"] == action


def test_search_and_tasks_only_show_readable_cases(db, actors):
    ids = _one_case_per_sop(db, actors)
    staf, kasi = actors["staf"], actors["kasi"]
    ak1 = cases.get_case(db, ids["ak1"])
    # the register number of an AK/I case: found by its clerk, not by a training clerk
    q = cases.CaseQuery(search=ak1.register_number)
    assert [r.id for r in cases.list_cases(db, q)] == [ak1.id]  # internal query: no filter
    assert [r.id for r in cases.list_cases(db, cases.CaseQuery(
        search=ak1.register_number, reader=kasi))] == [ak1.id]
    assert cases.list_case_ids(db, cases.CaseQuery(search=ak1.register_number,
                                                   reader=staf)) == []
    assert cases.count_cases(db, cases.CaseQuery(sop_code="ak1", reader=staf)) == 0
    # Tugas Saya: only cases of readable SOPs
    for name in ("staf", "kasi", "petugas", "jfu"):
        actor = actors[name]
        assert {r.sop_code for r in cases.my_tasks(db, actor)} <= _expected(set(actor.roles))


def test_person_search_is_limited_to_readable_sops(db, actors):
    ids = _one_case_per_sop(db, actors)
    ak1 = cases.get_case(db, ids["ak1"])
    assert ak1.nik
    found = person.search_people(db, actors["kasi"], ak1.nik)
    assert ak1.id in {c.case_id for p in found for c in p.cases}
    assert all(c.sop_code in _expected({"kasi"}) for p in found for c in p.cases)
    found = person.search_people(db, actors["staf"], ak1.nik)
    assert ak1.id not in {c.case_id for p in found for c in p.cases}


def test_a_delegation_in_force_lets_the_deputy_read_and_a_demotion_is_seen_at_once(
        db, actors, clock):
    ids = _one_case_per_sop(db, actors)
    staf = actors["staf"]
    with pytest.raises(PermissionDenied):
        cases.get_case(db, ids["ak1"], staf)
    today = clock.now.date()
    auth.add_delegation(db, actors["kasi"], from_username="kasi", to_username="staf",
                        starts_on=today, ends_on=today)
    deputy = auth.actor_for(db, staf.user_id)
    assert cases.get_case(db, ids["ak1"], deputy).id == ids["ak1"]
    # roles changed in the database after login: the old session reads nothing more
    kasi = actors["kasi"]
    auth.set_roles(db, actors["admin"], "kasi", ["staf"])
    with pytest.raises(SessionEnded):
        cases.get_case(db, ids["ak1"], kasi)
    with pytest.raises(PermissionDenied):
        cases.list_cases(db, cases.CaseQuery(reader=kasi))


def test_the_counter_lookup_of_another_sops_case_is_refused_and_audited(db, actors):
    ids = _one_case_per_sop(db, actors)
    number = cases.get_case(db, ids["ak1"]).register_number
    assert person.case_standing(db, actors["kasi"], number).case_id == ids["ak1"]
    before = _refusals(db)
    with pytest.raises(PermissionDenied):
        person.case_standing(db, actors["staf"], number)
    assert _refusals(db) == before + 1
    assert json.loads(_last_refusal(db).detail)["aksi"] == "lihat_status_berkas"


def test_opening_a_case_screen_or_an_attachment_is_recorded(db, actors):
    ids = _one_case_per_sop(db, actors)
    petugas, ak1 = actors["petugas"], ids["ak1"]
    att = cases.add_attachment(db, petugas, ak1, kind="scan", filename="ktp.pdf", content=PDF,
                               mime_type="application/pdf")

    def reads():
        with db.read() as s:
            return [(e.action, e.username, e.entity_id, json.loads(e.detail)) for e in s.scalars(
                select(AuditEvent).where(AuditEvent.action.in_(("buka_berkas", "buka_lampiran")))
                .order_by(AuditEvent.seq))]

    cases.get_case(db, ak1, petugas)  # a reload after an action: not an opening
    assert reads() == []
    cases.get_case(db, ak1, petugas, opened=True)
    assert cases.attachment_content(db, att, petugas) == PDF
    assert reads() == [("buka_berkas", "petugas", str(ak1), {}),
                       ("buka_lampiran", "petugas", str(ak1), {"lampiran": att})]
