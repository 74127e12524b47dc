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


def test_db_upgrade_then_users_roles_and_password(capsys, url):
    code, out, _ = run(capsys, "--database", url, "admin", "db-upgrade")
    assert code == 0 and "Basis data baru dibuat" in out
    code, out, _ = run(capsys, "--database", url, "admin", "db-upgrade")
    assert code == 0 and "sudah terbaru" in out
    code, out, _ = run(capsys, "--database", url, "admin", "create-user", "budi",
                       "--full-name", "Budi Santoso", "--roles", "petugas_penerima",
                       "--password", "rahasia-123")
    assert code == 0 and "budi" in out
    code, _, err = run(capsys, "--database", url, "admin", "set-roles", "budi", "jfu,bukan")
    assert code == 2 and err.count("\n") == 1 and "bukan" in err
    code, out, _ = run(capsys, "--database", url, "admin", "set-roles", "budi", "jfu,kasi")
    assert code == 0
    code, out, _ = run(capsys, "--database", url, "admin", "reset-password", "budi",
                       "--password", "baru-rahasia-1")
    assert code == 0
    from desktop_app.core import auth
    from desktop_app.core.db import open_database

    actor = auth.login(open_database(url), "budi", "baru-rahasia-1")
    assert actor.roles == {"jfu", "kasi"}


def test_errors_exit_non_zero_with_one_line(capsys, url):
    run(capsys, "--database", url, "admin", "db-upgrade")
    code, _, err = run(capsys, "--database", url, "admin", "reset-password", "hantu",
                       "--password", "rahasia-123")
    assert code == 2 and err.startswith("Gagal:") and err.count("\n") == 1
    code, _, err = run(capsys, "--database", url, "admin", "create-user", "x",
                       "--full-name", "X", "--roles", "jfu", "--password", "pendek")
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
