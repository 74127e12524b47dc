"""Where the office database is: the configuration files, the environment variable, the flag.

Precedence, first found wins:

1. ``--database URL`` on the command line;
2. the environment variable ``DESKTOP_APP_DATABASE``;
3. the per-user file ``<user config dir>/koneksi.ini`` (``%LOCALAPPDATA%`` on Windows);
4. the per-machine file ``<site config dir>/koneksi.ini`` (``%PROGRAMDATA%`` on Windows), which
   the installer and ``desktop-app admin configure --machine`` write, so every Windows account
   on a PC works on the same office database;
5. the file versions before 0.2 used without any configuration
   (``<user data dir>/layanan_tenaga_kerja.sqlite``), when it exists, so an upgrade never
   hides an office's data behind the wizard;
6. nothing: the program opens the first-run setup wizard.

``--demo`` ignores all of these and uses its own file (``demo.sqlite`` in the user's data
folder), so demo data never lands in a real office database.

A PostgreSQL password is never written into ``koneksi.ini``. It goes into ``pgpass.conf`` beside
it, in libpq's own format (``host:port:database:user:password``), created with mode 0600 on
POSIX; the URL carries only ``passfile=<path>`` and libpq reads the password itself (and, on
POSIX, refuses a file others can read). See docs/server.md for why this and not a keyring.
"""

from __future__ import annotations

import configparser
import contextlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

APP_NAME = "LayananTenagaKerja"
APP_AUTHOR = "PagarAlam"
ENV_DATABASE = "DESKTOP_APP_DATABASE"
CONFIG_NAME = "koneksi.ini"
PASSFILE_NAME = "pgpass.conf"
DATABASE_NAME = "layanan_tenaga_kerja.sqlite"
DEMO_DATABASE_NAME = "demo.sqlite"

MACHINE, USER, LEGACY = "machine", "user", "legacy"


@dataclass(frozen=True)
class Locations:
    """The folders the program reads and writes (tests pass their own)."""

    machine_config: Path
    user_config: Path
    machine_data: Path
    user_data: Path

    @classmethod
    def from_platform(cls) -> Locations:
        import platformdirs

        return cls(
            machine_config=Path(platformdirs.site_config_dir(APP_NAME, APP_AUTHOR)),
            user_config=Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)),
            machine_data=Path(platformdirs.site_data_dir(APP_NAME, APP_AUTHOR)),
            user_data=Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
        )

    def config_dir(self, scope: str) -> Path:
        return self.machine_config if scope == MACHINE else self.user_config

    def config_file(self, scope: str) -> Path:
        return self.config_dir(scope) / CONFIG_NAME

    def demo_database_url(self) -> str:
        return f"sqlite:///{self.user_data / DEMO_DATABASE_NAME}"

    def local_database_path(self) -> Path:
        """The SQLite file of "Satu PC ini": ``data`` in the machine's folder when this account
        may write there (the installer opens that sub-folder, not the configuration beside it,
        to every account of the PC), else the user's own data folder."""
        for folder in (self.machine_data / "data", self.user_data):
            if _writable(folder):
                return folder / DATABASE_NAME
        return self.user_data / DATABASE_NAME


def _writable(folder: Path) -> bool:
    probe = folder
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    return os.access(probe, os.W_OK)


@dataclass(frozen=True)
class Resolved:
    """The database the program should open, and where that choice came from."""

    url: str | None
    source: str  # "--database", ENV_DATABASE, "user", "machine", "demo" or "" (none)

    @property
    def configured(self) -> bool:
        return self.url is not None

    @property
    def source_label(self) -> str:
        return {
            "--database": "opsi --database",
            ENV_DATABASE: f"variabel lingkungan {ENV_DATABASE}",
            USER: "konfigurasi pengguna",
            MACHINE: "konfigurasi komputer",
            LEGACY: "berkas lama di folder data pengguna",
            "demo": "basis data demo",
        }.get(self.source, "belum dikonfigurasi")


def read_config_url(path: Path) -> str | None:
    """The ``[database] url`` of one configuration file (None when absent or unreadable)."""
    if not path.is_file():
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, configparser.Error):
        return None
    url = parser.get("database", "url", fallback="").strip()
    if not url:
        return None
    passfile = path.parent / PASSFILE_NAME
    if url.startswith("postgresql") and passfile.is_file():
        url = with_passfile(url, passfile)
    return url


