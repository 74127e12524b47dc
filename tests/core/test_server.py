"""The office server: "Uji koneksi" answers and ``init-server``'s restricted application role,
proved against a real PostgreSQL server."""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest
from sqlalchemy.engine import make_url

from desktop_app.core import server
from desktop_app.core.db import open_database


def _with(url: str, **parts: object) -> str:
    return make_url(url)._replace(**parts).render_as_string(hide_password=False)


def test_answers_for_every_kind_of_wrong_address(pg_database, pg_password_role):
    url = pg_database()
    assert server.check_connection(url).kind == server.EMPTY
    cases = {
        server.HOST: _with(url, host="tidak-ada.invalid"),
        server.PORT: _with(url, port=1),
        server.NO_DATABASE: _with(url, database=f"tidak_ada_{uuid.uuid4().hex[:8]}"),
        server.PASSWORD: _with(url, username=pg_password_role[0], password="salah-sandi"),
    }
    for kind, bad in cases.items():
        answer = server.check_connection(bad)
        assert answer.kind == kind, (kind, answer)
        assert not answer.usable
        assert "FATAL" not in answer.message and "psycopg" not in answer.message


def test_other_programs_newer_and_older_schemas(pg_database):
    foreign = pg_database()
    with psycopg.connect(foreign, autocommit=True) as conn:
        conn.execute("CREATE TABLE barang (id int primary key, nama text)")
    answer = server.check_connection(foreign)
    assert answer.kind == server.FOREIGN and "program lain" in answer.message

    newer = pg_database()
    open_database(newer).dispose()
    with psycopg.connect(newer, autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_masa_depan'")
    answer = server.check_connection(newer)
    assert answer.kind == server.NEWER and "lebih baru" in answer.message

    older = pg_database()
    from desktop_app.core.db import _alembic_config

    db = open_database(older, migrate=False)
    from alembic import command

    with db.write_engine.begin() as conn:
        cfg = _alembic_config(db)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    db.dispose()
    answer = server.check_connection(older)
    assert answer.kind == server.OLDER and answer.usable and answer.revision == "0001"


def test_sqlite_answers(tmp_path):
    assert server.check_connection(f"sqlite:///{tmp_path / 'baru.sqlite'}").kind == server.EMPTY
    other = tmp_path / "lain.sqlite"
    other.write_bytes(b"bukan basis data sama sekali" * 10)
    assert server.check_connection(f"sqlite:///{other}").kind == server.FOREIGN
    assert not (tmp_path / "baru.sqlite").exists()  # checking changes nothing


@pytest.fixture
def initialised(pg_database):
    owner_url = pg_database()
    role = f"t_app_{uuid.uuid4().hex[:8]}"
    report = server.init_server(owner_url, app_user=role, app_password="aplikasi-rahasia-1")
    app_url = _with(owner_url, username=role, password="aplikasi-rahasia-1")
    yield owner_url, app_url, report
    with psycopg.connect(owner_url, autocommit=True) as conn:
        conn.execute(f'DROP OWNED BY "{role}"')
    with psycopg.connect(make_url(owner_url).set(database="postgres")
                         .render_as_string(hide_password=False), autocommit=True) as conn:
        dbname = make_url(owner_url).database
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')


FORBIDDEN = [
    "CREATE TABLE penyusup (id int)",
    "DROP TABLE cases",
    "TRUNCATE audit_events",
    "TRUNCATE cases CASCADE",
    "ALTER TABLE cases ADD COLUMN penyusup text",
    "ALTER TABLE audit_events DISABLE TRIGGER ALL",
    "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only",
    "SET session_replication_role = replica",
    "DELETE FROM audit_events",
    "UPDATE audit_events SET username = 'penyusup'",
    "DELETE FROM audit_head",
    "UPDATE alembic_version SET version_num = '0001'",
    "DROP TRIGGER audit_events_append_only ON audit_events",
    "CREATE FUNCTION penyusup() RETURNS int AS 'SELECT 1' LANGUAGE sql",
    "CREATE TEMPORARY TABLE penyusup (id int)",
]


def test_app_role_cannot_change_the_schema_or_the_audit_log(initialised):
    _owner, app_url, report = initialised
    assert report.app_password == "aplikasi-rahasia-1"
    assert "aplikasi-rahasia-1" not in report.app_url
    for sql in FORBIDDEN:
        with psycopg.connect(app_url, autocommit=True) as conn, \
                pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(sql)
    with psycopg.connect(app_url, autocommit=True) as conn:
        row = conn.execute("SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls "
                           "FROM pg_roles WHERE rolname = current_user").fetchone()
        assert row == (False, False, False, False)


def test_app_role_runs_the_program(initialised, clock):
    """Everything the program does day to day works as the application role."""
    from desktop_app.core import auth
    from desktop_app.core.audit import verify_chain
    from desktop_app.core.demo.accounts import create_demo_users

    owner_url, app_url, _ = initialised
    db = open_database(app_url, clock=clock)  # at head: the app role only reads the revision
    try:
        create_demo_users(db)
        actor = auth.login(db, "petugas", "petugas-demo-2026")
        auth.set_roles(db, None, "petugas", ["petugas_penerima", "jfu"])
        assert actor.username == "petugas"
        with db.read() as s:
            assert verify_chain(s).ok
    finally:
        db.dispose()
    # Running init-server again (after an upgrade) is harmless and keeps the password.
    again = server.init_server(owner_url, app_user=make_url(app_url).username)
    assert again.app_password is None and "sudah terbaru" in again.schema
    psycopg.connect(app_url).close()


def test_init_server_cli_creates_a_missing_database_with_a_random_password(pg_template,
                                                                          capsys):
    from desktop_app.__main__ import main

    base = make_url(os.environ.get("TEST_POSTGRES_URL",
                                   "postgresql://postgres@127.0.0.1:5432/test"))
    name, role = f"t_new_{uuid.uuid4().hex[:10]}", f"t_app_{uuid.uuid4().hex[:8]}"
    owner_url = base.set(database=name).render_as_string(hide_password=False)
    admin_url = base.set(database="postgres").render_as_string(hide_password=False)
    try:
        code = main(["admin", "init-server", "--owner-url", owner_url, "--app-user", role])
        out = capsys.readouterr().out
        assert code == 0, out
        assert f"Basis data '{name}' dibuat" in out
        password = out.split("hanya ditampilkan sekali): ", 1)[1].split()[0]
        assert len(password) >= 20
        app_url = make_url(owner_url)._replace(username=role, password=password)
        assert f"--database {app_url._replace(password=None).render_as_string()}" in out
        assert server.check_connection(app_url.render_as_string(hide_password=False)).kind \
            == server.OK
        # The owner's own name cannot be the application role.
        code = main(["admin", "init-server", "--owner-url", owner_url,
                     "--app-user", base.username or "postgres"])
        assert code == 2
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_app_role_on_an_older_schema_says_it_needs_it_and_changes_nothing(initialised):
    from sqlalchemy.exc import DBAPIError

    owner_url, app_url, _ = initialised
    with psycopg.connect(owner_url, autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0002'")
    with pytest.raises(DBAPIError) as caught:
        open_database(app_url)  # would run migration 0003: only the owner may
    answer = server.describe_failure(caught.value, make_url(app_url))
    assert "init-server" in answer.message and not answer.usable
    with psycopg.connect(owner_url) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002",)
