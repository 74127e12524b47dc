"""Backup and restore of a large office database (target < 60 s each at 100,000 cases).

Run from the repository root::

    python benchmarks/backup.py              # 100,000 cases (seeded once, ~1 minute)
    python benchmarks/backup.py --cases 20000

Prints the wall time (and this process's CPU time, which a busy shared machine does not
inflate) and size of ``write_backup`` from SQLite and from PostgreSQL, the time of a
full check (``verify_archive``), and of ``restore_backup`` into a new SQLite file and into an
empty PostgreSQL database (the one-PC-to-server move), each with its rows per second.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import PG_URL, pg_available, scale_database  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _timed(label: str, fn, rows: int | None = None):  # noqa: ANN001, ANN202
    t, cpu = time.perf_counter(), time.process_time()
    result = fn()
    s, cpu = time.perf_counter() - t, time.process_time() - cpu
    rows = rows if rows is not None else getattr(result, "rows", 0)
    print(f"{label:<38}: {s:7.1f} s  ({rows / s:,.0f} baris/s; CPU program ini {cpu:.1f} s)",
          flush=True)
    return result, s


def main() -> None:
    from desktop_app.core.backup import restore_backup, verify_archive, write_backup
    from desktop_app.core.db import open_database

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    source = open_database(scale_database(args.cases, "sqlite"), migrate=False)
    with tempfile.TemporaryDirectory(prefix="ltk-cadangan-") as tmp:
        folder = Path(tmp)
        report, _ = _timed(f"Cadangan SQLite ({args.cases:,} berkas)",
                           lambda: write_backup(source, folder / "sqlite.ltkbak"))
        rows = report.rows
        print(f"  {rows:,} baris, berkas {report.size / 1e6:.1f} MB "
              f"({report.size / max(1, Path(source.url[10:]).stat().st_size) * 100:.0f}% dari "
              "berkas SQLite)")
        _timed("Periksa checksum seluruh berkas", lambda: verify_archive(report.path), rows)
        _timed("Pulihkan ke berkas SQLite baru",
               lambda: restore_backup(report.path, f"sqlite:///{folder / 'pulih.sqlite'}"), rows)
        source.dispose()
        if pg_available() is not None:
            print("PostgreSQL tidak tersedia: bagian server dilewati.")
            return
        import psycopg

        name = f"bench_pulih_{uuid.uuid4().hex[:8]}"
        target = PG_URL.rsplit("/", 1)[0] + "/" + name
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            _timed("Pulihkan ke PostgreSQL kosong (pindah)",
                   lambda: restore_backup(report.path, target), rows)
            server = open_database(target, migrate=False)
            _timed("Cadangan PostgreSQL",
                   lambda: write_backup(server, folder / "pg.ltkbak"), rows)
            server.dispose()
        finally:
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
