"""Entry point: ``desktop-app`` starts the program; ``desktop-app admin ...`` administers it."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    from desktop_app.cli import admin, selftest, verify

    parser = argparse.ArgumentParser(
        prog="desktop-app",
        description="Layanan Bidang Tenaga Kerja — Dinas PMPTSP dan Tenaga Kerja Kota Pagar Alam",
    )
    parser.add_argument("--database", metavar="URL", default=None,
                        help="sqlite:///berkas.sqlite atau postgresql://peran@server/db "
                             "(bawaan: DESKTOP_APP_DATABASE, lalu konfigurasi pengguna, lalu "
                             "konfigurasi komputer; tanpa semua itu: wizard penyiapan)")
    parser.add_argument("--demo", action="store_true",
                        help="basis data demo tersendiri dengan akun dan berkas contoh; akun "
                             "demo ditampilkan saat login")
    sub = parser.add_subparsers(dest="command")
    admin.add_parser(sub)
    verify.add_parser(sub)
    selftest.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "admin":
        from desktop_app.cli import admin

        return admin.run(args)
    if args.command == "verify":
        from desktop_app.cli import verify

        return verify.run(args)
    if args.command == "self-test":
        return args.func(args)
    from desktop_app.gui.app import run_gui

    return run_gui(database=args.database, demo=args.demo)


if __name__ == "__main__":
    sys.exit(main())
