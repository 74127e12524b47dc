"""Demo data: one user per role with known passwords, and sample cases in every SOP and status.

``seed_demo(db)`` is what ``desktop-app --demo`` and ``desktop-app admin seed-demo`` run.
``seed_scale(db, n)`` writes many cases quickly (bulk inserts) for benchmarks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from desktop_app.core import auth, services, sop_versions, workflow
from desktop_app.core.db import Database
from desktop_app.core.models import Case, Counter, User
from desktop_app.core.numbering import format_register_number, next_value, register_series
from desktop_app.core.roles import (
    ADMIN,
    JFU,
    KABID,
    KADIS,
    KASI,
    MEDIATOR,
    PANITIA,
    PENGADMINISTRASI,
    PETUGAS_PENERIMA,
    SEKRETARIS,
    STAF,
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    full_name: str
    roles: tuple[str, ...]
    nip: str | None = None
    pangkat: str | None = None
    jabatan: str | None = None


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "admin-demo-2026", "Administrator Sistem", (ADMIN,)),
    DemoAccount("petugas", "petugas-demo-2026", "Rina Marlina", (PETUGAS_PENERIMA,),
                "199203152019032007", "Penata Muda / III.a", "Petugas Pelayanan"),
    DemoAccount("jfu", "jfu-demo-2026", "Dedi Kurniawan", (JFU, MEDIATOR),
                "198807122015031002", "Penata Muda Tk. I / III.b", "Pengantar Kerja Ahli Pertama"),
    DemoAccount("kasi", "kasi-demo-2026", "Siti Aminah, S.Sos", (KASI,),
                "198105202006042011", "Penata Tk. I / III.d",
                "Kepala Seksi Penempatan dan Perluasan Kerja"),
    DemoAccount("admintu", "admintu-demo-2026", "Yusuf Hidayat", (PENGADMINISTRASI,),
                "199010082014021001", "Pengatur / II.c", "Pengadministrasi Umum"),
    DemoAccount("kabid", "kabid-demo-2026", "Hendra Saputra, S.E., M.M.", (KABID,),
                "197604112000121003", "Pembina / IV.a", "Kepala Bidang Tenaga Kerja"),
    DemoAccount("sekretaris", "sekretaris-demo-2026", "Nurhayati, S.H.", (SEKRETARIS,),
                "197808232003122004", "Pembina / IV.a", "Sekretaris Dinas"),
    DemoAccount("kadis", "kadis-demo-2026", "GUNSONO MEKSON, SE, MM", (KADIS,),
                "196910161995031001", "Pembina Utama Muda / IV.c",
                "Kepala Dinas Penanaman Modal, Pelayanan Terpadu Satu Pintu dan Tenaga Kerja"),
    DemoAccount("staf", "staf-demo-2026", "Agus Salim", (STAF,),
                "199506062020121005", "Pengatur Muda Tk. I / II.b", "Staf Bidang Tenaga Kerja"),
    DemoAccount("panitia", "panitia-demo-2026", "Fitri Handayani", (PANITIA,),
                "199302142018012003", "Penata Muda / III.a", "Instruktur"),
)

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
    raise KeyError(sop_code)


def create_demo_users(db: Database) -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet; returns those created."""
    created = []
    with db.read() as s:
        existing = set(s.scalars(select(User.username)))
    for acc in DEMO_ACCOUNTS:
        if acc.username in existing:
            continue
        auth.create_user(db, None, username=acc.username, full_name=acc.full_name,
                         password=acc.password, roles=acc.roles, nip=acc.nip,
                         pangkat=acc.pangkat, jabatan=acc.jabatan)
        created.append(acc)
    return created


def _login_all(db: Database) -> dict[str, auth.Actor]:
    return {acc.username: auth.login(db, acc.username, acc.password) for acc in DEMO_ACCOUNTS}


def _actor_for_lane(actors: dict[str, auth.Actor], roles: tuple[str, ...]) -> auth.Actor:
    for actor in actors.values():
        if actor.roles & set(roles) and ADMIN not in actor.roles:
            return actor
    raise LookupError(roles)


