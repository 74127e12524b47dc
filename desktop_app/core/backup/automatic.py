"""Automatic daily backups of a one-PC (SQLite) office, with rotation: 7 daily, 4 weekly.

Once a day the program checks its file (``PRAGMA quick_check``) and, when it is sound, writes a
backup file next to it (``cadangan/otomatis/<file>-YYYY-MM-DD.ltkbak``). A damaged file is not
backed up - that would rotate the last good backups away - and the administrator is told.
PostgreSQL servers are backed up by IT on the server (docs/server.md).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from desktop_app.core.backup.archive import SUFFIX, BackupReport, sqlite_quick_check, write_backup

DAILY, WEEKLY = 7, 4
_NAME = re.compile(r"-(\d{4})-(\d{2})-(\d{2})" + re.escape(SUFFIX) + "$")


def backup_dir(db: Any) -> Path | None:
    """Where the automatic backups of this database live (None for PostgreSQL)."""
    if not db.is_sqlite:
        return None
    path = Path(make_url(db.url).database or "")
    return path.parent / "cadangan" / "otomatis"


def _dated(folder: Path) -> dict[date, Path]:
    found: dict[date, Path] = {}
    if not folder.is_dir():
        return found
    for path in folder.glob(f"*{SUFFIX}"):
        m = _NAME.search(path.name)
        if m:
            with contextlib.suppress(ValueError):
                found[date(int(m[1]), int(m[2]), int(m[3]))] = path
    return found


def keep(dates: list[date]) -> set[date]:
    """The backups rotation keeps: the 7 newest days, and the newest backup of each of the 4
    most recent weeks before those."""
    ordered = sorted(set(dates), reverse=True)
    kept = set(ordered[:DAILY])
    weeks: dict[tuple[int, int], date] = {}
    for d in ordered[DAILY:]:
        weeks.setdefault(d.isocalendar()[:2], d)  # newest first, so the week's newest
    kept.update(sorted(weeks.values(), reverse=True)[:WEEKLY])
    return kept


@dataclass(frozen=True)
class AutoBackup:
    """What the daily backup did: wrote ``report``, found it already done, or found damage."""

    report: BackupReport | None = None
    problem: str | None = None
    removed: tuple[Path, ...] = ()

    @property
    def done_today(self) -> bool:
        return self.problem is None


def last_backup(db: Any) -> datetime | None:
    """When the newest automatic backup was written (None: never)."""
    folder = backup_dir(db)
    if folder is None:
        return None
    files = list(_dated(folder).values())
    if not files:
        return None
    newest = max(files, key=lambda p: p.stat().st_mtime)
    return datetime.fromtimestamp(newest.stat().st_mtime).replace(microsecond=0)


def run_daily_backup(db: Any) -> AutoBackup | None:
    """Back up today's state once a day; None when not due (PostgreSQL, or done today)."""
    folder = backup_dir(db)
    if folder is None:
        return None
    today = db.now().date()
    existing = _dated(folder)
    if today in existing:
        return None
    with db.engine.connect() as conn:
        problem = sqlite_quick_check(conn)
    if problem:
        return AutoBackup(problem=(
            "Pemeriksaan berkas basis data menemukan kerusakan; cadangan otomatis hari ini "
            "tidak dibuat agar cadangan yang baik tidak terhapus. Hubungi pengelola TI. "
            f"(PRAGMA quick_check: {problem[:200]})"))
    stem = Path(make_url(db.url).database or "basisdata").stem
    report = write_backup(db, folder / f"{stem}-{today.isoformat()}{SUFFIX}")
    existing[today] = report.path
    kept = keep(list(existing))
    removed = []
    for day, path in existing.items():
        if day not in kept:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    for stale in folder.glob(".*.tmp"):  # a backup cut short by a power cut
        with contextlib.suppress(OSError):
            stale.unlink()
    return AutoBackup(report=report, removed=tuple(removed))
