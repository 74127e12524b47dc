"""Issue 12 item 3: the AK/I SOP file has a list field for the education history (jenjang,
sekolah, jurusan, tahun lulus); the intake cleans its rows and the card's second face prints
every row, with the official's name and NIP still on it."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from desktop_app.core.documents.card import render_card_pdf, sample_card_context
from desktop_app.core.errors import ValidationError
from desktop_app.core.intake import clean_intake
from desktop_app.core.sop import get_sop

TODAY = date(2026, 11, 28)
ROWS = [
    {"tingkat": "SMP", "sekolah": "SMP Negeri 2 Pagar Alam", "jurusan": "", "tahun_lulus": "2016"},
    {"tingkat": "SMA", "sekolah": "SMA Negeri 1 Pagar Alam", "jurusan": "IPA",
     "tahun_lulus": "2019"},
    {"tingkat": "D3", "sekolah": "Politeknik Negeri Sriwijaya", "jurusan": "Akuntansi",
     "tahun_lulus": "2022"},
]


def test_sop_file_declares_the_education_list():
    field = next(f for f in get_sop("ak1").fields if f.name == "riwayat_pendidikan")
    assert field.type == "list" and field.group == "Pendidikan" and not field.required
    assert [(c.name, c.label, c.type) for c in field.columns] == [
        ("tingkat", "Jenjang", "choice"), ("sekolah", "Sekolah/perguruan tinggi", "text"),
        ("jurusan", "Jurusan", "text"), ("tahun_lulus", "Tahun lulus", "integer")]
    assert "SMA" in field.columns[0].choices and field.columns[0].required


def test_intake_cleans_the_rows_and_names_a_wrong_cell():
    sop = get_sop("ak1")
    clean = clean_intake(sop, {"riwayat_pendidikan": ROWS}, today=TODAY, partial=True)
    assert [r["tahun_lulus"] for r in clean["riwayat_pendidikan"]] == [2016, 2019, 2022]
    assert clean["riwayat_pendidikan"][0]["jurusan"] is None
    bad = [dict(ROWS[0]), {"tingkat": "", "sekolah": "SMA X", "tahun_lulus": "dua ribu"}]
    with pytest.raises(ValidationError) as err:
        clean_intake(sop, {"riwayat_pendidikan": bad}, today=TODAY, partial=True)
    assert set(err.value.errors) == {"riwayat_pendidikan[1].tingkat",
                                     "riwayat_pendidikan[1].tahun_lulus"}
    assert err.value.errors["riwayat_pendidikan[1].tingkat"] == "Jenjang wajib diisi."


def _face2(ctx) -> str:
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(render_card_pdf(ctx))).pages]
    assert len(pages) == 3
    return re.sub(r"\s+", " ", pages[1])


def test_card_prints_three_education_rows_with_the_signature():
    ctx = sample_card_context()
    clean = clean_intake(get_sop("ak1"), {"riwayat_pendidikan": ROWS}, today=TODAY,
                         partial=True)
    ctx["data"].update(clean)
    ctx["data"]["pendidikan_tingkat"] = "D3"  # the last education is the third row
    face2 = _face2(ctx)
    for row in ROWS:
        assert face2.count(row["sekolah"]) == 1, row["sekolah"]
        assert row["tahun_lulus"] in face2
    assert "Jurusan: IPA" in face2 and "Jurusan: Akuntansi" in face2
    assert ctx["signature"]["nama"] in face2
    assert ctx["signature"]["nip"] in face2.replace(" ", "")  # printed grouped 8 6 1 3


def test_last_education_is_printed_after_earlier_rows():
    ctx = sample_card_context()
    ctx["data"]["riwayat_pendidikan"] = ROWS[:2]  # SMP and SMA; the last (D-III) is apart
    face2 = _face2(ctx)
    positions = [face2.index(name) for name in ("SMP Negeri 2", "SMA Negeri 1",
                                                "Politeknik Negeri Sriwijaya")]
    assert positions == sorted(positions)
    assert ctx["signature"]["nip"] in face2.replace(" ", "")
