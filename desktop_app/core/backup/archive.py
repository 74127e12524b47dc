"""The backup file: every table, the schema revision and checksums, in one ZIP file.

Written by the program itself from any PC (no ``pg_dump``), read back the same way on SQLite or
PostgreSQL, so a backup of one backend restores into the other.

Layout::

    cadangan.ltkbak (ZIP)
      tables/<table>.jsonl   first line: column names and types; then one JSON array per row
      manifest.json          format, program version, schema revision, time, source backend,
                             per table: rows and the SHA-256 of its member (written last)

Values are typed by the column: bytes as base64, dates and times as ISO text, JSON columns as
JSON. The whole database is read inside one snapshot (REPEATABLE READ on PostgreSQL, one read
transaction on SQLite), so the file is consistent while ten PCs keep working.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, MetaData, Table, select, text
from sqlalchemy import types as sqltypes

from desktop_app.core.errors import AppError

FORMAT = "layanan-tenaga-kerja-cadangan"
FORMAT_VERSION = 1
SUFFIX = ".ltkbak"
MANIFEST = "manifest.json"
FETCH_ROWS = 2000
DISK_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}

Progress = Callable[[str], None]


class BackupError(AppError):
    """A backup could not be written, or a backup file is unusable (nothing was changed)."""


def column_kind(column_type: sqltypes.TypeEngine) -> str:
    """How a column's values are written: bytes, datetime, date, json, bool or plain."""
    if isinstance(column_type, sqltypes._Binary):
        return "bytes"
    if isinstance(column_type, sqltypes.DateTime):
        return "datetime"
    if isinstance(column_type, sqltypes.Date):
        return "date"
    if isinstance(column_type, sqltypes.JSON):
        return "json"
    if isinstance(column_type, sqltypes.Boolean):
        return "bool"
    return "plain"


def _encoder(kind: str) -> Callable[[Any], Any]:
    if kind == "bytes":
        return lambda v: None if v is None else base64.b64encode(bytes(v)).decode("ascii")
    if kind in ("datetime", "date"):
        return lambda v: None if v is None else v.isoformat()
    if kind == "bool":
        return lambda v: None if v is None else bool(v)
    return lambda v: v


def decoder(kind: str) -> Callable[[Any], Any]:
    if kind == "bytes":
        return lambda v: None if v is None else base64.b64decode(v)
    if kind == "datetime":
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if kind == "date":
        return lambda v: None if v is None else date.fromisoformat(v)
    return lambda v: v


def program_tables(conn: Connection) -> list[Table]:
    """The database's own tables in foreign-key order (reflected, so any schema revision)."""
    meta = MetaData()
    meta.reflect(conn)
    return [t for t in meta.sorted_tables if t.name != "alembic_version"]


@contextlib.contextmanager
def snapshot(db: Any) -> Iterator[Connection]:
    """One consistent, read-only view of the whole database."""
    with db.engine.connect() as conn:
        # SQLite (WAL): every read below runs in the one transaction the first one begins.
        if not db.is_sqlite:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        try:
            yield conn
        finally:
            conn.rollback()


def _disk_message(target: Path) -> str:
    return (f"Ruang disk tidak cukup untuk menulis cadangan ke {target.parent}. Kosongkan "
            "ruang atau pilih tempat lain; tidak ada berkas cadangan yang ditulis.")


@dataclass(frozen=True)
class BackupReport:
    path: Path
    revision: str
    tables: dict[str, int]  # rows per table
    size: int

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def _write_table(zf: zipfile.ZipFile, conn: Connection, table: Table) -> tuple[int, str]:
    columns = list(table.columns)
    kinds = [column_kind(c.type) for c in columns]
    encoders = [_encoder(k) for k in kinds]
    order = list(table.primary_key.columns) or columns
    digest = hashlib.sha256()
    rows = 0
    with zf.open(f"tables/{table.name}.jsonl", "w", force_zip64=True) as member:
        def put(line: str) -> None:
            data = line.encode("utf-8") + b"\n"
            digest.update(data)
            member.write(data)

        put(json.dumps({"columns": [c.name for c in columns], "kinds": kinds},
                       ensure_ascii=False))
        result = conn.execution_options(stream_results=True, yield_per=FETCH_ROWS).execute(
            select(*columns).order_by(*order))
        for row in result:
            put(json.dumps([enc(v) for enc, v in zip(encoders, row, strict=True)],
                           ensure_ascii=False, separators=(",", ":"), default=str))
            rows += 1
    return rows, digest.hexdigest()


