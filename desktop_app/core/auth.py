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
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from desktop_app.core import audit
from desktop_app.core.db import Database
from desktop_app.core.errors import (
    AccountLocked,
    LoginFailed,
    NotFound,
    PermissionDenied,
    ValidationError,
    session_ended,
)
from desktop_app.core.models import Delegation, User, UserRole
from desktop_app.core.roles import ADMIN, ROLE_LABELS
from desktop_app.core.textcheck import bad_characters

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10  # docs/access.md: the password rules


@cache
def _common_passwords() -> frozenset[str]:
    from desktop_app.resources import resource_path

    lines = resource_path("data", "common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(x.strip().lower() for x in lines.splitlines()
                     if x.strip() and not x.startswith("#"))


def password_problem(password: str, username: str = "") -> str | None:
    """Why ``password`` is refused, or None: at least 10 characters, not only digits, not one
    of the common passwords shipped with the program (also with digits or punctuation added at
    the end), not the user name, no characters that cannot be stored."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter."
    if bad_characters(password):
        return "Kata sandi memuat karakter yang tidak dapat dipakai."
    if password.isdigit():
        return "Kata sandi tidak boleh hanya angka."
    low = password.lower()
    if len(set(low)) < 4:
        return "Kata sandi terlalu mudah ditebak (terlalu sedikit karakter berbeda)."
    common = _common_passwords()
    if (low in common or low.rstrip("0123456789!@#$%^&*.,-_ ") in common
            or low.lstrip("0123456789!@#$%^&*.,-_ ") in common
            or (username and low == username.strip().lower())):
        return "Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain."
    return None


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
    # The password was set by an administrator: it must be changed before any work.
    must_change_password: bool = False

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
    """Today's delegations to ``user_id`` whose giver is still active (a delegation lapses
    when its giver is deactivated)."""
    rows = session.scalars(
        select(Delegation).where(
            Delegation.to_user_id == user_id, Delegation.revoked.is_(False),
            Delegation.starts_on <= today, Delegation.ends_on >= today,
        )
    ).all()
    return tuple(ActingFor(d.from_user_id, d.from_user.full_name, d.kind,
                           d.from_user.role_codes - {ADMIN}) for d in rows
                 if d.from_user.is_active)


MUST_CHANGE_PASSWORD_MESSAGE = audit.MUST_CHANGE_PASSWORD_MESSAGE

ROLES_CHANGED_MESSAGE = ("Peran akun Anda telah diubah oleh administrator. Pekerjaan ini tidak "
                         "disimpan. Silakan masuk kembali.")


def current_actor(s: Session, actor: Actor, now: datetime) -> Actor:
    """The actor as the database says it is now, read in the caller's transaction ``s``.

    Raises :class:`SessionEnded` when the account was deactivated, locked or given other roles
    since it logged in; delegations are re-read (one that lapsed or whose giver was
    deactivated no longer counts)."""
    user = s.execute(select(User).where(User.id == actor.user_id)
                     .execution_options(populate_existing=True)).scalar_one_or_none()
    if user is None or not user.is_active:
        raise session_ended(audit.INACTIVE_MESSAGE)
    if user.locked_until is not None and user.locked_until > now:
        raise session_ended(audit.LOCKED_MESSAGE)
    if user.role_codes != actor.roles:
        raise session_ended(ROLES_CHANGED_MESSAGE)
    if user.must_change_password:
        raise session_ended(MUST_CHANGE_PASSWORD_MESSAGE)
    return Actor(user.id, user.username, user.full_name, user.role_codes,
                 _active_delegations(s, user.id, now.date()))


def refresh_actor(db: Database, actor: Actor) -> Actor:
    """:func:`current_actor` in a transaction of its own (for checks made before the work)."""
    with db.read() as s:
        return current_actor(s, actor, db.now())


def actor_for(db: Database, user_id: int) -> Actor:
    """Build the :class:`Actor` of a user (roles and today's delegations)."""
    with db.read() as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound("Pengguna tidak ditemukan.")
        return Actor(user.id, user.username, user.full_name, user.role_codes,
                     _active_delegations(s, user.id, db.now().date()),
                     must_change_password=bool(user.must_change_password))


_DUMMY_PASSWORD = "tidak-ada-akun-seperti-ini"


def clean_login_name(username: str) -> str:
    """The typed name without surrounding blanks; "" when it holds characters no account
    name can have (NUL, surrogates, ...), which then fails like an unknown name."""
    name = (username or "").strip()
    if bad_characters(name) or len(name) > 64:
        return ""
    return name


@cache
def _dummy_hash() -> str:
    return hash_password(_DUMMY_PASSWORD)


def _claim_attempt(db: Database, user_id: int, now: datetime) -> int | None:
    """Count one password check against the account before it is made, atomically (one
    ``UPDATE ... RETURNING``: a row lock on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite).

    Returns the attempt's number, or None when the account is locked or already has
    ``MAX_FAILED_LOGINS`` checks under way or failed: then no password is checked, however
    many PCs guess at once. A success resets the counter."""
    users = User.__table__
    with db.write() as s:
        got = s.connection().execute(
            update(users).where(
                users.c.id == user_id, users.c.is_active.is_(True),
                users.c.failed_logins < MAX_FAILED_LOGINS,
                or_(users.c.locked_until.is_(None), users.c.locked_until <= now),
            ).values(failed_logins=users.c.failed_logins + 1).returning(users.c.failed_logins)
        ).scalar_one_or_none()
        if got is None:
            # Five checks used up but no lock written (the fifth is still checking, or its
            # program died): lock now, so the account cannot stay blocked without an end.
            s.connection().execute(
                update(users).where(users.c.id == user_id,
                                    users.c.failed_logins >= MAX_FAILED_LOGINS)
                .values(failed_logins=0, locked_until=now + LOCKOUT))
        return got


def login(db: Database, username: str, password: str) -> Actor:
    """Check the password; lock after five failures; audit every attempt.

    Unknown, deactivated and existing accounts cost the same argon2 check and get the same
    message, so names cannot be discovered by timing or wording."""
    now = db.now()
    failed = "Nama pengguna atau kata sandi salah."
    name = clean_login_name(username)
    with db.read() as s:
        row = s.execute(select(User.id, User.is_active, User.locked_until, User.password_hash)
                        .where(User.username == name)).one_or_none() if name else None
    if row is None or not row.is_active:
        verify_password(_dummy_hash(), password)  # same time as a real check
        with db.write() as s:
            audit.record(s, at=now, user_id=None, username=name[:64], action="login_gagal",
                         entity="user", entity_id=name[:64],
                         detail={"alasan": "pengguna tidak dikenal atau nonaktif"})
        raise LoginFailed(failed)
    attempt = _claim_attempt(db, row.id, now)
    if attempt is None:
        verify_password(_dummy_hash(), password)
        with db.write() as s:
            user = s.get(User, row.id)
            assert user is not None
            audit.record(s, at=now, user_id=user.id, username=user.username,
                         action="login_ditolak_terkunci", entity="user", entity_id=user.id)
            until = user.locked_until or now + LOCKOUT
        raise AccountLocked(until)
    ok = verify_password(row.password_hash, password)
    users = User.__table__
    with db.write() as s:
        user = s.get(User, row.id)
        assert user is not None
        if not ok:
            detail: dict[str, object] = {"gagal_ke": attempt}
            failure: Exception = LoginFailed(failed)
            if attempt >= MAX_FAILED_LOGINS:
                until = now + LOCKOUT
                s.connection().execute(update(users).where(users.c.id == user.id)
                                       .values(failed_logins=0, locked_until=until))
                detail["dikunci_sampai"] = until.isoformat()
                failure = AccountLocked(until)
            audit.record(s, at=now, user_id=user.id, username=user.username,
                         action="login_gagal", entity="user", entity_id=user.id, detail=detail)
        else:
            s.connection().execute(update(users).where(users.c.id == user.id)
                                   .values(failed_logins=0, locked_until=None))
            if _hasher().check_needs_rehash(row.password_hash):
                user.password_hash = hash_password(password)
            audit.record(s, at=now, user_id=user.id, username=user.username, action="login",
                         entity="user", entity_id=user.id)
            s.flush()
            s.expire(user)
            return Actor(user.id, user.username, user.full_name, user.role_codes,
                         _active_delegations(s, user.id, now.date()),
                         must_change_password=bool(user.must_change_password))
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
    """Raise :class:`PermissionDenied` (and audit it) unless the actor holds one of ``roles``
    as the database says now (:class:`SessionEnded` when the account itself lapsed)."""
    wanted = frozenset(roles)
    if refresh_actor(db, actor).effective_roles & wanted:
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
    problem = password_problem(password, username) if password is not None else None
    if problem:
        errors["password"] = problem
    if nip and not (nip.isdigit() and len(nip) == 18):
        errors["nip"] = "NIP harus 18 digit angka."
    return errors


def create_user(db: Database, actor: Actor | None, *, username: str, full_name: str,
                password: str, roles: Iterable[str], nip: str | None = None,
                pangkat: str | None = None, jabatan: str | None = None,
                must_change_password: bool | None = None) -> int:
    """Create an account. ``actor`` None is the bootstrap/CLI path (no signed-in user).

    An account an administrator creates for someone else must change the password it was
    given at its first login (``must_change_password`` defaults to that); the first
    administrator, who chose their own password, and the demo accounts need not."""
    if must_change_password is None:
        must_change_password = actor is not None and actor.username != username
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
                    must_change_password=must_change_password, created_at=now, roles=[UserRole(role=r) for r in roles])
        s.add(user)
        s.flush()
        from desktop_app.core.db_kind import REAL, mark_in_session

        mark_in_session(s, REAL)  # a database's first account that is not a demo one
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
    """An administrator sets a new password (and opens a lock). Changing one's own password
    needs the old one: that is ``change_own_password``, not this."""
    if actor is not None:
        require_roles(db, actor, [ADMIN], "reset_password", "user", username)
    problem = password_problem(new_password, username)
    if problem:
        raise ValidationError({"password": problem})
    with db.write() as s:
        user = _get_user(s, username)
        user.password_hash = hash_password(new_password)
        user.failed_logins = 0
        user.locked_until = None
        user.must_change_password = True  # the holder chooses their own at the next login
        audit.record(s, at=db.now(), user_id=actor.user_id if actor else None,
                     username=actor.username if actor else "sistem", action="reset_sandi",
                     entity="user", entity_id=user.id,
                     detail={"wajib_ganti_sandi": True})


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


