"""One person across the services and the counter's status lookup, on both databases."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from desktop_app.core import cases, workflow
from desktop_app.core.demo.cases import advance
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.documents import context as dc
from desktop_app.core.documents import service as ds
from desktop_app.core.errors import PermissionDenied, ValidationError
from desktop_app.core.reports import person
from desktop_app.core.sop import get_sop

NIK = "1672034103040001"
PERSON = {"nik": NIK, "nama": "Putri Ayu Lestari", "tanggal_lahir": "2004-03-01",
          "jenis_kelamin": "P"}


def _register(db, actors, code, rng, **extra):
    sop = get_sop(code)
    data = {**demo_intake(code, rng, db.now().date()), **extra}
    return cases.register_case(db, actors["petugas"], code, data,
                                  {r.code: True for r in sop.requirements})


@pytest.fixture
def putri(db, actors, clock):
    rng = random.Random(21)
    clock.set(datetime(2026, 10, 5, 9, 0))
    card = advance(db, actors, _register(db, actors, "ak1", rng, **PERSON), 5, rng)
    clock.set(datetime(2026, 11, 9, 9, 0))
    passport = _register(db, actors, "paspor", rng, **PERSON)
    claim = _register(db, actors, "jht", rng, **PERSON)
    _register(db, actors, "jht", rng)  # someone else
    return {"card": card, "paspor": passport, "jht": claim}


def test_search_by_nik_and_name_over_every_service(db, actors, putri):
    people = person.search_people(db, actors["petugas"], NIK)
    assert len(people) == 1
    p = people[0]
    assert p.nik == NIK and {c.sop_code for c in p.cases} == {"ak1", "paspor", "jht"}
    assert [c.case_id for c in p.cases][0] in (putri["paspor"].id, putri["jht"].id)  # newest
    assert p.card is not None and p.card.is_valid and p.card.case_id == putri["card"].id
    by_name = person.search_people(db, actors["petugas"], "putri ayu")
    assert [x.nik for x in by_name] == [NIK]
    assert {c.sop_code for c in person.search_people(db, actors["petugas"], NIK[:8])[0].cases} \
        >= {"ak1"}
    # The Kasi holds lanes in AK/I and the passport, not in the JHT claim.
    kasi = person.search_people(db, actors["kasi"], NIK)[0]
    assert {c.sop_code for c in kasi.cases} == {"ak1", "paspor"}
    with pytest.raises(ValidationError):
        person.search_people(db, actors["petugas"], "ab")
    assert person.search_people(db, actors["staf"], NIK) == []  # training staff: no cases


def test_counter_lookup_by_receipt_number(db, actors, putri, clock):
    case = putri["paspor"]
    standing = person.case_standing(db, actors["petugas"], f"  {case.register_number.lower()} ")
    assert standing.case_id == case.id and standing.status_label == "Menunggu Verifikasi"
    assert "pemeriksaan kelengkapan" in standing.message
    done = person.case_standing(db, actors["petugas"], putri["card"].register_number)
    assert done.status_label == "Selesai" and "selesai pada" in done.message
    jht = putri["jht"]
    cases.act(db, actors["petugas"], jht.id, workflow.INCOMPLETE,
                 expected_version=jht.version, reason="Paklaring belum ada.")
    returned = person.case_standing(db, actors["petugas"], jht.register_number)
    assert "Paklaring belum ada." in returned.message
    with pytest.raises(ValidationError) as exc:
        person.case_standing(db, actors["petugas"], "AK1/2026/99999")
    assert "tidak ditemukan" in exc.value.errors["nomor"]
    with pytest.raises(PermissionDenied):
        person.case_standing(db, actors["staf"], case.register_number)


def test_counter_lookup_by_a_letters_qr(db, actors, clock):
    dc.install_placeholder_emblem(db)
    rng = random.Random(22)
    clock.set(datetime(2026, 11, 9, 9, 0))
    case = _register(db, actors, "jht", rng)
    case = cases.act(db, actors["petugas"], case.id, workflow.INCOMPLETE,
                        expected_version=case.version, reason="KTP buram.")
    letter = ds.draft_document(db, actors["petugas"], case.id, "surat_pengembalian")  # issued
    code = ds.get_document(db, letter.id).verification_code
    assert code
    for text in (ds.qr_payload(db, code), code, code.replace("-", "").lower()):
        assert person.case_standing(db, actors["petugas"], text).case_id == case.id
