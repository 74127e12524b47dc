"""The office database server: "Uji koneksi" answers, and ``init-server`` with a restricted role.

``check_connection`` tells a clerk or an IT person in one Indonesian sentence what is wrong
with a database address (unknown host, closed port, wrong password, missing database, another
program's database, an older or newer schema) without creating or changing anything.

``init_server`` prepares a PostgreSQL database for the office as its owner: the schema, then a
separate application role with only the rights the program needs - SELECT/INSERT/UPDATE/DELETE
on its tables, no DDL, no TRUNCATE, no way to disable triggers (only a table's owner or a
superuser may), and no UPDATE/DELETE at all on the audit log.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, Connection, make_url

from desktop_app.core.errors import AppError

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5
# Tables every database of this program has since its first revision.
OUR_TABLES = frozenset({"users", "cases", "audit_events", "audit_head", "settings"})

# Kinds of answer (``ConnectionCheck.kind``).
OK, EMPTY, OLDER = "ok", "kosong", "lama"
HOST, PORT, TIMEOUT, PASSWORD, NO_DATABASE, REFUSED, FOREIGN, NEWER, OTHER = (
    "host", "port", "waktu", "sandi", "tanpa_db", "ditolak", "program_lain", "baru", "lain")


@dataclass(frozen=True)
class ConnectionCheck:
    """The answer to "Uji koneksi"; ``usable`` when the program can work on this database."""

    kind: str
    message: str
    revision: str | None = None
    has_users: bool = False

    @property
    def usable(self) -> bool:
        return self.kind in (OK, EMPTY, OLDER)


@dataclass(frozen=True)
class SchemaState:
    kind: str  # EMPTY, OK, OLDER, NEWER, FOREIGN
    revision: str | None
    has_users: bool


def schema_state(conn: Connection) -> SchemaState:
    """What is in the database behind ``conn``: nothing, this program's schema (which
    revision), or another program's tables."""
    from desktop_app.core.db import known_revisions

    names = set(inspect(conn).get_table_names())
    if not names:
        return SchemaState(EMPTY, None, False)
    revision = None
    if "alembic_version" in names:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if not names >= OUR_TABLES:
        return SchemaState(FOREIGN, revision, False)
    has_users = bool(conn.execute(text("SELECT 1 FROM users LIMIT 1")).first())
    heads, known = known_revisions()
    if revision in heads:
        return SchemaState(OK, revision, has_users)
    if revision in known:
        return SchemaState(OLDER, revision, has_users)
    return SchemaState(NEWER if revision else FOREIGN, revision, has_users)


def describe_failure(exc: BaseException, u: URL) -> ConnectionCheck:
    """Turn a driver error into one sentence; the driver's text goes to the log only."""
    raw = str(getattr(exc, "orig", None) or exc)
    low = raw.lower()
    host, port = u.host or "localhost", u.port or 5432
    log.info("connection check for %s failed: %s", host, raw)
    if "resolve host" in low or "translate host name" in low or "name or service" in low:
        return ConnectionCheck(HOST, f"Nama server '{host}' tidak dikenal. Periksa ejaan nama "
                                     "atau alamat IP server.")
    if "connection refused" in low:
        return ConnectionCheck(PORT, f"Server {host} tidak menerima sambungan di port {port}. "
                                     "Periksa nomor port dan apakah PostgreSQL berjalan.")
    if "timeout" in low or "timed out" in low or "no route" in low or "unreachable" in low:
        return ConnectionCheck(TIMEOUT, f"Server {host} tidak menjawab. Periksa jaringan, "
                                        "alamat server dan firewall.")
    if "password authentication failed" in low or "no password supplied" in low:
        return ConnectionCheck(PASSWORD, f"Kata sandi untuk pengguna '{u.username}' salah "
                                         "(atau belum diisi).")
    if "does not exist" in low and "database" in low:
        return ConnectionCheck(NO_DATABASE, f"Basis data '{u.database}' tidak ada di server "
                                            f"{host}. Periksa namanya atau jalankan "
                                            "'admin init-server'.")
    if "role" in low and "does not exist" in low:
        return ConnectionCheck(PASSWORD, f"Pengguna '{u.username}' tidak dikenal oleh server.")
    if "pg_hba.conf" in low:
        return ConnectionCheck(REFUSED, f"Server {host} menolak sambungan dari komputer ini "
                                        "(pg_hba.conf). Minta pengelola TI mengizinkannya.")
    if "must be owner" in low or "permission denied for schema" in low or (
            "permission denied" in low and "alembic_version" in low):
        return ConnectionCheck(REFUSED, "Skema basis data perlu ditingkatkan oleh pengelola TI: "
                                        "jalankan 'desktop-app admin init-server' dengan versi "
                                        "program ini. Tidak ada yang diubah.")
    if "permission denied" in low:
        return ConnectionCheck(REFUSED, f"Pengguna '{u.username}' tidak berhak membuka basis "
                                        f"data '{u.database}'.")
    return ConnectionCheck(OTHER, "Basis data tidak dapat dibuka. Rincian ada di berkas log.")


def check_connection(url: str) -> ConnectionCheck:
    """"Uji koneksi": connect, look at the schema, change nothing."""
    u = make_url(url)
    if u.drivername.startswith("sqlite"):
        return _check_sqlite(u)
    if u.drivername == "postgresql":
        u = u.set(drivername="postgresql+psycopg")
    engine = create_engine(u, connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
                           poolclass=_null_pool())
    try:
        with engine.connect() as conn:
            state = schema_state(conn)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a sentence
        return describe_failure(exc, u)
    finally:
        engine.dispose()
    return _state_answer(state)