def advance(db: Database, actors: dict[str, auth.Actor], case: services.CaseDetail,
            steps: int, rng: random.Random) -> services.CaseDetail:
    """Move a case forward ``steps`` times along its happy path (used by demo and tests)."""
    sop = case.sop
    for _ in range(steps):
        if not case.is_open:
            break
        step = sop.step(case.current_step)
        actor = _actor_for_lane(actors, sop.roles_of_lane(step.lane))
        kwargs: dict[str, Any] = {}
        if step.kind == "check":
            action = workflow.COMPLETE_OK
            kwargs["requirements"] = {r.code: True for r in sop.requirements}
        elif step.kind == "bipartite":
            action = workflow.BIPARTITE
            kwargs["meeting"] = {"tempat": "Ruang Rapat Bidang Tenaga Kerja",
                                 "pendapat_pekerja": "Menuntut pembayaran upah lembur.",
                                 "pendapat_pengusaha": "Perusahaan belum sanggup membayar.",
                                 "hasil": "Belum tercapai kesepakatan.", "sepakat": False}
        else:
            action = {"submit": workflow.FINISH, "work": workflow.FINISH,
                      "approve": workflow.APPROVE, "paraf": workflow.PARAF,
                      "sign": workflow.SIGN, "handover": workflow.HANDOVER}[step.kind]
        for name in step.requires_fields:
            if not case.data.get(name):
                kwargs.setdefault("data", {})[name] = _training_field(name, rng)
        case = services.act(db, actor, case.id, action, expected_version=case.version,
                            **kwargs)
    return case


def _training_field(name: str, rng: random.Random) -> Any:
    if name == "peserta":
        return [{"nama": f"{rng.choice(_FIRST_M)} {rng.choice(_LAST)}",
                 "nik": None, "jenis_kelamin": "L", "asal": "Kota Pagar Alam",
                 "pendidikan": "SMA"} for _ in range(8)]
    if name == "panitia":
        return [{"nama": "Dedi Kurniawan", "nip": "198807122015031002",
                 "jabatan_dinas": "Pengantar Kerja", "jabatan_panitia": "Ketua"}]
    if name in ("laporan_jumlah_hadir", "kuota_peserta"):
        return 18
    if name == "kabupaten_tujuan":
        return [{"nama": "Kabupaten Lahat"}, {"nama": "Kabupaten Empat Lawang"}]
    if name == "jadwal":
        return [{"tanggal": date.today().isoformat(), "kegiatan": "Pembukaan"}]
    return "Pelatihan berjalan lancar; peserta aktif."


def seed_demo(db: Database, *, seed: int = 7) -> list[DemoAccount]:
    """Demo users (if missing) and sample cases in every SOP and status (if none yet)."""
    created = create_demo_users(db)
    from desktop_app.core.documents.context import install_placeholder_emblem

    install_placeholder_emblem(db)  # the drawn placeholder shield, until the office uploads one
    with db.read() as s:
        if s.scalar(select(func.count(Case.id))):
            return created
    rng = random.Random(seed)
    actors = _login_all(db)
    today = db.now().date()
    for sop in services.sops():
        reg_lane = sop.first_step.lane if sop.first_step.kind != "submit" else sop.step(2).lane
        clerk = _actor_for_lane(actors, sop.roles_of_lane(reg_lane) or (PETUGAS_PENERIMA,))
        if sop.first_step.kind == "submit":
            clerk = actors["petugas"]
        for i in range(len(sop.steps) + 3):
            reqs = {r.code: True for r in sop.requirements}
            case = services.register_case(db, clerk, sop.code, demo_intake(sop.code, rng, today),
                                          reqs)
            case = advance(db, actors, case, i, rng)
        # One returned (incomplete), one rejected, one withdrawn per service.
        if sop.subject != "training":
            reqs = {r.code: r.code != sop.requirements[0].code for r in sop.requirements}
            case = services.register_case(db, clerk, sop.code, demo_intake(sop.code, rng, today),
                                          reqs)
            services.act(db, clerk, case.id, workflow.INCOMPLETE, expected_version=case.version,
                         reason="Persyaratan belum lengkap; mohon dilengkapi.")
            case = services.register_case(db, clerk, sop.code, demo_intake(sop.code, rng, today),
                                          {r.code: True for r in sop.requirements})
            services.act(db, actors["kabid"], case.id, workflow.REJECT,
                         expected_version=case.version, reason="Data pemohon tidak benar.")
            case = services.register_case(db, clerk, sop.code, demo_intake(sop.code, rng, today),
                                          {r.code: True for r in sop.requirements})
            services.act(db, clerk, case.id, workflow.WITHDRAW, expected_version=case.version,
                         reason="Pemohon membatalkan permohonan.")
    seed_signing_demo(db, actors, rng)
    return created


