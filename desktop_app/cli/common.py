"""What every ``desktop-app admin`` command shares: which database, and who is acting."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from desktop_app.core.errors import AppError

NOT_CONFIGURED = ("Belum ada basis data yang dikonfigurasi di komputer ini. Jalankan program "
                  "sekali (wizard penyiapan), atau 'desktop-app admin configure --database URL "
                  "[--machine]', atau sebutkan --database URL.")


def database_url(args: argparse.Namespace) -> str:
    """The URL the command works on: ``--database``, then the environment variable, then the
    user's and the machine's configuration (``desktop_app.core.config``)."""
    from desktop_app.core import config

    resolved = config.resolve(getattr(args, "database", None),
                              demo=bool(getattr(args, "demo", False)))
    if resolved.url is None:
        raise AppError(NOT_CONFIGURED)
    return resolved.url


def open_db(args: argparse.Namespace, migrate: bool = True, url: str | None = None) -> Any:
    """Open the command's database (warning about SQLite on a network share)."""
    from desktop_app.core.db import network_share_warning, open_database

    url = url or database_url(args)
    warning = network_share_warning(url)
    if warning:
        print(f"PERINGATAN: {warning}", file=sys.stderr)
    return open_database(url, migrate=migrate)


ADMIN_NEEDED = ("Perintah ini mengubah akun, peran, pengaturan atau data: masuk sebagai "
                "administrator (--admin-user NAMA; kata sandinya ditanyakan).")


def _read_line(prompt: str, hidden: bool) -> str:
    try:
        if not sys.stdin.isatty():
            return sys.stdin.readline().rstrip("\n")
        return getpass.getpass(prompt) if hidden else input(prompt)
    except (OSError, EOFError):  # no standard input at all
        return ""


def acting_user(args: argparse.Namespace, db: Any, *,
                first_admin_roles: list[str] | None = None) -> Any:
    """The administrator on whose behalf a changing command runs (``Actor``).

    The command line is no back door: every command that changes accounts, roles, settings or
    data asks for an administrator's name (``--admin-user`` or a prompt) and password (a hidden
    prompt; one line of standard input when it is not a terminal), checks them like the login
    dialog does (lockout and audit included), and the services audit the work under that name.
    The one exception: ``first_admin_roles`` - creating the first administrator of a database
    that has no account at all (returns None, audited as "sistem").
    """
    from desktop_app.core import auth
    from desktop_app.core.errors import PermissionDenied
    from desktop_app.core.first_run import has_users
    from desktop_app.core.roles import ADMIN

    if first_admin_roles is not None and not has_users(db):
        if ADMIN not in first_admin_roles:
            raise AppError("Basis data ini belum mempunyai akun: buat dahulu administrator "
                           "pertama (--roles admin).")
        return None
    name = getattr(args, "admin_user", None) or _read_line("Administrator: ", hidden=False)
    if not name.strip():
        raise AppError(ADMIN_NEEDED)
    password = _read_line(f"Kata sandi {name.strip()}: ", hidden=True)
    actor = auth.login(db, name, password)
    if ADMIN not in actor.roles:
        auth.record_refusal(db, actor, "perintah_admin", "cli", "-",
                            "Perintah baris perintah hanya untuk administrator.")
        raise PermissionDenied(f"Akun '{actor.username}' bukan administrator. {ADMIN_NEEDED}")
    return actor


def read_password(args: argparse.Namespace, prompt: str = "Kata sandi: ",
                  attr: str = "password") -> str:
    """``--password``, else a hidden prompt on a terminal, else one line of standard input."""
    given = getattr(args, attr, None)
    if given:
        return given
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass(prompt)
