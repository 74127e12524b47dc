"""``desktop-app admin``: users and roles, demo data, audit check, sample documents.

The database commands (configure, init-server, backup, restore, db-upgrade) are in
``cli/database.py``; what every command shares is in ``cli/common.py``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from desktop_app.cli.common import acting_user, open_db, read_password
from desktop_app.core.errors import AppError


def _open(args: argparse.Namespace, migrate: bool = True):  # noqa: ANN202 - Database
    return open_db(args, migrate=migrate)


def _password(args: argparse.Namespace) -> str:
    return read_password(args)


def cmd_create_user(args: argparse.Namespace) -> int:
    from desktop_app.core import auth

    db = _open(args)
    uid = auth.create_user(db, acting_user(args, db), username=args.username, full_name=args.full_name,
                           password=_password(args), roles=args.roles.split(","), nip=args.nip,
                           pangkat=args.pangkat, jabatan=args.jabatan)
    print(f"Pengguna '{args.username}' dibuat (id {uid}).")
    return 0


def cmd_set_roles(args: argparse.Namespace) -> int:
    from desktop_app.core import auth

    db = _open(args)
    auth.set_roles(db, acting_user(args, db), args.username, args.roles.split(","))
    print(f"Peran '{args.username}': {args.roles}")
    return 0


def cmd_reset_password(args: argparse.Namespace) -> int:
    from desktop_app.core import auth

    db = _open(args)
    auth.reset_password(db, acting_user(args, db), args.username, _password(args))
    print(f"Kata sandi '{args.username}' diganti; kunci akun dibuka.")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from desktop_app.core import config
    from desktop_app.core.demo.cases import seed_demo, seed_scale

    # Without --database the demo data goes into the demo database, never the office's.
    db = open_db(args, url=args.database or config.resolve(None, demo=True).url)
    created = seed_demo(db)
    if created:
        print("Akun demo (kata sandi hanya ditampilkan sekali):")
        for acc in created:
            print(f"  {acc.username:<12} {acc.password:<22} {', '.join(acc.roles)}")
    else:
        print("Akun demo sudah ada.")
    if args.cases:
        n = seed_scale(db, args.cases)
        print(f"{n} berkas contoh ditambahkan.")
    return 0


def cmd_verify_audit(args: argparse.Namespace) -> int:
    from desktop_app.core.audit import verify_chain

    db = _open(args)
    with db.read() as s:
        report = verify_chain(s)
    print(report.message())
    return 0 if report.ok else 1


def render_samples(out_dir: Path) -> list[Path]:
    """Every document of every SOP rendered with demo data into ``out_dir`` as
    ``<sop>_<document>.pdf`` (the card, the letters and forms, and ``<sop>_lembar_sop.pdf``)."""
    from desktop_app.core.documents.card import render_card_pdf, sample_card_context
    from desktop_app.core.documents.catalog import render_document
    from desktop_app.core.documents.context import CARD_CODE
    from desktop_app.core.documents.samples import as_draft, office_profile, sample_context
    from desktop_app.core.documents.service import needs_number
    from desktop_app.core.documents.sop_sheet import render_sop_sheet_pdf
    from desktop_app.core.sop import load_sops

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    cache: dict[str, bytes] = {}
    for sop in load_sops():
        for spec in sop.documents:
            if spec.code not in cache:
                # Unsigned samples look like drafts (KONSEP, no number, QR or signature).
                signed_type = needs_number(sop, spec)
                if spec.code == CARD_CODE:
                    ctx = as_draft(sample_card_context(signed=False), signed_type)
                    cache[spec.code] = render_card_pdf(ctx)
                else:
                    ctx = as_draft(sample_context(spec.code), signed_type)
                    cache[spec.code] = render_document(spec.code, ctx)
            path = out_dir / f"{sop.code}_{spec.code}.pdf"
            path.write_bytes(cache[spec.code])
            written.append(path)
        path = out_dir / f"{sop.code}_lembar_sop.pdf"
        path.write_bytes(render_sop_sheet_pdf(sop, office_profile()))
        written.append(path)
    return written


def cmd_render_samples(args: argparse.Namespace) -> int:
    out_dir = Path(args.directory)
    if args.signed:
        from desktop_app.core.demo.signing import sign_samples

        written = list(sign_samples(out_dir) or [])
    else:
        written = render_samples(out_dir)
    for path in written:
        print(path)
    print(f"{len(written)} dokumen contoh ditulis ke {out_dir}.")
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("admin", help="perintah administrator")
    cmds = p.add_subparsers(dest="admin_command", required=True)

    c = cmds.add_parser("create-user", help="buat akun pengguna")
    c.add_argument("username")
    c.add_argument("--full-name", required=True)
    c.add_argument("--roles", required=True, help="kode peran dipisah koma, mis. kabid,kasi")
    c.add_argument("--password", help="kata sandi (tanpa ini: ditanyakan / dibaca dari stdin)")
    c.add_argument("--nip")
    c.add_argument("--pangkat")
    c.add_argument("--jabatan")
    c.set_defaults(func=cmd_create_user)

    c = cmds.add_parser("set-roles", help="ganti peran pengguna")
    c.add_argument("username")
    c.add_argument("roles", help="kode peran dipisah koma")
    c.set_defaults(func=cmd_set_roles)

    c = cmds.add_parser("reset-password", help="ganti kata sandi dan buka kunci akun")
    c.add_argument("username")
    c.add_argument("--password")
    c.set_defaults(func=cmd_reset_password)

    c = cmds.add_parser("seed-demo", help="akun demo dan berkas contoh")
    c.add_argument("--cases", type=int, default=0, help="tambahkan N berkas untuk uji skala")
    c.set_defaults(func=cmd_seed_demo)

    c = cmds.add_parser("verify-audit", help="periksa rantai hash log audit")
    c.set_defaults(func=cmd_verify_audit)

    c = cmds.add_parser("render-samples",
                        help="tulis setiap jenis dokumen (data contoh) sebagai PDF ke folder")
    c.add_argument("directory", metavar="DIR", help="folder tujuan")
    c.add_argument("--signed", action="store_true",
                   help="dokumen contoh yang ditandatangani secara elektronik")
    c.set_defaults(func=cmd_render_samples)

    from desktop_app.cli import database

    database.add_commands(cmds)

    from desktop_app.cli.sop import add_commands

    add_commands(cmds)


def run(args: argparse.Namespace) -> int:
    from desktop_app.core.sop_import import ImportRefused

    try:
        return args.func(args)
    except AppError as exc:
        print(f"Gagal: {exc.message}", file=sys.stderr)
        return 2
    except DBAPIError as exc:
        from sqlalchemy.engine import make_url

        from desktop_app.core.server import describe_failure

        url = make_url(getattr(args, "database", None) or "postgresql://")
        print(f"Gagal: {describe_failure(exc, url).message}", file=sys.stderr)
        return 2
    except ImportRefused as exc:  # what in the file was not understood
        print(f"Ditolak: {exc} Tidak ada yang diaktifkan.", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - one-line reason, non-zero exit
        print(f"Gagal: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
