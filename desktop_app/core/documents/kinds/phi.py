"""Industrial-dispute documents (phi): bipartite minutes, joint agreement, mediator letter."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from desktop_app.core.documents.kinds.base import (
    DATED,
    LETTER,
    MEETING,
    PHI_PARTIES,
    Build,
    DocumentType,
    Kind,
)

TYPES = (
    DocumentType(
        "risalah_bipartit", "Risalah Perundingan Bipartit", ("phi",),
        "documents/risalah_bipartit.html.j2", is_letter=False,
        required=[
            *DATED, *PHI_PARTIES, *MEETING,
            ("meeting.pendapat_pekerja", "Pendapat pihak pekerja/buruh"),
            ("meeting.pendapat_pengusaha", "Pendapat pihak pengusaha"),
            ("meeting.hasil", "Hasil perundingan"),
        ],
    ),
    DocumentType(
        "perjanjian_bersama", "Perjanjian Bersama", ("phi",),
        "documents/perjanjian_bersama.html.j2", is_letter=False,
        required=[
            *DATED, *PHI_PARTIES, *MEETING,
            ("data.nik", "NIK pekerja/buruh"),
            ("data.jabatan_pimpinan", "Jabatan pimpinan perusahaan"),
            ("isi_kesepakatan", "Isi kesepakatan"),
        ],
    ),
    DocumentType(
        "surat_permohonan_mediator", "Surat Permohonan Bantuan Mediator", ("phi",),
        "documents/surat_permohonan_mediator.html.j2",
        required=[
            *LETTER, *PHI_PARTIES,
            ("data.dinas_tujuan_mediator", "Dinas tujuan (yang memiliki mediator)"),
            ("meetings", "Risalah perundingan bipartit"),
        ],
    ),
)


def _meeting(raw: Any) -> dict[str, Any]:
    from desktop_app.core.documents.context import _parse_date

    m = dict(raw)
    m["tanggal"] = _parse_date(m.get("tanggal"))
    m["sepakat"] = bool(m.get("sepakat"))
    return m


def build(b: Build, ctx: dict[str, Any]) -> None:
    meetings = [_meeting(m) for m in (b.case.data or {}).get("_bipartit", [])]
    if b.code == "risalah_bipartit":
        seq = b.seq
        meeting = meetings[seq - 1] if 0 < seq <= len(meetings) else None
        ctx["meeting"] = meeting
        if meeting and isinstance(meeting.get("tanggal"), date):
            ctx["document"]["tanggal"] = meeting["tanggal"]
        ctx["tembusan"] = []
    elif b.code == "perjanjian_bersama":
        agreed = next((m for m in reversed(meetings) if m.get("sepakat")), None)
        ctx["meeting"] = agreed
        ctx["isi_kesepakatan"] = list(agreed.get("isi_kesepakatan") or []) if agreed else []
        if agreed and isinstance(agreed.get("tanggal"), date):
            ctx["document"]["tanggal"] = agreed["tanggal"]
        ctx["tembusan"] = []
    else:
        from desktop_app.core.documents.context import signer_block
        from desktop_app.core.formatting import terbilang

        ctx["meetings"] = [m for m in meetings if not m.get("sepakat")]
        count = len(ctx["meetings"])
        # The minutes are attached to the letter itself (one PDF): say what is attached.
        ctx["document"].update(
            lampiran=f"{count} ({terbilang(count)}) berkas risalah bipartit" if count
            else "-", sifat="Segera")
        ctx["risalah_signature"] = signer_block(b.s, b.db, b.sop,
                                                b.sop.document("risalah_bipartit"))


def sample(code: str) -> dict[str, Any]:
    from desktop_app.core.documents import samples as sm

    ctx = sm._base(
        sm._document("500.15.3/0320/TK/2026", "Permohonan Bantuan Mediator Hubungan Industrial",
                     lampiran="1 (satu) berkas", sifat="Segera"),
        sm.kepala_dinas(),
        ["Arsip"],
    )
    ctx.update(case=sm._case("phi", "PHI-2026-00005", datetime(2026, 11, 3, 8, 30)),
               data=dict(sm._PHI_DATA))
    if code == "risalah_bipartit":
        ctx["document"].update(nomor=None, hal="Risalah Perundingan Bipartit",
                               tanggal=sm._MEETING_2["tanggal"])
        ctx["signature"] = sm.kepala_bidang(atas_nama=False)
        ctx["meeting"] = dict(sm._MEETING_2)
    elif code == "perjanjian_bersama":
        agreed = dict(sm._MEETING_2, hasil="Para pihak sepakat.", sepakat=True)
        ctx["document"].update(nomor=None, hal="Perjanjian Bersama",
                               tanggal=agreed["tanggal"])
        ctx["signature"] = sm.kepala_bidang(atas_nama=False)
        ctx["meeting"] = agreed
        ctx["isi_kesepakatan"] = [
            "PIHAK PERTAMA dan PIHAK KEDUA sepakat mengakhiri hubungan kerja terhitung "
            "sejak tanggal 1 Oktober 2026.",
            "PIHAK PERTAMA membayar kepada PIHAK KEDUA uang kompensasi pemutusan hubungan "
            "kerja sebesar Rp 38.500.000 (tiga puluh delapan juta lima ratus ribu rupiah) "
            "paling lambat tanggal 15 Desember 2026 melalui transfer ke rekening PIHAK "
            "KEDUA.",
            "PIHAK PERTAMA menerbitkan surat keterangan kerja (paklaring) bagi PIHAK KEDUA "
            "paling lambat 7 (tujuh) hari sejak Perjanjian Bersama ini ditandatangani.",
            "Dengan dilaksanakannya kesepakatan ini, PIHAK KEDUA tidak akan mengajukan "
            "tuntutan apa pun kepada PIHAK PERTAMA di kemudian hari.",
        ]
    else:
        ctx["meetings"] = [dict(sm._MEETING_1), dict(sm._MEETING_2)]
        ctx["document"]["lampiran"] = "2 (dua) berkas risalah bipartit"
        ctx["risalah_signature"] = sm.kepala_bidang(atas_nama=False)
    return ctx


KIND = Kind("phi", TYPES, build, sample, hal={
    "risalah_bipartit": "Risalah Perundingan Bipartit",
    "perjanjian_bersama": "Perjanjian Bersama",
    "surat_permohonan_mediator": "Permohonan Bantuan Mediator Hubungan Industrial",
})
