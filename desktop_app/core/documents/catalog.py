"""The documents the office produces and the context each template needs (the contract).

Every document is one :class:`DocumentType`: its code, Indonesian title, the SOPs it belongs
to, its template, default paper, whether it is a letter (kop, Nomor/Sifat/Lampiran/Hal,
addressee) and whether an official signs it. ``required`` lists the dotted context paths
that must be present and non-empty (lists: at least one item) before the document may be
numbered or rendered; :func:`find_missing` checks them and :func:`render_document` refuses
to render while anything is missing.

Context keys shared by the templates
------------------------------------
``office``
    pemerintah ("Pemerintah Kota Pagar Alam"), nama_dinas, bidang, alamat, telepon,
    website, email, kota ("Pagar Alam"), kode_pos, emblem (data URI, or None = not set).
``document``
    nomor ("500.15.1/0123/TK/2026", given; not computed here), tanggal (date), sifat
    ("Biasa"), lampiran ("-" or "1 (satu) berkas"), hal, kode_verifikasi (str or None;
    when set a footer with the code is printed).
``signature``
    jabatan, atas_nama (None | "a.n." | "Plt." | "Plh."), jabatan_atas_nama (the
    principal's position, needed with "a.n."), nama, pangkat ("Pembina Utama Muda / IV.c"),
    nip (18 digits), signed (bool), image (data URI or None), qr_payload (text of the
    verification QR code; needed when signed).
``tembusan``
    list of str (may be empty).
``case``
    register_number, sop_code, registered_at (datetime).
``data``
    the intake fields of the case (names per document below).

Document-specific keys
----------------------
* tanda_terima: ``pemohon`` {nama, alamat}, ``layanan`` (service name),
  ``persyaratan`` [{label, diserahkan: bool}], ``petugas`` {nama, nip},
  ``perkiraan_selesai`` (date). QR = the register number.
* surat_pengembalian: ``pemohon``, ``layanan``, ``missing_requirements`` [str],
  ``catatan_petugas`` (str, may be empty).
* formulir_jakon: ``contribution`` (``JakonContribution`` from
  ``desktop_app.core.contributions``).
* risalah_bipartit: ``meeting`` {ke, tanggal, tempat, pendapat_pekerja,
  pendapat_pengusaha, hasil, sepakat: bool}.
* perjanjian_bersama: ``meeting`` (the meeting that agreed) and ``isi_kesepakatan`` [str].
* surat_permohonan_mediator: ``meetings`` [meeting, …] (the failed bipartite meetings).
* rekomendasi_paspor: ``berlaku_sampai`` (date; the validity is a setting, default 3 months).
* pelatihan documents: ``kabupaten_tujuan`` [str], ``panitia`` [{nama, nip, jabatan_dinas,
  jabatan_panitia}], ``peserta`` [{nama, nik, jenis_kelamin, asal, pendidikan}],
  ``jadwal`` [{tanggal, kegiatan}], ``laporan`` {ringkasan, jumlah_hadir, hasil, kendala,
  saran}.

Optional keys with defaults in the templates: ``data.kota_dinas_tujuan`` and
``data.kota_kantor_imigrasi`` ("Tempat"), ``data.pengadilan_negeri`` ("Palembang"),
``data.menimbang`` / ``data.mengingat`` (SK panitia; standard text otherwise).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop_app.core.errors import AppError

__all__ = [
    "DOCUMENT_TYPES",
    "DocumentType",
    "IncompleteDocument",
    "document_type",
    "documents_for_sop",
    "find_missing",
    "render_document",
]

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
    sop_codes: tuple[str, ...]
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


ALL_SOPS = ("jht", "jakon", "phi", "pelatihan", "ak1", "paspor")

_TYPES: list[DocumentType] = [
    DocumentType(
        "tanda_terima", "Tanda Terima Berkas Permohonan", ALL_SOPS,
        "documents/tanda_terima.html.j2", paper="A5", is_letter=False, needs_signer=False,
        required=[
            *APPLICANT_CASE,
            ("persyaratan", "Daftar persyaratan"),
            ("petugas.nama", "Nama petugas penerima"),
            ("perkiraan_selesai", "Perkiraan tanggal selesai"),
        ],
    ),
    DocumentType(
        "surat_pengembalian", "Surat Pengembalian Berkas Permohonan", ALL_SOPS,
        "documents/surat_pengembalian.html.j2", needs_signer=False,  # the clerk hands it over
        required=[
            *LETTER, *APPLICANT_CASE,
            ("pemohon.alamat", "Alamat pemohon"),
            ("missing_requirements", "Persyaratan yang belum lengkap"),
        ],
    ),
    DocumentType(
        "surat_klaim_jht", "Surat Rekomendasi Klaim Jaminan Hari Tua", ("jht",),
        "documents/surat_klaim_jht.html.j2", required=[*LETTER, *JHT],
    ),
    DocumentType(
        "formulir_jakon", "Formulir Pendaftaran JKK dan JKM Jasa Konstruksi", ("jakon",),
        "documents/formulir_jakon.html.j2", required=[*LETTER, *JAKON],
    ),
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
    DocumentType(
        "kuesioner_skm", "Kuesioner Survei Kepuasan Masyarakat",
        ("jht", "jakon", "phi", "ak1", "paspor"), "documents/kuesioner_skm.html.j2",
        is_letter=False, needs_signer=False,
        required=[*APPLICANT_CASE, ("skm.elements", "Unsur survei")],
    ),
]

DOCUMENT_TYPES: dict[str, DocumentType] = {t.code: t for t in _TYPES}
"""Every document type by code, in a sensible listing order."""

SIGNATURE_PREFIXES = (None, "a.n.", "Plt.", "Plh.")


class IncompleteDocument(AppError):
    """The context lacks values the document needs; ``missing`` lists (path, label)."""

    def __init__(self, doc_type: DocumentType, missing: list[Field]) -> None:
        self.doc_type = doc_type
        self.missing = list(missing)
        labels = ", ".join(label for _, label in missing)
        super().__init__(f"{doc_type.title} belum dapat dibuat. Data belum lengkap: {labels}.")


def document_type(code: str) -> DocumentType:
    """The :class:`DocumentType` for ``code``; ``KeyError`` with an Indonesian message."""
    try:
        return DOCUMENT_TYPES[code]
    except KeyError:
        raise KeyError(f"Jenis dokumen '{code}' tidak dikenal.") from None


def documents_for_sop(sop_code: str) -> list[DocumentType]:
    """Document types belonging to one SOP (``"jht"``, ``"paspor"``, …)."""
    return [t for t in _TYPES if sop_code in t.sop_codes]


_ABSENT = object()


def _lookup(context: Any, path: str) -> Any:
    value = context
    for part in path.split("."):
        if isinstance(value, Mapping):
            value = value.get(part, _ABSENT)
        else:
            value = getattr(value, part, _ABSENT)
        if value is _ABSENT or value is None:
            return _ABSENT
    return value


def _empty(value: Any) -> bool:
    if value is _ABSENT or value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (Sequence, Mapping, set, frozenset)) and not isinstance(value, bytes):
        return len(value) == 0
    return False


def find_missing(doc_type_code: str, context: Mapping[str, Any]) -> list[Field]:
    """(path, label) of every required value absent or empty in ``context``.

    Paths are dotted (``"signature.nip"``) and walk mappings and object attributes; a
    string must hold more than blanks, a list at least one item. Also checks the signer's
    "a.n." principal and, for an electronically signed document, the QR payload.
    An empty list means the document may be numbered and rendered.
    """
    doc_type = document_type(doc_type_code)
    missing = [(p, lbl) for p, lbl in doc_type.all_required() if _empty(_lookup(context, p))]
    if doc_type.needs_signer:
        prefix = _lookup(context, "signature.atas_nama")
        prefix = None if prefix is _ABSENT or prefix == "" else prefix
        if prefix not in SIGNATURE_PREFIXES:
            missing.append(("signature.atas_nama", "Keterangan a.n./Plt./Plh. (tidak dikenal)"))
        elif prefix == "a.n." and _empty(_lookup(context, "signature.jabatan_atas_nama")):
            missing.append(("signature.jabatan_atas_nama", "Jabatan yang diwakili (a.n.)"))
        if _lookup(context, "signature.signed") is True and _empty(
            _lookup(context, "signature.qr_payload")
        ):
            missing.append(("signature.qr_payload", "Kode verifikasi tanda tangan elektronik"))
    return missing


def render_document(
    doc_type_code: str, context: Mapping[str, Any], paper: str | None = None
) -> bytes:
    """Check ``context`` with :func:`find_missing`, then render the document to PDF bytes.

    ``paper`` defaults to the type's paper. Raises :class:`IncompleteDocument` listing the
    missing fields, or ``MissingDocumentData`` when the template needs something else.
    """
    from desktop_app.core.documents.renderer import render_pdf

    doc_type = document_type(doc_type_code)
    missing = find_missing(doc_type_code, context)
    if missing:
        raise IncompleteDocument(doc_type, missing)
    return render_pdf(doc_type.template, context, paper=paper or doc_type.paper)