def resolve(cli_url: str | None = None, *, demo: bool = False,
            env: Mapping[str, str] | None = None, loc: Locations | None = None) -> Resolved:
    """Apply the precedence in this module's docstring."""
    env = os.environ if env is None else env
    loc = loc or Locations.from_platform()
    if cli_url:
        return Resolved(cli_url, "--database")
    if demo:
        return Resolved(loc.demo_database_url(), "demo")
    if env.get(ENV_DATABASE, "").strip():
        return Resolved(env[ENV_DATABASE].strip(), ENV_DATABASE)
    for scope in (USER, MACHINE):
        url = read_config_url(loc.config_file(scope))
        if url:
            return Resolved(url, scope)
    legacy = loc.user_data / DATABASE_NAME
    if legacy.is_file():
        return Resolved(f"sqlite:///{legacy}", LEGACY)
    return Resolved(None, "")


# ------------------------------------------------------------------------------ writing


def with_passfile(url: str, passfile: Path) -> str:
    u = make_url(url)
    return u.update_query_dict({"passfile": str(passfile)}).render_as_string(
        hide_password=False)


def _strip_password(u: URL) -> URL:
    query = {k: v for k, v in u.query.items() if k != "passfile"}
    return u._replace(password=None).set(query=query)  # set(password=None) keeps it


def pgpass_line(u: URL, password: str) -> str:
    """One libpq password-file line; ``:`` and ``\\`` are escaped as libpq expects."""
    def esc(value: str) -> str:
        return value.replace("\\", "\\\\").replace(":", "\\:")

    fields = [u.host or "localhost", str(u.port or 5432), u.database or "*",
              u.username or "*", password]
    return ":".join(esc(f) for f in fields) + "\n"


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to a file only its owner can read (mode 0600 from the first byte on POSIX;
    on Windows the folder's ACL applies: the user's own profile, or the installer's
    ``%PROGRAMDATA%`` folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, stat.S_IRUSR | stat.S_IWUSR)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    os.replace(tmp, path)


def save_connection(url: str, scope: str = USER, *, password: str | None = None,
                    loc: Locations | None = None) -> Path:
    """Write ``url`` as the database of ``scope`` (``"user"`` or ``"machine"``).

    A password inside ``url`` (or given as ``password``) is moved into the private
    ``pgpass.conf``; the configuration file keeps the URL without it. Returns the file written.
    """
    loc = loc or Locations.from_platform()
    u = make_url(url)
    secret = password if password is not None else u.password
    folder = loc.config_dir(scope)
    passfile = folder / PASSFILE_NAME
    if u.drivername.startswith("postgresql"):
        clean = _strip_password(u)
        if secret:
            write_private(passfile, pgpass_line(clean, str(secret)))
        else:
            with contextlib.suppress(FileNotFoundError):
                passfile.unlink()
        text_url = clean.render_as_string(hide_password=False)
    else:
        with contextlib.suppress(FileNotFoundError):
            passfile.unlink()  # a server's password must not linger once the PC is local
        text_url = url  # as given: rendering would escape the ':' of a Windows drive
    body = ("# Basis data program Layanan Bidang Tenaga Kerja (ditulis oleh program).\n"
            "# Kata sandi PostgreSQL ada di pgpass.conf, bukan di sini.\n"
            f"[database]\nurl = {text_url}\n")
    target = loc.config_file(scope)
    write_private(target, body)
    if scope == MACHINE and os.name == "posix":
        # Every account on the PC reads the machine file; only the password file stays private.
        os.chmod(target, 0o644)
    return target


def forget_connection(scope: str, loc: Locations | None = None) -> None:
    """Remove the configuration (and password file) of ``scope``."""
    loc = loc or Locations.from_platform()
    for name in (CONFIG_NAME, PASSFILE_NAME):
        with contextlib.suppress(FileNotFoundError):
            (loc.config_dir(scope) / name).unlink()


def describe(url: str) -> str:
    """The URL as shown to people: never a password, never the password file's path."""
    u = make_url(url)
    if u.drivername.startswith("sqlite"):
        return f"Berkas lokal: {u.database}"
    return f"Server: {u.username or '?'}@{u.host or 'localhost'}:{u.port or 5432}/{u.database}"
