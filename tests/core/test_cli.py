"""``desktop-app admin …``: every command works on a given database and fails with one line."""

from __future__ import annotations

import pytest

from desktop_app.__main__ import main


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.sqlite'}"


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


ADMIN_PASSWORD = "Kepala-Admin-2026"


def make_first_admin(capsys, url):
    """The one command that runs without an administrator: the first one, on an empty base."""
    code, out, err = run(capsys, "--database", url, "admin", "create-user", "kepala",
                         "--full-name", "Kepala Admin", "--roles", "admin",
                         "--password", ADMIN_PASSWORD)
    assert code == 0, err


def run_as_admin(capsys, monkeypatch, *argv, password=ADMIN_PASSWORD, user="kepala"):
    """A changing command with ``--admin-user``; the password comes on standard input."""
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return run(capsys, *_with_admin(argv, user))


def _with_admin(argv, user):
    argv = list(argv)
    i = argv.index("admin")
    return [*argv[:i + 1], "--admin-user", user, *argv[i + 1:]]


def test_db_upgrade_then_users_roles_and_password(capsys, url, monkeypatch):
    code, out, _ = run(capsys, "--database", url, "admin", "db-upgrade")
    assert code == 0 and "Basis data baru dibuat" in out
    code, out, _ = run(capsys, "--database", url, "admin", "db-upgrade")
    assert code == 0 and "sudah terbaru" in out
    make_first_admin(capsys, url)
    code, out, _ = run_as_admin(capsys, monkeypatch, "--database", url, "admin", "create-user",
                                "budi", "--full-name", "Budi Santoso", "--roles",
                                "petugas_penerima", "--password", "Budi-Sandi-2026")
    assert code == 0 and "budi" in out
    code, _, err = run_as_admin(capsys, monkeypatch, "--database", url, "admin", "set-roles",
                                "budi", "jfu,bukan")
    assert code == 2 and err.count("\n") == 1 and "bukan" in err
    code, out, _ = run_as_admin(capsys, monkeypatch, "--database", url, "admin", "set-roles",
                                "budi", "jfu,kasi")
    assert code == 0
    code, out, _ = run_as_admin(capsys, monkeypatch, "--database", url, "admin",
                                "reset-password", "budi", "--password", "baru-rahasia-1")
    assert code == 0
    from desktop_app.core import auth
    from desktop_app.core.db import open_database

    db = open_database(url)
    actor = auth.login(db, "budi", "baru-rahasia-1")
    assert actor.roles == {"jfu", "kasi"}
    from sqlalchemy import select

    from desktop_app.core.models import AuditEvent

    with db.read() as s:
        who = dict(s.execute(select(AuditEvent.action, AuditEvent.username)).all())
    assert who["ubah_peran"] == who["reset_sandi"] == who["buat_pengguna"] == "kepala"


def test_changing_commands_need_an_administrator(capsys, url, monkeypatch):
    """Issue 11, item 4: the database URL alone no longer lets anyone change accounts."""
    make_first_admin(capsys, url)
    code, _, err = run(capsys, "--database", url, "admin", "create-user", "kedua",
                       "--full-name", "Admin Kedua", "--roles", "admin", "--password",
                       "rahasia-kedua-1")
    assert code == 2 and "administrator" in err  # not the first administrator any more
    code, _, err = run_as_admin(capsys, monkeypatch, "--database", url, "admin", "set-roles",
                                "kepala", "jfu", password="salah-tebak")
    assert code == 2 and "kata sandi salah" in err
    run_as_admin(capsys, monkeypatch, "--database", url, "admin", "create-user", "budi",
                 "--full-name", "Budi", "--roles", "jfu", "--password", "rahasia-budi-1")
    code, _, err = run_as_admin(capsys, monkeypatch, "--database", url, "admin", "set-roles",
                                "budi", "admin", user="budi", password="rahasia-budi-1")
    assert code == 2 and "bukan administrator" in err
    from desktop_app.core import auth
    from desktop_app.core.db import open_database

    assert auth.actor_for(open_database(url), 2).roles == {"jfu"}


def test_errors_exit_non_zero_with_one_line(capsys, url, monkeypatch):
    run(capsys, "--database", url, "admin", "db-upgrade")
    make_first_admin(capsys, url)
    code, _, err = run_as_admin(capsys, monkeypatch, "--database", url, "admin",
                                "reset-password", "hantu", "--password", "Budi-Sandi-2026")
    assert code == 2 and err.startswith("Gagal:") and err.count("\n") == 1
    code, _, err = run_as_admin(capsys, monkeypatch, "--database", url, "admin", "create-user",
                                "x", "--full-name", "X", "--roles", "jfu", "--password", "pendek")
    assert code == 2 and "password" in err


def test_seed_demo_prints_passwords_once_and_audit_verifies(capsys, url):
    code, out, _ = run(capsys, "--database", url, "admin", "seed-demo")
    assert code == 0 and "kadis-demo-2026" in out
    code, out, _ = run(capsys, "--database", url, "admin", "seed-demo", "--cases", "500")
    assert code == 0 and "kadis-demo-2026" not in out and "500 berkas" in out
    code, out, _ = run(capsys, "--database", url, "admin", "verify-audit")
    assert code == 0 and "utuh" in out


def test_verify_audit_fails_on_tampering(capsys, url):
    run(capsys, "--database", url, "admin", "seed-demo")
    import sqlite3

    path = url.removeprefix("sqlite:///")
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_events_no_update")
    conn.execute("UPDATE audit_events SET username = 'penyusup' WHERE seq = 5")
    conn.commit()
    conn.close()
    code, out, _ = run(capsys, "--database", url, "admin", "verify-audit")
    assert code == 1 and "#5" in out


def test_backup_writes_a_consistent_copy(capsys, url, tmp_path):
    run(capsys, "--database", url, "admin", "seed-demo")
    code, out, _ = run(capsys, "--database", url, "admin", "backup", str(tmp_path / "cad"))
    assert code == 0
    copies = list((tmp_path / "cad").glob("cadangan-*.ltkbak"))
    assert len(copies) == 1
    restored = f"sqlite:///{tmp_path / 'pulih.sqlite'}"
    code, out, _ = run(capsys, "--database", restored, "admin", "restore", str(copies[0]))
    assert code == 0 and "utuh" in out
    import sqlite3

    conn = sqlite3.connect(tmp_path / "pulih.sqlite")
    assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] > 0
    conn.close()
