"""Claim and recommendation letters: the JHT claim letter (JHT), the passport
recommendation and the placement-agreement sheet (paspor)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from desktop_app.core.documents.kinds.base import (
    CPMI,
    JHT,
    LETTER,
    NUMBERED,
    Build,
    DocumentType,
    Kind,
)

TYPES = (
    DocumentType(
        "surat_klaim_jht", "Surat Rekomendasi Klaim Jaminan Hari Tua", ("jht",),
        "documents/surat_klaim_jht.html.j2", required=[*LETTER, *JHT],
    ),
    DocumentType(
        "rekomendasi_paspor", "Rekomendasi Pembuatan Paspor", ("paspor",),
        "documents/rekomendasi_paspor.html.j2",
        required=[
            *LETTER, *CPMI,
            ("data.tempat_lahir", "Tempat lahir"),
            ("data.tanggal_lahir", "Tanggal lahir"),
            ("data.jenis_kelamin", "Jenis kelamin"),
            ("data.nomor_ak1", "Nomor kartu AK/I"),
            ("data.kantor_imigrasi", "Kantor imigrasi tujuan"),
            ("berlaku_sampai", "Masa berlaku rekomendasi"),
        ],
    ),
    DocumentType(
        "pengesahan_pp", "Lembar Mengetahui Perjanjian Penempatan", ("paspor",),
        "documents/pengesahan_pp.html.j2", is_letter=False,
        required=[
            *NUMBERED, *CPMI,
            ("data.nomor_perjanjian_penempatan", "Nomor perjanjian penempatan"),
            ("data.tanggal_perjanjian_penempatan", "Tanggal perjanjian penempatan"),
        ],
    ),
)


PHOTO_PATH = "foto.src"
"""Context path of the CPMI's pas foto on the passport recommendation."""


def photo_label(sop: Any) -> str:
    """The photo as the checklist labels it (the SOP's ``pas_foto…`` requirement)."""
    req = next((r for r in getattr(sop, "requirements", ()) if r.code.startswith("pas_foto")),
               None)
    return req.label if req is not None else "Pas foto 3x4"


def _photo(b: Build, ctx: dict[str, Any]) -> None:
    """``foto`` {tampil, src}: the CPMI's photo where the office's form has one; then a
    missing or unusable photo holds the letter like a missing field (tab Lampiran)."""
    from desktop_app.core.documents.photo import case_photo, photo_on_recommendation

    show = photo_on_recommendation(b.doc_settings)
    ctx["foto"] = {"tampil": show, "src": None}
    if not show:
        return
    found = case_photo(b.s, b.case.id)
    ctx["foto"]["src"] = found.uri
    where = "tab Lampiran" if found.problem is None else f"tab Lampiran: {found.problem}"
    ctx["_also_required"] = [*ctx.get("_also_required", []),
                             (PHOTO_PATH, f"{photo_label(b.sop)} ({where})")]


def build(b: Build, ctx: dict[str, Any]) -> None:
    if b.code == "surat_klaim_jht":
        return
    from desktop_app.core.documents.card import add_months

    if b.code == "rekomendasi_paspor":
        _photo(b, ctx)

    months = int(b.doc_settings.get("paspor_valid_months") or 3)
    ctx["berlaku_sampai"] = add_months(b.today, months)
    if b.data.get("nama_p3mi"):
        ctx["tembusan"] = [f"Pimpinan {b.data['nama_p3mi']}", "Arsip"]
    if b.code == "pengesahan_pp":
        ctx["tembusan"] = []


def sample(code: str) -> dict[str, Any]:
    from desktop_app.core.documents import samples as sm

    if code == "surat_klaim_jht":
        sig = sm.kepala_dinas(signed=True)
        sig["image"] = sm._demo_signature_image()
        ctx = sm._base(
            sm._document("500.15.2/0312/TK/2026",
                         "Rekomendasi Pengajuan Klaim Jaminan Hari Tua", kode="7KQ4-M2XD-93PA"),
            sig, ["Yang bersangkutan", "Arsip"],
        )
        ctx.update(case=sm._case("jht", "JHT-2026-00042", datetime(2026, 11, 28, 9, 41)),
                   data=dict(sm._JHT_DATA))
        return ctx
    ctx = sm._base(
        sm._document("500.15.4/0330/TK/2026", "Rekomendasi Pembuatan Paspor"),
        sm.kepala_bidang(), ["Pimpinan PT Sriwijaya Mitra Sejati", "Arsip"],
    )
    ctx.update(case=sm._case("paspor", "PASPOR-2026-00031", datetime(2026, 11, 26, 13, 15)),
               data=dict(sm._CPMI_DATA), berlaku_sampai=date(2027, 2, 28))
    if code == "rekomendasi_paspor":
        from desktop_app.core.documents.photo import demo_photo_png
        from desktop_app.core.documents.renderer import data_uri

        ctx["foto"] = {"tampil": True, "src": data_uri(demo_photo_png(), "image/png")}
    if code == "pengesahan_pp":
        ctx["document"].update(nomor="500.15.4/0331/TK/2026",
                               hal="Lembar Mengetahui Perjanjian Penempatan")
        ctx["tembusan"] = []
    return ctx


KIND = Kind("claims", TYPES, build, sample, hal={
    "surat_klaim_jht": "Rekomendasi Pengajuan Klaim Jaminan Hari Tua",
    "rekomendasi_paspor": "Rekomendasi Pembuatan Paspor",
    "pengesahan_pp": "Lembar Mengetahui Perjanjian Penempatan",
})
