"""The document kinds registry (desktop_app/core/documents/kinds), the generic letter an SOP
file declares, and a seventh SOP added as files only (tests/fixtures/sop_tujuh)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from test_document_service import _flat, _text

from desktop_app.core import cases
from desktop_app.core.db import Database
from desktop_app.core.demo.cases import advance
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.documents import catalog, samples
from desktop_app.core.documents import context as dc
from desktop_app.core.documents import service as ds
from desktop_app.core.documents.kinds import KINDS, kind_of
from desktop_app.core.sop import SOP_DIRS_ENV, SopError, get_sop, parse_sop_text, sops
from desktop_app.core.sop_versions import sync_program_versions

SEVENTH = Path(__file__).resolve().parents[1] / "fixtures" / "sop_tujuh"
JHT = Path(__file__).resolve().parents[2] / "resources" / "sops" / "jht.toml"


def test_every_type_comes_from_one_kind_with_sample_and_hal() -> None:
    codes = [t.code for k in KINDS for t in k.types]
    assert len(codes) == len(set(codes))
    assert set(catalog.DOCUMENT_TYPES) == set(codes) - {dc.CARD_CODE}
    for code in codes:
        kind, doc_type = kind_of(code)
        assert doc_type.code == code
        assert samples.sample_context(code)  # every kind has its demo
    # every bundled SOP's documents are registered kinds (the loader checked it)
    for sop in sops():
        for spec in sop.documents:
            assert kind_of(spec.code) is not None, (sop.code, spec.code)
    assert not hasattr(catalog, "ALL_SOPS")


def _jht_with(document: str) -> str:
    text = JHT.read_text(encoding="utf-8")
    return text + "\n[[documents]]\n" + document + "\nstep = 3\n"


def test_loader_rejects_an_unknown_document_code_naming_file_and_field() -> None:
    with pytest.raises(SopError) as err:
        parse_sop_text(_jht_with('code = "surat_tidak_ada"\ntitle = "Surat"'), "jht.toml")
    assert "jht.toml" in str(err.value) and "documents[4].code" in str(err.value)
    assert "surat_tidak_ada" in str(err.value)


@pytest.mark.parametrize(("entry", "field", "problem"), [
    ('code = "surat_x"\ntitle = "X"\nkind = "surat_aneh"\nhal = "X"\nfields = ["nama"]',
     "kind", "surat_aneh"),
    ('code = "surat_x"\ntitle = "X"\nkind = "surat_umum"\nhal = "X"\nfields = ["tidak_ada"]',
     "fields", "tidak_ada"),
    ('code = "surat_x"\ntitle = "X"\nkind = "surat_umum"\nfields = ["nama"]', "hal", "hal"),
    ('code = "surat_x"\ntitle = "X"\nkind = "surat_umum"\nhal = "X"', "fields", "fields"),
    ('code = "surat_klaim_jht"\ntitle = "X"\nkind = "surat_umum"\nhal = "X"\nfields = ["nama"]',
     "code", "registered"),
    ('code = "surat_klaim_jht"\ntitle = "X"\nhal = "X"', "hal", "surat_umum"),
])
def test_loader_checks_a_generic_letter(entry: str, field: str, problem: str) -> None:
    with pytest.raises(SopError) as err:
        parse_sop_text(_jht_with(entry), "jht.toml")
    assert f"documents[4].{field}'" in str(err.value) and problem in str(err.value)


def test_a_generic_letter_declared_in_an_sop_file_loads() -> None:
    sop = parse_sop_text(_jht_with(
        'code = "surat_keterangan_kerja"\ntitle = "Surat Keterangan"\nkind = "surat_umum"\n'
        'hal = "Keterangan"\nfields = ["nama", "nik"]\nisi = "Menerangkan {nama}:"'), "jht.toml")
    spec = sop.document("surat_keterangan_kerja")
    assert (spec.kind, spec.fields, spec.hal) == ("surat_umum", ("nama", "nik"), "Keterangan")


@pytest.fixture
def seventh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOP_DIRS_ENV, str(SEVENTH))


def test_seventh_sop_loads_beside_the_six_and_renders_its_samples(
        seventh: None, tmp_path: Path) -> None:
    from desktop_app.cli.admin import render_samples

    assert [s.code for s in sops()][-1] == "wlkp" and len(sops()) == 7
    assert [t.code for t in catalog.documents_for_sop("wlkp")] == [
        "tanda_terima", "surat_pengembalian", "surat_keterangan_wlkp"]
    ctx = samples.sample_context("surat_keterangan_wlkp")
    assert ctx["data"]["nama_perusahaan"] == "CV Kopi Dempo Lestari"  # the file's demo value
    text = _flat(_text(catalog.render_document("surat_keterangan_wlkp", ctx)))
    assert "Keterangan Telah Melaksanakan Wajib" in text
    assert "Jumlah pekerja : 1" in text.replace("  ", " ")
    written = {p.name for p in render_samples(tmp_path)}
    assert {"wlkp_surat_keterangan_wlkp.pdf", "wlkp_tanda_terima.pdf",
            "wlkp_lembar_sop.pdf"} <= written


def test_seventh_sop_case_reaches_its_letter(seventh: None, db: Database) -> None:
    from test_document_service import actors_of

    sync_program_versions(db)
    dc.install_placeholder_emblem(db)
    actors = actors_of(db)
    rng = random.Random(7)
    data = demo_intake("wlkp", rng, db.now().date())
    assert data["nama_perusahaan"] == "CV Kopi Dempo Lestari"
    case = cases.register_case(db, actors["petugas"], "wlkp", data,
                               {r.code: True for r in get_sop("wlkp").requirements})
    case = advance(db, actors, case, 1, rng)
    assert case.current_step == 3
    view = ds.draft_document(db, actors["jfu"], case.id, "surat_keterangan_wlkp", 1)
    text = _flat(_text(ds.document_pdf(db, view.id)))
    assert "Yth. Pimpinan CV Kopi Dempo Lestari" in text
    assert "Keterangan Telah Melaksanakan Wajib Lapor Ketenagakerjaan" in text
    assert case.register_number in text or "KONSEP" in text
