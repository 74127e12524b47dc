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
    roles = args.roles.split(",")
    actor = acting_user(args, db, first_admin_roles=roles)
    uid = auth.create_user(db, actor, username=args.username, full_name=args.full_name,
                           password=_password(args), roles=roles, nip=args.nip,
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
    print(f"Kata sandi '{args.username}' diganti; kunci akun dibuka. Pemilik akun wajib "
          "menggantinya saat masuk berikutnya.")
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
    """Read-only: never creates or migrates a database (a missing file is an error); checks
    the chain against the checkpoint files beside the backups (``--titik-periksa DIR``, by
    default the SQLite file's ``cadangan`` folder)."""
    from desktop_app.cli.common import database_url
    from desktop_app.core.audit import read_checkpoints, verify_chain
    from desktop_app.core.db import open_existing

    db = open_existing(database_url(args))
    folders = [Path(args.titik_periksa)] if args.titik_periksa else []
    if not folders and db.is_sqlite:
        from sqlalchemy.engine import make_url

        base = Path(make_url(db.url).database or "").parent / "cadangan"
        folders = [base, base / "otomatis"]
    marks = [c for f in folders if f.is_dir() for c in read_checkpoints(f)]
    with db.read() as s:
        report = verify_chain(s, checkpoints=marks)
    db.dispose()
    print(report.message())
    if marks:
        print(f"Diperiksa terhadap {len(marks)} titik periksa di luar basis data.")
    return 0 if report.ok else 1


def cmd_revoke_cert(args: argparse.Namespace) -> int:
    from datetime import datetime

    from desktop_app.core.signing.revocation import reason_label, revoke_certificate

    db = _open(args)
    when = None
    if args.date:
        try:
            when = datetime.fromisoformat(args.date)
        except ValueError:
            raise AppError("Tanggal tidak dikenali; tulis mis. 2026-11-30 atau "
                           "2026-11-30T14:00.") from None
    passphrase = read_password(args, "Frasa sandi CA kantor: ", attr="ca_passphrase")
    crl = revoke_certificate(db, acting_user(args, db), passphrase, username=args.username,
                             reason=args.reason, revoked_at=when,
                             crl_dir=Path(args.crl_dir) if args.crl_dir else None)
    print(f"Sertifikat '{args.username}' dicabut ({reason_label(args.reason)}).")
    if crl is not None:
        print(f"CRL nomor {crl.number} diterbitkan ({crl.entries} sertifikat dicabut)"
              + (f": {crl.path}" if crl.path else "."))
    else:
        print("Sertifikat ini bukan terbitan CA kantor: pencabutan berlaku di kantor ini "
              "(penandatanganan dan verifikasi dengan basis data); CRL-nya urusan penerbit.")
    return 0


def cmd_issue_crl(args: argparse.Namespace) -> int:
    from desktop_app.core.signing.revocation import issue_crl

    db = _open(args)
    passphrase = read_password(args, "Frasa sandi CA kantor: ", attr="ca_passphrase")
    crl = issue_crl(db, acting_user(args, db), passphrase,
                    crl_dir=Path(args.crl_dir) if args.crl_dir else None)
    print(f"CRL nomor {crl.number} diterbitkan ({crl.entries} sertifikat dicabut), berlaku "
          f"sampai {crl.next_update:%Y-%m-%d}" + (f": {crl.path}" if crl.path else "."))
    return 0


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
    p.add_argument("--admin-user", metavar="NAMA",
                   help="administrator yang menjalankan perintah yang mengubah data "
                        "(kata sandinya ditanyakan)")
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
    admin_option(c)

    c = cmds.add_parser("set-roles", help="ganti peran pengguna")
    c.add_argument("username")
    c.add_argument("roles", help="kode peran dipisah koma")
    c.set_defaults(func=cmd_set_roles)
    admin_option(c)

    c = cmds.add_parser("reset-password", help="ganti kata sandi dan buka kunci akun")
    c.add_argument("username")
    c.add_argument("--password")
    c.set_defaults(func=cmd_reset_password)
    admin_option(c)

    c = cmds.add_parser("seed-demo", help="akun demo dan berkas contoh")
    c.add_argument("--cases", type=int, default=0, help="tambahkan N berkas untuk uji skala")
    c.set_defaults(func=cmd_seed_demo)

    c = cmds.add_parser("verify-audit", help="periksa rantai hash log audit")
    c.add_argument("--titik-periksa", metavar="DIR",
                   help="folder berkas titik periksa audit (bawaan: folder cadangan)")
    c.set_defaults(func=cmd_verify_audit)

    from desktop_app.core.signing.pki import REVOCATION_REASONS

    c = cmds.add_parser("revoke-cert", help="cabut sertifikat tanda tangan seorang pejabat")
    c.add_argument("username")
    c.add_argument("--reason", required=True, choices=sorted(REVOCATION_REASONS),
                   help="alasan: " + "; ".join(f"{k} = {v[0]}"
                                              for k, v in REVOCATION_REASONS.items()))
    c.add_argument("--date", help="berlaku sejak (YYYY-MM-DD[THH:MM], waktu kantor; bawaan: "
                                  "sekarang)")
    c.add_argument("--ca-passphrase", help="frasa sandi CA (tanpa ini: ditanyakan)")
    c.add_argument("--crl-dir", help="folder berkas CRL (bawaan: di samping cadangan)")
    c.set_defaults(func=cmd_revoke_cert)

    c = cmds.add_parser("issue-crl", help="terbitkan daftar sertifikat yang dicabut (CRL)")
    c.add_argument("--ca-passphrase", help="frasa sandi CA (tanpa ini: ditanyakan)")
    c.add_argument("--crl-dir", help="folder berkas CRL (bawaan: di samping cadangan)")
    c.set_defaults(func=cmd_issue_crl)

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


def admin_option(c: argparse.ArgumentParser) -> None:
    """``--admin-user`` after the sub-command too (SUPPRESS keeps one given before it)."""
    c.add_argument("--admin-user", metavar="NAMA", default=argparse.SUPPRESS,
                   help="administrator yang menjalankan perintah ini (kata sandinya ditanyakan)")


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
