"""Whether a database holds the office's real data or demo data, written in the database.

A database says what it is in the setting ``database_kind``: ``"demo"`` once demo accounts
were put in it, ``"real"`` once its first real account was made (the setup wizard's
administrator, ``admin create-user`` on an empty database). Demo data — accounts with
published passwords, a demo CA, sample cases — goes only into a demo database: ``--demo`` and
``admin seed-demo`` refuse a real one. A database made before this setting existed counts as
demo only when every account in it is a demo account.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core.db import Database
from desktop_app.core.errors import AppError
from desktop_app.core.models import Setting, User

KEY = "database_kind"
DEMO = "demo"
REAL = "real"

REAL_REFUSED = ("Basis data ini berisi data kantor yang sebenarnya, bukan basis data demo. "
                "Data demo (akun dengan kata sandi yang diketahui umum, sertifikat demo, "
                "berkas contoh) tidak dimasukkan ke dalamnya. Jalankan '--demo' tanpa "
                "'--database' untuk memakai basis data demo tersendiri.")


class RealDatabaseRefused(AppError):
    """Demo data was about to enter a real database."""


def kind_in_session(s: Session) -> str | None:
    """``"demo"``, ``"real"`` or None (an empty database that is neither yet)."""
    row = s.get(Setting, KEY)
    if row is not None and row.value in (DEMO, REAL):
        return str(row.value)
    names = set(s.scalars(select(User.username)))
    if not names:
        return None
    from desktop_app.core.demo.accounts import DEMO_ACCOUNTS  # names only: no demo data

    return DEMO if names <= {a.username for a in DEMO_ACCOUNTS} else REAL


def database_kind(db: Database) -> str | None:
    with db.read() as s:
        return kind_in_session(s)


def mark_in_session(s: Session, kind: str) -> None:
    """Write the kind if the database has none yet (inside the caller's transaction)."""
    if s.get(Setting, KEY) is None:
        s.add(Setting(key=KEY, value=kind))
        s.flush()


def claim_for_demo(db: Database) -> None:
    """Mark the database as demo, or raise :class:`RealDatabaseRefused` if it is real."""
    with db.write() as s:
        if kind_in_session(s) == REAL:
            raise RealDatabaseRefused(REAL_REFUSED)
        mark_in_session(s, DEMO)