def seed_signing_demo(db: Database, actors: dict[str, auth.Actor], rng: random.Random) -> None:
    """Certificates for the demo heads, and letters waiting in their signing queues.

    For each SOP whose letter is initialled and signed: one case whose letter waits for paraf,
    one whose letter waits for the signature, and one signed and handed over.
    """
    from desktop_app.core.documents import service as documents
    from desktop_app.core.signing import service as signing

    signing.setup_demo_signing(db)
    today = db.now().date()
    for sop in services.sops():
        specs = [d for d in sop.documents if d.sign_lane and d.paraf_lanes
                 and sop.step(d.step).kind not in ("paraf", "sign")]
        if not specs or sop.subject == "training":
            continue
        draft_step = min(d.step for d in specs)
        for target in ("paraf", "sign", "done"):
            case = services.register_case(db, actors["petugas"], sop.code,
                                          demo_intake(sop.code, rng, today),
                                          {r.code: True for r in sop.requirements})
            if sop.code == "ak1":  # the card needs the applicant's photo
                import base64

                from desktop_app.core.documents.card import placeholder_photo

                png = base64.b64decode(placeholder_photo().split(",", 1)[1])
                services.add_attachment(db, actors["petugas"], case.id, kind="pas_foto",
                                        filename="pas_foto.png", content=png,
                                        mime_type="image/png")
            while case.current_step < draft_step:  # bipartite meetings repeat a step
                case = advance(db, actors, case, 1, rng)
            for spec in specs:
                documents.draft_document(db, _actor_for_lane(
                    actors, sop.roles_of_lane(sop.step(spec.step).lane)), case.id, spec.code)
            case = advance(db, actors, case, 1, rng)  # leaving the step numbers the letters
            if target == "paraf":
                continue
            _sign_waiting(db, actors, case.id, "paraf")
            if target == "sign":
                continue
            _sign_waiting(db, actors, case.id, "ttd")
            case = services.get_case(db, case.id)
            advance(db, actors, case, 5, rng)


def _sign_waiting(db: Database, actors: dict[str, auth.Actor], case_id: int, kind: str) -> None:
    """Give every paraf (or signature) the case's documents wait for, as the demo heads."""
    from desktop_app.core.signing import service as signing

    for actor in actors.values():
        if ADMIN in actor.roles or not signing.is_signer(actor):
            continue
        rows = [r for r in signing.signing_queue(db, actor) if r.case_id == case_id
                and r.awaited == kind]
        if not rows:
            continue
        ids = [r.document_id for r in rows]
        if kind == "paraf":
            signing.paraf_documents(db, actor, ids)
        else:
            signing.sign_documents(db, actor, ids,
                                   signing.demo_signing_passphrase(actor.username))


def seed_scale(db: Database, n: int, *, seed: int = 11, batch: int = 20_000) -> int:
    """Insert ``n`` cases spread over the six SOPs with bulk inserts (benchmarks, scale tests).

    The rows are consistent (numbers from the counters, valid statuses and lanes) but carry
    no step history: this exercises lists and queries, not the workflow.
    """
    rng = random.Random(seed)
    sop_list = sop_versions.active_sops(db)
    now = db.now()
    with db.read() as s:
        user_id = s.scalar(select(User.id).order_by(User.id)) or 1
        version_ids = {sop.code: sop_versions.active_version(s, sop.code)[0]
                       for sop in sop_list}
    statuses = [workflow.IN_PROGRESS] * 6 + [workflow.COMPLETED] * 3 + [workflow.RETURNED,
                                                                       workflow.REJECTED]
    written = 0
    while written < n:
        size = min(batch, n - written)
        with db.write() as s:
            rows = []
            per_sop: dict[tuple[str, int], list[int]] = {}
            for _ in range(size):
                sop = rng.choice(sop_list)
                year = now.year - rng.choice([0, 0, 0, 1, 2])
                per_sop.setdefault((sop.code, year), []).append(len(rows))
                status = rng.choice(statuses)
                step = rng.randint(2 if sop.first_step.kind == "submit" else 1, len(sop.steps))
                registered = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365 * 2))
                if registered.year != year:
                    registered = registered.replace(year=year)
                p = _person(rng, now.date()) if sop.subject == "person" else None
                title = p["nama"] if p else f"{rng.choice(['CV', 'PT'])} {rng.choice(_LAST)} " \
                    f"{rng.randint(1, 999)}"
                due = registered + timedelta(hours=rng.randint(1, 200))
                rows.append({
                    "sop_code": sop.code, "sop_version_id": version_ids[sop.code],
                    "register_year": year, "status": status,
                    "current_step": step, "current_lane": sop.step(step).lane,
                    "title": title, "title_key": title.lower(), "nik": p["nik"] if p else None,
                    "data": p or {"nama_perusahaan": title}, "registered_at": registered,
                    "registered_by_id": user_id, "step_started_at": registered,
                    "step_due_at": due if status == workflow.IN_PROGRESS else None,
                    "due_at": due, "closed_at": None, "updated_at": registered,
                    "updated_by_id": user_id, "version": 1, "attention_note": None,
                })
            prefixes = {sop.code: sop.register_prefix for sop in sop_list}
            for (code, year), idxs in per_sop.items():
                first = next_value(s, register_series(code, year))
                s.execute(
                    Counter.__table__.update().where(Counter.name == register_series(code, year))
                    .values(value=first + len(idxs) - 1))
                for offset, idx in enumerate(idxs):
                    rows[idx]["register_seq"] = first + offset
                    rows[idx]["register_number"] = format_register_number(
                        prefixes[code], year, first + offset)
            s.execute(insert(Case), rows)
        written += size
    return written