MAX_DELEGATION_MONTHS = 3  # SE Kepala BKN No. 1/SE/I/2021: Plh./Plt. paling lama 3 bulan


def _add_months(day: date, months: int) -> date:
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_delegation(db: Database, actor: Actor, *, from_username: str, to_username: str,
                   starts_on: date, ends_on: date, kind: str = "Plh.", note: str = "") -> int:
    """A head hands their own lanes to a deputy for a date range, or the administrator records
    it for them (docs/access.md). At most three months (SE Kepala BKN 1/SE/I/2021, which
    allows an extension by another three: a new delegation); both accounts must be active."""
    from desktop_app.core.roles import HEADS

    errors: dict[str, str] = {}
    if ends_on < starts_on:
        errors["ends_on"] = "Tanggal selesai sebelum tanggal mulai."
    elif ends_on >= _add_months(starts_on, MAX_DELEGATION_MONTHS):
        errors["ends_on"] = ("Pelimpahan Plh./Plt. paling lama 3 bulan (SE Kepala BKN "
                             "No. 1/SE/I/2021); perpanjangan dicatat sebagai pelimpahan baru.")
    if kind not in ("Plh.", "Plt."):
        errors["kind"] = "Jenis pelimpahan harus Plh. atau Plt."
    if from_username == to_username:
        errors["to_username"] = "Pejabat dan wakilnya tidak boleh orang yang sama."
    if len(note) > 1000 or bad_characters(note):
        errors["note"] = "Catatan terlalu panjang atau memuat karakter yang tidak diizinkan."
    if errors:
        raise ValidationError(errors)
    fresh = refresh_actor(db, actor)
    with db.read() as s:
        from_user = _get_user(s, from_username)
        giver_roles = from_user.role_codes
    if ADMIN not in fresh.roles:
        if fresh.user_id != from_user.id:
            require_roles(db, fresh, [ADMIN], "add_delegation", "user", from_username)
        elif not giver_roles & HEADS:
            reason = "Hanya kepala (Kadis, Sekretaris, Kabid, Kasi) yang dapat melimpahkan lajurnya."
            record_refusal(db, fresh, "add_delegation", "user", from_username, reason)
            raise PermissionDenied(reason)
    with db.write() as s:
        from_user = _get_user(s, from_username)
        to_user = _get_user(s, to_username)
        if not (from_user.is_active and to_user.is_active):
            raise ValidationError({"to_username": "Kedua akun harus aktif."})
        d = Delegation(from_user_id=from_user.id, to_user_id=to_user.id, kind=kind,
                       starts_on=starts_on, ends_on=ends_on, note=note,
                       created_by_id=fresh.user_id, created_at=db.now(), revoked=False)
        s.add(d)
        s.flush()
        audit.record(s, at=db.now(), user_id=fresh.user_id, username=fresh.username,
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
    elif problem := password_problem(new, actor.username):
        errors["sandi_baru"] = problem
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
        forced = bool(user.must_change_password)
        user.must_change_password = False
        s.flush()  # the audit's account check reads the row as it is now
        audit.record(s, at=db.now(), user_id=actor.user_id, username=actor.username,
                     action="ganti_sandi_sendiri", entity="user", entity_id=user.id,
                     detail={"wajib": True} if forced else None)
