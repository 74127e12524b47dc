"""The job-seeker card *Kartu Tanda Bukti Pendaftaran Pencari Kerja* (AK/I), Permenaker 39/2016.

The card is printed by :func:`render_card_pdf` from the template
``resources/templates/card/kartu_ak1.html.j2`` as **three pages of 105 × 148 mm (A6
portrait)**, one page per face:

1. face 1 — kop, title, No. Pencari Kerja, NIK, photo 3×4, holder's signature, identity;
2. face 2 — education, skills, work experience, "Berlaku s/d", the official's signature;
3. the back — the rules (*ketentuan*), the four six-monthly report boxes and the
   "Diterima di … / TMT …" boxes.

A6 is the usual folded card stock: two A6 panels make one A5 sheet, so the card can be
printed on pre-cut A6 yellow card (one face per sheet side) or two-up on A5 and folded.
The template sets its own ``@page`` size (an author rule, which wins over the renderer's
paper size), so any ``paper`` passed to the renderer is ignored for this document.

The card is laid out true to the stock; the printer's *print offset* that lines it up with
pre-printed card stock is applied when printing (``desktop_app.core.printing``), so the
stored and signed card is the same whichever printer it goes to.
"""

from __future__ import annotations

import calendar
import io
from datetime import date
from typing import Any

from desktop_app.core.documents.renderer import data_uri, render_html, render_pdf

__all__ = [
    "CARD_PAGE_SIZE_MM",
    "CARD_TEMPLATE",
    "REPORT_COUNT",
    "REPORT_INTERVAL_MONTHS",
    "VALIDITY_YEARS",
    "add_months",
    "card_valid_until",
    "placeholder_photo",
    "render_card_html",
    "render_card_pdf",
    "report_due_dates",
    "sample_card_context",
    "sample_office",
]

CARD_TEMPLATE = "card/kartu_ak1.html.j2"
CARD_PAGE_SIZE_MM: tuple[float, float] = (105.0, 148.0)
"""Width and height of one card face (A6 portrait); keep in step with the template."""

VALIDITY_YEARS = 2
REPORT_INTERVAL_MONTHS = 6
REPORT_COUNT = 4


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months; a day that does not exist in the target
    month becomes that month's last day (31 August + 6 months → 28/29 February)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def card_valid_until(registered: date) -> date:
    """Last day of validity: registration date + 2 years (29 February → 28 February)."""
    return add_months(registered, 12 * VALIDITY_YEARS)


def report_due_dates(registered: date) -> list[date]:
    """The four report dates (*laporan ke-1 … ke-4*): every 6 months after registration;
    the fourth falls on the last day of validity."""
    return [add_months(registered, REPORT_INTERVAL_MONTHS * k)
            for k in range(1, REPORT_COUNT + 1)]


# --------------------------------------------------------------------------- rendering


def _with_defaults(context: dict[str, Any]) -> dict[str, Any]:
    """Fill the optional keys the template reads, so callers may leave them out."""
    values = dict(context)
    card = dict(values.get("card") or {})
    card.setdefault("photo", None)
    if "berlaku_sampai" not in card and isinstance(card.get("tanggal_daftar"), date):
        card["berlaku_sampai"] = card_valid_until(card["tanggal_daftar"])
    if "laporan" not in card and isinstance(card.get("tanggal_daftar"), date):
        card["laporan"] = report_due_dates(card["tanggal_daftar"])
    values["card"] = card
    return values


def render_card_html(context: dict[str, Any]) -> str:
    """The card as HTML (three faces)."""
    return render_html(CARD_TEMPLATE, _with_defaults(context), paper="card")


def render_card_pdf(context: dict[str, Any]) -> bytes:
    """The card as PDF: three pages of :data:`CARD_PAGE_SIZE_MM`."""
    return render_pdf(CARD_TEMPLATE, _with_defaults(context), paper="card")


# --------------------------------------------------------------------------- demo data


