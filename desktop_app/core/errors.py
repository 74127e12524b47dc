"""Errors the services raise; each carries a message a clerk can read (Bahasa Indonesia)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime


class AppError(Exception):
    """Base of every error the program shows to its user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(AppError):
    """Bad input: ``errors`` maps each field name to what is wrong with it. Nothing was written."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        text = "; ".join(f"{field}: {msg}" for field, msg in self.errors.items())
        super().__init__(f"Data tidak valid — {text}")

    def __reduce__(self) -> tuple:  # picklable across processes (multiprocessing)
        return (type(self), (self.errors,))


class PermissionDenied(AppError):
    """The signed-in user's roles do not allow this action."""


class SessionEnded(PermissionDenied):
    """The signed-in account is no longer allowed to work: deactivated, locked, or its roles
    changed since it logged in. The program returns to the login dialog."""


#: Called with every :class:`SessionEnded` a service raises (from any thread): the GUI listens
#: here to go back to its login dialog wherever the error is caught.
SESSION_ENDED_LISTENERS: list[Callable[[SessionEnded], None]] = []


def session_ended(message: str) -> SessionEnded:
    """Build the error and tell the listeners (the caller raises it)."""
    exc = SessionEnded(message)
    for listener in list(SESSION_ENDED_LISTENERS):
        with contextlib.suppress(Exception):  # a listener never hides the error itself
            listener(exc)
    return exc


class NotFound(AppError):
    """The record asked for does not exist."""


class ConflictError(AppError):
    """Another user changed the record first (optimistic locking)."""

    def __init__(self, changed_by: str, changed_at: datetime | None) -> None:
        self.changed_by = changed_by
        self.changed_at = changed_at
        when = changed_at.strftime("%H:%M") if changed_at else "?"
        super().__init__(
            f"Berkas ini sudah diubah oleh {changed_by} pukul {when}. Muat ulang lalu ulangi."
        )

    def __reduce__(self) -> tuple:
        return (type(self), (self.changed_by, self.changed_at))


class LoginFailed(AppError):
    """Wrong username or password (deliberately not saying which)."""


class AccountLocked(AppError):
    """Too many wrong passwords; the account is locked until ``until``."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(
            f"Akun dikunci karena terlalu banyak salah kata sandi. Coba lagi pukul {until:%H:%M}."
        )

    def __reduce__(self) -> tuple:
        return (type(self), (self.until,))


class DatabaseTooNew(AppError):
    """The database was upgraded by a newer program than this one."""


class DatabaseUnavailable(AppError):
    """The database server cannot be reached (it went away, the network is down). Nothing of
    the interrupted work was written; the driver's own text goes to the log only."""

    def __init__(self, where: str = "") -> None:
        self.where = where
        place = f" ({where})" if where else ""
        super().__init__(
            f"Koneksi ke server basis data terputus{place}. Periksa jaringan dan pastikan "
            "server menyala, lalu coba lagi. Tidak ada yang tersimpan; isian Anda tidak hilang.")

    def __reduce__(self) -> tuple:
        return (type(self), (self.where,))
