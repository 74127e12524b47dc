"""Open the office database (SQLite file or PostgreSQL server), migrate it, and hand out sessions.

* Default: one SQLite file in the user's data folder, in WAL mode with foreign keys and a busy
  timeout. Writing transactions start with ``BEGIN IMMEDIATE`` so two writers queue instead of
  failing half-way when both try to upgrade a read lock.
* Shared: a PostgreSQL server by URL (psycopg 3) for an office of many PCs.
* Alembic migrations ship inside the package and run at start-up: a new database is created
  and stamped; an older one is backed up (SQLite) and upgraded in one transaction; a newer one
  is refused.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from desktop_app.core.errors import AppError, DatabaseTooNew

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def default_database_path() -> Path:
    """The SQLite file in the user's data folder (``platformdirs``)."""
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("LayananTenagaKerja", "PagarAlam"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "layanan_tenaga_kerja.sqlite"


def default_database_url() -> str:
    return f"sqlite:///{default_database_path()}"


def network_share_warning(url: str) -> str | None:
    """A warning when an SQLite file lies on a network share, where its locking is unreliable."""
    u = make_url(url)
    if not u.drivername.startswith("sqlite") or not u.database:
        return None
    path = u.database
    looks_remote = path.startswith(("\\\\", "//")) or path.startswith("/mnt/") and ":" in path
    if not looks_remote:
        try:
            import os

            if os.name == "nt":
                import ctypes

                drive = Path(path).resolve().drive + "\\"
                looks_remote = ctypes.windll.kernel32.GetDriveTypeW(drive) == 4  # DRIVE_REMOTE
            else:
                # Linux: look the mount up in /proc/mounts.
                mounts = Path("/proc/mounts").read_text().splitlines()
                target = str(Path(path).resolve())
                best = ""
                fstype = ""
                for line in mounts:
                    parts = line.split()
                    if len(parts) > 2 and target.startswith(parts[1]) and len(parts[1]) > len(best):
                        best, fstype = parts[1], parts[2]
                looks_remote = fstype in {"cifs", "smb3", "smbfs", "nfs", "nfs4", "9p"}
        except Exception:  # noqa: BLE001 - a warning must never stop the program
            looks_remote = False
    if looks_remote:
        return ("Basis data SQLite berada di folder jaringan. Penguncian SQLite tidak andal di "
                "folder bersama: dua PC dapat merusak data. Gunakan server PostgreSQL untuk kantor "
                "dengan banyak PC.")
    return None


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, decide when transactions start.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _make_engine(url: URL, *, immediate: bool, echo: bool = False) -> Engine:
    if url.drivername.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)

        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        event.listen(engine, "begin", _begin)
        return engine
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=5)


@dataclass
class Database:
    """The open database: engines, session factories and the clock every service uses."""

    url: str
    engine: Engine
    write_engine: Engine
    clock: Callable[[], datetime]

    def __post_init__(self) -> None:
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(self.write_engine, expire_on_commit=False)
        self.cache: dict[str, Any] = {}

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def display_name(self) -> str:
        u = make_url(self.url)
        if self.is_sqlite:
            return f"Berkas lokal: {u.database}"
        return f"Server: {u.host}:{u.port or 5432}/{u.database}"

    def now(self) -> datetime:
        return self.clock().replace(microsecond=0)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; nothing it does is committed."""
        try:
            with self._read_sessions() as session:
                yield session
        except DBAPIError as exc:
            mapped = self._unavailable(exc)
            if mapped is exc:
                raise
            raise mapped from exc

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on any error."""
        try:
            with self._write_sessions() as session, session.begin():
                yield session
        except DBAPIError as exc:
            mapped = self._unavailable(exc)
            if mapped is exc:
                raise
            raise mapped from exc

    def _unavailable(self, exc: DBAPIError) -> Exception:
        """A lost or refused connection as :class:`DatabaseUnavailable` (driver text to the
        log); any other database error unchanged."""
        from sqlalchemy.exc import InterfaceError, OperationalError

        from desktop_app.core.errors import DatabaseUnavailable

        if self.is_sqlite and not exc.connection_invalidated:
            return exc
        state = getattr(exc.orig, "sqlstate", None)
        lost = exc.connection_invalidated or (
            isinstance(exc, (OperationalError, InterfaceError))
            and (state is None or str(state).startswith(("08", "57P"))))
        if not lost:
            return exc
        log.warning("database unreachable: %s", exc.orig or exc)
        u = make_url(self.url)
        return DatabaseUnavailable(f"{u.host}:{u.port or 5432}" if u.host else "")

    def dispose(self) -> None:
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()


# --------------------------------------------------------------- lock order and retries
#
# One lock order for every writing transaction (issue 11): the rows of the cases it changes,
# in ascending id (``lock_cases``), then documents and counters, and the audit head last
# (``audit.record`` is called at the end). Whatever still loses a race on PostgreSQL -
# a serialization failure or a detected deadlock - is retried whole by ``retry_on_conflict``.

RETRIES = 4
_RETRY_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected

