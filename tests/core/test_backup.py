"""Backup and restore without pg_dump: round trips on both backends, the move from one PC to
the server, damaged files, non-empty targets, a full disk, and the daily SQLite backups."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select

from desktop_app.core import auth, cases, settings
from desktop_app.core.audit import verify_chain
from desktop_app.core.backup import (
    BackupError,
    last_backup,
    restore_backup,
    run_daily_backup,
    verify_archive,
    write_backup,
)
from desktop_app.core.backup.automatic import backup_dir, keep
from desktop_app.core.db import open_database
from desktop_app.core.demo.cases import seed_scale
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.sop import get_sop

ROOT = Path(__file__).resolve().parents[2]


def _fill(db, actors) -> None:
    """Accounts (template), cases with history, JSON settings, an attachment's bytes."""
    import random

    rng = random.Random(5)
    for code in ("jht", "ak1", "paspor"):
        sop = get_sop(code)
        case = cases.register_case(db, actors["petugas"], code,
                                      demo_intake(code, rng, db.now().date()),
                                      {r.code: True for r in sop.requirements})
        cases.act(db, actors["petugas"], case.id, "lengkap", expected_version=case.version)
    cases.add_attachment(db, actors["petugas"], case.id, kind="scan", filename="ktp.png",
                            mime_type="image/png", content=b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    settings.save_setting(db, actors["admin"], settings.OFFICE_PROFILE,
                          {"nama_dinas": "Dinas Uji — Pagar Alam", "alamat": "Jl. Ü 1"})
    seed_scale(db, 60)


def _same_instant(value):
    """Stored times as aware UTC: SQLite keeps naive UTC text, PostgreSQL timestamptz."""
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    return value


def _contents(db) -> dict[str, list[tuple]]:
    meta = MetaData()
    with db.engine.connect() as conn:
        meta.reflect(conn)
        return {t.name: [tuple(map(_same_instant, r)) for r in conn.execute(
            select(t).order_by(*(t.primary_key.columns or t.columns)))]
            for t in meta.sorted_tables if t.name != "alembic_version"}


def test_round_trip_on_both_backends(db, actors, tmp_path, pg_database):
    _fill(db, actors)
    report = write_backup(db, tmp_path / "kantor.ltkbak")
    assert report.tables["cases"] == 63 and report.tables["attachments"] == 1
    original = _contents(db)
    for target_url in (f"sqlite:///{tmp_path / 'pulih.sqlite'}", pg_database()):
        restored = restore_backup(report.path, target_url)
        assert restored.tables == report.tables and restored.chain.ok
        target = open_database(target_url, migrate=False)
        try:
            assert _contents(target) == original, target_url
            with target.read() as s:
                assert verify_chain(s).checked == report.tables["audit_events"]
        finally:
            target.dispose()
    if db.is_sqlite:  # stored exactly as the program stores it (text dates compare as text)
        import sqlite3

        def raw(path: str) -> list[tuple]:
            conn = sqlite3.connect(path)
            try:
                return conn.execute("SELECT * FROM cases ORDER BY id").fetchall() + \
                    conn.execute("SELECT * FROM audit_events ORDER BY id").fetchall()
            finally:
                conn.close()

        assert raw(str(tmp_path / "pulih.sqlite")) == raw(db.url.removeprefix("sqlite:///"))


def test_sqlite_office_moves_to_the_server(sqlite_db, tmp_path, pg_database, capsys, clock,
                                           demo_passwords):
    """The supported move: `admin backup` on the PC, `admin restore` into the server's empty
    database; the office then keeps working there (new ids follow the restored ones)."""
    import random

    from desktop_app.__main__ import main
    from desktop_app.core.models import Case

    actors = {a.username: a for a in (auth.actor_for(sqlite_db, u.id)
                                      for u in auth.list_users(sqlite_db))}
    first = cases.register_case(sqlite_db, actors["petugas"], "ak1",
                                   demo_intake("ak1", random.Random(2), clock.now.date()),
                                   {r.code: True for r in get_sop("ak1").requirements})
    file = tmp_path / "pindah.ltkbak"
    assert main(["--database", sqlite_db.url, "admin", "backup", str(file)]) == 0
    pg_url = pg_database()
    assert main(["--database", pg_url, "admin", "restore", str(file)]) == 0
    out = capsys.readouterr().out
    assert "Rantai audit utuh" in out
    server_db = open_database(pg_url, clock=clock)
    try:
        clerk = auth.login(server_db, "petugas", demo_passwords["petugas"])
        second = cases.register_case(
            server_db, clerk, "ak1", demo_intake("ak1", random.Random(3), clock.now.date()),
            {r.code: True for r in get_sop("ak1").requirements})
        assert second.id > first.id
        assert second.register_number != first.register_number  # the counters moved too
        with server_db.read() as s:
            assert s.scalar(select(Case.register_number).where(Case.id == first.id)) == \
                first.register_number
            assert verify_chain(s).ok
    finally:
        server_db.dispose()


def test_restore_into_a_database_init_server_prepared(sqlite_db, tmp_path, pg_database):
    """docs/server.md: init-server first (schema and role), then restore as the owner."""
    import uuid

    import psycopg

    from desktop_app.core import server

    path = write_backup(sqlite_db, tmp_path / "a.ltkbak").path
    owner_url = pg_database()
    role = f"t_app_{uuid.uuid4().hex[:8]}"
    server.init_server(owner_url, app_user=role, app_password="aplikasi-rahasia-1")
    try:
        report = restore_backup(path, owner_url)
        assert report.chain.ok and report.tables["users"] == len(auth.list_users(sqlite_db))
    finally:
        with psycopg.connect(owner_url, autocommit=True) as conn:
            conn.execute(f'DROP OWNED BY "{role}"')
        base = owner_url.rsplit("/", 1)[0] + "/postgres"
        name = owner_url.rsplit("/", 1)[1]
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_damaged_backups_are_refused_and_change_nothing(sqlite_db, tmp_path, pg_database):
    path = write_backup(sqlite_db, tmp_path / "a.ltkbak").path
    data = path.read_bytes()
    truncated = tmp_path / "terpotong.ltkbak"
    truncated.write_bytes(data[: len(data) * 2 // 3])
    # Altered: one table's rows changed, the zip rebuilt so only the checksum can tell.
    altered = tmp_path / "diubah.ltkbak"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(altered, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "tables/users.jsonl":
                body = body.replace(b"Kepala", b"Kapala", 1)
            dst.writestr(item, body)
    not_zip = tmp_path / "bukan.ltkbak"
    not_zip.write_text("ini bukan cadangan")
    pg_url = pg_database()
    for bad, words in ((truncated, "terpotong"), (altered, "checksum"), (not_zip, "terpotong")):
        with pytest.raises(BackupError, match=words):
            verify_archive(bad)
        new_file = tmp_path / f"tujuan-{bad.stem}.sqlite"
        for url in (f"sqlite:///{new_file}", pg_url):
            with pytest.raises(BackupError, match="Tidak ada yang diubah"):
                restore_backup(bad, url)
        assert not new_file.exists()
    from desktop_app.core.server import EMPTY, check_connection

    assert check_connection(pg_url).kind == EMPTY


def test_restore_refuses_a_database_that_is_not_empty(db, tmp_path, pg_database):
    path = write_backup(db, tmp_path / "a.ltkbak").path
    with pytest.raises(BackupError, match="tidak kosong"):
        restore_backup(path, db.url)
    import psycopg

    foreign = pg_database()
    with psycopg.connect(foreign, autocommit=True) as conn:
        conn.execute("CREATE TABLE barang (id int)")
    with pytest.raises(BackupError, match="program lain"):
        restore_backup(path, foreign)


def _limited(limit: int):  # noqa: ANN202 - a preexec function
    import resource  # POSIX only

    def apply() -> None:
        # The disk "fills" at `limit` bytes: writes past it fail with EFBIG, as on a full disk.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file-size limit")
def test_full_disk_leaves_no_file_and_says_so(sqlite_db, tmp_path):
    seed_scale(sqlite_db, 3000)
    url = sqlite_db.url
    sqlite_db.dispose()
    target = tmp_path / "penuh" / "cadangan.ltkbak"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "desktop_app", "--database", url, "admin",
                           "backup", str(target)], capture_output=True, text=True, env=env,
                          preexec_fn=_limited(64 * 1024), timeout=120, cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Ruang disk tidak cukup" in proc.stderr and "Traceback" not in proc.stderr
    assert list(target.parent.iterdir()) == []


def test_rotation_keeps_seven_daily_and_four_weekly():
    today = date(2026, 11, 30)
    days = [today - timedelta(days=n) for n in range(60)]
    kept = keep(days)
    assert set(days[:7]) <= kept
    older = sorted(kept - set(days[:7]), reverse=True)
    assert len(older) == 4
    assert len({d.isocalendar()[:2] for d in older}) == 4
    assert all(d.isocalendar()[:2] != days[6].isocalendar()[:2] or d < days[6] for d in older)
    assert keep([today]) == {today}


def test_daily_backup_once_a_day_with_rotation(sqlite_db, clock):
    assert last_backup(sqlite_db) is None
    written = []
    for _ in range(40):
        result = run_daily_backup(sqlite_db)
        assert result is not None and result.report is not None
        written.append(result.report.path)
        assert run_daily_backup(sqlite_db) is None  # once a day
        clock.advance(days=1)
    files = sorted(p.name for p in backup_dir(sqlite_db).glob("*.ltkbak"))
    assert len(files) == 11  # 7 daily + 4 weekly
    # Beside them: the audit chain's head at each backup (issue 11).
    assert list(backup_dir(sqlite_db).glob("titik-periksa-audit-*.json"))
    assert written[-1].name in files and written[0].name not in files
    assert last_backup(sqlite_db) is not None
    verify_archive(written[-1])


def test_damaged_file_is_not_backed_up(sqlite_db, tmp_path):
    """PRAGMA quick_check first: a damaged file must not rotate the good backups away."""
    import sqlite3

    path = Path(sqlite_db.url.removeprefix("sqlite:///"))
    sqlite_db.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_cases_sop_title'"
                        ).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as fh:  # scribble over an index page
        fh.seek((root - 1) * page_size)
        fh.write(b"\x0d" + b"\xff" * 64)
    db = open_database(f"sqlite:///{path}", migrate=False)
    try:
        result = run_daily_backup(db)
        assert result is not None and result.report is None
        assert "kerusakan" in (result.problem or "")
        assert not any(backup_dir(db).glob("*.ltkbak")) if backup_dir(db).exists() else True
    finally:
        db.dispose()


def test_postgresql_has_no_automatic_backup(db):
    if db.is_sqlite:
        pytest.skip("SQLite is covered above")
    assert run_daily_backup(db) is None and last_backup(db) is None


def test_backup_cli_prints_what_it_wrote(capsys, sqlite_db, tmp_path):
    from desktop_app.__main__ import main

    code = main(["--database", sqlite_db.url, "admin", "backup", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0 and "Cadangan ditulis" in out and "revisi skema" in out
    written = next(tmp_path.glob("*.ltkbak"))
    code = main(["admin", "verify-backup", str(written)])
    assert code == 0 and "utuh" in capsys.readouterr().out
    assert auth.list_users(sqlite_db)
