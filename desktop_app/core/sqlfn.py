"""SQL expressions the reports need that SQLite and PostgreSQL spell differently, in one place.

Each is a SQLAlchemy construct compiled per dialect, so a query (or an index) written once
gives the same result on both databases:

* :func:`json_text` — a key of a JSON column as SQL text, with the key as a literal, so an
  expression index built from the same call is matched by the planner (a bound parameter in
  the path would not match the indexed expression on SQLite);
* :func:`office_local` — a stored time (UTC) as the office's wall time;
* :func:`day_of` — the office's calendar date of a stored time;
* :func:`add_months` — a date plus whole months, a day missing in the target month becoming
  its last day (as ``documents.card.add_months``: 31 August + 6 months → 28/29 February);
* :func:`add_days` — a date plus whole days;
* :func:`year_of`, :func:`month_day_of` — year, and month × 100 + day, of a date or timestamp;
* :func:`iso_date_valid`, :func:`iso_year`, :func:`iso_month_day` — an ISO ``YYYY-MM-DD``
  text (its first ten characters) that is a real calendar date, and its parts.

On SQLite dates are ISO text (``YYYY-MM-DD``; SQLAlchemy stores ``DateTime`` as
``YYYY-MM-DD HH:MM:SS[.ffffff]``), on PostgreSQL ``date``/``timestamp``; ISO text compares
in date order, so comparisons with bound ``date`` values work on both.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Date, Integer, Text, and_, case, cast, func, literal_column, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

_KEY = re.compile(r"[a-z_][a-z0-9_]*")


def _int_arg(clause: Any) -> int:
    return int(clause.name)


def _unsupported(element: Any, compiler: Any, **kw: Any) -> str:
    raise NotImplementedError(f"{type(element).__name__}: SQLite or PostgreSQL only "
                              f"(not {compiler.dialect.name})")


# ----------------------------------------------------------------------------- JSON text


class _JsonText(FunctionElement[str]):
    type = Text()
    inherit_cache = True
    name = "json_text"


def json_text(column: Any, key: str) -> ColumnElement[str]:
    """``column[key]`` as text (NULL when absent): ``json_extract(data, '$.key')`` on
    SQLite, ``(data ->> 'key')`` on PostgreSQL. ``key`` is a plain field name."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"not a plain JSON key: {key!r}")
    return _JsonText(column, literal_column(f"'{key}'"))


compiles(_JsonText)(_unsupported)


@compiles(_JsonText, "sqlite")
def _json_text_sqlite(element: _JsonText, compiler: Any, **kw: Any) -> str:
    column, key = element.clauses
    return f"json_extract({compiler.process(column, **kw)}, '$.{key.name[1:-1]}')"


@compiles(_JsonText, "postgresql")
def _json_text_pg(element: _JsonText, compiler: Any, **kw: Any) -> str:
    column, key = element.clauses
    return f"({compiler.process(column, **kw)} ->> {key.name})"


# ----------------------------------------------------------------------------- dates


class _OfficeLocal(FunctionElement[Any]):
    inherit_cache = True
    name = "office_local"


def office_local(timestamp: Any) -> ColumnElement[Any]:
    """A stored time (UTC, see ``office_time.UtcDateTime``) as the office's wall time, to
    take its day or month in the office's zone. The zone and its offset (one of the known
    Indonesian ones) are written into the statement as literals: they are part of the
    statement's cache key, and a parameter would differ between SELECT and GROUP BY."""
    from desktop_app.core.office_time import current_zone, utc_offset_minutes

    return _OfficeLocal(timestamp, literal_column(f"'{current_zone()}'"),
                        literal_column(f"'{utc_offset_minutes():+d} minutes'"))


compiles(_OfficeLocal)(_unsupported)


@compiles(_OfficeLocal, "sqlite")
def _office_local_sqlite(element: _OfficeLocal, compiler: Any, **kw: Any) -> str:
    value, _zone, offset = element.clauses
    # Whole seconds first: SQLite rounds a parsed time to milliseconds, so 23:59:59.999999
    # would become the next day.
    return f"datetime(substr({compiler.process(value, **kw)}, 1, 19), {offset.name})"


@compiles(_OfficeLocal, "postgresql")
def _office_local_pg(element: _OfficeLocal, compiler: Any, **kw: Any) -> str:
    value, zone, _offset = element.clauses
    return f"timezone({zone.name}, {compiler.process(value, **kw)})"


class _DayOf(FunctionElement[Any]):
    type = Date()
    inherit_cache = True
    name = "day_of"


def day_of(timestamp: Any) -> ColumnElement[Any]:
    """The office's date of a stored time (UTC)."""
    return _DayOf(office_local(timestamp))


compiles(_DayOf)(_unsupported)


@compiles(_DayOf, "sqlite")
def _day_of_sqlite(element: _DayOf, compiler: Any, **kw: Any) -> str:
    (value,) = element.clauses
    return f"substr({compiler.process(value, **kw)}, 1, 10)"


@compiles(_DayOf, "postgresql")
def _day_of_pg(element: _DayOf, compiler: Any, **kw: Any) -> str:
    (value,) = element.clauses
    return f"CAST({compiler.process(value, **kw)} AS DATE)"


class _AddMonths(FunctionElement[Any]):
    type = Date()
    inherit_cache = True
    name = "add_months"


def add_months(day: Any, months: int) -> ColumnElement[Any]:
    """``day`` plus ``months`` calendar months, clamped to the target month's last day."""
    return _AddMonths(day, literal_column(str(int(months))))


compiles(_AddMonths)(_unsupported)


