"""Documents: every template renders from its sample to a correct, self-contained PDF."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from desktop_app.core.documents import catalog, renderer, samples
from desktop_app.core.documents.catalog import (
    DOCUMENT_TYPES,
    IncompleteDocument,
    find_missing,
    render_document,
)
from desktop_app.core.documents.renderer import (
    PAPER_SIZES,
    MissingDocumentData,
    render_html,
    render_pdf,
)
from desktop_app.core.documents.samples import sample_context

pypdf = pytest.importorskip("pypdf")

CODES = list(DOCUMENT_TYPES)
_PDF_CACHE: dict[tuple[str, str | None], bytes] = {}


def _pdf(code: str, paper: str | None = None) -> bytes:
    key = (code, paper)
    if key not in _PDF_CACHE:
        _PDF_CACHE[key] = render_document(code, sample_context(code), paper=paper)
    return _PDF_CACHE[key]


def _text(pdf: bytes, tmp_path: Path, layout: bool = False) -> str:
    """Text of the PDF with all whitespace collapsed (pdftotext, else pypdf).

    ``layout`` keeps table rows on one line (pdftotext -layout)."""
    if shutil.which("pdftotext"):
        src = tmp_path / "doc.pdf"
        src.write_bytes(pdf)
        raw = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(src), "-"],
            check=True, capture_output=True, text=True,
        ).stdout
    else:
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        raw = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", raw)


def _page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


# Per document: strings that must appear in the PDF text.
EXPECTED: dict[str, list[str]] = {
    "tanda_terima": ["TANDA TERIMA BERKAS PERMOHONAN", "JHT-2026-00042", "BUDI SANTOSO",
                     "28 November 2026 09:41", "30 November 2026", "DEDI KURNIAWAN",
                     "Kartu peserta BPJS Ketenagakerjaan (KPJ)"],
    "surat_pengembalian": ["500.15.2/0311/TK/2026", "Pengembalian Berkas Permohonan",
                           "BUDI SANTOSO", "JHT-2026-00042", "paklaring",
                           "Fotokopi Kartu Keluarga yang masih berlaku", "28 November 2026",
                           "Petugas Penerima", "DEDI KURNIAWAN", "NIP. 19910418 201903 1 006"],
    "surat_klaim_jht": ["500.15.2/0312/TK/2026", "Kepala Kantor Cabang BPJS Ketenagakerjaan Lahat",
                        "1672011405900003", "BUDI SANTOSO", "14 Mei 1990", "17012345678",
                        "PT Dempo Teh Lestari", "2 Maret 2015", "31 Agustus 2026",
                        "Nomor 4 Tahun 2022", "GUNSONO MEKSON, SE, MM",
                        "Pembina Utama Muda / IV.c", "NIP. 19691016 199503 1 001",
                        "Ditandatangani secara elektronik", "7KQ4-M2XD-93PA",
                        "28 November 2026"],
    "formulir_jakon": ["500.15.2/0315/TK/2026", "CV Besemah Karya Konstruksi",
                       "620/045/SPK/PUPR/2026", "Rp 2.000.000.000", "Rp 2.950.000",
                       "Dua juta sembilan ratus lima puluh ribu rupiah", "0,21%", "0,11%",
                       "Nomor 5 Tahun 2021", "35 orang", "16 November 2026"],
    "risalah_bipartit": ["RISALAH PERUNDINGAN BIPARTIT", "Perundingan ke-2", "SITI AMINAH",
                         "PT Kopi Besemah Sejahtera", "RUDI HARTONO",
                         "Selasa, 24 November 2026", "TIDAK SEPAKAT", "Mengetahui"],
    "perjanjian_bersama": ["PERJANJIAN BERSAMA", "PIHAK PERTAMA", "PIHAK KEDUA",
                           "Rp 38.500.000", "Pengadilan Hubungan Industrial",
                           "Pengadilan Negeri Palembang", "SITI AMINAH", "1672034207980001",
                           "24 November 2026"],
    "surat_permohonan_mediator": ["500.15.3/0320/TK/2026",
                                  "Kepala Dinas Tenaga Kerja dan Transmigrasi Kabupaten Lahat",
                                  "Permohonan Bantuan Mediator", "10 November 2026",
                                  "24 November 2026", "2 (dua) kali", "Tembusan",
                                  "Sdr. SITI AMINAH", "Pimpinan PT Kopi Besemah Sejahtera"],
    "rekomendasi_paspor": ["500.15.4/0330/TK/2026", "Rekomendasi Pembuatan Paspor",
                           "Kepala Kantor Imigrasi Kelas I TPI Palembang", "DEWI LESTARI",
                           "1672025103010002", "11 Maret 2001", "1672-2026-00187",
                           "PT Sriwijaya Mitra Sejati", "Taiwan", "28 Februari 2027",
                           "Nomor 18 Tahun 2017", "HENDRA SAPUTRA"],
    "pengesahan_pp": ["PERJANJIAN PENEMPATAN PEKERJA MIGRAN INDONESIA",
                      "500.15.4/0331/TK/2026", "PP/SMS/TW/2026/0412", "20 November 2026",
                      "DEWI LESTARI", "Mengetahui"],
    "rencana_kerja": ["RENCANA KERJA KEGIATAN", "Pelatihan Barista dan Pengolahan Kopi Besemah",
                      "Senin, 8 Februari 2027", "20 orang", "Disetujui oleh",
                      "Kabupaten Empat Lawang"],
    "undangan_pelatihan": ["500.15.5/0012/TK/2027", "Undangan Pelatihan",
                           "Aula Balai Pelatihan Kerja Kota Pagar Alam", "25 Januari 2027",
                           "DAFTAR PENERIMA UNDANGAN", "Kabupaten Muara Enim",
                           "11 Januari 2027"],
    "surat_pengantar": ["SURAT PENGANTAR", "500.15.5/0013/TK/2027", "3 (tiga) berkas",
                        "Diterima tanggal", "HENDRA SAPUTRA"],
    "sk_panitia": ["KEPUTUSAN KEPALA DINAS PENANAMAN MODAL", "NOMOR 500.15.5/0014/TK/2027",
                   "Menimbang", "Mengingat", "MEMUTUSKAN", "Menetapkan", "KESATU", "KEEMPAT",
                   "SUSUNAN PANITIA", "RINA MARLINA", "NIP. 19850724 201001 2 015",
                   "Ditetapkan di Pagar Alam", "11 Januari 2027"],
    "daftar_peserta": ["DAFTAR PESERTA", "AHMAD FAUZI", "1672011002000001",
                       "PUTRI AYU LESTARI", "Jumlah peserta: 12 orang"],
    "laporan_pelatihan": ["LAPORAN PELAKSANAAN PELATIHAN", "12 orang", "Kendala", "Saran",
                          "12 Februari 2027", "HENDRA SAPUTRA"],
    "kuesioner_skm": ["KUESIONER SURVEI KEPUASAN MASYARAKAT", "AK1/2026/00042", "Rina Marlina",
                      "Persyaratan", "Sarana dan Prasarana", "Dikelola dengan baik",
                      "Saran dan masukan"],
}


def test_every_type_has_expectations_sample_and_template() -> None:
    assert set(EXPECTED) == set(DOCUMENT_TYPES)
    for code, doc_type in DOCUMENT_TYPES.items():
        assert doc_type.code == code
        assert doc_type.paper in PAPER_SIZES
        assert (renderer.templates_dir() / doc_type.template).is_file()
        assert find_missing(code, sample_context(code)) == [], code


@pytest.mark.parametrize("code", CODES)
def test_renders_with_paper_size(code: str) -> None:
    pdf = _pdf(code)
    assert pdf.startswith(b"%PDF-")
    width, height = PAPER_SIZES[DOCUMENT_TYPES[code].paper].points
    for w, h in _page_sizes(pdf):
        assert w == pytest.approx(width, abs=0.5)
        assert h == pytest.approx(height, abs=0.5)


def test_paper_points() -> None:
    assert PAPER_SIZES["A4"].points == pytest.approx((595.3, 841.9), abs=0.5)
    assert PAPER_SIZES["F4"].points == pytest.approx((609.4, 935.4), abs=0.5)


@pytest.mark.parametrize("code", ["surat_klaim_jht", "sk_panitia", "formulir_jakon"])
def test_f4_paper(code: str) -> None:
    for w, h in _page_sizes(_pdf(code, "F4")):
        assert (w, h) == pytest.approx((609.4, 935.4), abs=0.5)


@pytest.mark.parametrize("code", CODES)
def test_key_fields_in_text_and_no_none(code: str, tmp_path: Path) -> None:
    text = _text(_pdf(code), tmp_path)
    for expected in EXPECTED[code]:
        assert expected in text, f"{code}: '{expected}' not found"
    assert "None" not in text
    assert "Undefined" not in text
    # dates always spelled "28 November 2026", never ISO
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)


@pytest.mark.parametrize("code", CODES)
def test_only_shipped_liberation_fonts_embedded(code: str) -> None:
    reader = pypdf.PdfReader(io.BytesIO(_pdf(code)))
    names: set[str] = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            names.add(name)
            descendants = font.get("/DescendantFonts")
            desc = descendants[0].get_object()["/FontDescriptor"] if descendants else (
                font.get("/FontDescriptor"))
            assert desc is not None and any(
                k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            ), f"{name} is not embedded"
    assert names, "no fonts found"
    allowed = re.compile(r"^Liberation-(Serif|Sans)(-(Bold|Italic|BoldItalic))?$")
    assert all(allowed.match(n) for n in names), names


@pytest.mark.parametrize(
    ("value", "amount", "words"),
    [
        (50_000_000, "Rp 120.000", "Seratus dua puluh ribu rupiah"),
        (350_000_000, "Rp 715.000", "Tujuh ratus lima belas ribu rupiah"),
        (2_000_000_000, "Rp 2.950.000", "Dua juta sembilan ratus lima puluh ribu rupiah"),
        (7_500_000_000, "Rp 9.050.000", "Sembilan juta lima puluh ribu rupiah"),
    ],
)
def test_jakon_contribution_amounts(value: int, amount: str, words: str, tmp_path: Path) -> None:
    from desktop_app.core.contributions import compute_jakon_contribution

    ctx = sample_context("formulir_jakon")
    ctx["data"]["nilai_kontrak"] = value
    ctx["contribution"] = compute_jakon_contribution(value)
    pdf = render_document("formulir_jakon", ctx)
    if shutil.which("pdftotext"):
        assert f"Total Iuran JKK dan JKM {amount}" in _text(pdf, tmp_path, layout=True)
    text = _text(pdf, tmp_path)
    assert amount in text
    assert f"Terbilang: {words}." in text


# ----------------------------------------------------------------- completeness checks


def test_find_missing_reports_signer_nip() -> None:
    ctx = sample_context("surat_klaim_jht")
    del ctx["signature"]["nip"]
    assert ("signature.nip", "NIP penanda tangan") in find_missing("surat_klaim_jht", ctx)
    ctx["signature"]["nip"] = "   "
    assert [p for p, _ in find_missing("surat_klaim_jht", ctx)] == ["signature.nip"]


def test_find_missing_reports_emblem() -> None:
    ctx = sample_context("rekomendasi_paspor")
    ctx["office"]["emblem"] = None
    assert find_missing("rekomendasi_paspor", ctx) == [("office.emblem", "Lambang daerah")]


def test_find_missing_reports_empty_participant_list() -> None:
    ctx = sample_context("daftar_peserta")
    ctx["peserta"] = []
    assert ("peserta", "Daftar peserta") in find_missing("daftar_peserta", ctx)
    with pytest.raises(IncompleteDocument) as info:
        render_document("daftar_peserta", ctx)
    assert "Daftar peserta" in info.value.message


def test_find_missing_walks_objects_and_conditional_rules() -> None:
    ctx = sample_context("formulir_jakon")
    assert find_missing("formulir_jakon", ctx) == []
    ctx["contribution"] = None
    assert [p for p, _ in find_missing("formulir_jakon", ctx)] == ["contribution"]

    ctx = sample_context("surat_klaim_jht")  # signed a.n. Kepala Dinas
    ctx["signature"]["atas_nama"] = "a.n."
    ctx["signature"]["jabatan_atas_nama"] = ""
    assert [p for p, _ in find_missing("surat_klaim_jht", ctx)] == [
        "signature.jabatan_atas_nama"
    ]
    # The return letter is handed over by the clerk: no official's signature is needed.
    ctx = sample_context("surat_pengembalian")
    ctx["signature"] = None
    assert find_missing("surat_pengembalian", ctx) == []
    ctx = sample_context("sk_panitia")  # electronically signed
    ctx["signature"]["qr_payload"] = None
    assert [p for p, _ in find_missing("sk_panitia", ctx)] == ["signature.qr_payload"]
    ctx["signature"]["atas_nama"] = "u.p."
    assert "signature.atas_nama" in [p for p, _ in find_missing("sk_panitia", ctx)]


def test_receipt_needs_no_official_signer() -> None:
    ctx = sample_context("tanda_terima")
    del ctx["signature"]
    assert find_missing("tanda_terima", ctx) == []


def test_unknown_document_type() -> None:
    with pytest.raises(KeyError):
        find_missing("tidak_ada", {})


# ----------------------------------------------------------------- strict rendering


def test_strict_undefined_raises_on_missing_key() -> None:
    ctx = sample_context("surat_klaim_jht")
    del ctx["data"]["nomor_kpj"]
    template = DOCUMENT_TYPES["surat_klaim_jht"].template
    with pytest.raises(MissingDocumentData) as info:
        render_pdf(template, ctx)
    assert isinstance(info.value, jinja2.UndefinedError)
    assert "nomor_kpj" in info.value.message
    del ctx["office"]
    with pytest.raises(jinja2.UndefinedError):
        render_html(template, ctx)


def test_none_value_is_never_printed() -> None:
    ctx = sample_context("rekomendasi_paspor")
    ctx["data"]["negara_tujuan"] = None
    with pytest.raises(MissingDocumentData):
        render_html(DOCUMENT_TYPES["rekomendasi_paspor"].template, ctx)
    ctx = sample_context("rekomendasi_paspor")
    ctx["berlaku_sampai"] = None  # through a filter
    with pytest.raises(MissingDocumentData):
        render_html(DOCUMENT_TYPES["rekomendasi_paspor"].template, ctx)


def test_unknown_paper_rejected() -> None:
    with pytest.raises(ValueError, match="Ukuran kertas"):
        render_pdf("documents/surat_klaim_jht.html.j2", sample_context("surat_klaim_jht"), "B5")


# ----------------------------------------------------------------- signature block


def _html(code: str, **signature: object) -> str:
    ctx = sample_context(code)
    ctx["signature"].update(signature)
    return render_html(DOCUMENT_TYPES[code].template, ctx)


def test_signature_prefixes_and_signed_state() -> None:
    html = _html("rekomendasi_paspor", atas_nama="Plh.", jabatan_atas_nama=None)
    assert "Plh. Kepala Bidang Tenaga Kerja," in html
    assert "a.n." not in html
    html = _html("rekomendasi_paspor")
    assert "a.n. Kepala Dinas Penanaman Modal" in html
    assert "Ditandatangani secara elektronik" not in html
    assert 'class="space"' in html
    html = _html("rekomendasi_paspor", signed=True, qr_payload="https://contoh/v/ABC")
    assert "Ditandatangani secara elektronik" in html
    assert "data:image/svg+xml" in html
    assert "19780312 200501 1 003" in html


def test_letter_heading_blocks() -> None:
    html = render_html(
        DOCUMENT_TYPES["surat_klaim_jht"].template, sample_context("surat_klaim_jht")
    )
    for word in ("Nomor", "Sifat", "Lampiran", "Hal", "Yth.", "di –", "Tembusan",
                 "PEMERINTAH KOTA PAGAR ALAM", "Pagar Alam, 28 November 2026",
                 "Kode verifikasi"):
        assert word in html


# ----------------------------------------------------------------- helpers, import cost


def test_qr_and_data_uri_filters() -> None:
    assert renderer.qr_svg("JHT-2026-00042").startswith("data:image/svg+xml")
    assert renderer.data_uri(b"\x89PNG").startswith("data:image/png;base64,")
    assert renderer.data_uri("data:image/png;base64,AAAA") == "data:image/png;base64,AAAA"
    emblem = renderer.resource_data_uri("images", "lambang_placeholder.svg")
    assert emblem.startswith("data:image/svg+xml")
    with pytest.raises(MissingDocumentData):
        renderer.qr_svg("")


def test_fonts_and_license_shipped() -> None:
    from desktop_app.resources import resource_path

    fonts = resource_path("fonts")
    for family in ("LiberationSerif", "LiberationSans"):
        for style in ("Regular", "Bold", "Italic", "BoldItalic"):
            assert (fonts / f"{family}-{style}.ttf").is_file()
    assert "SIL OPEN FONT LICENSE" in (fonts / "LICENSE-Liberation-OFL.txt").read_text()


def test_import_does_not_load_weasyprint() -> None:
    code = (
        "import sys; import desktop_app.core.documents as d; "
        "import desktop_app.core.documents.catalog, desktop_app.core.documents.samples; "
        "print('weasyprint' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout.strip()
    assert out == "False"


def test_catalog_helpers() -> None:
    codes = [t.code for t in catalog.documents_for_sop("paspor")]
    assert codes == ["tanda_terima", "surat_pengembalian", "rekomendasi_paspor", "pengesahan_pp",
                     "kuesioner_skm"]
    assert catalog.document_type("sk_panitia").is_letter is False
    assert samples.sample_context("sk_panitia") is not samples.sample_context("sk_panitia")
