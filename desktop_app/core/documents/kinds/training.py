"""The training documents (pelatihan): work plan, invitation, cover letter, committee
decree, participant list and report."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from desktop_app.core.documents.kinds.base import (
    DATED,
    LETTER,
    NUMBERED,
    TRAINING,
    Build,
    DocumentType,
    Kind,
)

TYPES = (
    DocumentType(
        "rencana_kerja", "Rencana Kerja Kegiatan Pelatihan", ("pelatihan",),
        "documents/rencana_kerja.html.j2", is_letter=False,
        required=[
            *DATED, *TRAINING,
            ("data.sumber_dana", "Sumber dana"),
            ("data.kuota_peserta", "Kuota peserta"),
            ("jadwal", "Jadwal kegiatan"),
        ],
    ),
    DocumentType(
        "undangan_pelatihan", "Surat Undangan Pelatihan", ("pelatihan",),
        "documents/undangan_pelatihan.html.j2",
        required=[
            *LETTER, *TRAINING,
            ("data.kuota_peserta", "Kuota peserta"),
            ("kabupaten_tujuan", "Kabupaten/kota tujuan"),
        ],
    ),
    DocumentType(
        "surat_pengantar", "Surat Pengantar Undangan Pelatihan", ("pelatihan",),
        "documents/surat_pengantar.html.j2",
        required=[*NUMBERED, *TRAINING, ("kabupaten_tujuan", "Kabupaten/kota tujuan")],
    ),
    DocumentType(
        "sk_panitia", "Keputusan Kepala Dinas tentang Pembentukan Panitia Pelatihan",
        ("pelatihan",), "documents/sk_panitia.html.j2", is_letter=False,
        required=[
            *NUMBERED, *TRAINING,
            ("data.sumber_dana", "Sumber dana"),
            ("panitia", "Susunan panitia"),
        ],
    ),
    DocumentType(
        "daftar_peserta", "Daftar Peserta Pelatihan", ("pelatihan",),
        "documents/daftar_peserta.html.j2", is_letter=False,
        required=[*DATED, *TRAINING, ("peserta", "Daftar peserta")],
    ),
    DocumentType(
        "laporan_pelatihan", "Laporan Pelaksanaan Pelatihan", ("pelatihan",),
        "documents/laporan_pelatihan.html.j2", is_letter=False,
        required=[
            *DATED, *TRAINING,
            ("data.sumber_dana", "Sumber dana"),
            ("data.kuota_peserta", "Kuota peserta"),
            ("peserta", "Daftar peserta"),
            ("laporan.ringkasan", "Ringkasan pelaksanaan"),
            ("laporan.jumlah_hadir", "Jumlah peserta hadir"),
            ("laporan.hasil", "Hasil pelatihan"),
        ],
    ),
)


def _dash(value: Any) -> Any:
    return "-" if value is None or (isinstance(value, str) and not value.strip()) else value


def lists_for_training(data: Mapping[str, Any], ctx: dict[str, Any]) -> None:
    """The training lists of the context (destinations, committee, participants, …)."""
    ctx["kabupaten_tujuan"] = [
        (row.get("nama") if isinstance(row, Mapping) else str(row))
        for row in data.get("kabupaten_tujuan") or []
        if (row.get("nama") if isinstance(row, Mapping) else row)]
    ctx["panitia"] = [{k: _dash(row.get(k)) for k in
                       ("nama", "nip", "jabatan_dinas", "jabatan_panitia")}
                      for row in data.get("panitia") or []]
    ctx["peserta"] = [{k: _dash(row.get(k)) for k in
                       ("nama", "nik", "jenis_kelamin", "asal", "pendidikan")}
                      for row in data.get("peserta") or []]
    # Where the participants come from, counted from the participant list itself.
    origins: dict[str, int] = {}
    for row in data.get("peserta") or []:
        origin = " ".join(str(row.get("asal") or "").split())
        if origin:
            origins[origin] = origins.get(origin, 0) + 1
    ctx["asal_peserta"] = [f"{name} ({count} orang)" for name, count in origins.items()]
    ctx["jadwal"] = [{"tanggal": row.get("tanggal"), "kegiatan": row.get("kegiatan")}
                     for row in data.get("jadwal") or [] if row.get("tanggal")]
    ctx["laporan"] = {
        "ringkasan": data.get("laporan_ringkasan"),
        "jumlah_hadir": data.get("laporan_jumlah_hadir"),
        "hasil": data.get("laporan_hasil"),
        "kendala": data.get("laporan_kendala") or "",
        "saran": data.get("laporan_saran") or "",
    }


def build(b: Build, ctx: dict[str, Any]) -> None:
    lists_for_training(b.data, ctx)
    if b.code == "undangan_pelatihan":
        ctx["document"]["lampiran"] = "1 (satu) lembar"
        ctx["tembusan"] = ["Kepala Bidang Tenaga Kerja", "Arsip"]
    else:
        ctx["tembusan"] = []


def sample(code: str) -> dict[str, Any]:
    from desktop_app.core.documents import samples as sm

    training_docs = {
        "rencana_kerja": (None, "Rencana Kerja Kegiatan Pelatihan", sm.kepala_bidang(False)),
        "undangan_pelatihan": ("500.15.5/0012/TK/2027", "Undangan Pelatihan",
                               sm.kepala_dinas()),
        "surat_pengantar": ("500.15.5/0013/TK/2027", "Surat Pengantar",
                            sm.kepala_bidang(atas_nama=False)),
        "sk_panitia": ("500.15.5/0014/TK/2027", "Pembentukan Panitia Pelatihan",
                       sm.kepala_dinas(signed=True)),
        "daftar_peserta": (None, "Daftar Peserta Pelatihan", sm.kepala_bidang(False)),
        "laporan_pelatihan": (None, "Laporan Pelaksanaan Pelatihan", sm.kepala_bidang(False)),
    }
    nomor, hal, sig = training_docs[code]
    doc = sm._document(nomor, hal, kode="P3LT-2027-0014" if code == "sk_panitia" else None)
    doc["tanggal"] = date(2027, 1, 11) if code != "laporan_pelatihan" else date(2027, 2, 12)
    if code == "undangan_pelatihan":
        doc["lampiran"] = "1 (satu) lembar"
    ctx = sm._base(doc, sig, ["Kepala Bidang Tenaga Kerja", "Arsip"]
                   if code == "undangan_pelatihan" else [])
    ctx.update(case=sm._case("pelatihan", "PLT-2027-00001", datetime(2027, 1, 11, 8, 0)))
    ctx.update(sm._training_common())
    return ctx


KIND = Kind("training", TYPES, build, sample, hal={
    "rencana_kerja": "Rencana Kerja Kegiatan Pelatihan",
    "undangan_pelatihan": "Undangan Pelatihan",
    "surat_pengantar": "Surat Pengantar",
    "sk_panitia": "Pembentukan Panitia Pelatihan",
    "daftar_peserta": "Daftar Peserta Pelatihan",
    "laporan_pelatihan": "Laporan Pelaksanaan Pelatihan",
})
