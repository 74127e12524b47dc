"""``desktop-app self-test``: the whole program once, on a throw-away database.

A temporary SQLite database is created and migrated, accounts are made and one signs in, a
JHT case is registered and moved one step, a letter is rendered (WeasyPrint, fonts, templates),
signed (pyHanko, office CA) and verified, altered and refused, and the audit chain is checked.
The Qt modules the windows need are imported too. Run from the installed bundle it proves that
no hidden import, data file or DLL is missing. Exit code 0 only when every step passed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

PASSWORD = "uji-mandiri-2026"
SIGNING_PASSPHRASE = "ttd-uji-mandiri-2026"
CA_PASSPHRASE = "ca-uji-mandiri-2026"
JHT_INTAKE = {
    "nik": "1672011205900001", "nama": "Budi Uji Mandiri", "tempat_lahir": "Pagar Alam",
    "tanggal_lahir": "1990-05-12", "jenis_kelamin": "L", "alamat": "Jl. Serma Rabin No. 1",
    "rt": "001", "rw": "001", "kelurahan": "Alun Dua", "kecamatan": "Pagar Alam Utara",
    "kota": "Pagar Alam", "telepon": "081234567890", "nomor_kpj": "12345678901",
    "nama_perusahaan": "CV Dempo Jaya", "alamat_perusahaan": "Jl. Ahmad Yani, Pagar Alam",
    "tanggal_mulai_kerja": "2018-03-01", "tanggal_berhenti_kerja": "2026-01-31",
    "alasan_berhenti": "Perusahaan tutup",
}


class SelfTest:
    """The steps share one temporary database; each records what it found."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db: Any = None
        self.actors: dict[str, Any] = {}
        self.pdf = b""
        self.signed = b""
        self.ca_pem = b""

    def database(self) -> str:
        from desktop_app.core.db import current_revision, head_revision, open_database

        self.db = open_database(f"sqlite:///{self.folder / 'uji.sqlite'}")
        revision = current_revision(self.db)
        assert revision == head_revision(), f"revisi {revision}"
        return f"skema revisi {revision}"

    def users(self) -> str:
        from desktop_app.core import auth

        for username, roles in (("admin", ["admin"]), ("petugas", ["petugas_penerima"]),
                                ("kadis", ["kadis"])):
            auth.create_user(self.db, None, username=username, full_name=f"Uji {username}",
                             password=PASSWORD, roles=roles,
                             nip="198001012006041001" if username == "kadis" else None,
                             jabatan="Kepala Dinas" if username == "kadis" else None)
            self.actors[username] = auth.login(self.db, username, PASSWORD)
        return "3 akun dibuat, masuk dengan kata sandi (argon2id)"

    def case(self) -> str:
        from desktop_app.core import cases
        from desktop_app.core.sop import get_sop

        sop = get_sop("jht")
        case = cases.register_case(self.db, self.actors["petugas"], "jht", JHT_INTAKE,
                                      {r.code: True for r in sop.requirements})
        before = case.current_step
        actions = [a.code for a in cases.allowed_actions(self.db, self.actors["petugas"],
                                                            case.id)]
        action = "lengkap" if "lengkap" in actions else actions[0]
        case = cases.act(self.db, self.actors["petugas"], case.id, action,
                            expected_version=case.version)
        assert case.current_step != before, "berkas tidak berpindah langkah"
        return f"berkas {case.register_number}: langkah {before} -> {case.current_step}"

    def render(self) -> str:
        from desktop_app.core.documents.catalog import render_document
        from desktop_app.core.documents.samples import sample_context

        self.pdf = render_document("surat_klaim_jht", sample_context("surat_klaim_jht"))
        assert self.pdf.startswith(b"%PDF"), "bukan PDF"
        return f"surat klaim JHT, {len(self.pdf) // 1024} KB"

    def sign(self) -> str:
        from desktop_app.core.signing import credentials, office_ca, pdfsign

        office_ca.setup_office_ca(self.db, None, CA_PASSPHRASE)
        credentials.issue_credential(self.db, None, CA_PASSPHRASE, "kadis", SIGNING_PASSPHRASE)
        bundle = credentials.check_signing_passphrase(self.db, self.actors["kadis"],
                                                  SIGNING_PASSPHRASE)
        self.ca_pem = office_ca.office_ca_pem(self.db) or b""
        self.signed = pdfsign.sign_pdf(self.pdf, bundle, SIGNING_PASSPHRASE,
                                       reason="Uji mandiri", extra_certs=[self.ca_pem])
        return "ditandatangani (PAdES)"

    def verify(self) -> str:
        from desktop_app.core.signing import verification

        genuine = verification.verify_pdf_bytes(self.signed, [self.ca_pem])
        assert genuine.status == "asli", genuine.message
        cut = len(self.signed) // 3
        altered = self.signed[:cut] + bytes([self.signed[cut] ^ 0x01]) + self.signed[cut + 1:]
        assert verification.verify_pdf_bytes(altered, [self.ca_pem]).status != "asli", \
            "PDF yang diubah dianggap asli"
        return "asli dikenali, yang diubah ditolak"

    def audit(self) -> str:
        from desktop_app.core.audit import verify_chain

        with self.db.read() as s:
            report = verify_chain(s)
        assert report.ok, report.message()
        return report.message()

    def qt(self) -> str:
        import importlib

        names = ("QtCore", "QtGui", "QtWidgets", "QtSvg", "QtPdf", "QtPdfWidgets",
                 "QtPrintSupport", "QtUiTools")
        for name in names:
            importlib.import_module(f"PySide6.{name}")
        return f"{len(names)} modul Qt"

    def steps(self) -> list[tuple[str, Callable[[], str]]]:
        return [("Basis data sementara dan migrasi", self.database),
                ("Akun pengguna", self.users),
                ("Mendaftarkan dan memindahkan berkas", self.case),
                ("Membuat surat (WeasyPrint)", self.render),
                ("Menandatangani (pyHanko)", self.sign),
                ("Memverifikasi tanda tangan", self.verify),
                ("Rantai log audit", self.audit),
                ("Modul tampilan (Qt)", self.qt)]


def run_self_test(out: Any = sys.stdout) -> bool:
    """Run every step, print one line each; True when all passed."""
    started = time.perf_counter()
    failed = 0
    with tempfile.TemporaryDirectory(prefix="ltk-uji-") as tmp:
        test = SelfTest(Path(tmp))
        try:
            for label, step in test.steps():
                t0 = time.perf_counter()
                try:
                    detail = step()
                except Exception as exc:  # noqa: BLE001 - a failed step is reported, not raised
                    failed += 1
                    reason = str(exc) or type(exc).__name__
                    print(f"[GAGAL] {label}: {reason}", file=out, flush=True)
                    traceback.print_exc(file=sys.stderr)
                    if test.db is None:
                        break
                    continue
                print(f"[ OK  ] {label}: {detail} ({time.perf_counter() - t0:.2f} s)", file=out,
                      flush=True)
        finally:
            if test.db is not None:
                test.db.dispose()
    total = time.perf_counter() - started
    verdict = "LULUS" if not failed else f"GAGAL ({failed} langkah)"
    print(f"Uji mandiri {verdict} dalam {total:.1f} s.", file=out, flush=True)
    return not failed


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("self-test", help="uji mandiri program (basis data sementara)")
    p.set_defaults(func=lambda _args: 0 if run_self_test() else 1)
