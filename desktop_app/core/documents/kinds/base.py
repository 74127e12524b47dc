"""What every document kind is made of: :class:`DocumentType`, :class:`Kind`, :class:`Build`,
and the field groups the kinds share (office, letter head, signer, …)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = ["APPLICANT_CASE", "CPMI", "DATED", "JAKON", "JHT", "LETTER", "MEETING", "NUMBERED",
           "OFFICE", "PHI_PARTIES", "SIGNER", "TRAINING", "Build", "DocumentType", "Field",
           "Kind"]

Field = tuple[str, str]

# ----------------------------------------------------------------------- common groups

OFFICE: list[Field] = [
    ("office.pemerintah", "Nama pemerintah daerah"),
    ("office.nama_dinas", "Nama dinas"),
    ("office.alamat", "Alamat kantor"),
    ("office.telepon", "Telepon kantor"),
    ("office.website", "Laman kantor"),
    ("office.email", "Pos-el kantor"),
    ("office.kota", "Kota"),
    ("office.kode_pos", "Kode pos"),
    ("office.emblem", "Lambang daerah"),
]

LETTER: list[Field] = [
    ("document.nomor", "Nomor surat"),
    ("document.tanggal", "Tanggal surat"),
    ("document.sifat", "Sifat surat"),
    ("document.hal", "Hal surat"),
]

NUMBERED: list[Field] = [
    ("document.nomor", "Nomor dokumen"),
    ("document.tanggal", "Tanggal dokumen"),
]

DATED: list[Field] = [("document.tanggal", "Tanggal dokumen")]

SIGNER: list[Field] = [
    ("signature.jabatan", "Jabatan penanda tangan"),
    ("signature.nama", "Nama penanda tangan"),
    ("signature.pangkat", "Pangkat/golongan penanda tangan"),
    ("signature.nip", "NIP penanda tangan"),
]

APPLICANT_CASE: list[Field] = [
    ("case.register_number", "Nomor registrasi"),
    ("case.registered_at", "Waktu registrasi"),
    ("pemohon.nama", "Nama pemohon"),
    ("layanan", "Nama layanan"),
]

JHT: list[Field] = [
    ("data.nik", "NIK"),
    ("data.nama", "Nama pekerja"),
    ("data.tempat_lahir", "Tempat lahir"),
    ("data.tanggal_lahir", "Tanggal lahir"),
    ("data.alamat", "Alamat"),
    ("data.nomor_kpj", "Nomor peserta (KPJ)"),
    ("data.nama_perusahaan", "Nama perusahaan"),
    ("data.alamat_perusahaan", "Alamat perusahaan"),
    ("data.tanggal_mulai_kerja", "Tanggal mulai bekerja"),
    ("data.tanggal_berhenti_kerja", "Tanggal berhenti bekerja"),
    ("data.alasan_berhenti", "Alasan berhenti bekerja"),
    ("data.kantor_cabang_bpjs", "Kantor Cabang BPJS Ketenagakerjaan"),
]

JAKON: list[Field] = [
    ("data.nama_perusahaan", "Nama perusahaan"),
    ("data.alamat_perusahaan", "Alamat perusahaan"),
    ("data.nama_penanggung_jawab", "Nama penanggung jawab"),
    ("data.nama_proyek", "Nama proyek"),
    ("data.lokasi_proyek", "Lokasi proyek"),
    ("data.nomor_kontrak", "Nomor kontrak"),
    ("data.tanggal_kontrak", "Tanggal kontrak"),
    ("data.nilai_kontrak", "Nilai kontrak"),
    ("data.sumber_dana", "Sumber dana"),
    ("data.pemberi_kerja", "Pemberi kerja"),
    ("data.tanggal_mulai_proyek", "Tanggal mulai proyek"),
    ("data.tanggal_selesai_proyek", "Tanggal selesai proyek"),
    ("data.jumlah_tenaga_kerja", "Jumlah tenaga kerja"),
    ("data.kantor_cabang_bpjs", "Kantor Cabang BPJS Ketenagakerjaan"),
    ("contribution", "Perhitungan iuran"),
]

PHI_PARTIES: list[Field] = [
    ("data.nama", "Nama pekerja/buruh"),
    ("data.alamat", "Alamat pekerja/buruh"),
    ("data.nama_perusahaan", "Nama perusahaan"),
    ("data.alamat_perusahaan", "Alamat perusahaan"),
    ("data.nama_pimpinan", "Nama pimpinan perusahaan"),
    ("data.jenis_perselisihan", "Jenis perselisihan"),
    ("data.uraian_perselisihan", "Uraian perselisihan"),
]

MEETING: list[Field] = [
    ("meeting.ke", "Perundingan ke-"),
    ("meeting.tanggal", "Tanggal perundingan"),
    ("meeting.tempat", "Tempat perundingan"),
]

CPMI: list[Field] = [
    ("data.nama", "Nama CPMI"),
    ("data.nik", "NIK"),
    ("data.alamat", "Alamat"),
    ("data.nama_p3mi", "Nama P3MI"),
    ("data.alamat_p3mi", "Alamat P3MI"),
    ("data.negara_tujuan", "Negara tujuan"),
    ("data.jabatan_tujuan", "Jabatan di negara tujuan"),
]

TRAINING: list[Field] = [
    ("data.nama_pelatihan", "Nama pelatihan"),
    ("data.kejuruan", "Kejuruan"),
    ("data.tanggal_mulai", "Tanggal mulai pelatihan"),
    ("data.tanggal_selesai", "Tanggal selesai pelatihan"),
    ("data.tempat", "Tempat pelatihan"),
]


@dataclass(frozen=True)
class DocumentType:
    """One kind of document the program prints."""

    code: str
    title: str
    sop_codes: tuple[str, ...]  # "*": every SOP; () : the SOP files that list it
    template: str
    paper: str = "A4"
    is_letter: bool = True
    needs_signer: bool = True
    required: list[Field] = field(default_factory=list)

    def all_required(self) -> list[Field]:
        """``required`` plus the office and (when signed by an official) signer fields."""
        extra = SIGNER if self.needs_signer else []
        seen: set[str] = set()
        out: list[Field] = []
        for path, label in [*OFFICE, *self.required, *extra]:
            if path not in seen:
                seen.add(path)
                out.append((path, label))
        return out



@dataclass
class Build:
    """What a kind's context builder gets: the open session, the case, its SOP and the
    document's entry in it, and the values :func:`context.build_context` worked out."""

    s: Any  # sqlalchemy Session
    db: Any  # Database
    case: Any  # models.Case
    sop: Any  # sop.Sop
    spec: Any  # sop.DocumentSpec | None
    code: str
    seq: int
    number: str | None
    today: date
    data: dict[str, Any]
    doc_settings: Mapping[str, Any]


Builder = Callable[[Build, dict[str, Any]], None]
"""Adds the kind's keys to the context (and may adjust ``document``/``tembusan``)."""


@dataclass(frozen=True)
class Kind:
    """One family of documents: its types, the context builder (None: only the common keys),
    the demo context of each type (``sample(code)``) and the "Hal" each prints.

    ``catalogued`` False keeps the types out of :data:`catalog.DOCUMENT_TYPES` (the AK/I
    card, rendered by :mod:`card`)."""

    name: str
    types: tuple[DocumentType, ...]
    build: Builder | None
    sample: Callable[[str], dict[str, Any]]
    hal: Mapping[str, str] = field(default_factory=dict)
    catalogued: bool = True
