"""Backup and restore without external tools: one checksummed file per backup (``archive``),
restore into an empty database on either backend (``restore``), daily SQLite backups with
rotation (``automatic``)."""

from desktop_app.core.backup.archive import (
    SUFFIX,
    BackupError,
    BackupReport,
    Manifest,
    verify_archive,
    write_backup,
)
from desktop_app.core.backup.automatic import last_backup, run_daily_backup
from desktop_app.core.backup.restore import RestoreReport, restore_backup

__all__ = ["SUFFIX", "BackupError", "BackupReport", "Manifest", "RestoreReport", "last_backup",
           "restore_backup", "run_daily_backup", "verify_archive", "write_backup"]
