"""Shared fixtures: a fresh database per test on SQLite and on PostgreSQL, a controllable clock,
and the demo users.

Every test that takes ``db`` runs twice: once on an SQLite file and once on a real PostgreSQL
server (127.0.0.1:5432, user postgres, or ``TEST_POSTGRES_URL``). Without a reachable server the
PostgreSQL runs skip with the reason — except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop_app.core import auth  # noqa: E402
from desktop_app.core.db import Database, open_database  # noqa: E402
from desktop_app.core.demo.accounts import DEMO_ACCOUNTS, create_demo_users  # noqa: E402

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
MONDAY_MORNING = datetime(2026, 11, 30, 8, 0)


@dataclass
class FakeClock:
    """A clock tests move by hand: ``clock.advance(minutes=5)``."""

    now: datetime = field(default=MONDAY_MORNING)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now

    def set(self, when: datetime) -> None:
        self.now = when


def _pg_admin_url() -> str:
    return PG_URL


def _pg_available() -> str | None:
    """None when the server answers, else the reason it does not."""
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("postgresql://", "postgresql://", 1),
                             connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL not reachable at {PG_URL}: {exc}"


def _pg_exec(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql)


def _db_url(base: str, name: str) -> str:
    return base.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    if os.environ.get("TEST_POSTGRES") == "off":  # the Windows installer build: SQLite half
        pytest.skip("PostgreSQL half not run here (TEST_POSTGRES=off)")
    reason = _pg_available()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    name = f"t_tmpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    _pg_exec(f'CREATE DATABASE "{name}"')
    db = open_database(_db_url(PG_URL, name), clock=lambda: MONDAY_MORNING)
    create_demo_users(db)
    db.dispose()
    yield name
    _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    db = open_database(f"sqlite:///{path}", clock=lambda: MONDAY_MORNING)
    create_demo_users(db)
    db.dispose()  # closing the last connection checkpoints the WAL into the main file
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _open_sqlite(template: Path, tmp_path: Path, clock: FakeClock) -> Database:
    path = tmp_path / "kantor.sqlite"
    shutil.copy(template, path)
    return open_database(f"sqlite:///{path}", clock=clock, migrate=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Database]:
    """A fresh, migrated database with the demo users, on each backend."""
    if request.param == "sqlite":
        database = _open_sqlite(request.getfixturevalue("sqlite_template"), tmp_path, clock)
        yield database
        database.dispose()
        return
    template = request.getfixturevalue("pg_template")
    name = f"t_{uuid.uuid4().hex[:12]}"
    _pg_exec(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    database = open_database(_db_url(PG_URL, name), clock=clock, migrate=False)
    # The server's now() stands in as the FakeClock too (signing_time.server_now); a test of
    # the real server clock deletes this attribute.
    database.server_clock = clock  # type: ignore[attr-defined]
    yield database
    database.dispose()
    _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path, clock: FakeClock) -> Iterator[Database]:
    """SQLite only: for GUI tests, where the backend is not what is under test."""
    database = _open_sqlite(sqlite_template, tmp_path, clock)
    yield database
    database.dispose()


def actors_of(database: Database) -> dict[str, auth.Actor]:
    """The demo users as signed-in actors (without paying for argon2 on every test)."""
    from sqlalchemy import select

    from desktop_app.core.models import User

    with database.read() as s:
        ids = dict(s.execute(select(User.username, User.id)).all())
    return {name: auth.actor_for(database, uid) for name, uid in ids.items()}


@pytest.fixture
def actors(db: Database) -> dict[str, auth.Actor]:
    return actors_of(db)


@pytest.fixture
def demo_passwords() -> dict[str, str]:
    return {a.username: a.password for a in DEMO_ACCOUNTS}


@pytest.fixture
def pg_database(pg_template: str) -> Iterator[Callable[[], str]]:
    """``pg_database()`` creates an empty PostgreSQL database and returns its URL; every one
    made is dropped after the test."""
    made: list[str] = []

    def make() -> str:
        name = f"t_e_{uuid.uuid4().hex[:12]}"
        _pg_exec(f'CREATE DATABASE "{name}"')
        made.append(name)
        return _db_url(PG_URL, name)

    yield make
    for name in made:
        _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_password_role(pg_template: str) -> Iterator[tuple[str, str]]:
    """A login role that must give its password (``+ltk_pw_required`` in pg_hba.conf, set up
    by .ci/run): (name, password). Skips (fails under CI) where the rule is missing."""
    import psycopg

    name, password = f"t_pw_{uuid.uuid4().hex[:10]}", "benar-rahasia-1"
    _pg_exec("DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
             "'ltk_pw_required') THEN CREATE ROLE ltk_pw_required NOLOGIN; END IF; END$$")
    _pg_exec(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}' IN ROLE ltk_pw_required")
    host = PG_URL.split("@", 1)[1].rsplit("/", 1)[0]
    try:
        psycopg.connect(f"postgresql://{name}:falsch@{host}/postgres", connect_timeout=3).close()
        enforced = False
    except psycopg.OperationalError:
        enforced = True
    try:
        if not enforced:
            reason = "pg_hba.conf has no password rule for +ltk_pw_required (see .ci/run)"
            if os.environ.get("CI") == "true":
                pytest.fail(reason)
            pytest.skip(reason)
        yield name, password
    finally:
        _pg_exec(f'DROP ROLE IF EXISTS "{name}"')
