"""The receipt of an application's file (tanda terima), every SOP."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from desktop_app.core.documents.kinds.base import APPLICANT_CASE, Build, DocumentType, Kind

TYPES = (
    DocumentType(
        "tanda_terima", "Tanda Terima Berkas Permohonan", ("*",),
        "documents/tanda_terima.html.j2", paper="A5", is_letter=False, needs_signer=False,
        required=[
            *APPLICANT_CASE,
            ("persyaratan", "Daftar persyaratan"),
            ("petugas.nama", "Nama petugas penerima"),
            ("perkiraan_selesai", "Perkiraan tanggal selesai"),
        ],
    ),
)


def build(b: Build, ctx: dict[str, Any]) -> None:
    from sqlalchemy import select

    from desktop_app.core.models import RequirementCheck, User

    s, case, sop = b.s, b.case, b.sop
    checks = {c.requirement_code: c.present for c in s.scalars(
        select(RequirementCheck).where(RequirementCheck.case_id == case.id))}
    ctx["persyaratan"] = [
        {"label": f"{r.label} ({r.quantity})" if r.quantity else r.label,
         "diserahkan": bool(checks.get(r.code))} for r in sop.requirements]
    clerk = s.get(User, case.registered_by_id)
    ctx["petugas"] = {"nama": clerk.full_name if clerk else None,
                      "nip": (clerk.nip if clerk else None) or None}
    ctx["perkiraan_selesai"] = case.due_at.date() if case.due_at else None
    ctx["document"]["tanggal"] = case.registered_at.date()
    ctx["document"]["nomor"] = case.register_number


def sample(code: str) -> dict[str, Any]:
    from desktop_app.core.documents import samples as sm

    ctx = sm._base(sm._document(None, "Tanda Terima Berkas Permohonan"), sm.kepala_bidang())
    ctx.update(
        case=sm._case("jht", "JHT-2026-00042", datetime(2026, 11, 28, 9, 41)),
        pemohon={"nama": sm._JHT_DATA["nama"], "alamat": sm._JHT_DATA["alamat"],
                 "nik": sm._JHT_DATA["nik"], "telepon": "0812-7311-4590"},
        layanan="Registrasi Klaim BPJS Ketenagakerjaan Program Jaminan Hari Tua (JHT)",
        persyaratan=[{"label": r, "diserahkan": i != 3} for i, r in enumerate(sm._JHT_REQS)],
        petugas={"nama": "DEDI KURNIAWAN, A.Md.", "nip": "199104182019031006"},
        perkiraan_selesai=date(2026, 11, 30),
        data=dict(sm._JHT_DATA),
    )
    return ctx


KIND = Kind("receipt", TYPES, build, sample,
            hal={"tanda_terima": "Tanda Terima Berkas Permohonan"})
