"""Scale databases for the benchmarks, made once and reused (``benchmarks/.data`` for SQLite,
a database named ``bench_cases_<n>`` on the PostgreSQL server)."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / ".data"
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def pg_available() -> str | None:
    """None when the PostgreSQL server answers, else why not."""
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001
        return str(exc).splitlines()[0]


def _pg_url(name: str) -> str:
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def _fill(url: str, n: int) -> None:
    from desktop_app.core.db import open_database
    from desktop_app.core.demo.accounts import create_demo_users
    from desktop_app.core.demo.cases import seed_scale

    print(f"Membuat {n:,} berkas di {url} (sekali saja)…", flush=True)
    t = time.perf_counter()
    db = open_database(url)
    create_demo_users(db)
    seed_scale(db, n)
    db.dispose()
    print(f"  selesai dalam {time.perf_counter() - t:.0f} s", flush=True)


def scale_database(n: int, backend: str = "sqlite") -> str:
    """URL of a database holding ``n`` cases (created on first use)."""
    if backend == "sqlite":
        DATA.mkdir(parents=True, exist_ok=True)
        path = DATA / f"cases_{n}.sqlite"
        if not path.exists():
            tmp = path.with_suffix(".partial")
            for leftover in DATA.glob(tmp.name + "*"):
                leftover.unlink()
            _fill(f"sqlite:///{tmp}", n)
            conn = sqlite3.connect(tmp)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("ANALYZE")
            conn.close()
            tmp.rename(path)
        return f"sqlite:///{path}"
    import psycopg

    name = f"bench_cases_{n}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            with psycopg.connect(_pg_url(name)) as c2:
                try:
                    count = c2.execute("SELECT count(*) FROM cases").fetchone()[0]
                except psycopg.Error:
                    count = -1
            if count >= n:
                return _pg_url(name)
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    _fill(_pg_url(name), n)
    with psycopg.connect(_pg_url(name), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return _pg_url(name)


def fresh_database(backend: str, tag: str) -> str:
    """An empty, migrated database with the demo users, for write benchmarks."""
    from desktop_app.core.db import open_database
    from desktop_app.core.demo.accounts import create_demo_users

    if backend == "sqlite":
        DATA.mkdir(parents=True, exist_ok=True)
        path = DATA / f"fresh_{tag}.sqlite"
        for leftover in DATA.glob(path.name + "*"):
            leftover.unlink()
        url = f"sqlite:///{path}"
    else:
        import psycopg

        name = f"bench_fresh_{tag}"
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = _pg_url(name)
    db = open_database(url)
    create_demo_users(db)
    db.dispose()
    return url
