"""``desktop-app admin`` commands for SOP versions: import an SOP document or a BPMN diagram
into a draft, look at a draft's SOP sheet, activate it, list versions, export BPMN."""

from __future__ import annotations

import argparse
from pathlib import Path


def _print_report(lines: list[str]) -> None:
    for line in lines:
        print(line)


def _store(args: argparse.Namespace, result) -> int:  # noqa: ANN001 - ImportResult
    from desktop_app.core import sop_versions

    _print_report(result.report_lines())
    if args.tulis:
        Path(args.tulis).write_text(result.text, encoding="utf-8")
        print(f"Draf ditulis ke {args.tulis}.")
    from desktop_app.cli.admin import _open
    from desktop_app.cli.common import acting_user

    db = _open(args)
    version_id = sop_versions.save_draft(db, acting_user(args, db), result.text,
                                         Path(args.file).name, result.report_lines())
    print(f"Draf disimpan sebagai versi #{version_id} (belum aktif). Periksa dengan "
          f"'admin sop-draft-sheet {version_id} FILE.pdf', lalu 'admin activate-sop "
          f"{version_id}'.")
    return 0


def cmd_import_sop(args: argparse.Namespace) -> int:
    from desktop_app.cli.admin import _open
    from desktop_app.core import sop_versions
    from desktop_app.core.sop_import import import_sop_document

    running, texts = sop_versions.running_texts(_open(args))
    result = import_sop_document(Path(args.file).read_bytes(), Path(args.file).name,
                                 running=running, base_texts=texts, number=args.nomor,
                                 fresh=args.baru)
    return _store(args, result)


def cmd_import_bpmn(args: argparse.Namespace) -> int:
    from desktop_app.cli.admin import _open
    from desktop_app.core import sop_versions
    from desktop_app.core.bpmn import import_bpmn

    running, texts = sop_versions.running_texts(_open(args))
    result = import_bpmn(Path(args.file).read_bytes(), Path(args.file).name, running=running,
                         base_texts=texts, fresh=args.baru)
    return _store(args, result)


def cmd_export_bpmn(args: argparse.Namespace) -> int:
    from desktop_app.cli.admin import _open
    from desktop_app.core import sop_versions
    from desktop_app.core.bpmn import export_bpmn

    db = _open(args)
    rows = [r for r in sop_versions.list_versions(db, None, args.sop) if r.version]
    if not rows:
        print(f"Gagal: SOP '{args.sop}' tidak dikenal.")
        return 2
    row = next((r for r in rows if r.version == args.versi), None) if args.versi else next(
        r for r in rows if r.status == sop_versions.ACTIVE)
    if row is None:
        print(f"Gagal: SOP '{args.sop}' tidak punya versi {args.versi}.")
        return 2
    with db.read() as s:
        sop = sop_versions.sop_for_version(s, row.id)
    Path(args.target).write_text(export_bpmn(sop, row.label), encoding="utf-8")
    print(f"SOP {sop.number} ({row.label}) ditulis ke {args.target}.")
    return 0


def cmd_sop_versions(args: argparse.Namespace) -> int:
    from desktop_app.cli.admin import _open
    from desktop_app.core import sop_versions
    from desktop_app.core.formatting import tanggal_jam

    for r in sop_versions.list_versions(_open(args), None, args.sop):
        since = tanggal_jam(r.activated_at) if r.activated_at else "-"
        print(f"#{r.id:<4} {r.sop_code:<10} {r.label:<44} {r.status_label:<11} "
              f"aktif sejak {since:<24} berkas terbuka {r.open_cases:>6} / {r.all_cases:>6}  "
              f"{r.source}")
    return 0


def cmd_sop_draft_sheet(args: argparse.Namespace) -> int:
    from desktop_app.cli.admin import _open
    from desktop_app.cli.common import acting_user
    from desktop_app.core import sop_versions
    from desktop_app.core.documents.context import office_block
    from desktop_app.core.documents.sop_sheet import render_sop_sheet_pdf

    db = _open(args)  # viewing is recorded: activation needs the same administrator's view
    sop = sop_versions.view_draft(db, acting_user(args, db), args.id)
    Path(args.target).write_bytes(render_sop_sheet_pdf(sop, office_block(db), reading_notes=True))
    print(f"Lembar SOP draf #{args.id} ditulis ke {args.target}; periksa sebelum diaktifkan.")
    return 0


def cmd_activate_sop(args: argparse.Namespace) -> int:
    from desktop_app.cli.admin import _open
    from desktop_app.cli.common import acting_user
    from desktop_app.core import sop_versions

    db = _open(args)
    version = sop_versions.activate(db, acting_user(args, db), args.id)
    print(f"Versi {version} diaktifkan: berkas baru memakai versi ini; berkas yang sedang "
          "berjalan tetap pada versinya.")
    return 0


def add_commands(cmds: argparse._SubParsersAction) -> None:
    """The SOP commands under ``desktop-app admin``."""
    from desktop_app.cli.admin import admin_option

    c = cmds.add_parser("import-sop", help="baca dokumen SOP (.docx, .html, .txt) menjadi draf")
    c.add_argument("file", metavar="FILE")
    c.add_argument("--nomor", help="nomor SOP yang dibaca bila berkas berisi beberapa SOP")
    c.add_argument("--baru", action="store_true",
                   help="baca sebagai SOP baru walau nomornya sudah berjalan")
    c.add_argument("--tulis", metavar="TOML", help="tulis juga draf ke berkas ini")
    c.set_defaults(func=cmd_import_sop)
    admin_option(c)

    c = cmds.add_parser("import-bpmn", help="baca diagram BPMN 2.0 menjadi draf SOP")
    c.add_argument("file", metavar="FILE.bpmn")
    c.add_argument("--baru", action="store_true")
    c.add_argument("--tulis", metavar="TOML")
    c.set_defaults(func=cmd_import_bpmn)
    admin_option(c)

    c = cmds.add_parser("export-bpmn", help="tulis SOP sebagai diagram BPMN 2.0")
    c.add_argument("sop", metavar="SOP", help="kode SOP, mis. ak1")
    c.add_argument("target", metavar="FILE.bpmn")
    c.add_argument("--versi", type=int, help="nomor versi (bawaan: versi aktif)")
    c.set_defaults(func=cmd_export_bpmn)

    c = cmds.add_parser("sop-versions", help="daftar versi SOP dan berkas terbuka per versi")
    c.add_argument("sop", nargs="?", metavar="SOP")
    c.set_defaults(func=cmd_sop_versions)

    c = cmds.add_parser("sop-draft-sheet", help="Lihat SOP: lembar SOP draf sebagai PDF")
    c.add_argument("id", type=int)
    c.add_argument("target", metavar="FILE.pdf")
    c.set_defaults(func=cmd_sop_draft_sheet)
    admin_option(c)

    c = cmds.add_parser("activate-sop", help="aktifkan draf SOP yang sudah dilihat")
    c.add_argument("id", type=int)
    c.set_defaults(func=cmd_activate_sop)
    admin_option(c)
