"""Realistic demo contexts for every document type (tests, benchmark, ``render-samples``).

All people, companies, numbers and the office address below are invented demo data, except
the Kepala Dinas named on the office's SOP sheets. Each call returns a fresh, independent
dict, so callers may change it freely.
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any

__all__ = ["SAMPLE_DATE", "as_draft", "kepala_bidang", "kepala_dinas", "office_profile",
           "sample_context"]

SAMPLE_DATE = date(2026, 11, 28)

_NAMA_DINAS = "Dinas Penanaman Modal, Pelayanan Terpadu Satu Pintu dan Tenaga Kerja"
_JABATAN_KADIS = f"Kepala {_NAMA_DINAS} Kota Pagar Alam"


def office_profile() -> dict[str, Any]:
    """The office block of the context (demo address; emblem = the placeholder shield)."""
    from desktop_app.core.documents.renderer import resource_data_uri

    return {
        "pemerintah": "Pemerintah Kota Pagar Alam",
        "nama_dinas": _NAMA_DINAS,
        "bidang": "Bidang Tenaga Kerja",
        "alamat": "Jalan Kapten Sanap Nomor 12, Kelurahan Kuripan Babas",
        "telepon": "(0730) 621045",
        "website": "dpmptsptk.pagaralamkota.go.id",
        "email": "dpmptsptk@pagaralamkota.go.id",
        "kota": "Pagar Alam",
        "kode_pos": "31512",
        "emblem": resource_data_uri("images", "lambang_placeholder.svg"),
    }


def kepala_dinas(signed: bool = False) -> dict[str, Any]:
    """Signature block of the Kepala Dinas (from the SOP sheets)."""
    return {
        "jabatan": _JABATAN_KADIS,
        "atas_nama": None,
        "jabatan_atas_nama": None,
        "nama": "GUNSONO MEKSON, SE, MM",
        "pangkat": "Pembina Utama Muda / IV.c",
        "nip": "196910161995031001",
        "signed": signed,
        "image": None,
        "qr_payload": "https://dpmptsptk.pagaralamkota.go.id/verifikasi/7KQ4-M2XD-93PA"
        if signed else None,
    }


def kepala_bidang(atas_nama: bool = True, signed: bool = False) -> dict[str, Any]:
    """Signature block of the Kepala Bidang Tenaga Kerja (invented demo official)."""
    return {
        "jabatan": "Kepala Bidang Tenaga Kerja",
        "atas_nama": "a.n." if atas_nama else None,
        "jabatan_atas_nama": _JABATAN_KADIS if atas_nama else None,
        "nama": "HENDRA SAPUTRA, S.Sos., M.Si.",
        "pangkat": "Pembina / IV.a",
        "nip": "197803122005011003",
        "signed": signed,
        "image": None,
        "qr_payload": "https://dpmptsptk.pagaralamkota.go.id/verifikasi/R8TN-5VJC-K1WE"
        if signed else None,
    }


def _demo_signature_image() -> str:
    from desktop_app.core.documents.renderer import data_uri

    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 70">'
        '<path d="M8 52 C 20 10, 34 10, 36 44 S 52 62, 60 30 S 78 8, 84 40 '
        'S 100 60, 112 28 C 118 14, 130 20, 126 36 C 122 50, 140 46, 152 22" '
        'fill="none" stroke="#1a3a8a" stroke-width="3" stroke-linecap="round"/></svg>'
    )
    return data_uri(svg.encode("utf-8"), "image/svg+xml")


def _document(nomor: str | None, hal: str, lampiran: str = "-", sifat: str = "Biasa",
              kode: str | None = None) -> dict[str, Any]:
    return {
        "nomor": nomor,
        "tanggal": SAMPLE_DATE,
        "sifat": sifat,
        "lampiran": lampiran,
        "hal": hal,
        "kode_verifikasi": kode,
    }


def _case(sop: str, number: str, when: datetime) -> dict[str, Any]:
    return {"register_number": number, "sop_code": sop, "registered_at": when}


_JHT_DATA = {
    "nik": "1672011405900003",
    "nama": "BUDI SANTOSO",
    "tempat_lahir": "Pagar Alam",
    "tanggal_lahir": date(1990, 5, 14),
    "alamat": "Jalan Serma Wanar RT 002 RW 001, Kelurahan Kuripan Babas, "
              "Kecamatan Pagar Alam Utara, Kota Pagar Alam",
    "nomor_kpj": "17012345678",
    "nama_perusahaan": "PT Dempo Teh Lestari",
    "alamat_perusahaan": "Jalan Raya Gunung Dempo Km 8, Kecamatan Dempo Utara, Kota Pagar Alam",
    "tanggal_mulai_kerja": date(2015, 3, 2),
    "tanggal_berhenti_kerja": date(2026, 8, 31),
    "alasan_berhenti": "Perusahaan berhenti beroperasi (tutup) dan tidak dapat dihubungi",
    "kantor_cabang_bpjs": "Lahat",
}

_JAKON_DATA = {
    "nama_perusahaan": "CV Besemah Karya Konstruksi",
    "alamat_perusahaan": "Jalan Mayor Ruslan Nomor 45, Kelurahan Pagar Alam, "
                         "Kecamatan Pagar Alam Selatan, Kota Pagar Alam",
    "nama_penanggung_jawab": "IR. ANDI WIJAYA",
    "nama_proyek": "Rehabilitasi Jalan Lingkungan Dempo Selatan Ruas Tanjung Sakti–Talang Tinggi",
    "lokasi_proyek": "Kecamatan Dempo Selatan, Kota Pagar Alam",
    "nomor_kontrak": "620/045/SPK/PUPR/2026",
    "tanggal_kontrak": date(2026, 11, 16),
    "nilai_kontrak": 2_000_000_000,
    "sumber_dana": "APBD Kota Pagar Alam Tahun Anggaran 2026",
    "pemberi_kerja": "Dinas Pekerjaan Umum dan Penataan Ruang Kota Pagar Alam",
    "tanggal_mulai_proyek": date(2026, 12, 1),
    "tanggal_selesai_proyek": date(2027, 3, 30),
    "jumlah_tenaga_kerja": 35,
    "kantor_cabang_bpjs": "Lahat",
}

_PHI_DATA = {
    "nama": "SITI AMINAH",
    "nik": "1672034207980001",
    "alamat": "Dusun Karang Dalo RT 003 RW 002, Kelurahan Agung Lawangan, "
              "Kecamatan Dempo Utara, Kota Pagar Alam",
    "nama_perusahaan": "PT Kopi Besemah Sejahtera",
    "alamat_perusahaan": "Jalan Lingkar Selatan Nomor 9, Kecamatan Pagar Alam Selatan, "
                         "Kota Pagar Alam",
    "nama_pimpinan": "RUDI HARTONO",
    "jabatan_pimpinan": "Direktur",
    "jenis_perselisihan": "Perselisihan Pemutusan Hubungan Kerja",
    "uraian_perselisihan": "Pekerja/buruh diberhentikan sejak 1 Oktober 2026 tanpa "
                           "pemberitahuan tertulis dan belum menerima uang pesangon, uang "
                           "penghargaan masa kerja, dan uang penggantian hak.",
    "dinas_tujuan_mediator": "Dinas Tenaga Kerja dan Transmigrasi Kabupaten Lahat",
    "kota_dinas_tujuan": "Lahat",
    "pengadilan_negeri": "Palembang",
}

_MEETING_1 = {
    "ke": 1,
    "tanggal": date(2026, 11, 10),
    "tempat": "Ruang Rapat Bidang Tenaga Kerja, Kantor Dinas Penanaman Modal, PTSP dan "
              "Tenaga Kerja Kota Pagar Alam",
    "pendapat_pekerja": "Pekerja/buruh menuntut pembayaran uang pesangon, uang penghargaan "
                        "masa kerja, dan uang penggantian hak sesuai ketentuan "
                        "peraturan perundang-undangan.",
    "pendapat_pengusaha": "Pengusaha menyatakan pemutusan hubungan kerja dilakukan karena "
                          "efisiensi dan bersedia membayar kompensasi sebesar dua kali upah.",
    "hasil": "Para pihak belum mencapai kesepakatan dan setuju melanjutkan perundingan.",
    "sepakat": False,
}

_MEETING_2 = {
    "ke": 2,
    "tanggal": date(2026, 11, 24),
    "tempat": _MEETING_1["tempat"],
    "pendapat_pekerja": "Pekerja/buruh tetap pada tuntutannya semula.",
    "pendapat_pengusaha": "Pengusaha tetap pada penawarannya semula.",
    "hasil": "Perundingan bipartit gagal; para pihak tidak mencapai kesepakatan.",
    "sepakat": False,
}

_CPMI_DATA = {
    "nama": "DEWI LESTARI",
    "nik": "1672025103010002",
    "tempat_lahir": "Pagar Alam",
    "tanggal_lahir": date(2001, 3, 11),
    "jenis_kelamin": "Perempuan",
    "alamat": "Jalan Bukit Barisan RT 001 RW 004, Kelurahan Bangun Rejo, "
              "Kecamatan Pagar Alam Selatan, Kota Pagar Alam",
    "nomor_ak1": "1672-2026-00187",
    "nama_p3mi": "PT Sriwijaya Mitra Sejati",
    "alamat_p3mi": "Jalan Jenderal Sudirman Nomor 210, Kota Palembang",
    "nama_pimpinan_p3mi": "HARYANTO GUNAWAN",
    "negara_tujuan": "Taiwan",
    "jabatan_tujuan": "Operator Produksi (Manufaktur)",
    "kantor_imigrasi": "Kelas I TPI Palembang",
    "kota_kantor_imigrasi": "Palembang",
    "nomor_perjanjian_penempatan": "PP/SMS/TW/2026/0412",
    "tanggal_perjanjian_penempatan": date(2026, 11, 20),
}

_TRAINING_DATA = {
    "nama_pelatihan": "Pelatihan Barista dan Pengolahan Kopi Besemah",
    "kejuruan": "Pariwisata – Tata Boga (Barista)",
    "tanggal_mulai": date(2027, 2, 8),
    "tanggal_selesai": date(2027, 2, 10),
    "tempat": "Aula Balai Pelatihan Kerja Kota Pagar Alam",
    "sumber_dana": "DPA Dinas Penanaman Modal, PTSP dan Tenaga Kerja Kota Pagar Alam "
                   "Tahun Anggaran 2027",
    "kuota_peserta": 20,
    "batas_pengiriman": date(2027, 1, 25),
}

_KABUPATEN = [
    "Kabupaten Lahat",
    "Kabupaten Empat Lawang",
    "Kabupaten Muara Enim",
]

_PANITIA = [
    {"nama": "GUNSONO MEKSON, SE, MM", "nip": "196910161995031001",
     "jabatan_dinas": "Kepala Dinas", "jabatan_panitia": "Pengarah"},
    {"nama": "HENDRA SAPUTRA, S.Sos., M.Si.", "nip": "197803122005011003",
     "jabatan_dinas": "Kepala Bidang Tenaga Kerja", "jabatan_panitia": "Penanggung Jawab"},
    {"nama": "RINA MARLINA, S.E.", "nip": "198507242010012015",
     "jabatan_dinas": "Kepala Seksi Pelatihan dan Produktivitas", "jabatan_panitia": "Ketua"},
    {"nama": "DEDI KURNIAWAN, A.Md.", "nip": "199104182019031006",
     "jabatan_dinas": "Pengadministrasi Umum", "jabatan_panitia": "Sekretaris"},
    {"nama": "YULIA PERMATASARI, S.Kom.", "nip": "199309092022032008",
     "jabatan_dinas": "Pranata Komputer Ahli Pertama", "jabatan_panitia": "Anggota"},
]

_PESERTA = [
    ("AHMAD FAUZI", "1672011002000001", "Laki-laki", "Kota Pagar Alam", "SMA/SMK"),
    ("NURHASANAH", "1672025506020003", "Perempuan", "Kota Pagar Alam", "D3"),
    ("RIZKY PRATAMA", "1604012108990002", "Laki-laki", "Kabupaten Lahat", "SMA/SMK"),
    ("MELATI PUTRI", "1604054412010001", "Perempuan", "Kabupaten Lahat", "S1"),
    ("AGUS SALIM", "1603100307970004", "Laki-laki", "Kabupaten Muara Enim", "SMA/SMK"),
    ("FITRI HANDAYANI", "1611026911000002", "Perempuan", "Kabupaten Empat Lawang", "SMA/SMK"),
    ("BAYU ANGGARA", "1672041509030001", "Laki-laki", "Kota Pagar Alam", "SMA/SMK"),
    ("LINDA WATI", "1672054701990003", "Perempuan", "Kota Pagar Alam", "S1"),
    ("JOKO SUSILO", "1604011207950002", "Laki-laki", "Kabupaten Lahat", "SMP"),
    ("RATNA SARI", "1611016203020001", "Perempuan", "Kabupaten Empat Lawang", "D3"),
    ("HERU SETIAWAN", "1603092511980005", "Laki-laki", "Kabupaten Muara Enim", "SMA/SMK"),
    ("PUTRI AYU LESTARI", "1672034808040002", "Perempuan", "Kota Pagar Alam", "SMA/SMK"),
]

_JADWAL = [
    (date(2027, 1, 11), "Rapat internal persiapan dan penyusunan rencana kerja"),
    (date(2027, 1, 13), "Pengiriman surat undangan dan surat pengantar ke kabupaten/kota"),
    (date(2027, 1, 25), "Batas akhir penerimaan nama calon peserta"),
    (date(2027, 2, 1), "Rapat internal persiapan pelaksanaan pelatihan"),
    (date(2027, 2, 8), "Pembukaan dan pelaksanaan pelatihan hari pertama"),
    (date(2027, 2, 9), "Praktik penyeduhan dan pengolahan kopi"),
    (date(2027, 2, 10), "Uji praktik, evaluasi, dan penutupan pelatihan"),
    (date(2027, 2, 12), "Penyusunan laporan pelaksanaan pelatihan"),
]


def _training_common() -> dict[str, Any]:
    return {
        "data": dict(_TRAINING_DATA),
        "kabupaten_tujuan": list(_KABUPATEN),
        "panitia": [dict(p) for p in _PANITIA],
        "peserta": [
            {"nama": n, "nik": k, "jenis_kelamin": s, "asal": a, "pendidikan": p}
            for n, k, s, a, p in _PESERTA
        ],
        "asal_peserta": [f"{a} ({sum(1 for p in _PESERTA if p[3] == a)} orang)"
                         for a in dict.fromkeys(p[3] for p in _PESERTA)],
        "jadwal": [{"tanggal": t, "kegiatan": k} for t, k in _JADWAL],
        "laporan": {
            "ringkasan": "Pelatihan dibuka oleh Kepala Dinas pada tanggal 8 Februari 2027 dan "
                         "dilaksanakan selama 3 (tiga) hari dengan metode 30% teori dan 70% "
                         "praktik, dipandu oleh 2 (dua) instruktur bersertifikat.",
            "jumlah_hadir": 12,
            "hasil": "Sebanyak 11 (sebelas) peserta dinyatakan kompeten pada uji praktik "
                     "akhir; 1 (satu) peserta belum kompeten dan disarankan mengikuti "
                     "pelatihan lanjutan.",
            "kendala": "Jumlah mesin espresso terbatas sehingga praktik dilakukan bergiliran.",
            "saran": "Penambahan peralatan praktik dan kerja sama dengan kafe setempat untuk "
                     "program pemagangan lulusan.",
        },
    }


_JHT_REQS = [
    "Kartu peserta BPJS Ketenagakerjaan (KPJ)",
    "Fotokopi KTP elektronik",
    "Fotokopi Kartu Keluarga",
    "Surat keterangan berhenti bekerja / paklaring",
    "Buku tabungan",
]


def _base(document: dict[str, Any], signature: dict[str, Any] | None,
          tembusan: list[str] | None = None) -> dict[str, Any]:
    return {
        "office": office_profile(),
        "document": document,
        "signature": signature if signature is not None else kepala_bidang(),
        "tembusan": tembusan or [],
    }


def _sample(code: str) -> dict[str, Any]:
    """The demo context of ``code`` from its kind (desktop_app/core/documents/kinds), or of
    the generic letter an SOP file declares under that code."""
    from desktop_app.core.documents.kinds import kind_of
    from desktop_app.core.documents.kinds.generic import sample as generic_sample

    found = kind_of(code)
    if found is None:
        return generic_sample(code)
    return found[0].sample(code)


def sample_context(doc_type_code: str) -> dict[str, Any]:
    """A complete, realistic demo context for ``doc_type_code`` (a fresh deep copy)."""
    return copy.deepcopy(_sample(doc_type_code))


def as_draft(ctx: dict[str, Any], signed_type: bool = True) -> dict[str, Any]:
    """``ctx`` as an unsigned rendering looks: no QR, drawn signature, verification footer
    or number (numbers are taken at signing), and a KONSEP mark when an official signs the
    type (``signed_type``). ``render-samples`` without ``--signed`` renders these."""
    from desktop_app.core.documents.context import DRAFT_CARD_NUMBER, DRAFT_NUMBER

    sig = ctx.get("signature")
    if isinstance(sig, dict):
        sig.update(signed=False, image=None, qr_payload=None)
        sig.pop("signed_at", None)
    doc = ctx.get("document")
    if isinstance(doc, dict):
        doc["kode_verifikasi"] = None
        if signed_type:
            doc["konsep"] = True
            if doc.get("nomor"):
                doc["nomor"] = DRAFT_NUMBER
    card = ctx.get("card")
    if signed_type and isinstance(card, dict) and card.get("nomor_pencari_kerja"):
        card["nomor_pencari_kerja"] = DRAFT_CARD_NUMBER
    return ctx
