"""Demo accounts: one user per role with known passwords (and NIP, rank, position)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from desktop_app.core import auth
from desktop_app.core.db import Database
from desktop_app.core.models import User
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


def create_demo_users(db: Database) -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet; returns those created.

    Refuses (``RealDatabaseRefused``) a database that holds real data."""
    from desktop_app.core.db_kind import claim_for_demo

    claim_for_demo(db)
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
