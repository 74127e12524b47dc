"""The time a signature carries: the database server's clock in office mode (issue 15).

On a one-PC office (SQLite) the PC's clock is the only clock there is. In office mode
(PostgreSQL) every PC signs with the server's ``now()``: the printed stamp, the PDF
signature time (CMS signingTime), the document's ``signed_at`` and the audit entry are the
same instant, shown in the office's zone (WIB unless the profile says otherwise). A PC whose own clock is more
than :data:`DEFAULT_TOLERANCE_MINUTES` (setting ``signing_clock_tolerance_minutes``) away
from the server's is refused: its clock is wrong, and everything else it records (drafts,
logins) would be wrong too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import text

from desktop_app.core.db import Database
from desktop_app.core.errors import AppError
from desktop_app.core.office_time import as_office_aware, to_office, zone_label

TOLERANCE_SETTING = "signing_clock_tolerance_minutes"
DEFAULT_TOLERANCE_MINUTES = 5


class ClockSkew(AppError):
    """This PC's clock differs too much from the database server's: no signing."""


def tolerance(db: Database) -> timedelta:
    from desktop_app.core.settings import get_setting

    value = get_setting(db, TOLERANCE_SETTING)
    try:
        minutes = int(value) if value is not None else DEFAULT_TOLERANCE_MINUTES
    except (TypeError, ValueError):
        minutes = DEFAULT_TOLERANCE_MINUTES
    return timedelta(minutes=max(1, minutes))


def server_now(db: Database) -> datetime | None:
    """The database server's clock as naive office-local time; None on SQLite (no server).

    Tests may set ``db.server_clock`` (a callable giving naive office-local time) to stand
    in for the server.
    """
    override = getattr(db, "server_clock", None)
    if override is not None:
        return override().replace(microsecond=0)
    if db.is_sqlite:
        return None
    with db.read() as s:
        moment = s.execute(text("SELECT now()")).scalar_one()
    return to_office(moment).replace(microsecond=0)


def _minutes(delta: timedelta) -> int:
    return round(abs(delta.total_seconds()) / 60)


def signing_now(db: Database) -> datetime:
    """The signing time (naive, office-local): the server's in office mode, after checking
    this PC's clock against it; raises :class:`ClockSkew` when they differ too much."""
    pc = db.now()
    server = server_now(db)
    if server is None:
        return pc
    diff = pc - server
    if abs(diff) > tolerance(db):
        from desktop_app.core.formatting import tanggal_jam

        direction = "lebih cepat" if diff > timedelta(0) else "lebih lambat"
        raise ClockSkew(
            f"Jam komputer ini {direction} {_minutes(diff)} menit dari jam server kantor "
            f"(server: {tanggal_jam(server)} {zone_label()}; komputer: {tanggal_jam(pc)}). "
            "Tanda tangan elektronik ditolak sampai jam komputer dibetulkan "
            f"(selisih paling banyak {_minutes(tolerance(db))} menit).")
    return server


def as_aware(moment: datetime) -> datetime:
    """A naive office-local time as an aware datetime in the office zone."""
    return as_office_aware(moment)
