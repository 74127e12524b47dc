"""Office time: every time the program prints or stores is the office's clock (Asia/Jakarta,
WIB), whatever zone the PC is set to.

Times are stored as naive office-local values (the schema has always been so); this module
is the one place that turns the PC's clock or an aware moment (a signature's UTC time) into
that office time. The zone is the office profile's ``zona_waktu`` (default Asia/Jakarta);
without the IANA database (Windows without ``tzdata``) the Indonesian zones fall back to
their fixed offsets, which have no daylight saving.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache

__all__ = ["DEFAULT_ZONE", "ZONE_LABELS", "office_now", "office_zone", "to_office"]

DEFAULT_ZONE = "Asia/Jakarta"

_FIXED = {
    "Asia/Jakarta": timezone(timedelta(hours=7), "WIB"),
    "Asia/Pontianak": timezone(timedelta(hours=7), "WIB"),
    "Asia/Makassar": timezone(timedelta(hours=8), "WITA"),
    "Asia/Jayapura": timezone(timedelta(hours=9), "WIT"),
}
ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
               "Asia/Jayapura": "WIT"}


@cache
def office_zone(name: str = DEFAULT_ZONE) -> tzinfo:
    """The zone ``name`` (IANA), or its fixed Indonesian offset when the IANA data are
    missing; an unknown name falls back to Asia/Jakarta."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # noqa: BLE001 - no tzdata (Windows) or an unknown name
        return _FIXED.get(name, _FIXED[DEFAULT_ZONE])


def to_office(moment: datetime, zone: str = DEFAULT_ZONE) -> datetime:
    """``moment`` as naive office time: an aware moment is converted; a naive one is taken
    to be office time already (how the database stores times)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(office_zone(zone)).replace(tzinfo=None)


def office_now(zone: str = DEFAULT_ZONE) -> datetime:
    """Now on the office clock (naive), whatever the PC's own zone: the default clock of
    :func:`desktop_app.core.db.open_database`."""
    return to_office(datetime.now(UTC), zone)
