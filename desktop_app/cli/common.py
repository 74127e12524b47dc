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


def acting_user(args: argparse.Namespace, db: Any) -> Any:
    """The account on whose behalf a changing command runs (``Actor``), or None for the
    system itself.

    The one place where the command line decides who is acting: today every command runs as
    the system (audited as "sistem"); requiring an administrator's name and password for
    commands that change accounts, roles, settings or data is added here, once.
    """
    return None


def read_password(args: argparse.Namespace, prompt: str = "Kata sandi: ",
                  attr: str = "password") -> str:
    """``--password``, else a hidden prompt on a terminal, else one line of standard input."""
    given = getattr(args, attr, None)
    if given:
        return given
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass(prompt)
