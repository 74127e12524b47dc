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

from desktop_app.core.documents.catalog import IncompleteDocument
from desktop_app.core.documents.renderer import data_uri, render_html

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


FIT_STEPS_PT = (7.5, 6.8, 6.2, 5.6)
"""Font sizes tried for the second face's lists, largest first; the last is the floor."""


class CardTooLong(IncompleteDocument):
    """The second face does not hold the lists even at the floor size."""


def _classes(box: Any) -> list[str]:
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None else []


def _walk(box: Any) -> Any:
    """Every box under ``box``, absolutely positioned ones included (``descendants()`` of
    WeasyPrint skips the faces' absolute inner boxes)."""
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _walk(child)


def _layout(html: str) -> Any:
    """The card laid out by WeasyPrint (the same stylesheets as ``html_to_pdf``)."""
    from weasyprint import HTML

    from desktop_app.core.documents.renderer import (
        _RENDER_LOCK,
        _base_url,
        _page_css,
        _weasy_assets,
    )

    with _RENDER_LOCK:
        font_config, fonts_css = _weasy_assets()
        return HTML(string=html, base_url=_base_url()).render(
            stylesheets=[fonts_css, _page_css("card")], font_config=font_config)


def _face2_overflows(html: str, doc: Any = None) -> bool:
    """Whether the second face's content (ending with the signature block) runs past its
    frame: the end marker on another page than the face, or below the frame's bottom."""
    doc = doc if doc is not None else _layout(html)
    face_page = end_page = None
    end_y = frame_bottom = 0.0
    verify_top: float | None = None
    for index, page in enumerate(doc.pages):
        for box in _walk(page._page_box):
            classes = _classes(box)
            if "face-2" in classes and face_page is None:
                face_page = index
            if "face2-end" in classes:
                end_page, end_y = index, box.position_y
            if "frame" in classes and index == face_page:
                frame_bottom = box.position_y + box.border_height()
            if "verify" in classes and index == face_page:  # the footer line at the bottom
                verify_top = box.position_y if verify_top is None else \
                    min(verify_top, box.position_y)
    if face_page is None:
        return False
    # No end marker at all: WeasyPrint dropped what did not fit in the absolute face.
    limit = min(frame_bottom, verify_top) if verify_top is not None else frame_bottom
    return end_page is None or end_page != face_page or end_y > limit


def _longest_list_label(context: dict[str, Any]) -> str:
    data = context.get("data") or {}
    sizes = {}
    for key, label in (("keterampilan", "Keterampilan"), ("pengalaman_kerja", "Pengalaman kerja"),
                       ("riwayat_pendidikan", "Riwayat pendidikan")):
        value = data.get(key)
        sizes[label] = len(" ".join(map(str, value))) if isinstance(value, list) else \
            len(str(value or ""))
    return max(sizes, key=lambda k: sizes[k])


def render_card_pdf(context: dict[str, Any]) -> bytes:
    """The card as PDF: three pages of :data:`CARD_PAGE_SIZE_MM`.

    The second face never loses its signature: long education, skills or experience lists
    are set smaller (:data:`FIT_STEPS_PT`); beyond the floor the card is refused with a
    :class:`CardTooLong` naming the longest field, and nothing is cut silently."""
    from desktop_app.core.documents.renderer import _RENDER_LOCK

    values = _with_defaults(context)
    for size in FIT_STEPS_PT:
        values["card"] = {**values["card"], "fit_pt": size}
        html = render_html(CARD_TEMPLATE, values, paper="card")
        doc = _layout(html)
        if not _face2_overflows(html, doc):
            with _RENDER_LOCK:
                return doc.write_pdf()
    label = _longest_list_label(values)
    raise CardTooLong(_CARD_DOC_TYPE(), [(
        "data", f"{label} terlalu panjang untuk kartu AK/I (tab Data Permohonan): persingkat "
                "isiannya agar tanda tangan, nama dan NIP pejabat tetap tercetak")])


def _CARD_DOC_TYPE() -> Any:  # noqa: N802 - a lazily imported constant
    from desktop_app.core.documents.context import CARD_TYPE

    return CARD_TYPE


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