@compiles(_AddMonths, "sqlite")
def _add_months_sqlite(element: _AddMonths, compiler: Any, **kw: Any) -> str:
    # SQLite's '+N months' rolls an overflowing day into the next month (31 Jan + 1 month
    # = 3 March); the target month's last day is then the smaller of the two.
    day, months = element.clauses
    d, n = compiler.process(day, **kw), _int_arg(months)
    return (f"min(date({d}, '{n:+d} months'), "
            f"date({d}, 'start of month', '{n + 1:+d} months', '-1 day'))")


@compiles(_AddMonths, "postgresql")
def _add_months_pg(element: _AddMonths, compiler: Any, **kw: Any) -> str:
    # PostgreSQL's month arithmetic clamps to the month's last day already.
    day, months = element.clauses
    return (f"CAST({compiler.process(day, **kw)} + INTERVAL '{_int_arg(months)} months' "
            "AS DATE)")


class _AddDays(FunctionElement[Any]):
    type = Date()
    inherit_cache = True
    name = "add_days"


def add_days(day: Any, days: int) -> ColumnElement[Any]:
    """``day`` plus ``days`` days."""
    return _AddDays(day, literal_column(str(int(days))))


compiles(_AddDays)(_unsupported)


@compiles(_AddDays, "sqlite")
def _add_days_sqlite(element: _AddDays, compiler: Any, **kw: Any) -> str:
    day, days = element.clauses
    return f"date({compiler.process(day, **kw)}, '{_int_arg(days):+d} days')"


@compiles(_AddDays, "postgresql")
def _add_days_pg(element: _AddDays, compiler: Any, **kw: Any) -> str:
    day, days = element.clauses
    return f"CAST({compiler.process(day, **kw)} + {_int_arg(days)} AS DATE)"


class _DatePart(FunctionElement[int]):
    type = Integer()
    inherit_cache = True
    name = "date_part_int"


def year_of(value: Any) -> ColumnElement[int]:
    """The year of a date or timestamp, as an integer."""
    return _DatePart(value, literal_column("'year'"))


def month_day_of(value: Any) -> ColumnElement[int]:
    """Month × 100 + day of a date or timestamp (1 March → 301), as an integer."""
    return _DatePart(value, literal_column("'md'"))


compiles(_DatePart)(_unsupported)


@compiles(_DatePart, "sqlite")
def _date_part_sqlite(element: _DatePart, compiler: Any, **kw: Any) -> str:
    value, part = element.clauses
    v = compiler.process(value, **kw)
    if part.name == "'year'":
        return f"CAST(substr({v}, 1, 4) AS INTEGER)"
    return f"(CAST(substr({v}, 6, 2) AS INTEGER) * 100 + CAST(substr({v}, 9, 2) AS INTEGER))"


@compiles(_DatePart, "postgresql")
def _date_part_pg(element: _DatePart, compiler: Any, **kw: Any) -> str:
    value, part = element.clauses
    v = compiler.process(value, **kw)
    if part.name == "'year'":
        return f"CAST(EXTRACT(YEAR FROM {v}) AS INTEGER)"
    return f"CAST(EXTRACT(MONTH FROM {v}) * 100 + EXTRACT(DAY FROM {v}) AS INTEGER)"


# ------------------------------------------------------------------ ISO dates held as text


class _IsoShaped(FunctionElement[bool]):
    inherit_cache = True
    name = "iso_shaped"


compiles(_IsoShaped)(_unsupported)


@compiles(_IsoShaped, "sqlite")
def _iso_shaped_sqlite(element: _IsoShaped, compiler: Any, **kw: Any) -> str:
    (value,) = element.clauses
    return (f"(CAST({compiler.process(value, **kw)} AS TEXT) "
            "GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*')")


@compiles(_IsoShaped, "postgresql")
def _iso_shaped_pg(element: _IsoShaped, compiler: Any, **kw: Any) -> str:
    (value,) = element.clauses
    return f"(CAST({compiler.process(value, **kw)} AS TEXT) ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')"


def _digits(text: Any, start: int, length: int) -> ColumnElement[int]:
    return cast(func.substr(cast(text, Text), start, length), Integer)


def iso_year(text: Any) -> ColumnElement[int]:
    """The year of an ISO date text (use under :func:`iso_date_valid` only)."""
    return _digits(text, 1, 4)


def iso_month_day(text: Any) -> ColumnElement[int]:
    """Month × 100 + day of an ISO date text (use under :func:`iso_date_valid` only)."""
    return _digits(text, 6, 2) * 100 + _digits(text, 9, 2)


def iso_date_valid(text: Any) -> ColumnElement[bool]:
    """True when the first ten characters of ``text`` are ``YYYY-MM-DD`` and a real date
    (year 1 or later, the month's days, 29 February in leap years) — what Python's
    ``date.fromisoformat`` accepts of that shape. NULL text is not valid."""
    year, month, day = _digits(text, 1, 4), _digits(text, 6, 2), _digits(text, 9, 2)
    leap = or_(and_(year % 4 == 0, year % 100 != 0), year % 400 == 0)
    days = case((month.in_((1, 3, 5, 7, 8, 10, 12)), 31), (month.in_((4, 6, 9, 11)), 30),
                (leap, 29), else_=28)
    # CASE keeps the numeric tests away from text of another shape (PostgreSQL would fail
    # on the cast).
    return case((_IsoShaped(text),
                 case((and_(year >= 1, month >= 1, month <= 12, day >= 1, day <= days), 1),
                      else_=0)),
                else_=0) == 1
