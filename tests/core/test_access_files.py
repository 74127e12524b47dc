"""Issue 11, items 5, 10, 11 and 12: the audit log cannot be cut or rewound unseen, search is
byte-wise on any collation, a damaged SQLite file is refused, read-only commands create
nothing."""

from __future__ import annotations

import random
import shutil
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from desktop_app.__main__ import main
from desktop_app.core import audit, cases
from desktop_app.core.db import DatabaseDamaged, open_database
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.sop import get_sop


def test_truncate_and_rewinding_the_head_are_refused(db):
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM audit_events")).scalar() > 0
    if not db.is_sqlite:
        with pytest.raises(DBAPIError, match="append-only"), db.write() as s:
            s.execute(text("TRUNCATE audit_events"))
        with pytest.raises(DBAPIError, match="append-only"), db.write() as s:
            s.execute(text("TRUNCATE audit_head"))
    with pytest.raises(DBAPIError, match="cannot go back"), db.write() as s:
        s.execute(text("UPDATE audit_head SET seq = 0"))
    with db.read() as s:
        assert audit.verify_chain(s).ok


def test_checkpoints_reveal_a_cut_or_rewritten_log(db, tmp_path):
    folder = tmp_path / "cadangan"
    audit.write_checkpoint(db, folder)
    marks = audit.read_checkpoints(folder)
    assert len(marks) == 1 and marks[0].seq > 0
    with db.read() as s:
        assert audit.verify_chain(s, checkpoints=marks).ok
    # The owner of the database removes the guards, cuts the log and resets the head.
    with db.write() as s:
        if db.is_sqlite:
            for name in ("audit_events_no_delete", "audit_head_no_rewind_update"):
                s.execute(text(f"DROP TRIGGER {name}"))
            s.execute(text("DELETE FROM audit_events"))
        else:
            s.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
            s.execute(text("ALTER TABLE audit_head DISABLE TRIGGER USER"))
            s.execute(text("TRUNCATE audit_events"))
        s.execute(text("UPDATE audit_head SET seq = 0, hash = :h").bindparams(h=audit.GENESIS))
    with db.read() as s:
        assert audit.verify_chain(s).ok  # without the anchor outside: looks intact
        report = audit.verify_chain(s, checkpoints=marks)
    assert not report.ok and "dipotong" in report.message()


def test_damaged_sqlite_file_is_refused_with_the_last_backup(tmp_path, sqlite_template):
    path = tmp_path / "kantor.sqlite"
    shutil.copy(sqlite_template, path)
    (tmp_path / "cadangan").mkdir()
    backup = tmp_path / "cadangan" / "cadangan-20261129-170000.ltkbak"
    backup.write_bytes(b"x")
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(size // 2)
        f.write(random.Random(1).randbytes(8192))
    with pytest.raises(DatabaseDamaged) as err:
        open_database(f"sqlite:///{path}")
    assert str(backup) in err.value.message and "rusak" in err.value.message


def test_verify_audit_on_a_mistyped_path_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "salah" / "ketik.sqlite"
    code = main(["--database", f"sqlite:///{missing}", "admin", "verify-audit"])
    assert code == 2 and "tidak ditemukan" in capsys.readouterr().err
    assert not missing.parent.exists()
    other = tmp_path / "lain.sqlite"
    import sqlite3

    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE foo (x)")
    conn.commit()
    conn.close()
    code = main(["--database", f"sqlite:///{other}", "admin", "verify-audit"])
    assert code == 2 and "bukan basis data program" in capsys.readouterr().err
    conn = sqlite3.connect(other)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["foo"]
    conn.close()


NAMES = ["Ab-cd", "ab cd", "Abcd", "AB.CD", "abd", "Ä Bcd", "a-b", "A B", "ab", "Ab_c",
         "abc", "ABC2", "a.b.c", "Ac", "Za", "zA", "İbrahim", "ibrahim", "Ibrahim", "i-b"]
QUERIES = ["ab", "a b", "ab-", "ab ", "a", "abc", "ab.", "a-", "i", "ib", "İb", "z", "zA", "a.b"]


def test_search_is_bytewise_on_an_icu_collation(pg_template):
    """A PostgreSQL database whose default collation is ICU Indonesian: prefix search gives
    exactly the names that start with the typed text (lower-cased), as on SQLite."""
    import os

    import psycopg
    from sqlalchemy import select

    from desktop_app.core import auth
    from desktop_app.core.demo.accounts import create_demo_users
    from desktop_app.core.models import User

    base = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    name = f"t_icu_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 LOCALE_PROVIDER icu '
                     "ICU_LOCALE 'id-ID' LOCALE 'C.UTF-8'")
    db = None
    try:
        db = open_database(base.rsplit("/", 1)[0] + "/" + name)
        create_demo_users(db)
        with db.read() as s:
            uid = s.scalar(select(User.id).where(User.username == "petugas"))
        clerk = auth.actor_for(db, uid)
        sop = get_sop("jakon")
        for i, company in enumerate(NAMES):
            data = demo_intake("jakon", random.Random(i), db.now().date())
            data["nama_perusahaan"] = company
            cases.register_case(db, clerk, "jakon", data,
                                {r.code: True for r in sop.requirements})
        wrong = []
        for q in QUERIES:
            ids = cases.list_case_ids(db, cases.CaseQuery(sop_code="jakon", search=q))
            got = sorted(r.title for r in cases.case_rows(db, ids))
            want = sorted(n for n in NAMES if n.lower().startswith(q.strip().lower()))
            if got != want:
                wrong.append((q, got, want))
        assert not wrong
    finally:
        if db is not None:
            db.dispose()
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
