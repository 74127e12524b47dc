"""Due times: a step's standard time on the office calendar and a case's due state."""

from __future__ import annotations

from datetime import datetime

from desktop_app.core.db import Database
from desktop_app.core.office_calendar import OfficeCalendar
from desktop_app.core.settings import get_calendar
from desktop_app.core.sop import Sop, Step


def _standard_minutes(step: Step, calendar: OfficeCalendar) -> int:
    return step.time.total_minutes_estimate(calendar)


def _case_due(sop: Sop, start_step: int, start: datetime, calendar: OfficeCalendar) -> datetime:
    due = start
    for step in sop.steps[start_step - 1:]:
        due = calendar.add_standard_time(due, step.time)
    return due


def due_state(db: Database, due: datetime | None, now: datetime | None = None) -> str:
    """"tepat_waktu", "segera" or "terlambat" on the office calendar ("" when not running)."""
    if due is None:
        return ""
    return get_calendar(db).due_state(due, now or db.now())
