"""The JKK/JKM registration form for construction work (jakon)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from desktop_app.core.documents.kinds.base import JAKON, LETTER, Build, DocumentType, Kind

TYPES = (
    DocumentType(
        "formulir_jakon", "Formulir Pendaftaran JKK dan JKM Jasa Konstruksi", ("jakon",),
        "documents/formulir_jakon.html.j2", required=[*LETTER, *JAKON],
    ),
)


def build(b: Build, ctx: dict[str, Any]) -> None:
    from desktop_app.core.contributions import compute_jakon_contribution

    data = b.data
    value = data.get("nilai_kontrak")
    ctx["contribution"] = compute_jakon_contribution(int(value)) if value else None
    ctx["tembusan"] = [f"Pimpinan {data.get('nama_perusahaan')}", "Arsip"] \
        if data.get("nama_perusahaan") else ["Arsip"]


def sample(code: str) -> dict[str, Any]:
    from desktop_app.core.contributions import compute_jakon_contribution
    from desktop_app.core.documents import samples as sm

    ctx = sm._base(
        sm._document("500.15.2/0315/TK/2026",
                     "Pendaftaran Kepesertaan Program JKK dan JKM Jasa Konstruksi"),
        sm.kepala_bidang(), [f"Pimpinan {sm._JAKON_DATA['nama_perusahaan']}", "Arsip"],
    )
    ctx.update(
        case=sm._case("jakon", "JAKON-2026-00017", datetime(2026, 11, 27, 10, 5)),
        data=dict(sm._JAKON_DATA),
        contribution=compute_jakon_contribution(sm._JAKON_DATA["nilai_kontrak"]),
    )
    return ctx


KIND = Kind("jakon", TYPES, build, sample, hal={
    "formulir_jakon": "Pendaftaran Kepesertaan Program JKK dan JKM Jasa Konstruksi"})
