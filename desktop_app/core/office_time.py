"""Office time: every time the program prints or stores is the office's clock, whatever zone
the PC is set to.

In memory the program works in naive office-local time (what a clerk reads on the wall
clock); the database stores every moment timezone-aware in UTC (:class:`UtcDateTime`:
``timestamptz`` on PostgreSQL, UTC text on SQLite), so a record means the same instant
whichever zone the office or a PC is in. This module is the one place that converts between
the three: the PC's clock, an aware moment (a signature's UTC time, the server's ``now()``)
and office time.

The office's zone is the office profile's ``zona_waktu`` (default Asia/Jakarta, WIB; the
administrator may choose WITA or WIT), applied when the database is opened
(:func:`set_office_zone`). Without the IANA database (Windows without ``tzdata``) the
Indonesian zones fall back to their fixed offsets, which have no daylight saving.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import cache
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

__all__ = ["DEFAULT_ZONE", "ZONE_CHOICES", "ZONE_LABELS", "UtcDateTime", "as_office_aware",
           "current_zone", "office_now", "office_tz", "office_zone",
           "set_office_zone", "to_office", "to_utc", "utc_offset_minutes", "zone_label"]

DEFAULT_ZONE = "Asia/Jakarta"

_FIXED = {
    "Asia/Jakarta": timezone(timedelta(hours=7), "WIB"),
    "Asia/Pontianak": timezone(timedelta(hours=7), "WIB"),
    "Asia/Makassar": timezone(timedelta(hours=8), "WITA"),
    "Asia/Jayapura": timezone(timedelta(hours=9), "WIT"),
}
ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
               "Asia/Jayapura": "WIT"}
# The choices the office profile offers (the three Indonesian zones).
ZONE_CHOICES = {"Asia/Jakarta": "WIB (UTC+7) - Asia/Jakarta",
                "Asia/Makassar": "WITA (UTC+8) - Asia/Makassar",
                "Asia/Jayapura": "WIT (UTC+9) - Asia/Jayapura"}

_current = DEFAULT_ZONE


@cache
def office_zone(name: str = DEFAULT_ZONE) -> tzinfo:
    """The zone ``name`` (IANA), or its fixed Indonesian offset when the IANA data are
    missing; an unknown name falls back to Asia/Jakarta."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # noqa: BLE001 - no tzdata (Windows) or an unknown name
        return _FIXED.get(name, _FIXED[DEFAULT_ZONE])


def set_office_zone(name: str | None) -> str:
    """Make ``name`` the office's zone for this program (an unknown or empty name keeps the
    default, Asia/Jakarta); returns the zone in use."""
    global _current
    _current = name if name in ZONE_LABELS else DEFAULT_ZONE
    return _current


def current_zone() -> str:
    """The office's zone name (IANA) in use."""
    return _current


def office_tz() -> tzinfo:
    """The office's zone in use."""
    return office_zone(_current)


def zone_label() -> str:
    """WIB, WITA or WIT: what follows a printed time."""
    return ZONE_LABELS.get(_current, "WIB")


def utc_offset_minutes() -> int:
    """The office zone's offset from UTC in minutes (Indonesia has no daylight saving)."""
    offset = datetime.now(UTC).astimezone(office_tz()).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 7 * 60


def to_office(moment: datetime, zone: str | None = None) -> datetime:
    """``moment`` as naive office time: an aware moment is converted; a naive one is taken
    to be office time already (how the program holds times in memory)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(office_zone(zone or _current)).replace(tzinfo=None)


def to_utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime; a naive one is office time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=office_tz())
    return moment.astimezone(UTC)


def as_office_aware(moment: datetime) -> datetime:
    """A naive office time as an aware datetime in the office zone (aware ones unchanged)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=office_tz())


def office_now(zone: str | None = None) -> datetime:
    """Now on the office clock (naive), whatever the PC's own zone: the default clock of
    :func:`desktop_app.core.db.open_database`."""
    return to_office(datetime.now(UTC), zone)


class UtcDateTime(TypeDecorator[datetime]):
    """A moment stored in UTC, read back as naive office time.

    Bound values: a naive datetime is office time, an aware one any zone, a ``date`` its
    midnight in the office. PostgreSQL stores ``timestamptz``; SQLite (no time zone type)
    stores the UTC wall time. Rows come back converted to the office's zone in use.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) and isinstance(value, date):
            value = datetime.combine(value, time.min)
        if value in (datetime.min, datetime.max):  # "never" / "always" sentinels
            return value
        utc = to_utc(value)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # a raw SQLite value the DateTime processor did not parse
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(office_tz()).replace(tzinfo=None)