def write_backup(db: Any, target: Path, progress: Progress | None = None) -> BackupReport:
    """Write the whole database to ``target`` (a ``.ltkbak`` file, or a folder for a dated one).

    The file appears under its name only when complete: it is written beside the target under
    a temporary name, flushed to disk, then renamed. A full disk leaves nothing behind.
    """
    from desktop_app import __version__
    from desktop_app.core.db import current_revision

    target = Path(target)
    if target.is_dir() or not target.suffix:  # a folder: a dated name inside it
        target = target / f"cadangan-{db.clock():%Y%m%d-%H%M%S}{SUFFIX}"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    revision = current_revision(db) or ""
    counts: dict[str, int] = {}
    entries = []
    try:
        with open(tmp, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED,
                                                      compresslevel=1) as zf:
            with snapshot(db) as conn:
                for table in program_tables(conn):
                    if progress:
                        progress(f"Mencadangkan tabel {table.name}…")
                    rows, sha = _write_table(zf, conn, table)
                    counts[table.name] = rows
                    entries.append({"name": table.name, "rows": rows, "sha256": sha})
            manifest = {"format": FORMAT, "format_version": FORMAT_VERSION,
                        "program_version": __version__, "revision": revision,
                        "created_at": db.now().isoformat(),
                        "source": "sqlite" if db.is_sqlite else "postgresql",
                        "tables": entries}
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            zf.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if exc.errno in DISK_FULL:
            raise BackupError(_disk_message(target)) from None
        raise BackupError(f"Cadangan tidak dapat ditulis ke {target}: "
                          f"{exc.strerror or 'kesalahan berkas'}.") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    from desktop_app.core.audit import write_checkpoint

    with contextlib.suppress(OSError):  # the backup itself is written; the anchor is extra
        write_checkpoint(db, target.parent)
    return BackupReport(target, revision, counts, target.stat().st_size)


# ------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class TableEntry:
    name: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    revision: str
    created_at: str
    source: str
    program_version: str
    tables: tuple[TableEntry, ...]


def _bad(path: Path, why: str) -> BackupError:
    return BackupError(f"Berkas cadangan {path.name} tidak dapat dipakai: {why} "
                       "Tidak ada yang diubah.")


def open_archive(path: Path) -> tuple[zipfile.ZipFile, Manifest]:
    """Open a backup file and read its manifest (checks format, not yet the contents)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Berkas cadangan {path} tidak ditemukan.")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise _bad(path, "berkas terpotong atau bukan berkas cadangan program ini.") from None
    try:
        raw = json.loads(zf.read(MANIFEST))
        if raw.get("format") != FORMAT:
            raise ValueError("format")
        if int(raw.get("format_version", 0)) > FORMAT_VERSION:
            zf.close()
            raise BackupError(f"Berkas cadangan {path.name} dibuat oleh versi program yang "
                              "lebih baru. Pasang versi program terbaru untuk memulihkannya.")
        manifest = Manifest(str(raw["revision"]), str(raw["created_at"]), str(raw["source"]),
                            str(raw.get("program_version", "")),
                            tuple(TableEntry(t["name"], int(t["rows"]), t["sha256"])
                                  for t in raw["tables"]))
    except BackupError:
        raise
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile, OSError, EOFError,
            zipfile.LargeZipFile):
        zf.close()
        raise _bad(path, "daftar isinya rusak atau hilang.") from None
    return zf, manifest


def read_rows(zf: zipfile.ZipFile, entry: TableEntry) -> Iterator[tuple[list[str], list]]:
    """(columns, decoded row) of one table, checking the SHA-256 and the row count as it goes;
    raises :class:`BackupError` at the end of a member that does not match."""
    digest = hashlib.sha256()
    rows = 0
    try:
        with zf.open(f"tables/{entry.name}.jsonl") as member:
            header_line = member.readline()
            digest.update(header_line)
            header = json.loads(header_line)
            columns, decoders = header["columns"], [decoder(k) for k in header["kinds"]]
            for line in member:
                digest.update(line)
                values = json.loads(line)
                rows += 1
                yield columns, [dec(v) for dec, v in zip(decoders, values, strict=True)]
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise BackupError(f"Tabel {entry.name} dalam berkas cadangan rusak ({type(exc).__name__})."
                          " Tidak ada yang diubah.") from None
    if digest.hexdigest() != entry.sha256 or rows != entry.rows:
        raise BackupError(f"Tabel {entry.name} dalam berkas cadangan tidak cocok dengan "
                          "checksum-nya (berkas diubah atau rusak). Tidak ada yang diubah.")


def _check_member(zf: zipfile.ZipFile, entry: TableEntry) -> None:
    """SHA-256 and row count of one table's bytes (no JSON parsing: a full check of 100,000
    cases takes about a second)."""
    digest = hashlib.sha256()
    lines = 0
    try:
        with zf.open(f"tables/{entry.name}.jsonl") as member:
            while chunk := member.read(1 << 20):
                digest.update(chunk)
                lines += chunk.count(b"\n")
    except (KeyError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise BackupError(f"Tabel {entry.name} dalam berkas cadangan rusak ({type(exc).__name__})."
                          " Tidak ada yang diubah.") from None
    if digest.hexdigest() != entry.sha256 or lines - 1 != entry.rows:
        raise BackupError(f"Tabel {entry.name} dalam berkas cadangan tidak cocok dengan "
                          "checksum-nya (berkas diubah atau rusak). Tidak ada yang diubah.")


def verify_archive(path: Path, progress: Progress | None = None) -> Manifest:
    """Read the whole file and check every table against its checksum and row count."""
    zf, manifest = open_archive(path)
    with zf:
        for entry in manifest.tables:
            if progress:
                progress(f"Memeriksa tabel {entry.name}…")
            _check_member(zf, entry)
    return manifest


def sqlite_quick_check(conn: Connection) -> str | None:
    """``PRAGMA quick_check``: None when the file is sound, else the first problem."""
    rows = [r[0] for r in conn.execute(text("PRAGMA quick_check")).all()]
    return None if rows == ["ok"] else "; ".join(rows[:3])
