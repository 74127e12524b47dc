"""``desktop-app admin`` database commands: configure, init-server, db-upgrade, backup, restore."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from desktop_app.cli.common import database_url, open_db
from desktop_app.core.errors import AppError


def cmd_configure(args: argparse.Namespace) -> int:
    """Write the connection for this user (or, with ``--machine``, for every account)."""
    from sqlalchemy.engine import make_url

    from desktop_app.core import config, server

    try:
        u = make_url(args.url)
    except Exception:  # noqa: BLE001 - any parse failure is the same mistake
        raise AppError("URL basis data tidak dikenali. Contoh: "
                       "postgresql://ltk_app@server-kantor:5432/layanan atau "
                       "sqlite:///C:/Data/layanan.sqlite") from None
    password = u.password
    if u.drivername.startswith("postgresql") and password is None:
        # The installer hands the password over in PGPASSWORD (libpq's own variable), never
        # on a command line; a person at a console is asked.
        password = os.environ.get("PGPASSWORD") or None
        if password is None and sys.stdin.isatty():
            import getpass

            password = getpass.getpass("Kata sandi PostgreSQL (kosongkan bila tidak ada): ") \
                or None
    scope = config.MACHINE if args.machine else config.USER
    if not args.no_check:
        url = u.set(password=password).render_as_string(hide_password=False)
        check = server.check_connection(url)
        print(check.message)
        if not check.usable:
            print("Gagal: konfigurasi tidak ditulis.", file=sys.stderr)
            return 2
    try:
        path = config.save_connection(args.url, scope, password=password)
    except PermissionError:
        raise AppError("Tidak berhak menulis konfigurasi komputer; jalankan sebagai "
                       "administrator Windows (atau tanpa --machine).") from None
    print(f"Konfigurasi ditulis: {path}")
    print(config.describe(args.url))
    return 0


def cmd_show_config(args: argparse.Namespace) -> int:
    from desktop_app.core import config

    loc = config.Locations.from_platform()
    resolved = config.resolve(getattr(args, "database", None))
    print(f"Dipakai       : {config.describe(resolved.url) if resolved.url else '-'} "
          f"({resolved.source_label})")
    for scope, label in ((config.USER, "Pengguna"), (config.MACHINE, "Komputer")):
        path = loc.config_file(scope)
        url = config.read_config_url(path)
        print(f"{label:<14}: {path} - {config.describe(url) if url else 'tidak ada'}")
    env = os.environ.get(config.ENV_DATABASE)
    print(f"{config.ENV_DATABASE}: {'diisi' if env else 'tidak diisi'}")
    return 0


def cmd_init_server(args: argparse.Namespace) -> int:
    from desktop_app.core import server

    report = server.init_server(args.owner_url, app_user=args.app_user,
                                app_password=args.app_password)
    print(report.schema)
    print(f"Peran aplikasi '{report.app_user}' siap: baca/tulis data saja (tanpa DDL, "
          "TRUNCATE atau mematikan trigger; log audit hanya ditambah).")
    if report.app_password and not args.app_password:
        print(f"Kata sandi peran aplikasi (hanya ditampilkan sekali): {report.app_password}")
    print(f"Di setiap PC: desktop-app admin configure --machine --database {report.app_url}")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from desktop_app.core.db import upgrade_database

    print(upgrade_database(open_db(args, migrate=False)))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from desktop_app.core.backup import write_backup

    db = open_db(args)  # opening checks an SQLite file with PRAGMA quick_check first
    try:
        report = write_backup(db, Path(args.target))
    finally:
        db.dispose()
    print(f"Cadangan ditulis: {report.path} ({report.rows} baris dari {len(report.tables)} "
          f"tabel, revisi skema {report.revision}, {report.size / 1e6:.1f} MB)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from desktop_app.core.backup import restore_backup

    url = database_url(args)
    report = restore_backup(Path(args.file), url, progress=None)
    print(f"Dipulihkan: {report.rows} baris dari {len(report.tables)} tabel "
          f"(cadangan revisi {report.revision}, skema sekarang {report.schema_revision}).")
    print(report.chain.message())
    return 0 if report.chain.ok else 1


def cmd_verify_backup(args: argparse.Namespace) -> int:
    from desktop_app.core.backup import verify_archive

    manifest = verify_archive(Path(args.file))
    rows = sum(t.rows for t in manifest.tables)
    print(f"Berkas cadangan utuh: {rows} baris, {len(manifest.tables)} tabel, revisi "
          f"{manifest.revision}, dibuat {manifest.created_at} dari {manifest.source}.")
    return 0


def _database_option(c: argparse.ArgumentParser, text: str = "basis data") -> None:
    # SUPPRESS: a --database given before the sub-command stays as it was.
    c.add_argument("--database", metavar="URL", default=argparse.SUPPRESS, help=text)


def add_commands(cmds: argparse._SubParsersAction) -> None:
    c = cmds.add_parser("configure", help="tulis koneksi basis data untuk pengguna ini "
                                          "atau (--machine) untuk semua akun komputer ini")
    c.add_argument("--database", dest="url", metavar="URL", required=True,
                   help="postgresql://peran@server:5432/db atau sqlite:///berkas.sqlite")
    c.add_argument("--machine", action="store_true",
                   help="konfigurasi komputer (semua akun Windows; butuh hak administrator)")
    c.add_argument("--no-check", action="store_true", help="tulis tanpa menguji koneksi")
    c.set_defaults(func=cmd_configure)

    c = cmds.add_parser("show-config", help="tampilkan basis data yang dipakai dan asalnya")
    c.set_defaults(func=cmd_show_config)

    c = cmds.add_parser("init-server", help="siapkan basis data PostgreSQL kantor: skema dan "
                                            "peran aplikasi dengan hak terbatas")
    c.add_argument("--owner-url", required=True, metavar="URL",
                   help="URL pemilik basis data, mis. postgresql://postgres@server/layanan")
    c.add_argument("--app-user", default="ltk_app", help="nama peran aplikasi (bawaan ltk_app)")
    c.add_argument("--app-password", help="kata sandi peran aplikasi (bawaan: dibuat acak)")
    c.set_defaults(func=cmd_init_server)

    c = cmds.add_parser("db-upgrade", help="buat atau tingkatkan skema basis data")
    c.set_defaults(func=cmd_db_upgrade)

    c = cmds.add_parser("backup", help="cadangkan seluruh basis data ke satu berkas .ltkbak")
    c.add_argument("target", metavar="FILE", help="berkas tujuan (atau folder)")
    _database_option(c)
    c.set_defaults(func=cmd_backup)

    c = cmds.add_parser("restore", help="pulihkan berkas cadangan ke basis data kosong")
    c.add_argument("file", metavar="FILE", help="berkas .ltkbak")
    _database_option(c, "basis data tujuan (kosong) atau berkas SQLite baru")
    c.set_defaults(func=cmd_restore)

    c = cmds.add_parser("verify-backup", help="periksa checksum berkas cadangan")
    c.add_argument("file", metavar="FILE")
    c.set_defaults(func=cmd_verify_backup)
