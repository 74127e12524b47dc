"""The letter returning an incomplete application (surat pengembalian), every SOP."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from desktop_app.core.documents.kinds.base import (
    APPLICANT_CASE,
    LETTER,
    Build,
    DocumentType,
    Kind,
)

TYPES = (
    DocumentType(
        "surat_pengembalian", "Surat Pengembalian Berkas Permohonan", ("*",),
        "documents/surat_pengembalian.html.j2", needs_signer=False,  # the clerk hands it over
        required=[
            *LETTER, *APPLICANT_CASE,
            ("pemohon.alamat", "Alamat pemohon"),
            ("missing_requirements", "Persyaratan yang belum lengkap"),
        ],
    ),
)


def build(b: Build, ctx: dict[str, Any]) -> None:
    from sqlalchemy import select

    from desktop_app.core.cases import missing_requirements
    from desktop_app.core.models import RequirementCheck, StepEvent, User

    s, case = b.s, b.case
    checks = {c.requirement_code: c.present for c in s.scalars(
        select(RequirementCheck).where(RequirementCheck.case_id == case.id))}
    missing = missing_requirements(b.sop, checks)
    note = (case.attention_note or "").strip()
    if not missing and note:  # returned for another reason: the clerk's note is the item
        missing, note = [note], ""
    ctx["missing_requirements"] = missing
    ctx["catatan_petugas"] = note
    returned_by = s.scalar(select(StepEvent.user_id).where(
        StepEvent.case_id == case.id, StepEvent.action == "tidak_lengkap")
        .order_by(StepEvent.id.desc()).limit(1))
    clerk = s.get(User, returned_by or case.registered_by_id)
    ctx["petugas"] = {"nama": clerk.full_name if clerk else None,
                      "nip": (clerk.nip if clerk else None) or None}
    ctx["tembusan"] = []


def sample(code: str) -> dict[str, Any]:
    from desktop_app.core.documents import samples as sm

    ctx = sm._base(
        sm._document("500.15.2/0311/TK/2026", "Pengembalian Berkas Permohonan"),
        sm.kepala_bidang(),
    )
    ctx.update(
        case=sm._case("jht", "JHT-2026-00042", datetime(2026, 11, 28, 9, 41)),
        pemohon={"nama": sm._JHT_DATA["nama"], "alamat": "Pagar Alam"},
        layanan="Registrasi Klaim BPJS Ketenagakerjaan Program Jaminan Hari Tua (JHT)",
        missing_requirements=[
            "Surat keterangan berhenti bekerja / paklaring",
            "Fotokopi Kartu Keluarga yang masih berlaku",
        ],
        catatan_petugas="Apabila perusahaan telah tutup, lampirkan surat pernyataan "
                        "bermeterai dan keterangan dari kelurahan setempat.",
        data=dict(sm._JHT_DATA),
        # Handed over by the clerk at the counter: no official signs it.
        signature=None,
        petugas={"nama": "DEDI KURNIAWAN, A.Md.", "nip": "199104182019031006"},
    )
    return ctx


KIND = Kind("return_letter", TYPES, build, sample,
            hal={"surat_pengembalian": "Pengembalian Berkas Permohonan"})
