"""The AK/I card and the printable SOP sheet: dates, page sizes, texts and the flowchart SVG."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest

pypdf = pytest.importorskip("pypdf")

from desktop_app.core.documents.card import (  # noqa: E402
    CARD_PAGE_SIZE_MM,
    add_months,
    card_valid_until,
    render_card_pdf,
    report_due_dates,
    sample_card_context,
    sample_office,
)
from desktop_app.core.documents.sop_sheet import (  # noqa: E402
    SHEET_PAPERS,
    render_sop_sheet_pdf,
    swimlane_svg,
    swimlane_svg_pages,
    wrap_text,
)
from desktop_app.core.sop import Sop, load_sops, parse_sop  # noqa: E402

MM = 72 / 25.4


def _pages(pdf: bytes) -> list[Any]:
    return list(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in _pages(pdf))


def _squash(text: str) -> str:
    """Lower case, hyphenation and all whitespace removed, so wrapped words still match."""
    return re.sub(r"[\s\-]+", "", text.lower())


def _size_mm(page: Any) -> tuple[float, float]:
    box = page.mediabox
    return (round(float(box.width) / MM, 1), round(float(box.height) / MM, 1))


# --------------------------------------------------------------------------- card dates


@pytest.mark.parametrize(
    ("registered", "expected"),
    [
        (date(2026, 11, 28), date(2028, 11, 28)),
        (date(2024, 2, 29), date(2026, 2, 28)),  # leap day → 28 February
        (date(2023, 2, 28), date(2025, 2, 28)),
        (date(2027, 12, 31), date(2029, 12, 31)),
        (date(2026, 1, 1), date(2028, 1, 1)),
    ],
)
def test_card_valid_until(registered: date, expected: date) -> None:
    assert card_valid_until(registered) == expected


def test_report_due_dates_every_six_months() -> None:
    assert report_due_dates(date(2026, 11, 28)) == [
        date(2027, 5, 28), date(2027, 11, 28), date(2028, 5, 28), date(2028, 11, 28)]


def test_report_due_dates_clamp_to_month_end() -> None:
    dues = report_due_dates(date(2025, 8, 31))
    assert dues == [date(2026, 2, 28), date(2026, 8, 31), date(2027, 2, 28), date(2027, 8, 31)]
    assert report_due_dates(date(2024, 2, 29))[-1] == card_valid_until(date(2024, 2, 29))
    assert len(report_due_dates(date(2026, 3, 31))) == 4


def test_add_months_across_years() -> None:
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 5, 15), 0) == date(2026, 5, 15)


# --------------------------------------------------------------------------- card PDF


@pytest.fixture(scope="module")
def card_pdf() -> bytes:
    return render_card_pdf(sample_card_context(date(2026, 11, 28)))


def test_card_has_three_faces_of_the_card_size(card_pdf: bytes) -> None:
    pages = _pages(card_pdf)
    assert len(pages) == 3
    for page in pages:
        assert _size_mm(page) == pytest.approx(CARD_PAGE_SIZE_MM, abs=0.3)


def test_card_texts(card_pdf: bytes) -> None:
    ctx = sample_card_context(date(2026, 11, 28))
    pages = [p.extract_text() or "" for p in _pages(card_pdf)]
    front, inside, back = pages
    assert "AK/I" in front
    assert "KARTU TANDA BUKTI PENDAFTARAN" in front
    assert ctx["data"]["nama"] in front
    assert ctx["data"]["nik"] in front
    assert ctx["card"]["nomor_pencari_kerja"] in front
    assert "PEMERINTAH KOTA PAGAR ALAM" in front
    assert "Perempuan" in front
    assert "14 Maret 2001" in front
    assert "28 November 2028" in inside
    assert "Berlaku s/d" in inside
    assert "NIP. 19720514 199803 1 004" in inside
    assert "a.n. Kepala Dinas" in inside
    assert "K7Q2-M4XD" in inside
    assert "KETENTUAN" in back
    for n in range(1, 5):
        assert f"Laporan ke-{n}" in back
    for word in ("Paraf Petugas", "NIP", "Diterima di", "TMT"):
        assert word in back
    assert "28 Mei 2027" in back  # first report due date


def test_card_unsigned_plh_and_missing_photo() -> None:
    ctx = sample_card_context(date(2024, 2, 29), signed=False)
    ctx["card"]["photo"] = None
    ctx["signature"].update(atas_nama="Plh.", jabatan_atas_nama="")
    ctx["data"]["nomor_siapkerja"] = None
    ctx["data"]["keterampilan"] = "Menjahit"
    del ctx["card"]["berlaku_sampai"], ctx["card"]["laporan"]  # derived from tanggal_daftar
    text = _text(render_card_pdf(ctx))
    assert "Plh. Kepala Bidang Tenaga Kerja" in text
    assert "Pas foto" in text
    assert "28 Februari 2026" in text
    assert "Menjahit" in text
    assert "SIAPkerja" not in text


# --------------------------------------------------------------------------- SOP sheet


def _mini_sop() -> Sop:
    """A small SOP with a check and a bipartite decision, independent of the bundled files."""
    step = {"input": "Berkas", "time": "5 Menit", "output": "Hasil"}
    return parse_sop({
        "code": "mini", "order": 1, "tab_label": "Mini", "number": "503/99/SOP.TK/2024",
        "name": "SOP UJI", "flow_title": "ALUR SOP UJI", "created": date(2024, 1, 23),
        "revised": "-", "effective": date(2024, 1, 23),
        "approved_by": {"name": "NAMA PEJABAT", "rank": "Pembina / IV.a",
                        "nip": "196910161995031001"},
        "subject": "person", "register_name": "Buku Register Uji", "register_prefix": "UJI",
        "signer_lane": "kadis", "legal_basis": ["Undang-undang Uji"],
        "qualifications": ["Memahami SOP"], "warnings": ["Hati-hati"],
        "lanes": [
            {"code": "pemohon", "name": "Pemohon", "roles": []},
            {"code": "petugas", "name": "Petugas Penerima", "roles": ["petugas_penerima"]},
            {"code": "jfu", "name": "Mediator JFU", "roles": ["jfu"]},
            {"code": "kadis", "name": "Kepala Dinas", "roles": ["kadis"]},
        ],
        "steps": [
            {"no": 1, "lane": "pemohon", "kind": "submit", "activity": "Mengajukan permohonan",
             **step},
            {"no": 2, "lane": "petugas", "kind": "check", "activity": "Meneliti kelengkapan",
             **step, "branches": [
                 {"outcome": "lengkap", "label": "Lengkap", "goto": "next", "lane": "jfu"},
                 {"outcome": "tidak_lengkap", "label": "Tidak lengkap", "goto": "returned",
                  "lane": "pemohon"}]},
            {"no": 3, "lane": "jfu", "kind": "bipartite", "activity": "Perundingan bipartit",
             **step, "branches": [
                 {"outcome": "sepakat", "label": "Sepakat", "goto": "completed"},
                 {"outcome": "berselisih", "label": "Masih berselisih", "goto": "next"}]},
            {"no": 4, "lane": "kadis", "kind": "sign", "activity": "Menandatangani surat",
             **step},
            {"no": 5, "lane": "pemohon", "kind": "handover", "activity": "Surat diterima",
             **step},
        ],
    })


def _count(svg: str, cls: str) -> int:
    return len(re.findall(rf'class="{re.escape(cls)}"', svg))


def test_mini_sop_svg_symbols_and_labels() -> None:
    sop = _mini_sop()
    svg = swimlane_svg(sop)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert len(re.findall(r'class="sym sym-', svg)) == len(sop.steps)
    assert _count(svg, "sym sym-terminator") == 2
    assert _count(svg, "sym sym-decision") == 2
    assert _count(svg, "sym sym-process") == 1
    # branch labels as the SOP file writes them (the swimlane on screen shows the same)
    for label in ("Tidak lengkap", "Lengkap", "Sepakat", "Masih berselisih"):
        assert f'data-label="{label}"' in svg
    assert _count(svg, "end-mark") == 1  # "sepakat" ends the case
    assert _count(svg, "connector") == 0  # one page, no off-page connector


def test_page_break_draws_off_page_connectors() -> None:
    sop = _mini_sop()
    pages = swimlane_svg_pages(sop, page_heights_mm=(75.0, 75.0))
    assert len(pages) > 1
    assert sum(len(re.findall(r'class="sym sym-', p)) for p in pages) == len(sop.steps)
    assert sum(_count(p, "connector") for p in pages) == 2 * (len(pages) - 1)
    for page in pages:
        assert "Pelaksana" in page and "Mutu Baku" in page  # header repeated


def test_wrap_text_fits_and_hyphenates() -> None:
    assert wrap_text("Pengadministrasi", 15, 6.6, True) == ["Pengadmi-", "nistrasi"]
    lines = wrap_text("Menerima berkas dan meneliti kelengkapan persyaratan administrasi", 30, 7)
    assert len(lines) > 1 and " ".join(lines).startswith("Menerima berkas")


def test_mini_sop_sheet_renders() -> None:
    sop = _mini_sop()
    pdf = render_sop_sheet_pdf(sop, sample_office())
    text = _squash(_text(pdf))
    assert _squash(sop.number) in text
    for lane in sop.lanes:
        assert _squash(lane.name) in text


def _bundled() -> tuple[Sop, ...]:
    try:
        return load_sops()
    except Exception:  # files still being written by someone else
        return ()


BUNDLED = _bundled()


@pytest.mark.skipif(not BUNDLED, reason="resources/sops/*.toml not there yet")
@pytest.mark.parametrize("sop", BUNDLED, ids=[s.code for s in BUNDLED])
def test_sop_sheet_for_each_bundled_sop(sop: Sop) -> None:
    pdf = render_sop_sheet_pdf(sop, sample_office())
    pages = _pages(pdf)
    assert len(pages) >= 2
    width, height = SHEET_PAPERS["A4"]
    for page in pages:
        assert _size_mm(page) == pytest.approx((width, height), abs=0.3)
    text = _squash(_text(pdf))
    assert _squash(sop.number) in text
    assert _squash("PEMERINTAH KOTA PAGAR ALAM") in text
    assert _squash(sop.name) in text
    for title in ("Dasar Hukum", "Kualifikasi Pelaksana", "Keterkaitan", "Peringatan",
                  "Pencatatan dan Pendataan", "Mutu Baku", "Kelengkapan", "Waktu", "Output"):
        assert _squash(title) in text, title
    for lane in sop.lanes:
        assert _squash(lane.name) in text, lane.name
    for step in sop.steps:
        words = step.activity.split()
        for chunk in (" ".join(words[:3]), " ".join(words[-2:])):
            assert _squash(chunk) in text, (step.no, chunk)
        assert _squash(step.output) in text, (step.no, step.output)


@pytest.mark.skipif(not BUNDLED, reason="resources/sops/*.toml not there yet")
@pytest.mark.parametrize("sop", BUNDLED, ids=[s.code for s in BUNDLED])
def test_swimlane_svg_for_each_bundled_sop(sop: Sop) -> None:
    svg = swimlane_svg(sop)
    assert len(re.findall(r'class="sym sym-', svg)) == len(sop.steps)
    decisions = [s for s in sop.steps if s.kind in ("check", "approve", "bipartite")
                 and s.no not in (1, len(sop.steps))]
    assert _count(svg, "sym sym-decision") == len(decisions)
    assert _count(svg, "sym sym-decision") >= sum(s.kind == "check" for s in sop.steps)
    assert _count(svg, "sym sym-terminator") == 2
    # one arrow (path with an arrowhead) per consecutive step at least
    assert _count(svg, "arrowhead") >= len(sop.steps) - 1
    for step in sop.steps:
        for b in step.branches:
            assert f'data-label="{b.label}"' in svg, b.label
