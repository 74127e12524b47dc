"""Issue 11, item 1: a database says whether it is demo or real; demo data never enters a
real one (``--demo``, ``admin seed-demo``)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from desktop_app.__main__ import main
from desktop_app.core import db_kind, first_run
from desktop_app.core.db import open_database
from desktop_app.core.demo.cases import seed_demo
from desktop_app.core.models import Case, User


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kantor.sqlite'}"
    return request.getfixturevalue("pg_database")()


def test_real_database_refuses_demo_data(empty_url, capsys):
    db = open_database(empty_url)
    assert db_kind.database_kind(db) is None
    first_run.create_first_admin(db, username="admin.kantor", full_name="Admin Kantor",
                                 password="Sandi-Kantor-Kuat-1",
                                 password_again="Sandi-Kantor-Kuat-1")
    assert db_kind.database_kind(db) == db_kind.REAL
    with pytest.raises(db_kind.RealDatabaseRefused) as err:
        seed_demo(db)
    assert "sebenarnya" in err.value.message
    with db.read() as s:
        assert s.scalar(select(func.count(User.id))) == 1
        assert s.scalar(select(func.count(Case.id))) == 0
    db.dispose()
    code = main(["--database", empty_url, "admin", "seed-demo"])
    err_text = capsys.readouterr().err
    assert code == 2 and "bukan basis data demo" in err_text
    assert "kadis-demo-2026" not in err_text


def test_demo_database_is_marked_demo(empty_url):
    db = open_database(empty_url)
    seed_demo(db)
    assert db_kind.database_kind(db) == db_kind.DEMO
    db.dispose()


def test_old_database_with_real_accounts_counts_as_real(db):
    """Made before the setting existed: real as soon as one account is not a demo one."""
    from desktop_app.core.models import Setting

    with db.write() as s:
        s.query(Setting).filter(Setting.key == db_kind.KEY).delete()
    assert db_kind.database_kind(db) == db_kind.DEMO  # only demo accounts
    from desktop_app.core import auth

    with db.write() as s:
        s.add(User(username="budi", full_name="Budi", password_hash=auth.hash_password("x"),
                   is_active=True, failed_logins=0, created_at=db.now()))
    assert db_kind.database_kind(db) == db_kind.REAL
    with pytest.raises(db_kind.RealDatabaseRefused):
        seed_demo(db)
