"""The AK/I job-seeker card (ak1), rendered by :mod:`desktop_app.core.documents.card`."""

from __future__ import annotations

from typing import Any

from desktop_app.core.documents.kinds.base import Build, DocumentType, Kind

CARD_CODE = "kartu_ak1"
DRAFT_CARD_NUMBER = "(belum bernomor)"
"""What a draft card shows in the job-seeker number's box."""

_CARD_DATA: list[tuple[str, str]] = [
    ("data.nik", "NIK"),
    ("data.nama", "Nama"),
    ("data.tempat_lahir", "Tempat lahir"),
    ("data.tanggal_lahir", "Tanggal lahir"),
    ("data.jenis_kelamin", "Jenis kelamin"),
    ("data.status_kawin", "Status perkawinan"),
    ("data.agama", "Agama"),
    ("data.alamat", "Alamat"),
    ("card.photo", "Pas foto 3×4"),
    ("card.nomor_pencari_kerja", "Nomor pencari kerja"),
    ("card.tanggal_daftar", "Tanggal pendaftaran"),
    ("document.tanggal", "Tanggal kartu"),
]

CARD_TYPE = DocumentType(
    CARD_CODE, "Kartu Tanda Bukti Pendaftaran Pencari Kerja (AK/I)", ("ak1",),
    "card/kartu_ak1.html.j2", paper="card", is_letter=False, needs_signer=True,
    required=_CARD_DATA,
)
"""The AK/I card as a document type (rendered by :mod:`card`, not by the catalog)."""


def _photo_uri(s: Any, case_id: int) -> str | None:
    from sqlalchemy import select

    from desktop_app.core.documents.renderer import data_uri
    from desktop_app.core.models import Attachment

    att = s.scalars(select(Attachment).where(Attachment.case_id == case_id,
                                             Attachment.kind == "pas_foto")
                    .order_by(Attachment.id.desc())).first()
    if att is None:
        return None
    return data_uri(att.content, att.mime_type or "image/jpeg")


def build(b: Build, ctx: dict[str, Any]) -> None:
    from desktop_app.core.documents.card import card_valid_until, report_due_dates

    registered = b.case.registered_at.date()
    ctx["card"] = {
        "nomor_pencari_kerja": b.number or DRAFT_CARD_NUMBER,
        "tanggal_daftar": registered,
        "berlaku_sampai": card_valid_until(registered),
        "laporan": report_due_dates(registered),
        "photo": _photo_uri(b.s, b.case.id),
    }
    data = b.data
    data["jenis_kelamin"] = {"Laki-laki": "L", "Perempuan": "P"}.get(
        data.get("jenis_kelamin"), data.get("jenis_kelamin"))
    ctx["document"]["tanggal"] = registered if b.number is None else b.today


def sample(code: str) -> dict[str, Any]:
    from desktop_app.core.documents.card import sample_card_context

    return sample_card_context()


KIND = Kind("card", (CARD_TYPE,), build, sample,
            hal={CARD_CODE: "Kartu Tanda Bukti Pendaftaran Pencari Kerja (AK/I)"},
            catalogued=False)