def _null_pool():  # noqa: ANN202 - a pool class
    from sqlalchemy.pool import NullPool

    return NullPool


def _check_sqlite(u: URL) -> ConnectionCheck:
    from pathlib import Path

    path = Path(u.database or "")
    if not path.exists():
        return ConnectionCheck(EMPTY, f"Berkas basis data baru akan dibuat: {path}")
    with path.open("rb") as fh:
        head = fh.read(16)
    if head and head != b"SQLite format 3\x00":
        return ConnectionCheck(FOREIGN, f"Berkas {path.name} bukan basis data program ini.")
    engine = create_engine(u, poolclass=_null_pool())
    try:
        with engine.connect() as conn:
            return _state_answer(schema_state(conn))
    except Exception as exc:  # noqa: BLE001
        log.warning("sqlite check failed: %s", exc)
        return ConnectionCheck(OTHER, f"Berkas {path.name} tidak dapat dibaca.")
    finally:
        engine.dispose()


def _state_answer(state: SchemaState) -> ConnectionCheck:
    if state.kind == EMPTY:
        return ConnectionCheck(EMPTY, "Koneksi berhasil. Basis data masih kosong: tabel program "
                                      "akan dibuat.")
    if state.kind == FOREIGN:
        return ConnectionCheck(FOREIGN, "Basis data ini berisi tabel program lain. Pilih basis "
                                        "data kosong atau basis data program ini.",
                               state.revision)
    if state.kind == NEWER:
        return ConnectionCheck(NEWER, "Basis data ini dibuat oleh versi program yang lebih baru "
                                      f"(revisi {state.revision}). Pasang versi program terbaru.",
                               state.revision, state.has_users)
    if state.kind == OLDER:
        return ConnectionCheck(OLDER, "Koneksi berhasil. Skema basis data versi lama (revisi "
                                      f"{state.revision}); program akan meningkatkannya.",
                               state.revision, state.has_users)
    users = "sudah ada pengguna" if state.has_users else "belum ada pengguna"
    return ConnectionCheck(OK, f"Koneksi berhasil: basis data program ini ({users}).",
                           state.revision, state.has_users)


# ------------------------------------------------------------------------------ init-server


@dataclass(frozen=True)
class InitReport:
    schema: str  # what happened to the schema, in Indonesian
    app_user: str
    app_password: str | None  # set only when this run chose or changed it
    app_url: str  # what the PCs use (without the password)


def _ident(name: str) -> str:
    if not name or not name.replace("_", "").isalnum() or not name[0].isalpha() or \
            len(name) > 63:
        raise AppError(f"Nama peran '{name}' tidak valid (huruf, angka, garis bawah).")
    return f'"{name}"'


def _ensure_database(u: URL) -> bool:
    """Create the database named in ``u`` when the owner may and it is missing."""
    import psycopg

    params = dict(host=u.host or "localhost", port=u.port or 5432, user=u.username,
                  password=u.password, connect_timeout=CONNECT_TIMEOUT_S,
                  **{k: v for k, v in u.query.items() if isinstance(v, str)})
    try:
        psycopg.connect(dbname=u.database, **params).close()
        return False
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise AppError(describe_failure(exc, u).message) from None
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'CREATE DATABASE "{u.database}"')  # name came from the owner's own URL
    return True


def init_server(owner_url: str, *, app_user: str = "ltk_app",
                app_password: str | None = None) -> InitReport:
    """Create or upgrade the schema as the owner, then create (or fix the rights of) the
    application role. Safe to run again after every program upgrade."""
    from desktop_app.core.db import open_database, upgrade_database

    u = make_url(owner_url)
    if not u.drivername.startswith("postgresql"):
        raise AppError("init-server hanya untuk PostgreSQL (postgresql://pemilik@server/db).")
    if app_user == u.username:
        raise AppError("Peran aplikasi harus berbeda dari pemilik basis data.")
    role = _ident(app_user)
    created_db = _ensure_database(u)
    db = open_database(owner_url, migrate=False)
    try:
        schema = upgrade_database(db)
        if created_db:
            schema = f"Basis data '{u.database}' dibuat. {schema}"
        with db.write_engine.begin() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                                  {"r": app_user}).first()
            chosen = app_password
            if not exists and not chosen:
                chosen = secrets.token_urlsafe(18)
            if not exists:
                conn.execute(text(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB "
                                  "NOCREATEROLE NOREPLICATION NOBYPASSRLS"))
            if chosen:
                # PASSWORD takes no bind parameter; quote the literal the server's way.
                literal = conn.execute(text("SELECT quote_literal(:p)"), {"p": chosen}).scalar()
                conn.execute(text(f"ALTER ROLE {role} WITH LOGIN PASSWORD {literal}"))
            _grant(conn, role, u.database or "")
    finally:
        db.dispose()
    app_url = u._replace(username=app_user, password=None).render_as_string(hide_password=False)
    return InitReport(schema, app_user, chosen, app_url)


def _grant(conn: Connection, role: str, database: str) -> None:
    owner = conn.execute(text("SELECT current_user")).scalar()
    dbname = f'"{database}"'
    statements = [
        # Nobody but the owner creates objects in the program's schema.
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"REVOKE TEMPORARY ON DATABASE {dbname} FROM PUBLIC",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"GRANT CONNECT ON DATABASE {dbname} TO {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        # The audit log is append-only for the program (the triggers say so too), and the
        # schema revision is the owner's business.
        f"REVOKE UPDATE, DELETE ON audit_events FROM {role}",
        f"REVOKE DELETE ON audit_head FROM {role}",
        f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {role}",
        # Tables and sequences a later migration creates get the same rights.
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA public '
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA public '
        f"GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]
    for sql in statements:
        conn.execute(text(sql))
