"""Layout rules every template keeps (issue 12), checked on the rendered PDF's text:

* the signature block, "Mengetahui" block or tembusan is never alone on a page: the page
  that holds the signer also holds body text (the closing paragraph travels with it);
* the signer's name and NIP are on one page;
* the page header "- n -" appears only from page 2 and only for pages that exist;
* "Rp" never ends a line (a no-break space keeps it with the figure);
* unsigned renderings of signed types carry KONSEP.

Every document type is rendered from its sample (realistic) and from maximal data (long
names, many rows), on A4 and F4.
"""

from __future__ import annotations

import copy
import io
import re
import time
from typing import Any

import pytest
from pypdf import PdfReader

from desktop_app.core.documents.card import render_card_pdf, sample_card_context
from desktop_app.core.documents.catalog import DOCUMENT_TYPES, render_document
from desktop_app.core.documents.samples import as_draft, sample_context

LONG = " Bin Muhammad Abdurrahman Syahputra Wijayakusuma"


def _maximal(ctx: dict[str, Any]) -> dict[str, Any]:
    """Longest names, many rows: every list of the context (and of ``data``) ×4, names and
    company names made long."""
    out = copy.deepcopy(ctx)
    data = out.get("data") or {}
    for key in ("nama", "nama_perusahaan", "nama_pimpinan", "nama_p3mi", "nama_proyek",
                "nama_penanggung_jawab", "alamat", "alamat_perusahaan"):
        if isinstance(data.get(key), str):
            data[key] = data[key] + LONG
    for holder in (out, data):
        for key, value in list(holder.items()):
            if isinstance(value, list) and value and key not in ("tembusan",):
                holder[key] = (value * 4)[:48]
    if isinstance(out.get("pemohon"), dict) and out["pemohon"].get("nama"):
        out["pemohon"]["nama"] += LONG
    if out.get("tembusan"):
        out["tembusan"] = out["tembusan"] + ["Kepala Bidang Tenaga Kerja", "Yang bersangkutan"]
    return out


_WORD = re.compile(r"[A-Za-z0-9]+")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _signature_words(ctx: dict[str, Any]) -> set[str]:
    """Words of the signature area: position lines, name, rank, NIP, "Mengetahui", the
    tembusan, the place and date caption, the page header and the verification footer."""
    sig = ctx.get("signature") or {}
    parts = [str(sig.get(k) or "") for k in ("jabatan", "jabatan_atas_nama", "nama", "pangkat",
                                             "nip", "atas_nama")]
    parts += list(ctx.get("tembusan") or [])
    office = ctx.get("office") or {}
    parts += [str(office.get("kota") or ""), str(office.get("nama_dinas") or "")]
    parts += ["Mengetahui Tembusan NIP a n Plh Plt Ditetapkan di pada tanggal Disetujui oleh",
              "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November",
              "Desember Kode verifikasi Keaslian dokumen ini dapat diperiksa dengan memindai",
              "kode QR pada tanda tangan atau menanyakan kode tersebut kepada KONSEP",
              "Ditandatangani secara elektronik Arsip Pimpinan Kepala Bidang Tenaga Kerja",
              "Yang bersangkutan Pekerja Buruh"]
    words = set(_words(" ".join(parts)))
    words |= {str(n) for n in range(0, 3000)}
    return words


