"""``desktop-app verify``: is this signed PDF (or printed QR code) a genuine office document?

    desktop-app verify SURAT.pdf [--database URL] [--ca CA.pem ...]
    desktop-app verify --code 7KQ4-M2XD [--database URL]

Exit codes: 0 genuine (asli); 1 altered (diubah); 2 unknown (tidak dikenal: unsigned, signed
by an untrusted certificate, unknown code, or the file cannot be read); 3 voided (dibatalkan:
the signature is genuine but the office cancelled the document); 4 revoked (dicabut: signed
at or after the signer's certificate was revoked). Only 0 means "genuine".

``--crl`` adds revocation lists (besides those inside the letter and the database's);
``--report OUT.pdf`` writes a one-page printable verification report.

Without ``--database`` the local database is used if it exists; ``--ca`` adds trusted root
certificates, so files signed elsewhere (e.g. ``render-samples --signed`` with its
``ca_kantor.pem``) can be checked with no database at all.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_UNKNOWN = 2


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "verify", help="periksa keaslian dokumen bertanda tangan elektronik",
        description="Periksa keaslian PDF bertanda tangan (atau kode QR dari cetakan). "
                    "Kode keluar: 0 asli, 1 diubah, 2 tidak dikenal, 3 dibatalkan, 4 dicabut.")
    p.add_argument("file", nargs="?", help="berkas PDF yang diperiksa")
    p.add_argument("--code", help="kode verifikasi (atau teks QR 'PAGARALAM-TK:...')")
    # SUPPRESS: do not overwrite a --database given before the sub-command.
    p.add_argument("--database", metavar="URL", default=argparse.SUPPRESS,
                   help="basis data kantor (bawaan: basis data lokal bila ada)")
    p.add_argument("--ca", metavar="PEM", action="append", default=[],
                   help="sertifikat akar tepercaya tambahan (boleh diulang)")
    p.add_argument("--crl", metavar="CRL", action="append", default=[],
                   help="daftar sertifikat dicabut (CRL) tambahan, mis. ca-kantor.crl")
    p.add_argument("--report", metavar="PDF",
                   help="tulis laporan verifikasi satu halaman (PDF) untuk dicetak")
    p.set_defaults(func=run)


def _open_db(url: str | None, required: bool):  # noqa: ANN202 - Database | None
    """Read-only: never creates or migrates a database. A named one that is missing is an
    error; the configured local one may be absent when it is not required."""
    from desktop_app.core import config
    from desktop_app.core.db import open_existing
    from desktop_app.core.errors import AppError

    given = url
    url = url or config.resolve(None).url
    if url:
        try:
            return open_existing(url)
        except AppError:
            if required or given:
                raise
            return None
    if required:
        raise FileNotFoundError("Basis data tidak ditemukan; sebutkan --database URL.")
    return None


def run(args: argparse.Namespace) -> int:
    from desktop_app.core.errors import AppError
    from desktop_app.core.signing import verification

    url = getattr(args, "database", None)
    if not args.file and not args.code:
        print("Sebutkan berkas PDF atau --code KODE.", file=sys.stderr)
        return EXIT_UNKNOWN
    try:
        roots = [Path(p).read_bytes() for p in args.ca]
        crls = [Path(p).read_bytes() for p in getattr(args, "crl", [])]
        if args.code:
            db = _open_db(url, required=True)
            try:
                report = verification.verify_code(db, args.code)
            finally:
                db.dispose()
        else:
            pdf = Path(args.file).read_bytes()
            db = _open_db(url, required=False) if (url or not roots) else None
            try:
                report = verification.verify_document(db, pdf, extra_roots=roots, crls=crls)
                if getattr(args, "report", None):
                    from desktop_app.core.signing.report import write_report

                    write_report(Path(args.report), report, pdf, Path(args.file).name,
                                 roots=roots, crls=crls, db=db)
            finally:
                if db is not None:
                    db.dispose()
    except (OSError, AppError) as exc:
        message = exc.message if isinstance(exc, AppError) else str(exc)
        print(f"Gagal: {message}", file=sys.stderr)
        return EXIT_UNKNOWN
    for line in report.lines():
        print(line)
    if getattr(args, "report", None):
        print(f"Laporan verifikasi: {args.report}")
    return report.exit_code


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (tests; ``python -m desktop_app.cli.verify``)."""
    parser = argparse.ArgumentParser(prog="desktop-app")
    parser.add_argument("--database", metavar="URL", default=None)
    sub = parser.add_subparsers(dest="command", required=True)
    add_parser(sub)
    args = parser.parse_args(argv)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
