"""Opening the database: create and stamp, back up and upgrade, refuse a newer schema."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop_app.core.db import (
    current_revision,
    head_revision,
    network_share_warning,
    open_database,
)
from desktop_app.core.errors import DatabaseTooNew

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'baru.sqlite'}"
        return
    request.getfixturevalue("pg_template")  # skips (or fails under CI) without a server
    import psycopg

    name = f"t_mig_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield PG_URL.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _upgrade_to(url: str, revision: str) -> None:
    from alembic import command

    from desktop_app.core.db import _alembic_config

    db = open_database(url, migrate=False)
    cfg = _alembic_config(db)
    with db.write_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    db.dispose()


def test_new_database_is_created_at_head(empty_url):
    db = open_database(empty_url)
    assert current_revision(db) == head_revision()
    with db.read() as s:
        assert s.execute(text("SELECT seq FROM audit_head")).scalar() == 0
    db.dispose()


def test_older_database_is_backed_up_and_upgraded(empty_url, tmp_path):
    _upgrade_to(empty_url, "0001")
    db = open_database(empty_url)
    assert current_revision(db) == head_revision()
    if db.is_sqlite:
        backups = list((tmp_path / "cadangan").glob("*.sqlite"))
        assert len(backups) == 1
        import sqlite3

        old = sqlite3.connect(backups[0])
        assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        old.close()
    db.dispose()


def test_newer_database_is_refused(empty_url):
    db = open_database(empty_url)
    with db.write() as s:
        s.execute(text("UPDATE alembic_version SET version_num = '9999_masa_depan'"))
    db.dispose()
    with pytest.raises(DatabaseTooNew) as err:
        open_database(empty_url)
    assert "lebih baru" in err.value.message


def test_sqlite_pragmas(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'p.sqlite'}")
    with db.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    db.dispose()


def test_network_share_warning():
    warning = network_share_warning("sqlite:///\\\\SERVER\\bersama\\kantor.sqlite")
    assert warning and "jaringan" in warning and "PostgreSQL" in warning
    assert network_share_warning(f"sqlite:///{Path.home() / 'x.sqlite'}") is None
    assert network_share_warning("postgresql://u@h/db") is None


def test_migrations_create_exactly_the_models(empty_url):
    """The shipped migrations and the ORM models describe the same schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from desktop_app.core.models import Base

    db = open_database(empty_url)
    with db.write_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    db.dispose()
    assert diff == []


def test_start_up_fast_path_knows_the_same_heads_as_alembic(empty_url):
    from desktop_app.core.db import _heads_from_files, _is_at_head, known_revisions

    assert _heads_from_files() == known_revisions()[0]
    db = open_database(empty_url, migrate=False)
    try:
        assert not _is_at_head(db)  # no alembic_version table yet
    finally:
        db.dispose()
    db = open_database(empty_url)
    try:
        assert _is_at_head(db)
    finally:
        db.dispose()


def test_existing_cases_are_put_on_todays_sop_version(empty_url):
    """Migration 0004: a case registered before SOP versions runs on version 1 of its SOP."""
    from sqlalchemy import text

    _upgrade_to(empty_url, "0003")
    db = open_database(empty_url, migrate=False)
    with db.write_engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO users (id, username, full_name, password_hash, is_active, "
            "failed_logins, created_at) VALUES (1, 'lama', 'Pengguna Lama', 'x', true, 0, "
            "'2026-01-05 08:00:00')"))
        conn.execute(text(
            "INSERT INTO cases (id, sop_code, register_number, register_year, register_seq, "
            "status, current_step, current_lane, title, title_key, data, registered_at, "
            "registered_by_id, step_started_at, updated_at, updated_by_id, version) VALUES "
            "(1, 'ak1', 'AK1/2026/00001', 2026, 1, 'proses', 3, 'pengadministrasi', 'Budi', "
            "'budi', '{}', '2026-01-05 08:00:00', 1, '2026-01-05 08:00:00', "
            "'2026-01-05 08:00:00', 1, 1)"))
    db.dispose()
    db = open_database(empty_url)
    with db.read() as s:
        row = s.execute(text(
            "SELECT v.sop_code, v.version, v.status, v.content_hash FROM cases c "
            "JOIN sop_versions v ON v.id = c.sop_version_id WHERE c.id = 1")).one()
    from desktop_app.core.sop import content_hash
    from desktop_app.resources import resource_path

    shipped = resource_path("sops", "ak1.toml").read_text(encoding="utf-8")
    assert tuple(row) == ("ak1", 1, "aktif", content_hash(shipped))
    db.dispose()
