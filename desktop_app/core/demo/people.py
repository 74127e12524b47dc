"""Invented applicants and companies: intake data for every SOP, with valid NIKs."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

_FIRST_M = ["Ahmad", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Irwan", "Joko", "Rudi", "Yudi",
            "Agus", "Bambang", "Doni", "Hadi", "Rahmat", "Sapri", "Herman", "Zulkifli"]
_FIRST_F = ["Ani", "Desi", "Fitri", "Indah", "Lestari", "Maya", "Nurul", "Putri", "Rina", "Sari",
            "Wulan", "Yuli", "Dewi", "Eka", "Lia", "Nova"]
_LAST = ["Saputra", "Wijaya", "Pratama", "Hidayat", "Kurniawan", "Lestari", "Permata", "Rahayu",
         "Susanto", "Gunawan", "Syahputra", "Anggraini", "Marlina", "Fitriani", "Harahap"]
_KEL = [("Pagar Alam Utara", "Alun Dua", "01"), ("Pagar Alam Selatan", "Besemah Serasan", "02"),
        ("Dempo Utara", "Agung Lawangan", "03"), ("Dempo Selatan", "Atung Bungsu", "04"),
        ("Dempo Tengah", "Pelang Kenidai", "05")]


def _person(rng: random.Random, today: date) -> dict[str, Any]:
    female = rng.random() < 0.5
    first = rng.choice(_FIRST_F if female else _FIRST_M)
    name = f"{first} {rng.choice(_LAST)}"
    birth = date(rng.randint(1975, 2005), rng.randint(1, 12), rng.randint(1, 28))
    kec, kel, code = rng.choice(_KEL)
    day = birth.day + (40 if female else 0)
    nik = f"1672{code}{day:02d}{birth.month:02d}{birth.year % 100:02d}{rng.randint(1, 9999):04d}"
    return {
        "nik": nik, "nama": name, "tempat_lahir": "Pagar Alam",
        "tanggal_lahir": birth.isoformat(), "jenis_kelamin": "P" if female else "L",
        "alamat": f"Jl. {rng.choice(['Serma Rabin', 'Kapten Sanap', 'Mayor Ruslan', 'Lettu Hamid'])}"
                  f" No. {rng.randint(1, 200)}",
        "rt": f"{rng.randint(1, 12):03d}", "rw": f"{rng.randint(1, 6):03d}", "kelurahan": kel,
        "kecamatan": kec, "kota": "Pagar Alam", "telepon": f"08{rng.randint(1000000000, 9999999999)}",
    }


def demo_intake(sop_code: str, rng: random.Random, today: date) -> dict[str, Any]:
    """Plausible intake data for one case of ``sop_code``."""
    p = _person(rng, today)
    if sop_code == "ak1":
        return {**p, "status_kawin": rng.choice(["Belum Kawin", "Kawin"]), "agama": "Islam",
                "pendidikan_tingkat": rng.choice(["SMA", "SMK", "D3", "S1"]),
                "pendidikan_sekolah": rng.choice(["SMA Negeri 1 Pagar Alam",
                                                  "SMK Negeri 2 Pagar Alam",
                                                  "Universitas Sriwijaya"]),
                "pendidikan_jurusan": rng.choice(["IPA", "Teknik Otomotif", "Akuntansi",
                                                  "Manajemen"]),
                "pendidikan_tahun_lulus": rng.randint(2010, today.year),
                "keterampilan": "Komputer perkantoran, mengemudi (SIM A)",
                "pengalaman_kerja": "Kasir toko swalayan 2 tahun"}
    if sop_code == "paspor":
        return {**p, "nomor_ak1": f"1672-{today.year}-{rng.randint(1, 999):05d}",
                "nama_p3mi": "PT Sinar Karya Mandiri", "alamat_p3mi": "Jl. Merdeka 10, Palembang",
                "negara_tujuan": rng.choice(["Malaysia", "Taiwan", "Hong Kong", "Jepang"]),
                "jabatan_tujuan": rng.choice(["Operator Pabrik", "Perawat Lansia", "Petani"]),
                "nomor_perjanjian_penempatan": f"PP/{rng.randint(100, 999)}/{today.year}",
                "tanggal_perjanjian_penempatan": (today - timedelta(days=7)).isoformat()}
    if sop_code == "jht":
        return {**p, "nomor_kpj": f"{rng.randint(10**10, 10**11 - 1)}",
                "nama_perusahaan": rng.choice(["CV Dempo Jaya", "PT Teh Pagar Alam",
                                               "Toko Sumber Rezeki"]),
                "alamat_perusahaan": "Jl. Ahmad Yani, Pagar Alam",
                "tanggal_mulai_kerja": "2018-03-01",
                "tanggal_berhenti_kerja": (today - timedelta(days=60)).isoformat(),
                "alasan_berhenti": "Perusahaan tutup"}
    if sop_code == "phi":
        return {**p, "nama_perusahaan": "PT Perkebunan Dempo Lestari",
                "alamat_perusahaan": "Jl. Raya Dempo, Pagar Alam", "nama_pimpinan": "Ir. Salim",
                "jenis_perselisihan": "Perselisihan hak",
                "uraian_perselisihan": "Upah lembur tiga bulan terakhir belum dibayar."}
    if sop_code == "jakon":
        value = rng.choice([50_000_000, 350_000_000, 2_000_000_000, 7_500_000_000])
        return {"nama_perusahaan": rng.choice(["CV Bukit Barisan", "PT Karya Besemah"]),
                "npwp": None, "alamat_perusahaan": "Jl. Kombes H. Umar, Pagar Alam",
                "nama_penanggung_jawab": f"{rng.choice(_FIRST_M)} {rng.choice(_LAST)}",
                "jabatan_penanggung_jawab": "Direktur", "telepon": "0730621234",
                "nama_proyek": rng.choice(["Pembangunan Jalan Lingkar Dempo",
                                           "Rehabilitasi Pasar Dempo Permai",
                                           "Pembangunan Gedung SD Negeri 12"]),
                "lokasi_proyek": "Kota Pagar Alam",
                "nomor_kontrak": f"027/{rng.randint(100, 999)}/PUPR/{today.year}",
                "tanggal_kontrak": (today - timedelta(days=10)).isoformat(),
                "nilai_kontrak": value, "sumber_dana": "APBD Kota",
                "pemberi_kerja": "Dinas PUPR Kota Pagar Alam",
                "tanggal_mulai_proyek": today.isoformat(),
                "tanggal_selesai_proyek": (today + timedelta(days=150)).isoformat(),
                "jumlah_tenaga_kerja": rng.randint(10, 80)}
    if sop_code == "pelatihan":
        return {"nama_pelatihan": rng.choice(["Pelatihan Barista Kopi Besemah",
                                              "Pelatihan Menjahit", "Pelatihan Las Listrik"]),
                "kejuruan": "Pariwisata", "tanggal_mulai": (today + timedelta(days=30)).isoformat(),
                "tanggal_selesai": (today + timedelta(days=32)).isoformat(),
                "tempat": "Aula Dinas, Pagar Alam", "sumber_dana": "DPA Bidang Tenaga Kerja",
                "kuota_peserta": 20}
    return _from_field_types(sop_code)


def _from_field_types(sop_code: str) -> dict[str, Any]:
    """Intake data of an SOP added as data only: each field's ``demo`` value, else one
    made from its type (``KeyError`` for an unknown SOP)."""
    from desktop_app.core.documents.kinds.generic import demo_value
    from desktop_app.core.sop import sop_by_code

    out: dict[str, Any] = {}
    for f in sop_by_code(sop_code).fields:
        value = demo_value(f)
        out[f.name] = value.isoformat() if isinstance(value, date) else value
    return out


def _training_field(name: str, rng: random.Random) -> Any:
    if name == "peserta":
        return [{"nama": f"{rng.choice(_FIRST_M)} {rng.choice(_LAST)}",
                 "nik": None, "jenis_kelamin": "L", "asal": "Kota Pagar Alam",
                 "pendidikan": "SMA"} for _ in range(8)]
    if name == "panitia":
        return [{"nama": "Dedi Kurniawan", "nip": "198807122015031002",
                 "jabatan_dinas": "Pengantar Kerja", "jabatan_panitia": "Ketua"}]
    if name == "laporan_jumlah_hadir":  # never more than the 8 participants listed
        return 7
    if name == "kuota_peserta":
        return 18
    if name == "kabupaten_tujuan":
        return [{"nama": "Kabupaten Lahat"}, {"nama": "Kabupaten Empat Lawang"}]
    if name == "jadwal":
        return [{"tanggal": date.today().isoformat(), "kegiatan": "Pembukaan"}]
    return "Pelatihan berjalan lancar; peserta aktif."
