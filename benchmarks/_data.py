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


def copy_sqlite_to_pg(sqlite_path: Path, name: str) -> str:
    """Create PostgreSQL database ``name`` holding exactly the rows of the SQLite file, loaded
    with COPY (psycopg's ``copy``): the schema by the migrations, secondary indexes dropped
    during the load and built after, foreign-key and audit triggers off for the loading
    session only (``session_replication_role = replica``; the rows are the SQLite file's,
    already consistent). Minutes where the ORM path took about an hour at 1,000,000 cases.
    Returns the database's URL."""
    import psycopg

    from desktop_app.core.db import open_database
    from desktop_app.core.models import Base

    t0 = time.perf_counter()
    print(f"Menyalin {sqlite_path.name} ke PostgreSQL {name} (COPY)…", flush=True)
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = _pg_url(name)
    open_database(url).dispose()  # the schema, at the program's head
    tables = [t for t in Base.metadata.sorted_tables]
    src = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    with psycopg.connect(url) as pg:
        pg.execute("SET session_replication_role = replica")
        # SQLite holds times as UTC text (office_time.UtcDateTime): read them as UTC.
        pg.execute("SET TIME ZONE 'UTC'")
        indexes = pg.execute(
            "SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = 'public' AND NOT "
            "EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)").fetchall()
        for index, _ in indexes:
            pg.execute(f'DROP INDEX "{index}"')
        for table in reversed(tables):
            pg.execute(f'DELETE FROM "{table.name}"')
        for table in tables:
            cols = [c.name for c in table.columns]
            have = {r[1] for r in src.execute(f'PRAGMA table_info("{table.name}")')}
            cols = [c for c in cols if c in have]
            names = ", ".join(f'"{c}"' for c in cols)
            rows = src.execute(f'SELECT {names} FROM "{table.name}"')
            count = 0
            with pg.cursor().copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                while batch := rows.fetchmany(5000):
                    for row in batch:
                        copy.write_row(row)
                    count += len(batch)
            if count:
                print(f"  {table.name}: {count:,} baris", flush=True)
            if "id" in cols and table.c.id.primary_key and table.c.id.autoincrement:
                pg.execute(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                           f'GREATEST((SELECT max(id) FROM "{table.name}"), 1))')
        pg.commit()
        print("  membangun indeks…", flush=True)
        for _, definition in indexes:
            pg.execute(definition)
        pg.commit()
    src.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"  selesai dalam {time.perf_counter() - t0:.0f} s", flush=True)
    return url


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
    # The rows are made once in SQLite and copied (the ORM's inserts took about an hour on
    # PostgreSQL at 1,000,000 cases); both backends then hold the same cases.
    sqlite_url = scale_database(n, "sqlite")
    return copy_sqlite_to_pg(Path(sqlite_url.removeprefix("sqlite:///")), name)


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