def placeholder_photo(width: int = 300, height: int = 400) -> str:
    """A plain 3×4 pas-foto placeholder (head-and-shoulders silhouette on the red
    background of an Indonesian pas foto) as a PNG data URI."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height), (190, 40, 45))
    draw = ImageDraw.Draw(img)
    body = (110, 110, 118)
    cx = width // 2
    # shoulders: a wide ellipse cut by the bottom edge
    draw.ellipse((cx - int(width * 0.48), int(height * 0.68),
                  cx + int(width * 0.48), int(height * 1.25)), fill=body)
    # neck
    draw.rectangle((cx - int(width * 0.09), int(height * 0.52),
                    cx + int(width * 0.09), int(height * 0.72)), fill=body)
    # head
    draw.ellipse((cx - int(width * 0.2), int(height * 0.17),
                  cx + int(width * 0.2), int(height * 0.6)), fill=body)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return data_uri(buf.getvalue(), "image/png")


def _placeholder_signature(width: int = 360, height: int = 140) -> str:
    """A drawn scribble standing in for a scanned signature (transparent PNG)."""
    import math

    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    points = []
    for i in range(121):
        t = i / 120
        x = 20 + t * (width - 40)
        y = height / 2 + math.sin(t * 11) * 32 * (1 - t * 0.6) + math.cos(t * 27) * 10
        points.append((x, y))
    draw.line(points, fill=(20, 30, 110, 255), width=5, joint="curve")
    draw.line([(40, height - 30), (width - 60, height - 42)], fill=(20, 30, 110, 255), width=4)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return data_uri(buf.getvalue(), "image/png")


def sample_office() -> dict[str, Any]:
    """The office profile used by the demos and tests (the real one comes from settings)."""
    from desktop_app.core.documents.renderer import resource_data_uri

    return {
        "pemerintah": "Pemerintah Kota Pagar Alam",
        "nama_dinas": "Dinas Penanaman Modal, Pelayanan Terpadu Satu Pintu dan Tenaga Kerja",
        "bidang": "Bidang Tenaga Kerja",
        "kota": "Pagar Alam",
        "kode_pos": "31512",
        "alamat": "Jalan Laskar Wanita Nomor 1, Kelurahan Dempo Makmur",
        "telepon": "(0730) 621000",
        "website": "dpmptsptk.pagaralamkota.go.id",
        "email": "dpmptsptk@pagaralamkota.go.id",
        "emblem": resource_data_uri("images", "lambang_placeholder.svg"),
    }


def sample_card_context(registered: date | None = None, *, signed: bool = True) -> dict[str, Any]:
    """A realistic demo card (invented person) registered on ``registered``
    (default 28 November 2026, so it is valid until 28 November 2028)."""
    registered = registered or date(2026, 11, 28)
    return {
        "office": sample_office(),
        "case": {"register_number": "AK1-2026-00042"},
        "data": {
            "nik": "1672015403010003",
            "nama": "SITI NURHALIZA",
            "tempat_lahir": "Pagar Alam",
            "tanggal_lahir": date(2001, 3, 14),
            "jenis_kelamin": "P",
            "status_kawin": "Belum Kawin",
            "agama": "Islam",
            "alamat": "Jalan Serma Wanar Gang Melati Nomor 12",
            "rt": "003",
            "rw": "002",
            "kelurahan": "Bangun Rejo",
            "kecamatan": "Pagar Alam Utara",
            "pendidikan_tingkat": "D-III",
            "pendidikan_sekolah": "Politeknik Negeri Sriwijaya",
            "pendidikan_jurusan": "Akuntansi",
            "pendidikan_tahun_lulus": "2022",
            "keterampilan": ["Komputer perkantoran (Word, Excel)",
                             "Pembukuan dan perpajakan dasar", "Bahasa Inggris pasif"],
            "pengalaman_kerja": ["Kasir, Toko Sumber Rezeki, Pagar Alam (2022–2024)",
                                 "Staf administrasi magang, Koperasi Teh Dempo (2021)"],
            "nomor_siapkerja": "SK-1672-2026-0081234",
        },
        "card": {
            "nomor_pencari_kerja": "1672-2026-00042",
            "tanggal_daftar": registered,
            "berlaku_sampai": card_valid_until(registered),
            "laporan": report_due_dates(registered),
            "photo": placeholder_photo(),
        },
        "signature": {
            "jabatan": "Kepala Bidang Tenaga Kerja",
            "atas_nama": "a.n.",
            "jabatan_atas_nama": "Kepala Dinas",
            "nama": "Drs. HENDRI SAPUTRA, M.Si",
            "pangkat": "Pembina / IV.a",
            "nip": "197205141998031004",
            "signed": signed,
            "image": _placeholder_signature() if signed else None,
            "qr_payload": "https://dpmptsptk.pagaralamkota.go.id/verifikasi/K7Q2-M4XD",
        },
        "document": {
            "nomor": "1672-2026-00042",
            "tanggal": registered,
            "kode_verifikasi": "K7Q2-M4XD",
        },
    }
