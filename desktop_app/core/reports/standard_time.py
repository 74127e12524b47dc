"""How the office meets the SOPs' standard times (*waktu baku*): the dashboard's figures.

For one year, one SOP or every SOP the reader may see:

* per month, the share of steps finished within their standard time and the share of cases
  finished within the case's standard time (the sum of its steps', ``Case.due_at``), with
  the same shares of the year before for the trend;
* per step and per lane, how many were done, the share on time, the average and the 90th
  percentile of the working time against the standard;
* the late list: open cases past their step's due time, who holds them (the users with the
  role of the step's lane) and by how long.

Times are working time on the office calendar: each step event stores its working minutes
and whether it met its standard (``StepEvent.on_time``), measured when the step finished
(``cases.act``). The figures are read from the monthly sums of :mod:`step_stats` (a year
of a million cases is millions of events); averages are exact, the 90th percentile is exact
below two hours and within 5 % above.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, select, union_all

from desktop_app.core import cases, workflow
from desktop_app.core.auth import Actor
from desktop_app.core.db import Database
from desktop_app.core.errors import ValidationError
from desktop_app.core.models import Case, StepEvent, User, UserRole
from desktop_app.core.office_calendar import OfficeCalendar
from desktop_app.core.reports import access, step_stats
from desktop_app.core.reports.period import Period
from desktop_app.core.settings import get_calendar
from desktop_app.core.sop import Sop

STEP_ACTIONS = (workflow.COMPLETE_OK, workflow.INCOMPLETE, workflow.FINISH, workflow.APPROVE,
                workflow.BIPARTITE, workflow.PARAF, workflow.SIGN, workflow.HANDOVER)
LATE_LIMIT = 200
LATE_COUNT_CAP = 10_000


@dataclass(frozen=True)
class DashboardQuery:
    year: int
    sop_code: str | None = None  # None: every SOP the reader may see


@dataclass
class Share:
    """``done`` things, ``on_time`` of them within the standard."""

    done: int = 0
    on_time: int = 0

    @property
    def ratio(self) -> float | None:
        return self.on_time / self.done if self.done else None

    def add(self, done: int, on_time: int) -> None:
        self.done += done
        self.on_time += on_time


@dataclass
class Durations:
    """A histogram of working minutes: exact average and percentiles."""

    counts: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # bucket → n
    minutes_total: int = 0
    standard_total: int = 0  # sum of the standards of the counted steps (for the average)
    share: Share = field(default_factory=Share)

    def add(self, bucket: int, n: int, on_time: int, standard: int, minutes: int) -> None:
        self.counts[bucket] += n
        self.minutes_total += minutes
        self.standard_total += standard * n
        self.share.add(n, on_time)

    @property
    def n(self) -> int:
        return self.share.done

    @property
    def average(self) -> float | None:
        return self.minutes_total / self.n if self.n else None

    @property
    def standard_average(self) -> float | None:
        return self.standard_total / self.n if self.n else None

    def percentile(self, q: float) -> int | None:
        """The smallest bucket with at least ``q`` of the counts at or below it (exact below
        two hours, within 5 % above: see :mod:`step_stats`)."""
        if not self.n:
            return None
        need = q * self.n
        seen = 0
        for minutes in sorted(self.counts):
            seen += self.counts[minutes]
            if seen >= need:
                return minutes
        return max(self.counts)


@dataclass
class StepFigures:
    sop_code: str
    step_no: int
    activity: str
    lane: str  # lane name
    standard_text: str
    standard_minutes: int
    durations: Durations = field(default_factory=Durations)


@dataclass(frozen=True)
class LateCase:
    case_id: int
    sop_code: str
    register_number: str
    title: str
    step_no: int
    activity: str
    lane: str
    holders: str
    due: datetime
    late_minutes: int


@dataclass
class Dashboard:
    query: DashboardQuery
    sops: tuple[Sop, ...]
    steps_by_month: dict[int, Share]
    cases_by_month: dict[int, Share]
    previous_steps_by_month: dict[int, Share]
    steps: list[StepFigures]
    lanes: dict[str, Durations]
    per_sop: dict[str, Share]
    late: list[LateCase]
    late_total: int
    minutes_per_day: int

    @property
    def steps_year(self) -> Share:
        total = Share()
        for share in self.steps_by_month.values():
            total.add(share.done, share.on_time)
        return total

    @property
    def cases_year(self) -> Share:
        total = Share()
        for share in self.cases_by_month.values():
            total.add(share.done, share.on_time)
        return total


def _sops(db: Database, actor: Actor, q: DashboardQuery) -> tuple[Sop, ...]:
    if not 2000 <= q.year <= 2100:
        raise ValidationError({"tahun": "Tahun di luar rentang 2000–2100."})
    if q.sop_code:
        return (access.require_sop(db, actor, q.sop_code, "dasbor_waktu_baku"),)
    return access.require_any(db, actor, "dasbor_waktu_baku")


def _in_year(col: object, year: int) -> object:
    period = Period.year(year)
    return and_(col >= period.start_at, col < period.end_before)  # type: ignore[operator]


def _sums(db: Database, codes: list[str], year: int, by: tuple[str, ...]
          ) -> list[step_stats.StatRow]:
    return step_stats.sums(db, codes, step_stats.month_key(year, 1),
                           step_stats.month_key(year, 12), STEP_ACTIONS, by)


def _by_month(rows: list[step_stats.StatRow], codes: list[str]
              ) -> tuple[dict[int, Share], dict[str, Share]]:
    """Rows keyed (month, sop_code): shares per month and per SOP."""
    months: dict[int, Share] = {m: Share() for m in range(1, 13)}
    per_sop: dict[str, Share] = {c: Share() for c in codes}
    for r in rows:
        month, code = r.key
        months[month % 100].add(r.n, r.on_time)
        if code in per_sop:
            per_sop[code].add(r.n, r.on_time)
    return months, per_sop


def _cases_by_month(s: object, codes: list[str], year: int) -> dict[int, Share]:
    """Cases finished per month and how many within their standard time: one range count per
    month over ix_cases_closed (grouping by a month expression made SQLite sort them all)."""
    months: dict[int, Share] = {}
    on_time = func.sum(case((Case.closed_at <= Case.due_at, 1), else_=0))
    for m in range(1, 13):
        p = Period.month(year, m)
        n, ok = s.execute(select(func.count(), on_time).where(  # type: ignore[attr-defined]
            Case.closed_at >= p.start_at, Case.closed_at < p.end_before,
            Case.status == workflow.COMPLETED, Case.sop_code.in_(codes))).one()
        months[m] = Share(n or 0, int(ok or 0))
    return months


def _step_figures(rows: list[step_stats.StatRow], sops: tuple[Sop, ...],
                  calendar: OfficeCalendar) -> tuple[list[StepFigures], dict[str, Durations]]:
    """Rows keyed (sop_code, step_no, bucket): durations per step and per lane."""
    figures: dict[tuple[str, int], StepFigures] = {}
    for sop in sops:
        for step in sop.steps:
            if step.kind == "submit":
                continue
            figures[(sop.code, step.no)] = StepFigures(
                sop.code, step.no, step.activity, sop.lane(step.lane).name, step.time.label,
                step.time.total_minutes_estimate(calendar))
    lanes: dict[str, Durations] = defaultdict(Durations)
    for r in rows:
        code, step_no, bucket = r.key
        fig = figures.get((code, step_no))
        if fig is None:  # a step removed from the SOP file since
            continue
        fig.durations.add(bucket, r.n, r.on_time, fig.standard_minutes, r.minutes)
        lanes[fig.lane].add(bucket, r.n, r.on_time, fig.standard_minutes, r.minutes)
    return list(figures.values()), dict(lanes)


def _holders(s: object, sops: tuple[Sop, ...]) -> dict[str, list[str]]:
    """Role code → names of the active users holding it."""
    names: dict[str, list[str]] = defaultdict(list)
    for role, name in s.execute(  # type: ignore[attr-defined]
            select(UserRole.role, User.full_name).join(User, User.id == UserRole.user_id)
            .where(User.is_active.is_(True)).order_by(User.full_name)):
        names[role].append(name)
    return dict(names)


def _late(db: Database, s: object, sops: tuple[Sop, ...], now: datetime
          ) -> tuple[list[LateCase], int]:
    codes = [x.code for x in sops]
    late = and_(Case.sop_code.in_(codes), Case.status == workflow.IN_PROGRESS,
                Case.step_due_at < now)
    # Counted up to LATE_COUNT_CAP: past that the figure is "more than", not worth a scan.
    capped = select(Case.id).where(late).limit(LATE_COUNT_CAP + 1).subquery()
    total = s.scalar(select(func.count()).select_from(capped)) or 0  # type: ignore[attr-defined]
    # One due-ordered sub-select per SOP (ix_cases_sop_due), merged: a single query over all
    # the SOPs would sort every late case first.
    cols = (Case.id, Case.sop_code, Case.register_number, Case.title, Case.current_step,
            Case.current_lane, Case.step_due_at)
    parts = [select(*cols).where(Case.sop_code == code, Case.status == workflow.IN_PROGRESS,
                                 Case.step_due_at < now)
             .order_by(Case.step_due_at, Case.id).limit(LATE_LIMIT).subquery().select()
             for code in codes]
    merged = union_all(*parts).subquery()
    rows = s.execute(select(merged).order_by(merged.c.step_due_at, merged.c.id)  # type: ignore[attr-defined]
                     .limit(LATE_LIMIT)).all()
    holders = _holders(s, sops)
    calendar = get_calendar(db)
    by_code = {x.code: x for x in sops}
    out = []
    for case_id, code, number, title, step_no, lane_code, due in rows:
        sop = by_code[code]
        lane = sop.lane(lane_code)
        names = dict.fromkeys(n for r in lane.roles for n in holders.get(r, []))
        who = ", ".join(names) or "-"
        step = sop.step(step_no)
        out.append(LateCase(case_id, code, number, title, step_no, step.activity, lane.name,
                            who, due, calendar.working_minutes_between(due, now)))
    return out, total


def dashboard(db: Database, actor: Actor, q: DashboardQuery) -> Dashboard:
    """Every figure the standard-time dashboard shows for ``q``."""
    sops = _sops(db, actor, q)
    codes = [x.code for x in sops]
    calendar = get_calendar(db)
    now = db.now()
    steps_by_month, per_sop = _by_month(_sums(db, codes, q.year, ("month", "sop_code")), codes)
    previous, _ = _by_month(_sums(db, codes, q.year - 1, ("month", "sop_code")), codes)
    steps, lanes = _step_figures(_sums(db, codes, q.year, ("sop_code", "step_no", "bucket")),
                                 sops, calendar)
    with db.read() as s:
        cases_by_month = _cases_by_month(s, codes, q.year)
        late, late_total = _late(db, s, sops, now)
    return Dashboard(q, sops, steps_by_month, cases_by_month, previous, steps, lanes, per_sop,
                     late, late_total, max(1, round(calendar.average_day_minutes)))


def cases_behind(db: Database, actor: Actor, q: DashboardQuery, *, month: int | None = None,
                 sop_code: str | None = None, step_no: int | None = None,
                 late_only: bool = False, finished: bool = False,
                 limit: int = 1000) -> list[cases.CaseRow]:
    """The cases behind a bar, newest first, at most ``limit``: with ``finished``, the cases
    finished in ``month`` of the year (or in the year); else the cases with a step done then,
    of one SOP and step if given, only those that missed the standard with ``late_only``."""
    sops = _sops(db, actor, q)
    codes = [x.code for x in sops if sop_code in (None, x.code)]
    if not codes:
        return []
    period = Period.month(q.year, month) if month else Period.year(q.year)
    if finished:
        conds = [Case.closed_at >= period.start_at, Case.closed_at < period.end_before,
                 Case.status == workflow.COMPLETED]
        if late_only:
            conds.append(Case.closed_at > Case.due_at)
        stmt = select(Case.id).where(*conds, Case.sop_code.in_(codes))
    else:
        conds = [StepEvent.finished_at >= period.start_at,
                 StepEvent.finished_at < period.end_before, StepEvent.action.in_(STEP_ACTIONS)]
        if step_no is not None:
            conds.append(StepEvent.step_no == step_no)
        if late_only:
            conds.append(StepEvent.on_time.is_(False))
        ids = select(StepEvent.case_id).where(*conds).distinct().subquery()
        stmt = select(Case.id).where(Case.id.in_(select(ids.c.case_id)),
                                     Case.sop_code.in_(codes))
    with db.read() as s:
        found = list(s.scalars(stmt.order_by(Case.registered_at.desc(), Case.id.desc())
                               .limit(limit)))
    return cases.case_rows(db, found)
