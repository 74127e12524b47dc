"""First-run setup of a real office database: the first administrator and the signing officials.

Creating an administrator without being signed in is allowed exactly once: while the database
has no account at all. The check and the insert happen in one transaction that holds a lock on
the accounts table, so two PCs running the setup wizard against one new server at the same
moment cannot both make themselves administrator. Demo data is never part of this path.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select, text

from desktop_app.core import audit, auth
from desktop_app.core.db import Database
from desktop_app.core.errors import PermissionDenied, ValidationError
from desktop_app.core.models import User, UserRole
from desktop_app.core.roles import ADMIN, KABID, KADIS

# The officials the wizard asks for: role, the role's title on a letter.
OFFICIALS: tuple[tuple[str, str], ...] = ((KADIS, "Kepala Dinas"), (KABID, "Kepala Bidang"))
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud over a counter


def has_users(db: Database) -> bool:
    """Whether any account exists (plain SQL: asked at every start, before the ORM is warm)."""
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT 1 FROM users LIMIT 1")).first() is not None


def create_first_admin(db: Database, *, username: str, full_name: str, password: str,
                       password_again: str) -> auth.Actor:
    """Create the first administrator of an empty database and return them signed in."""
    errors = auth._validate_user(username, full_name, [ADMIN], password, None)
    if password != password_again:
        errors.setdefault("password_again", "Kedua kata sandi tidak sama.")
    if errors:
        raise ValidationError(errors)
    now = db.now()
    with db.write() as s:
        if not db.is_sqlite:  # SQLite: BEGIN IMMEDIATE already serialises writers
            s.execute(text("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"))
        if s.scalar(select(func.count(User.id))):
            raise PermissionDenied("Basis data ini sudah mempunyai pengguna; administrator "
                                   "pertama hanya dibuat pada basis data kosong.")
        from desktop_app.core.db_kind import REAL, mark_in_session

        mark_in_session(s, REAL)
        user = User(username=username.strip(), full_name=full_name.strip(),
                    password_hash=auth.hash_password(password), is_active=True,
                    failed_logins=0, created_at=now, roles=[UserRole(role=ADMIN)])
        s.add(user)
        s.flush()
        audit.record(s, at=now, user_id=user.id, username=user.username,
                     action="buat_admin_pertama", entity="user", entity_id=user.id,
                     detail={"username": user.username})
        uid = user.id
    return auth.actor_for(db, uid)


def initial_password() -> str:
    """A first password an official can type from a slip of paper (12 letters and digits)."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))


@dataclass(frozen=True)
class Official:
    role: str
    full_name: str
    username: str
    nip: str
    pangkat: str
    jabatan: str


def validate_officials(officials: list[Official]) -> dict[str, str]:
    """Field errors keyed ``<role>.<field>`` (an official left without a name is skipped)."""
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for o in officials:
        if not o.full_name.strip():
            continue
        found = auth._validate_user(o.username, o.full_name, [o.role], None, o.nip or None)
        for name, message in found.items():
            errors[f"{o.role}.{name}"] = message
        if not o.nip.strip():
            errors[f"{o.role}.nip"] = "NIP wajib diisi untuk pejabat penanda tangan."
        if o.username in seen:
            errors[f"{o.role}.username"] = "Nama pengguna sudah dipakai pejabat lain."
        seen.add(o.username)
    return errors


def create_officials(db: Database, admin: auth.Actor,
                     officials: list[Official]) -> list[tuple[Official, str]]:
    """Accounts for the signing officials, each with a first password to hand over."""
    errors = validate_officials(officials)
    if errors:
        raise ValidationError(errors)
    created = []
    for o in officials:
        if not o.full_name.strip():
            continue
        password = initial_password()
        try:
            auth.create_user(db, admin, username=o.username, full_name=o.full_name,
                             password=password, roles=[o.role], nip=o.nip.strip(),
                             pangkat=o.pangkat.strip() or None, jabatan=o.jabatan.strip() or None)
        except ValidationError as exc:
            raise ValidationError({f"{o.role}.{k}": v for k, v in exc.errors.items()}) from None
        created.append((o, password))
    return created
