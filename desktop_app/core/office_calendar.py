"""Office calendar (working days, hours, holidays) and SOP standard times (*waktu baku*).

The SOPs give each step a standard time such as "5 Menit", "2 jam" or "7 Hari". The office
means working time: minutes and hours run only while the office is open, days are working
days. All datetimes are timezone-naive local office time (WIB for Pagar Alam; stored in UTC,
see office_time).

Speed: the calendar keeps a per-weekday table and a sorted holiday list with running sums,
so "working time before day D" is arithmetic plus one bisection. Adding a standard time or
measuring the working time between two moments costs O(log) in the span, never a loop over
minutes or days.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, ClassVar

__all__ = [
    "DEFAULT_WORKING_DAYS",
    "DEFAULT_WORKING_HOURS",
    "DUE_LATE",
    "DUE_ON_TIME",
    "DUE_SOON",
    "OfficeCalendar",
    "StandardTime",
]

DUE_ON_TIME = "tepat_waktu"
DUE_SOON = "segera"
DUE_LATE = "terlambat"

DEFAULT_WORKING_DAYS: frozenset[int] = frozenset(range(5))  # Monday (0) … Friday (4)
_MON_THU = (time(7, 30), time(16, 0))
DEFAULT_WORKING_HOURS: dict[int, tuple[time, time]] = {
    0: _MON_THU,
    1: _MON_THU,
    2: _MON_THU,
    3: _MON_THU,
    4: (time(7, 30), time(16, 30)),  # Friday closes later (longer Friday-prayer break)
}

_US_PER_MINUTE = 60_000_000
_US_PER_SECOND = 1_000_000

# ---------------------------------------------------------------------------------------
# Standard times
# ---------------------------------------------------------------------------------------

_UNIT_WORDS = {
    "menit": ("minute", 1),
    "jam": ("hour", 1),
    "hari": ("day", 1),
    "hari kerja": ("day", 1),
    # One week of office work = 5 working days (the Monday–Friday office week). This is
    # fixed, not derived from the calendar, so a holiday inside the week still lengthens it
    # as it would for "5 hari".
    "minggu": ("day", 5),
}
_STANDARD_TIME_RE = re.compile(r"^\s*(\d+)\s*(menit|jam|hari\s+kerja|hari|minggu)\s*\.?\s*$", re.I)
_UNIT_LABELS = {"minute": "menit", "hour": "jam", "day": "hari kerja"}


@dataclass(frozen=True)
class StandardTime:
    """A standard time from an SOP: ``amount`` of ``unit`` ("minute", "hour" or "day").

    Days are working days. ``"1 minggu"`` is read as 5 working days.
    """

    amount: int
    unit: str  # "minute" | "hour" | "day"

    UNITS: ClassVar[tuple[str, ...]] = ("minute", "hour", "day")

    def __post_init__(self) -> None:
        if self.unit not in self.UNITS:
            raise ValueError(f"Satuan waktu baku tidak dikenal: {self.unit!r}")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 0:
            raise ValueError(f"Jumlah waktu baku harus bilangan bulat ≥ 0: {self.amount!r}")

    @classmethod
    def parse(cls, text: str) -> StandardTime:
        """Read the seed's spellings ("5 Menit", "2 jam", "7 Hari", "1 minggu"...),
        case-insensitively; ``ValueError`` naming the text otherwise."""
        match = _STANDARD_TIME_RE.match(text or "") if isinstance(text, str) else None
        if not match:
            raise ValueError(f"Waktu baku tidak dikenali: {text!r}")
        word = " ".join(match.group(2).lower().split())
        unit, factor = _UNIT_WORDS[word]
        return cls(int(match.group(1)) * factor, unit)

    @property
    def label(self) -> str:
        """Indonesian text: ``"5 menit"``, ``"2 jam"``, ``"7 hari kerja"``."""
        return f"{self.amount} {_UNIT_LABELS[self.unit]}"

    def __str__(self) -> str:
        return self.label

    def total_minutes_estimate(self, calendar: OfficeCalendar | None = None) -> int:
        """Rough length in working minutes, for sorting and progress bars.

        Minutes and hours are exact; a day counts as the calendar's average working day
        (516 minutes with the default hours). The real due time comes from
        :meth:`OfficeCalendar.add_standard_time`.
        """
        if self.unit == "minute":
            return self.amount
        if self.unit == "hour":
            return self.amount * 60
        cal = calendar if calendar is not None else OfficeCalendar()
        return round(self.amount * cal.average_day_minutes)


# ---------------------------------------------------------------------------------------
# Calendar
# ---------------------------------------------------------------------------------------


def _as_time(value: Any) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        return time.fromisoformat(value.strip())
    raise ValueError(f"Jam kerja tidak valid: {value!r}")


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip())
    raise ValueError(f"Tanggal libur tidak valid: {value!r}")


def _us(t: time) -> int:
    """Microseconds since midnight."""
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US_PER_SECOND + t.microsecond


@dataclass(frozen=True)
class _Index:
    """Precomputed sums; ``cum_*(o)`` counts whole days with ordinal ``< o``.

    ``date(1, 1, 1)`` (ordinal 1) is a Monday, so ordinal ``o`` has weekday ``(o - 1) % 7``.
    """

    open_us: tuple[int | None, ...]  # per weekday; None when not a working weekday
    close_us: tuple[int | None, ...]
    prefix_us: tuple[int, ...]  # working µs in weekdays 0..k-1
    prefix_days: tuple[int, ...]
    week_us: int
    week_days: int
    hol_ords: tuple[int, ...]  # holidays on working weekdays, sorted
    hol_us_prefix: tuple[int, ...]  # hol_us_prefix[k] = µs lost in the first k of them

    def cum_us(self, o: int) -> int:
        weeks, rest = divmod(o - 1, 7)
        k = bisect_left(self.hol_ords, o)
        return weeks * self.week_us + self.prefix_us[rest] - self.hol_us_prefix[k]

    def cum_days(self, o: int) -> int:
        weeks, rest = divmod(o - 1, 7)
        k = bisect_left(self.hol_ords, o)
        return weeks * self.week_days + self.prefix_days[rest] - k

    def first_day_reaching(
        self, lo: int, target: int, cum: Callable[[int], int], per_week: int
    ) -> int:
        """Smallest ordinal ``d >= lo`` with ``cum(d + 1) >= target``."""
        if cum(lo + 1) >= target:
            return lo
        if per_week <= 0:
            raise ValueError("Kalender kantor tidak memiliki hari kerja")
        hi = lo + 7 * ((target - cum(lo)) // per_week + 2)
        while cum(hi + 1) < target:  # holidays pushed it further: widen the window
            hi += hi - lo
        while lo < hi:  # invariant: cum(lo + 1) < target <= cum(hi + 1)
            mid = (lo + hi) // 2
            if cum(mid + 1) >= target:
                hi = mid
            else:
                lo = mid + 1
        return hi


@dataclass
class OfficeCalendar:
    """When the office works: working weekdays, opening hours per weekday and holidays.

    ``working_days`` holds weekday numbers (Monday = 0); ``working_hours`` maps a weekday to
    its ``(opening, closing)`` times; ``holidays`` holds closed dates (national holidays,
    *cuti bersama*). All three are settings; see :meth:`to_dict`. Breaks are not subtracted.
    Mutating the fields in place is allowed: the lookup tables are rebuilt when they change.
    """

    working_days: frozenset[int] = DEFAULT_WORKING_DAYS
    working_hours: dict[int, tuple[time, time]] = field(
        default_factory=lambda: dict(DEFAULT_WORKING_HOURS)
    )
    holidays: set[date] = field(default_factory=set)
    _cache: tuple[Any, _Index] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.working_days = frozenset(int(d) for d in self.working_days)
        self.working_hours = {
            int(day): (_as_time(hours[0]), _as_time(hours[1]))
            for day, hours in self.working_hours.items()
        }
        self.holidays = {_as_date(d) for d in self.holidays}
        self._index()  # validate now rather than on first use

    # --- lookup tables -------------------------------------------------------------

    def _index(self) -> _Index:
        key = (
            frozenset(self.working_days),
            tuple(sorted(self.working_hours.items())),
            frozenset(self.holidays),
        )
        cached = self._cache
        if cached is not None and cached[0] == key:
            return cached[1]
        index = self._build_index()
        self._cache = (key, index)
        return index

    def _build_index(self) -> _Index:
        open_us: list[int | None] = [None] * 7
        close_us: list[int | None] = [None] * 7
        day_us = [0] * 7
        for weekday in self.working_days:
            if not 0 <= weekday <= 6:
                raise ValueError(f"Hari kerja harus 0 (Senin) sampai 6 (Minggu): {weekday}")
            if weekday not in self.working_hours:
                raise ValueError(f"Jam kerja untuk hari ke-{weekday} belum diatur")
            start, end = self.working_hours[weekday]
            if not start < end:
                raise ValueError(
                    f"Jam buka harus sebelum jam tutup (hari ke-{weekday}: {start}–{end})"
                )
            open_us[weekday], close_us[weekday] = _us(start), _us(end)
            day_us[weekday] = _us(end) - _us(start)
        prefix_us, prefix_days = [0], [0]
        for weekday in range(7):
            prefix_us.append(prefix_us[-1] + day_us[weekday])
            prefix_days.append(prefix_days[-1] + (1 if day_us[weekday] else 0))
        hol_ords = sorted(d.toordinal() for d in self.holidays if day_us[d.weekday()])
        hol_prefix = [0]
        for o in hol_ords:
            hol_prefix.append(hol_prefix[-1] + day_us[(o - 1) % 7])
        return _Index(
            open_us=tuple(open_us),
            close_us=tuple(close_us),
            prefix_us=tuple(prefix_us),
            prefix_days=tuple(prefix_days),
            week_us=prefix_us[-1],
            week_days=prefix_days[-1],
            hol_ords=tuple(hol_ords),
            hol_us_prefix=tuple(hol_prefix),
        )

    # --- queries ---------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """True when the office opens on ``d`` (a working weekday that is not a holiday)."""
        if isinstance(d, datetime):
            d = d.date()
        return d.weekday() in self.working_days and d not in self.holidays

    def hours_on(self, d: date) -> tuple[datetime, datetime] | None:
        """Opening and closing datetimes on ``d``, or ``None`` when the office is closed."""
        if isinstance(d, datetime):
            d = d.date()
        if not self.is_working_day(d):
            return None
        start, end = self.working_hours[d.weekday()]
        return datetime.combine(d, start), datetime.combine(d, end)

    def working_minutes_on(self, d: date) -> int:
        """Working minutes on the day ``d`` (0 on a closed day)."""
        hours = self.hours_on(d)
        return 0 if hours is None else int((hours[1] - hours[0]).total_seconds() // 60)

    @property
    def average_day_minutes(self) -> float:
        """Average working minutes of a working weekday (516 with the default hours)."""
        index = self._index()
        return index.week_us / index.week_days / _US_PER_MINUTE if index.week_days else 0.0

    def is_open(self, dt: datetime) -> bool:
        """True when ``dt`` falls inside working hours (opening inclusive, closing exclusive)."""
        hours = self.hours_on(dt.date())
        return hours is not None and hours[0] <= dt < hours[1]

    def next_opening(self, dt: datetime) -> datetime:
        """``dt`` itself when the office is open then, else the next opening time."""
        if self.is_open(dt):
            return dt
        index = self._index()
        o = dt.toordinal()
        weekday = (o - 1) % 7
        opening = index.open_us[weekday]
        if self.is_working_day(dt.date()) and opening is not None and _us(dt.time()) < opening:
            return datetime.combine(dt.date(), self.working_hours[weekday][0])
        d = index.first_day_reaching(
            o + 1, index.cum_days(o + 1) + 1, index.cum_days, index.week_days
        )
        day = date.fromordinal(d)
        return datetime.combine(day, self.working_hours[day.weekday()][0])

    def _position(self, index: _Index, dt: datetime) -> int:
        """Working microseconds from the calendar's epoch up to ``dt``."""
        o = dt.toordinal()
        pos = index.cum_us(o)
        weekday = (o - 1) % 7
        opening, closing = index.open_us[weekday], index.close_us[weekday]
        if opening is not None and closing is not None and dt.date() not in self.holidays:
            clock = _us(dt.time())
            pos += min(max(clock, opening), closing) - opening
        return pos

    def working_minutes_between(self, a: datetime, b: datetime) -> int:
        """Whole working minutes from ``a`` to ``b``; negative when ``b`` is before ``a``."""
        if b < a:
            return -self.working_minutes_between(b, a)
        index = self._index()
        return (self._position(index, b) - self._position(index, a)) // _US_PER_MINUTE

    def add_standard_time(self, start: datetime, st: StandardTime) -> datetime:
        """When a step started at ``start`` with standard time ``st`` is due.

        * Minutes and hours run only inside working hours and carry over to the next working
          day. A start outside working hours begins counting at the next opening. A due time
          that lands exactly on a closing time stays there (e.g. 15:00 + 1 jam = 16:00).
        * ``N`` days, started inside working hours (opening to closing, inclusive): the same
          clock time on the Nth working day after the start day, moved back to that day's
          closing when it closes earlier (Friday 16:15 + 1 hari = Monday 16:00).
        * ``N`` days, started outside working hours (before opening, after closing, weekend
          or holiday): the next working day on which the office opens counts as day 1 and the
          step is due at the closing time of day N (Saturday + 1 hari = Monday closing).
          Both rules give N full working days of work.
        * An amount of 0 returns ``start`` unchanged.
        """
        if st.amount == 0:
            return start
        index = self._index()
        if st.unit in ("minute", "hour"):
            minutes = st.amount * (60 if st.unit == "hour" else 1)
            target = self._position(index, start) + minutes * _US_PER_MINUTE
            d = index.first_day_reaching(start.toordinal(), target, index.cum_us, index.week_us)
            day = date.fromordinal(d)
            offset = target - index.cum_us(d)
            return datetime.combine(day, self.working_hours[day.weekday()][0]) + timedelta(
                microseconds=offset
            )

        o = start.toordinal()
        hours = self.hours_on(start.date())
        inside = hours is not None and hours[0] <= start <= hours[1]
        before_opening = hours is not None and start < hours[0]
        base = index.cum_days(o if before_opening else o + 1)
        d = index.first_day_reaching(o, base + st.amount, index.cum_days, index.week_days)
        day = date.fromordinal(d)
        opening, closing = self.working_hours[day.weekday()]
        if inside:
            clock = min(max(start.time(), opening), closing)
            return datetime.combine(day, clock)
        return datetime.combine(day, closing)

    def due_state(self, due: datetime, now: datetime, soon_minutes: int = 60) -> str:
        """``"terlambat"`` once ``now`` is past ``due``; ``"segera"`` when at most
        ``soon_minutes`` working minutes remain; ``"tepat_waktu"`` otherwise."""
        if now > due:
            return DUE_LATE
        if self.working_minutes_between(now, due) <= soon_minutes:
            return DUE_SOON
        return DUE_ON_TIME

    # --- settings --------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: weekdays as numbers, times as ``"HH:MM"``, dates as ISO."""
        return {
            "working_days": sorted(self.working_days),
            "working_hours": {
                str(day): [start.isoformat("minutes"), end.isoformat("minutes")]
                for day, (start, end) in sorted(self.working_hours.items())
            },
            "holidays": sorted(d.isoformat() for d in self.holidays),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> OfficeCalendar:
        """Inverse of :meth:`to_dict`; a missing key takes its default."""
        data = data or {}
        working_days: Iterable[int] = data.get("working_days", DEFAULT_WORKING_DAYS)
        raw_hours = data.get("working_hours")
        hours = (
            {int(day): (value[0], value[1]) for day, value in raw_hours.items()}
            if raw_hours is not None
            else dict(DEFAULT_WORKING_HOURS)
        )
        return cls(
            working_days=frozenset(int(d) for d in working_days),
            working_hours=hours,
            holidays=set(data.get("holidays", ())),
        )
