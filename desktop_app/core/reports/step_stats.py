"""Step events summed per month for the standard-time dashboard (:class:`models.StepStat`).

A year of a busy office is millions of step events; summing them on every dashboard open
took seconds. Step events are never changed once written and each is stamped with the moment
it finished, so whole days in the past can be summed once and kept:

* :func:`refresh` adds the events finished before yesterday midnight that are not summed
  yet (the first call sums the whole history), under the lock of the one
  :class:`models.StepStatsState` row, so two PCs never add the same events twice. The day
  of margin covers PCs whose clocks differ and transactions still open.
* :func:`sums` reads the sums of a span of months, grouped as asked, and adds the events
  after the summary's edge straight from ``step_events`` (at most a day or two of them).

Working minutes are kept in buckets: exact below 2 hours, then 5 minutes up to 10 hours,
30 minutes up to 80 hours, then 4 hours; each bucket is at most 5 % wide, which bounds the
error of a percentile read from them. Sums of minutes are exact, so averages are exact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import case, extract, func, select

from desktop_app.core.db import Database
from desktop_app.core.models import Case, StepEvent, StepStat, StepStatsState
from desktop_app.core.sqlfn import office_local

MARGIN = timedelta(days=1)
_UPSERT_CHUNK = 2000


def bucket(minutes: int) -> int:
    """The bucket of ``minutes`` (the bucket's lower bound)."""
    if minutes < 120:
        return max(0, minutes)
    if minutes < 600:
        return minutes // 5 * 5
    if minutes < 4800:
        return minutes // 30 * 30
    return minutes // 240 * 240


def _bucket_sql(col: Any) -> Any:
    return case((col < 120, col), (col < 600, col // 5 * 5), (col < 4800, col // 30 * 30),
                else_=col // 240 * 240)


def month_key(year: int, month: int) -> int:
    return year * 100 + month


def _month_sql(col: Any, db: Database) -> Any:
    """yyyymm of a stored moment in the office's zone (stored times are UTC)."""
    local = office_local(col)
    return extract("year", local) * 100 + extract("month", local)


@dataclass(frozen=True)
class StatRow:
    """Sums for one key: the columns named in ``by`` (see :func:`sums`) and the counts."""

    key: tuple[Any, ...]
    n: int
    on_time: int
    minutes: int


def _event_sums(conds: Iterable[Any], db: Database) -> Any:
    bucket_col = _bucket_sql(StepEvent.working_minutes)
    month = _month_sql(StepEvent.finished_at, db)
    return (select(month, Case.sop_code, StepEvent.step_no, StepEvent.action, bucket_col,
                   func.count(), func.sum(case((StepEvent.on_time, 1), else_=0)),
                   func.sum(StepEvent.working_minutes))
            .join(Case, Case.id == StepEvent.case_id).where(*conds)
            .group_by(month, Case.sop_code, StepEvent.step_no, StepEvent.action, bucket_col))


def _upsert(s: Any, db: Database, rows: list[dict[str, Any]]) -> None:
    if db.is_sqlite:
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert
    for start in range(0, len(rows), _UPSERT_CHUNK):
        stmt = insert(StepStat).values(rows[start:start + _UPSERT_CHUNK])
        stmt = stmt.on_conflict_do_update(
            index_elements=["month", "sop_code", "step_no", "action", "bucket"],
            set_={"n": StepStat.n + stmt.excluded.n,
                  "on_time": StepStat.on_time + stmt.excluded.on_time,
                  "minutes": StepStat.minutes + stmt.excluded.minutes})
        s.execute(stmt)


def refresh(db: Database) -> datetime:
    """Sum the events finished before yesterday midnight not summed yet; returns the edge."""
    target = datetime.combine((db.now() - MARGIN).date(), time.min)
    with db.read() as s:
        upto = s.scalar(select(StepStatsState.upto).where(StepStatsState.id == 1))
    if upto is not None and upto >= target:
        return upto
    with db.write() as s:
        state = s.scalars(select(StepStatsState).where(StepStatsState.id == 1)
                          .with_for_update()).one_or_none()
        if state is None:  # a database made before the summary: its row is added here
            state = StepStatsState(id=1, upto=None)
            s.add(state)
            s.flush()
        if state.upto is not None and state.upto >= target:
            return state.upto  # another PC did it meanwhile
        conds = [StepEvent.finished_at < target]
        if state.upto is not None:
            conds.append(StepEvent.finished_at >= state.upto)
        keys = ("month", "sop_code", "step_no", "action", "bucket", "n", "on_time", "minutes")
        rows = [dict(zip(keys, (int(r[0]), r[1], r[2], r[3], int(r[4]), r[5], int(r[6] or 0),
                                int(r[7] or 0)), strict=True))
                for r in s.execute(_event_sums(conds, db))]
        if rows:
            _upsert(s, db, rows)
        state.upto = target
    return target


def _columns(by: tuple[str, ...], month: Any, bucket_col: Any) -> list[Any]:
    source = {"month": month, "sop_code": Case.sop_code, "step_no": StepEvent.step_no,
              "action": StepEvent.action, "bucket": bucket_col}
    return [source[b] for b in by]


def sums(db: Database, sop_codes: list[str], first_month: int, last_month: int,
         actions: tuple[str, ...], by: tuple[str, ...], *,
         refresh_first: bool = True) -> list[StatRow]:
    """Counts of ``sop_codes`` from ``first_month`` to ``last_month`` (yyyymm, both included)
    with one of ``actions``, grouped by the columns ``by`` (of "month", "sop_code",
    "step_no", "action", "bucket"): the summary, plus the events past its edge.

    Without ``refresh_first`` the summary is read as it stands (a reader that must not pay
    for summing the whole history on a first call): the events past its edge, or all of
    them when it was never made, are read from ``step_events``; the result is the same."""
    if refresh_first:
        upto = refresh(db)
    else:
        with db.read() as s:
            upto = s.scalar(select(StepStatsState.upto).where(StepStatsState.id == 1)) \
                or datetime.min
    totals: dict[tuple[Any, ...], list[int]] = {}

    def add(rows: Any) -> None:
        for r in rows:
            key = tuple(int(v) if i in ints else v for i, v in enumerate(r[:len(by)]))
            acc = totals.setdefault(key, [0, 0, 0])
            for i in range(3):
                acc[i] += int(r[len(by) + i] or 0)

    ints = {i for i, b in enumerate(by) if b in ("month", "bucket")}
    counted = (func.sum(StepStat.n), func.sum(StepStat.on_time), func.sum(StepStat.minutes))
    keys = [getattr(StepStat, b) for b in by]
    with db.read() as s:
        add(s.execute(select(*keys, *counted).where(
            StepStat.month >= first_month, StepStat.month <= last_month,
            StepStat.sop_code.in_(sop_codes), StepStat.action.in_(actions)).group_by(*keys)))
        start = datetime(first_month // 100, first_month % 100, 1)
        last_y, last_m = divmod(last_month, 100)
        end = datetime(last_y + (last_m == 12), last_m % 12 + 1, 1)
        if upto < end:
            live_keys = _columns(by, _month_sql(StepEvent.finished_at, db),
                                 _bucket_sql(StepEvent.working_minutes))
            add(s.execute(
                select(*live_keys, func.count(), func.sum(case((StepEvent.on_time, 1), else_=0)),
                       func.sum(StepEvent.working_minutes))
                .join(Case, Case.id == StepEvent.case_id)
                .where(StepEvent.finished_at >= max(upto, start), StepEvent.finished_at < end,
                       StepEvent.action.in_(actions), Case.sop_code.in_(sop_codes))
                .group_by(*live_keys)))
    return [StatRow(k, *v) for k, v in totals.items()]
