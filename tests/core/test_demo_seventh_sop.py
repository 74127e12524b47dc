"""The whole demo seeding (``admin seed-demo``, the code path of ``desktop-app --demo``) with a
seventh SOP added as files only (tests/fixtures/sop_tujuh through DESKTOP_APP_SOP_DIRS), on a
fresh database of each backend: the seventh SOP gets demo cases at every step and in every
status, with intake values from its fields' ``demo =`` values or types, and its own letter
renders from a demo case."""

from __future__ import annotations

import io
from collections import Counter as Tally
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from desktop_app.__main__ import main
from desktop_app.core import workflow
from desktop_app.core.db import open_database
from desktop_app.core.documents import service as ds
from desktop_app.core.models import Case, Document
from desktop_app.core.sop import SOP_DIRS_ENV, get_sop, sops

SEVENTH = Path(__file__).resolve().parents[1] / "fixtures" / "sop_tujuh"

pytestmark = pytest.mark.slow


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'demo.sqlite'}"
    return request.getfixturevalue("pg_database")()


def _flat(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in
                             PdfReader(io.BytesIO(pdf)).pages).split())


def test_seed_demo_fills_a_seventh_sop_added_as_files(fresh_url: str, capsys,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOP_DIRS_ENV, str(SEVENTH))
    assert [s.code for s in sops()][-1] == "wlkp"
    sop = get_sop("wlkp")

    assert main(["--database", fresh_url, "admin", "seed-demo"]) == 0
    assert "Akun demo" in capsys.readouterr().out

    db = open_database(fresh_url)
    try:
        with db.read() as s:
            rows = s.execute(select(Case.id, Case.status, Case.current_step, Case.data)
                             .where(Case.sop_code == "wlkp")).all()
            letters = s.execute(select(Document.id, Document.case_id, Document.status,
                                       Document.number)
                                .where(Document.doc_type == "surat_keterangan_wlkp")).all()
        statuses = Tally(r.status for r in rows)
        # every office step has a case waiting in it, one is finished, one each returned
        # (incomplete), rejected and withdrawn
        open_steps = {r.current_step for r in rows if r.status == workflow.IN_PROGRESS}
        first_office = workflow.first_office_step(sop)
        assert set(range(first_office, len(sop.steps) + 1)) <= open_steps, open_steps
        assert statuses[workflow.COMPLETED] >= 1
        for status in (workflow.RETURNED, workflow.REJECTED, workflow.WITHDRAWN):
            assert statuses[status] == 1, statuses
        # demo values: the file's ``demo =`` values, else values made from the field types
        for r in rows:
            data = r.data
            assert data["nama_perusahaan"] == "CV Kopi Dempo Lestari"
            assert data["alamat_perusahaan"] == "Jalan Serma Wahab Nomor 8, Pagar Alam"
            assert data["nama_pimpinan"] == "Contoh Nama pimpinan"
            assert data["jumlah_pekerja"] == 1
            assert data["tanggal_lapor"] == "2026-11-28"
        # the letter: drafted at step 3, signed at step 4 (demo officials' certificates)
        by_status = Tally(doc.status for doc in letters)
        assert by_status[ds.SIGNED] >= 2, by_status  # the cases past the signing step
        signed = next(doc for doc in letters if doc.status == ds.SIGNED)
        assert signed.number and signed.number.startswith("500.15.3/")
        text = _flat(ds.document_pdf(db, signed.id))
        assert "Yth. Pimpinan CV Kopi Dempo Lestari" in text
        assert "Keterangan Telah Melaksanakan Wajib Lapor Ketenagakerjaan" in text
        assert "Contoh Nama pimpinan" in text and "28 November 2026" in text
        assert signed.number in text and "KONSEP" not in text
        # the other six SOPs were seeded as before
        with db.read() as s:
            codes = set(s.scalars(select(Case.sop_code).distinct()))
        assert codes == {s.code for s in sops()}
    finally:
        db.dispose()