BUSY_MESSAGE = ("Basis data sedang sibuk melayani PC lain dan pekerjaan ini tidak dapat "
                "disimpan. Tidak ada yang berubah; silakan ulangi.")


def is_retryable(exc: BaseException) -> bool:
    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, DBAPIError):
        return False
    return getattr(exc.orig, "sqlstate", None) in _RETRY_SQLSTATES


def retry_on_conflict(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run a service again (at most ``RETRIES`` times, with a short random pause) when
    PostgreSQL ended its transaction with a serialization failure or a deadlock; nothing of a
    failed attempt was written. After the last attempt the user reads ``BUSY_MESSAGE``."""
    import functools
    import random
    import time

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for attempt in range(RETRIES):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:
                if not is_retryable(exc):
                    raise
                log.info("retrying %s after %s (attempt %d)", fn.__name__,
                         getattr(getattr(exc, "orig", None), "sqlstate", "?"), attempt + 1)
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))  # noqa: S311
        from desktop_app.core.errors import AppError

        raise AppError(BUSY_MESSAGE)

    return wrapper


def lock_cases(session: Session, case_ids: Any) -> None:
    """Lock the cases' rows in ascending id (PostgreSQL; SQLite's writers are serialised by
    ``BEGIN IMMEDIATE``). The first thing a transaction that changes cases does."""
    ids = sorted({int(i) for i in case_ids})
    if not ids or session.get_bind().dialect.name == "sqlite":
        return
    from sqlalchemy import text

    session.execute(text("SELECT id FROM cases WHERE id = ANY(:ids) ORDER BY id FOR UPDATE")
                    .bindparams(ids=ids))


class DatabaseDamaged(AppError):
    """The SQLite file failed ``PRAGMA quick_check``."""


def _newest_backup_near(path: Path) -> Path | None:
    folder = path.parent / "cadangan"
    if not folder.is_dir():
        return None
    files = [p for p in folder.rglob("*") if p.is_file() and p.suffix in (".ltkbak", ".sqlite")]
    return max(files, key=lambda p: p.stat().st_mtime) if files else None


def check_sqlite_file(path: Path) -> None:
    """``PRAGMA quick_check`` on an SQLite file (read-only); raises :class:`DatabaseDamaged`
    with a message that points to the newest backup beside it. Run at start-up and before a
    backup: a damaged file would otherwise accept logins and writes and fail on reading."""
    import sqlite3

    if not path.is_file() or path.stat().st_size == 0:
        return
    problem = ""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
        if [r[0] for r in rows] != ["ok"]:
            problem = str(rows[0][0])[:200]
    except sqlite3.DatabaseError as exc:
        problem = str(exc)[:200]
    if not problem:
        return
    log.error("SQLite quick_check failed on %s: %s", path, problem)
    newest = _newest_backup_near(path)
    where = (f"Cadangan terakhir: {newest}. Pulihkan dengan 'desktop-app admin restore "
             f"{newest}' ke berkas baru." if newest else
             "Tidak ditemukan cadangan di folder 'cadangan' di sebelahnya; hubungi "
             "administrator.")
    raise DatabaseDamaged(f"Berkas basis data {path} rusak (pemeriksaan SQLite gagal) dan "
                          f"tidak dibuka agar kerusakan tidak bertambah. {where}")


def open_existing(url: str, *, clock: Callable[[], datetime] | None = None) -> Database:
    """Open a database for a read-only command (``verify-audit``, ``verify``): never create a
    file or a folder, never migrate; a missing file or a database of another program is an
    error."""
    u = make_url(url)
    if u.drivername.startswith("sqlite"):
        path = Path(u.database or "")
        if not u.database or u.database == ":memory:" or not path.is_file():
            raise AppError(f"Berkas basis data {u.database or '(kosong)'} tidak ditemukan. "
                           "Periksa jalurnya; tidak ada yang dibuat.")
        check_sqlite_file(path)
    db = open_database(url, clock=clock, migrate=False)
    from sqlalchemy.exc import DBAPIError

    try:
        with db.engine.connect() as conn:
            has_version = "alembic_version" in inspect(conn).get_table_names()
    except DBAPIError:
        db.dispose()
        raise
    if not has_version:
        db.dispose()
        raise AppError("Basis data ini bukan basis data program Layanan Tenaga Kerja (tabel "
                       "versi tidak ada). Tidak ada yang diubah.")
    return db


def open_database(url: str | None = None, *, clock: Callable[[], datetime] | None = None,
                  migrate: bool = True, echo: bool = False) -> Database:
    """Open (and by default create or upgrade) the database at ``url``.

    ``clock`` defaults to the office clock (:func:`office_time.office_now`, WIB whatever the
    PC's zone); every stored and printed time comes from it. An existing SQLite file is
    checked first (``PRAGMA quick_check``) when it is migrated (the program's start); a
    damaged one is refused with :class:`DatabaseDamaged`."""
    if clock is None:
        from desktop_app.core.office_time import office_now

        clock = office_now
    url = url or default_database_url()
    u = make_url(url)
    if migrate and u.drivername.startswith("sqlite") and u.database \
            and u.database != ":memory:":
        check_sqlite_file(Path(u.database))
    if u.drivername.startswith("sqlite") and u.database and u.database != ":memory:":
        Path(u.database).parent.mkdir(parents=True, exist_ok=True)
    engine = _make_engine(u, immediate=False, echo=echo)
    write_engine = _make_engine(u, immediate=True, echo=echo) if u.drivername.startswith(
        "sqlite") else engine
    db = Database(url=url, engine=engine, write_engine=write_engine, clock=clock)
    if migrate:
        upgrade_database(db)
        from desktop_app.core.sop_versions import sync_program_versions

        for line in sync_program_versions(db):
            log.info(line)
    apply_office_zone(db)
    return db


def apply_office_zone(db: Database) -> str:
    """Make the office profile's ``zona_waktu`` the program's zone (Asia/Jakarta until one is
    saved, or on a database without the settings table yet); returns the zone in use."""
    from sqlalchemy import select

    from desktop_app.core.models import Setting
    from desktop_app.core.office_time import set_office_zone

    try:
        with db.read() as s:
            value = s.scalar(select(Setting.value).where(Setting.key == "office_profile"))
    except Exception:  # noqa: BLE001 - no settings table yet (created or restored later)
        log.info("office zone not read; using the default", exc_info=True)
        value = None
    zone = value.get("zona_waktu") if isinstance(value, dict) else None
    return set_office_zone(zone)


# ---------------------------------------------------------------------------- migrations


def _alembic_config(db: Database) -> Any:
    from alembic.config import Config

    cfg = Config()  # built in code so Alembic does not reset the program's logging
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    cfg = _alembic_config_for_scripts()
    return ScriptDirectory.from_config(cfg).get_current_head() or ""


def known_revisions() -> tuple[frozenset[str], frozenset[str]]:
    """(heads, every revision) of the migrations this program ships."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config_for_scripts())
    return (frozenset(script.get_heads()),
            frozenset(rev.revision for rev in script.walk_revisions()))


def _alembic_config_for_scripts() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.write_engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _heads_from_files() -> frozenset[str]:
    """The head revisions, read from the migration files' ``revision``/``down_revision`` lines
    (without importing Alembic, which costs a third of a second at every start)."""
    import re

    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        rev = re.search(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", text, re.MULTILINE)
        down = re.search(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", text, re.MULTILINE)
        if rev:
            revisions.add(rev.group(1))
        if down:
            parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    return frozenset(revisions - parents)


def _is_at_head(db: Database) -> bool:
    """The start-up fast path: the stored revision is this program's single head."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    heads = _heads_from_files()
    try:
        with db.engine.connect() as conn:
            stored = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    except DBAPIError:  # no such table yet: a new database
        return False
    return bool(stored) and stored == set(heads)


def upgrade_database(db: Database, *, backup_dir: Path | None = None) -> str:
    """Bring the database to the program's schema; returns what was done, in Indonesian."""
    if _is_at_head(db):
        return "Basis data sudah terbaru."
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(db)
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    with db.write_engine.connect() as conn:
        has_tables = bool(inspect(conn).get_table_names())
    current = current_revision(db) if has_tables else None

    if current is None and not has_tables:
        with db.write_engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        return "Basis data baru dibuat."
    if current == head:
        return "Basis data sudah terbaru."
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise DatabaseTooNew(
            "Basis data ini dibuat oleh versi program yang lebih baru "
            f"(revisi {current}). Pasang versi program terbaru sebelum membukanya."
        )
    backup = None
    if db.is_sqlite:
        backup = backup_sqlite(db, backup_dir, suffix=f"sebelum-{head}")
    with db.write_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    refresh_statistics(db)
    msg = f"Basis data ditingkatkan dari revisi {current} ke {head}."
    if backup:
        msg += f" Cadangan: {backup}"
    log.info(msg)
    return msg


def refresh_statistics(db: Database) -> None:
    """After an upgrade: the planner's statistics and, on PostgreSQL, the visibility map
    (``VACUUM ANALYZE``). A migration that rewrites a table (0011's ALTER COLUMN … TYPE)
    leaves it without one, and until autovacuum came by, counts that an index alone used to
    answer read the whole table (the register's first page at 1,000,000 cases: 20 → 160 ms).
    A failure is logged and ignored: it costs speed, never data."""
    try:
        if db.is_sqlite:
            with db.write_engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
            return
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM (ANALYZE)")
    except DBAPIError:
        log.warning("statistics not refreshed after the upgrade", exc_info=True)


def backup_sqlite(db: Database, target_dir: Path | None = None, suffix: str = "") -> Path:
    """Copy the SQLite file consistently (online backup API) and return the copy's path."""
    import sqlite3

    source = Path(make_url(db.url).database or "")
    target_dir = target_dir or source.parent / "cadangan"
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = db.clock().strftime("%Y%m%d-%H%M%S")
    name = f"{source.stem}-{stamp}{'-' + suffix if suffix else ''}.sqlite"
    target = target_dir / name
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target