def _check(code: str, ctx: dict[str, Any], pdf: bytes, paper: str) -> list[str]:
    problems: list[str] = []
    pages = [(p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages]
    n = len(pages)
    sig = ctx.get("signature") or {}
    sig_words = _signature_words(ctx)
    for i, text in enumerate(pages, 1):
        for k in re.findall(r"- (\d+) -", text):
            if int(k) != i or i == 1:
                problems.append(f"{code}/{paper}: header '- {k} -' on page {i} of {n}")
        for line in text.splitlines():
            if re.search(r"\bRp\s*$", line):
                problems.append(f"{code}/{paper}: 'Rp' ends a line on page {i}: {line!r}")
        if i > 1:
            body = [w for w in _words(text) if w not in sig_words]
            if len(body) < 6:
                problems.append(f"{code}/{paper}: page {i} of {n} holds only the signature "
                                f"area ({' '.join(body)!r})")
    name, nip = sig.get("nama"), re.sub(r"\D", "", str(sig.get("nip") or ""))
    if name and nip and DOCUMENT_TYPES[code].needs_signer:
        flat = [re.sub(r"\s+", " ", t) for t in pages]
        digits = [re.sub(r"\D", "", t) for t in pages]
        together = [i for i in range(n) if name in flat[i] and nip in digits[i]]
        if not together:
            problems.append(f"{code}/{paper}: signer's name and NIP not on one page")
    return problems


def _cases() -> list[tuple[str, str, str]]:
    out = []
    for code, doc_type in DOCUMENT_TYPES.items():
        papers = ["A4", "F4"] if doc_type.paper in ("A4", "F4") else [doc_type.paper]
        for paper in papers:
            for variant in ("contoh", "maksimal"):
                out.append((code, paper, variant))
    return out


@pytest.mark.parametrize(("code", "paper", "variant"), _cases())
def test_every_document_type_keeps_the_layout_rules(code: str, paper: str,
                                                    variant: str) -> None:
    ctx = sample_context(code)
    if variant == "maksimal":
        ctx = _maximal(ctx)
    drafted = as_draft(copy.deepcopy(ctx), DOCUMENT_TYPES[code].is_letter)
    problems = []
    for context in (ctx, drafted):
        pdf = render_document(code, context, paper=paper)
        problems += _check(code, context, pdf, paper)
    assert not problems, "\n".join(problems)


def test_unsigned_renderings_say_konsep() -> None:
    ctx = as_draft(sample_context("surat_klaim_jht"))
    text = " ".join(p.extract_text() or "" for p in
                    PdfReader(io.BytesIO(render_document("surat_klaim_jht", ctx))).pages)
    assert "KONSEP" in text and "Ditandatangani secara elektronik" not in text
    card = as_draft(sample_card_context(signed=False))
    text = " ".join(p.extract_text() or "" for p in
                    PdfReader(io.BytesIO(render_card_pdf(card))).pages)
    assert "KONSEP" in text and "Kode verifikasi" not in text


def test_render_every_type_wall_time(record_property: Any) -> None:
    """The figure the issue asks for: every type, A4 and F4, sample and maximal."""
    start = time.perf_counter()
    count = 0
    for code, paper, variant in _cases():
        ctx = sample_context(code)
        if variant == "maksimal":
            ctx = _maximal(ctx)
        render_document(code, ctx, paper=paper)
        count += 1
    elapsed = time.perf_counter() - start
    record_property("render_every_type_seconds", round(elapsed, 2))
    print(f"\n{count} dokumen dirender dalam {elapsed:.1f} s")
    assert count >= 2 * len(DOCUMENT_TYPES)


def test_card_shrinks_long_lists_and_never_loses_its_signature() -> None:
    from desktop_app.core.documents.card import CardTooLong

    ctx = sample_card_context()
    data = ctx["data"]
    data["keterampilan"] = data["keterampilan"] * 3
    data["pengalaman_kerja"] = data["pengalaman_kerja"] * 3
    data["riwayat_pendidikan"] = [
        {"tingkat": "SMA", "sekolah": "SMA Negeri 1 Pagar Alam", "jurusan": "IPA",
         "tahun_lulus": "2018"},
        {"tingkat": "D-III", "sekolah": "Politeknik Negeri Sriwijaya", "jurusan": "Akuntansi",
         "tahun_lulus": "2022"}]
    pages = [p.extract_text() or "" for p in
             PdfReader(io.BytesIO(render_card_pdf(ctx))).pages]
    assert len(pages) == 3
    face2 = re.sub(r"\s+", " ", pages[1])
    assert "SMA Negeri 1 Pagar Alam" in face2 and "Politeknik Negeri Sriwijaya" in face2
    assert ctx["signature"]["nama"] in face2
    assert ctx["signature"]["nip"] in re.sub(r"\D", "", face2)
    data["keterampilan"] = data["keterampilan"] * 6
    with pytest.raises(CardTooLong) as exc:
        render_card_pdf(ctx)
    assert "Keterampilan terlalu panjang" in exc.value.message
    assert "(tab Data Permohonan)" in exc.value.message
