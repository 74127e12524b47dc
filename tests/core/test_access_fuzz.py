"""Issue 11, item 9: whatever is typed into an intake field, a search box or the login name -
NUL bytes, lone surrogates, non-characters, 'İ' that doubles when lower-cased, "Infinity" in a
money field - the answer is a field message or a clean value, never a driver error, and a
refused case writes nothing."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from desktop_app.core import auth, cases
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.errors import LoginFailed, ValidationError
from desktop_app.core.models import Case
from desktop_app.core.sop import get_sop, sops

NASTY = ["\x00", "a\x00b", "\ud800", "x\udfff", "\uffff", "\U0010ffff", "\ufdd0", "İ" * 150,
         "Infinity", "-Infinity", "sNaN", "NaN", "1e999", "   ", "'; DROP TABLE cases; --",
         "ß" * 120, "\u202e", "x" * 5000]
texts = st.one_of(st.sampled_from(NASTY), st.text(max_size=300),
                  st.text(alphabet=st.characters(codec=None, min_codepoint=0), max_size=50))
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _count(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count(Case.id)))


def _intake_fields():
    return [(sop.code, f.name) for sop in sops() for f in sop.fields if f.type != "list"]


@FUZZ
@given(field=st.sampled_from(_intake_fields()), value=texts)
def test_intake_fields_answer_with_a_field_message_or_store_cleanly(db, actors, field, value):
    code, name = field
    sop = get_sop(code)
    data = demo_intake(code, random.Random(1), db.now().date())
    data[name] = value
    clerk = actors["petugas"] if sop.first_step.kind == "submit" else actors["jfu"]
    before = _count(db)
    try:
        case = cases.register_case(db, clerk, code, data,
                                   {r.code: True for r in sop.requirements})
    except ValidationError as exc:
        assert exc.errors and all(isinstance(m, str) and m for m in exc.errors.values())
        assert _count(db) == before  # nothing written
        return
    stored = cases.get_case(db, case.id)
    text = str(stored.data.get(name) or "")
    assert "\x00" not in text and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    assert len(stored.title) <= 200


@pytest.mark.parametrize("value", ["\x00", "\ud800", " \x00 \ufdd0 "])
def test_a_required_field_of_only_unstorable_characters_is_empty(db, actors, value):
    """Found by the fuzzer: AK/I 'nama' = NUL passed as filled, was cleaned to nothing and
    hit the NOT NULL column of applicants (a raw driver error)."""
    data = demo_intake("ak1", random.Random(1), db.now().date())
    data["nama"] = value
    before = _count(db)
    with pytest.raises(ValidationError) as err:
        cases.register_case(db, actors["petugas"], "ak1", data,
                            {r.code: True for r in get_sop("ak1").requirements})
    assert "wajib diisi" in err.value.errors["nama"]
    assert _count(db) == before


@FUZZ
@given(term=texts)
def test_search_never_fails(db, term):
    cases.list_case_ids(db, cases.CaseQuery(search=term))
    cases.list_case_ids(db, cases.CaseQuery(search=term, sop_code="ak1"))


@FUZZ
@given(name=texts)
def test_login_name_never_fails(db, name):
    with pytest.raises(LoginFailed):
        auth.login(db, name, "bukan-sandinya-123")


@pytest.mark.parametrize("value", ["Infinity", "sNaN", "NaN", "-inf"])
def test_money_rejects_infinity_and_nan(db, actors, value):
    sop = next(s for s in sops() if any(f.type == "money" for f in s.fields))
    field = next(f for f in sop.fields if f.type == "money")
    data = demo_intake(sop.code, random.Random(1), db.now().date())
    data[field.name] = value
    clerk = actors["petugas"] if sop.first_step.kind == "submit" else actors["jfu"]
    with pytest.raises(ValidationError) as err:
        cases.register_case(db, clerk, sop.code, data, {r.code: True for r in sop.requirements})
    assert err.value.errors == {field.name: "Harus berupa angka."}


def test_dotted_capital_i_company_name_fits_the_search_key(db, actors):
    data = demo_intake("jakon", random.Random(1), db.now().date())
    data["nama_perusahaan"] = "İ" * 150
    with pytest.raises(ValidationError) as err:
        cases.register_case(db, actors["petugas"], "jakon", data,
                            {r.code: True for r in get_sop("jakon").requirements})
    assert "nama_perusahaan" in err.value.errors
