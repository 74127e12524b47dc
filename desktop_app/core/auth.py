"""Accounts: argon2id passwords, login with lockout, and the signed-in user (``Actor``).

Five wrong passwords lock an account for 15 minutes. Every login, failure and permission
refusal is written to the audit log. Services receive an :class:`Actor` and check its roles
themselves, so hiding a button is never the only guard.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core import audit
from desktop_app.core.db import Database
from desktop_app.core.errors import (
    AccountLocked,
    LoginFailed,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from desktop_app.core.models import Delegation, User, UserRole
from desktop_app.core.roles import ADMIN, ROLE_LABELS

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id with the library's RFC 9106 low-memory defaults


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class ActingFor:
    """A delegation in force: the actor may act in ``roles`` on behalf of ``user_name``."""

    user_id: int
    user_name: str
    kind: str  # "Plh." or "Plt."
    roles: frozenset[str]


@dataclass(frozen=True)
class Actor:
    """The signed-in user as services see them."""

    user_id: int
    username: str
    full_name: str
    roles: frozenset[str]
    acting_for: tuple[ActingFor, ...] = field(default=())

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def effective_roles(self) -> frozenset[str]:
        """Own roles plus the roles of heads this user deputises for today."""
        extra: set[str] = set()
        for a in self.acting_for:
            extra |= a.roles
        return self.roles | extra

    def delegation_for(self, roles: Iterable[str]) -> ActingFor | None:
        """The delegation that lets this user act in one of ``roles`` they lack themselves."""
        wanted = set(roles)
        if self.roles & wanted:
            return None
        return next((a for a in self.acting_for if a.roles & wanted), None)

    @property
    def roles_label(self) -> str:
        return ", ".join(ROLE_LABELS.get(r, r) for r in sorted(self.roles))


def _active_delegations(session: Session, user_id: int, today: date) -> tuple[ActingFor, ...]:
    rows = session.scalars(
        select(Delegation).where(
            Delegation.to_user_id == user_id, Delegation.revoked.is_(False),
            Delegation.starts_on <= today, Delegation.ends_on >= today,
        )
    ).all()
    return tuple(ActingFor(d.from_user_id, d.from_user.full_name, d.kind,
                           d.from_user.role_codes - {ADMIN}) for d in rows)


def actor_for(db: Database, user_id: int) -> Actor:
    """Build the :class:`Actor` of a user (roles and today's delegations)."""
    with db.read() as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound("Pengguna tidak ditemukan.")
        return Actor(user.id, user.username, user.full_name, user.role_codes,
                     _active_delegations(s, user.id, db.now().date()))


def login(db: Database, username: str, password: str) -> Actor:
    """Check the password; lock after five failures; audit every attempt."""
    now = db.now()
    with db.write() as s:
        user = s.scalars(select(User).where(User.username == username.strip())).one_or_none()
        if user is None or not user.is_active:
            audit.record(s, at=now, user_id=None, username=username[:64], action="login_gagal",
                         entity="user", entity_id=username[:64],
                         detail={"alasan": "pengguna tidak dikenal atau nonaktif"})
            failure: Exception = LoginFailed("Nama pengguna atau kata sandi salah.")
        elif user.locked_until and user.locked_until > now:
            audit.record(s, at=now, user_id=user.id, username=user.username,
                         action="login_ditolak_terkunci", entity="user", entity_id=user.id)
            failure = AccountLocked(user.locked_until)
        elif not verify_password(user.password_hash, password):
            user.failed_logins += 1
            detail: dict[str, object] = {"gagal_ke": user.failed_logins}
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
                detail["dikunci_sampai"] = user.locked_until.isoformat()
                failure = AccountLocked(user.locked_until)
            else:
                left = MAX_FAILED_LOGINS - user.failed_logins
                failure = LoginFailed(
                    f"Nama pengguna atau kata sandi salah. Sisa percobaan: {left}.")
            audit.record(s, at=now, user_id=user.id, username=user.username,
                         action="login_gagal", entity="user", entity_id=user.id, detail=detail)
        else:
            user.failed_logins = 0
            user.locked_until = None
            if _hasher().check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            audit.record(s, at=now, user_id=user.id, username=user.username, action="login",
                         entity="user", entity_id=user.id)
            return Actor(user.id, user.username, user.full_name, user.role_codes,
                         _active_delegations(s, user.id, now.date()))
    raise failure


def check_password(db: Database, actor: Actor, password: str) -> bool:
    """Re-check the signed-in user's password (screen unlock); failures count as logins."""
    try:
        login(db, actor.username, password)
    except (LoginFailed, AccountLocked):
        return False
    return True


def record_refusal(db: Database, actor: Actor, action: str, entity: str, entity_id: object,
                   reason: str) -> None:
    """Audit a permission refusal in its own transaction (the refused work is not written)."""
    with db.write() as s:
        audit.record(s, at=db.now(), user_id=actor.user_id, username=actor.username,
                     action="izin_ditolak", entity=entity, entity_id=entity_id,
                     detail={"aksi": action, "alasan": reason})


def require_roles(db: Database, actor: Actor, roles: Iterable[str], action: str,
                  entity: str = "-", entity_id: object = "-") -> None:
    """Raise :class:`PermissionDenied` (and audit it) unless the actor holds one of ``roles``."""
    wanted = frozenset(roles)
    if actor.effective_roles & wanted:
        return
    labels = ", ".join(ROLE_LABELS.get(r, r) for r in sorted(wanted))
    reason = f"Tindakan ini hanya untuk peran: {labels}."
    record_refusal(db, actor, action, entity, entity_id, reason)
    raise PermissionDenied(reason)


# ------------------------------------------------------------------------ user management


def _validate_user(username: str, full_name: str, roles: Iterable[str], password: str | None,
                   nip: str | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not username or not username.strip():
        errors["username"] = "Nama pengguna wajib diisi."
    elif len(username) > 64 or not username.replace(".", "").replace("_", "").isalnum():
        errors["username"] = "Nama pengguna hanya huruf, angka, titik dan garis bawah (maks. 64)."
    if not full_name or not full_name.strip():
        errors["full_name"] = "Nama lengkap wajib diisi."
    elif len(full_name) > 200:
        errors["full_name"] = "Nama lengkap terlalu panjang (maks. 200 karakter)."
    unknown = [r for r in roles if r not in ROLE_LABELS]
    if unknown:
        errors["roles"] = f"Peran tidak dikenal: {', '.join(unknown)}."
    elif not list(roles):
        errors["roles"] = "Pilih sedikitnya satu peran."
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter."
    if nip and not (nip.isdigit() and len(nip) == 18):
        errors["nip"] = "NIP harus 18 digit angka."
    return errors


def create_user(db: Database, actor: Actor | None, *, username: str, full_name: str,
                password: str, roles: Iterable[str], nip: str | None = None,
                pangkat: str | None = None, jabatan: str | None = None) -> int:
    """Create an account. ``actor`` None is the bootstrap/CLI path (no signed-in user)."""
    roles = list(dict.fromkeys(roles))
    if actor is not None:
        require_roles(db, actor, [ADMIN], "create_user", "user", username)
    errors = _validate_user(username, full_name, roles, password, nip)
    if errors:
        raise ValidationError(errors)
    now = db.now()
    with db.write() as s:
        if s.scalars(select(User.id).where(User.username == username)).first():
            raise ValidationError({"username": f"Nama pengguna '{username}' sudah dipakai."})
        user = User(username=username, full_name=full_name.strip(), nip=nip or None,
                    pangkat=pangkat or None, jabatan=jabatan or None,
                    password_hash=hash_password(password), is_active=True, failed_logins=0,
                    created_at=now, roles=[UserRole(role=r) for r in roles])
        s.add(user)
        s.flush()
        audit.record(s, at=now, user_id=actor.user_id if actor else None,
                     username=actor.username if actor else "sistem", action="buat_pengguna",
                     entity="user", entity_id=user.id,
                     detail={"username": username, "peran": roles})
        return user.id


def _get_user(s: Session, username: str) -> User:
    user = s.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise NotFound(f"Pengguna '{username}' tidak ditemukan.")
    return user


def set_roles(db: Database, actor: Actor | None, username: str, roles: Iterable[str]) -> None:
    roles = list(dict.fromkeys(roles))
    if actor is not None:
        require_roles(db, actor, [ADMIN], "set_roles", "user", username)
    errors = {k: v for k, v in _validate_user(username, "x", roles, None, None).items()
              if k == "roles"}
    if errors:
        raise ValidationError(errors)
    with db.write() as s:
        user = _get_user(s, username)
        user.roles = [UserRole(role=r) for r in roles]
        audit.record(s, at=db.now(), user_id=actor.user_id if actor else None,
                     username=actor.username if actor else "sistem", action="ubah_peran",
                     entity="user", entity_id=user.id, detail={"peran": roles})


def reset_password(db: Database, actor: Actor | None, username: str, new_password: str) -> None:
    if actor is not None and actor.username != username:
        require_roles(db, actor, [ADMIN], "reset_password", "user", username)
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise ValidationError({"password": f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter."})
    with db.write() as s:
        user = _get_user(s, username)
        user.password_hash = hash_password(new_password)
        user.failed_logins = 0
        user.locked_until = None
        audit.record(s, at=db.now(), user_id=actor.user_id if actor else None,
                     username=actor.username if actor else "sistem", action="reset_sandi",
                     entity="user", entity_id=user.id)


def set_active(db: Database, actor: Actor | None, username: str, active: bool) -> None:
    if actor is not None:
        require_roles(db, actor, [ADMIN], "set_active", "user", username)
        if actor.username == username and not active:
            raise ValidationError({"username": "Anda tidak dapat menonaktifkan akun sendiri."})
    with db.write() as s:
        user = _get_user(s, username)
        user.is_active = active
        audit.record(s, at=db.now(), user_id=actor.user_id if actor else None,
                     username=actor.username if actor else "sistem",
                     action="aktifkan_pengguna" if active else "nonaktifkan_pengguna",
                     entity="user", entity_id=user.id)


def update_profile(db: Database, actor: Actor | None, username: str, *, full_name: str,
                   nip: str | None, pangkat: str | None, jabatan: str | None,
                   signature_image: bytes | None = None) -> None:
    """Name, NIP, rank, position and signature image of an official."""
    if actor is not None and actor.username != username:
        require_roles(db, actor, [ADMIN], "update_profile", "user", username)
    errors = {k: v for k, v in _validate_user(username, full_name, ["admin"], None, nip).items()
              if k in ("full_name", "nip")}
    if errors:
        raise ValidationError(errors)
    with db.write() as s:
        user = _get_user(s, username)
        user.full_name, user.nip = full_name.strip(), nip or None
        user.pangkat, user.jabatan = pangkat or None, jabatan or None
        if signature_image is not None:
            user.signature_image = signature_image or None
        audit.record(s, at=db.now(), user_id=actor.user_id if actor else None,
                     username=actor.username if actor else "sistem", action="ubah_profil",
                     entity="user", entity_id=user.id)


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    full_name: str
    roles: tuple[str, ...]
    nip: str | None
    pangkat: str | None
    jabatan: str | None
    is_active: bool
    locked_until: datetime | None


def list_users(db: Database) -> list[UserRow]:
    with db.read() as s:
        users = s.scalars(select(User).order_by(User.username)).all()
        return [UserRow(u.id, u.username, u.full_name, tuple(sorted(u.role_codes)), u.nip,
                        u.pangkat, u.jabatan, u.is_active, u.locked_until) for u in users]


def add_delegation(db: Database, actor: Actor, *, from_username: str, to_username: str,
                   starts_on: date, ends_on: date, kind: str = "Plh.", note: str = "") -> int:
    """A head (or the administrator) hands their lanes to a deputy for a date range."""
    errors: dict[str, str] = {}
    if ends_on < starts_on:
        errors["ends_on"] = "Tanggal selesai sebelum tanggal mulai."
    if kind not in ("Plh.", "Plt."):
        errors["kind"] = "Jenis pelimpahan harus Plh. atau Plt."
    if from_username == to_username:
        errors["to_username"] = "Pejabat dan wakilnya tidak boleh orang yang sama."
    if errors:
        raise ValidationError(errors)
    with db.read() as s:
        from_user = _get_user(s, from_username)
    if actor.user_id != from_user.id:
        require_roles(db, actor, [ADMIN], "add_delegation", "user", from_username)
    with db.write() as s:
        from_user = _get_user(s, from_username)
        to_user = _get_user(s, to_username)
        d = Delegation(from_user_id=from_user.id, to_user_id=to_user.id, kind=kind,
                       starts_on=starts_on, ends_on=ends_on, note=note,
                       created_by_id=actor.user_id, created_at=db.now(), revoked=False)
        s.add(d)
        s.flush()
        audit.record(s, at=db.now(), user_id=actor.user_id, username=actor.username,
                     action="pelimpahan", entity="delegation", entity_id=d.id,
                     detail={"dari": from_username, "kepada": to_username, "jenis": kind,
                             "mulai": starts_on.isoformat(), "selesai": ends_on.isoformat()})
        return d.id


# ------------------------------------------------------------------------ own password


def change_own_password(db: Database, actor: Actor, old: str, new: str) -> None:
    """The signed-in user changes their own password, proving the old one first.

    A wrong old password counts as a failed login (it can lock the account like one). Errors
    are per field: ``sandi_lama`` and ``sandi_baru``; nothing is written on an error.
    """
    errors: dict[str, str] = {}
    if not old:
        errors["sandi_lama"] = "Isi kata sandi lama."
    if len(new or "") < MIN_PASSWORD_LENGTH:
        errors["sandi_baru"] = f"Kata sandi baru minimal {MIN_PASSWORD_LENGTH} karakter."
    elif new == old:
        errors["sandi_baru"] = "Kata sandi baru harus berbeda dari yang lama."
    if errors:
        raise ValidationError(errors)
    try:
        login(db, actor.username, old)
    except AccountLocked:
        raise
    except LoginFailed as exc:
        left = exc.message.split("Sisa percobaan:")[-1].strip() if "Sisa" in exc.message else ""
        raise ValidationError({"sandi_lama": "Kata sandi lama salah." + (
            f" Sisa percobaan: {left}" if left else "")}) from None
    with db.write() as s:
        user = _get_user(s, actor.username)
        user.password_hash = hash_password(new)
        audit.record(s, at=db.now(), user_id=actor.user_id, username=actor.username,
                     action="ganti_sandi_sendiri", entity="user", entity_id=user.id)
