"""The period a register or report covers: checked once, with a message a clerk can act on."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from desktop_app.core.errors import ValidationError
from desktop_app.core.formatting import bulan, tanggal

MAX_DAYS = 366  # one year (a leap year included): a register or recap never spans more
EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole days from ``start`` to ``end``, both included."""

    start: date
    end: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min)

    @property
    def end_before(self) -> datetime:
        """The first moment after the period (queries use ``< end_before``)."""
        return datetime.combine(self.end + timedelta(days=1), time.min)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """"Januari 2026", "Tahun 2026" or "1 Januari 2026 s.d. 15 Februari 2026"."""
        if self == Period.year(self.start.year):
            return f"Tahun {self.start.year}"
        if self == Period.month(self.start.year, self.start.month):
            return f"{bulan(self.start.month)} {self.start.year}"
        if self.start == self.end:
            return tanggal(self.start)
        return f"{tanggal(self.start)} s.d. {tanggal(self.end)}"

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        out, y, m = [], self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


def check_period(start: date | None, end: date | None, *, max_days: int = MAX_DAYS,
                 field: str = "periode") -> Period:
    """A valid :class:`Period`, or :class:`ValidationError` at ``field`` saying what is wrong:
    a missing date, an end before the start, a span over ``max_days`` days, a date before
    2000 or after the year 2100."""
    if start is None or end is None:
        raise ValidationError({field: "Isi tanggal awal dan tanggal akhir periode."})
    if end < start:
        raise ValidationError({field: "Tanggal akhir periode sebelum tanggal awalnya."})
    if start < EARLIEST or end.year > 2100:
        raise ValidationError({field: "Periode di luar rentang tahun 2000–2100."})
    period = Period(start, end)
    if period.days > max_days:
        limit = "satu tahun" if max_days == MAX_DAYS else f"{max_days} hari"
        raise ValidationError({field: f"Periode paling lama {limit} ({period.days} hari "
                                      "diminta). Persempit periodenya."})
    return period
