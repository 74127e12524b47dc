"""The Buku Register of an SOP: its cases of a period in book order, in the SOP file's columns.

The columns come from ``register_columns`` of the SOP file (:class:`sop.RegisterColumn`):
the case's own values (number, date, applicant, status, step, date finished, the number of
one of its documents) and intake fields (``data.<name>``). Like the SOP tabs, a screen asks
for the count and the ordered ids (filters are SQL, the order is ``registered_at, id`` as in
``ix_cases_sop_registered``) and then for the rows of the ids it shows; an export streams the
rows in keyset pages, so a year of a busy service never sits in memory at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, func, literal, select, tuple_

from desktop_app.core import workflow
from desktop_app.core.auth import Actor
from desktop_app.core.db import Database
from desktop_app.core.errors import ValidationError
from desktop_app.core.models import Case, Document
from desktop_app.core.reports import access
from desktop_app.core.reports.export import Column, ReportTable
from desktop_app.core.reports.period import Period
from desktop_app.core.sop import RegisterColumn, Sop, sop_by_code

CHUNK = 2000
VOIDED = "dibatalkan"  # documents.service.VOIDED (not imported: that module pulls in rendering)
OPEN = "__open__"

_FIELD_KINDS = {"date": "date", "integer": "int", "money": "money", "list": "int"}
_KEY_KINDS = {"tanggal_daftar": "date", "tanggal_selesai": "date"}
_KEY_WIDTHS = {"nomor_register": 16, "pemohon": 24, "status": 18, "langkah": 28,
               "nomor_dokumen": 20}
_FIELD_WIDTHS = {"nik": 17, "date": 11, "integer": 8, "money": 14}

STATUS_CHOICES: tuple[tuple[str, str], ...] = (
    ("", "Semua status"),
    (OPEN, "Masih terbuka"),
    *workflow.STATUS_LABELS.items(),
)


@dataclass(frozen=True)
class RegisterQuery:
    """Which cases the register shows: one SOP, registered in ``period``, of ``statuses``
    (empty: all; :data:`OPEN`: in progress or returned)."""

    sop_code: str
    period: Period
    statuses: tuple[str, ...] = ()
    descending: bool = False

    def status_values(self) -> tuple[str, ...]:
        out: list[str] = []
        for s in self.statuses:
            out.extend(workflow.OPEN_STATUSES if s == OPEN else (s,))
        return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class RegisterRow:
    case_id: int
    values: tuple[Any, ...]


def _kind(sop: Sop, col: RegisterColumn) -> str:
    name = col.field_name
    if name is not None:
        f = sop.field(name)
        return _FIELD_KINDS.get(f.type, "text") if f else "text"
    return _KEY_KINDS.get(col.key, "text")


def columns(sop: Sop) -> tuple[Column, ...]:
    """The export columns: "No." then the SOP file's register columns."""
    out = [Column("No.", "int", 6)]
    for col in sop.register_columns:
        f = sop.field(col.field_name) if col.field_name else None
        width = col.width or (_FIELD_WIDTHS.get(f.type, 0) if f else _KEY_WIDTHS.get(col.key, 0))
        out.append(Column(col.label, _kind(sop, col), width))
    return tuple(out)


# ------------------------------------------------------------------------ queries


def _check(db: Database, actor: Actor, q: RegisterQuery) -> Sop:
    sop = access.require_sop(db, actor, q.sop_code, "buku_register")
    unknown = [s for s in q.statuses if s != OPEN and s not in workflow.STATUS_LABELS]
    if unknown:
        raise ValidationError({"status": f"Status tidak dikenal: {', '.join(unknown)}"})
    return sop


def _filtered(stmt: Select, q: RegisterQuery) -> Select:
    conds = [Case.sop_code == q.sop_code, Case.registered_at >= q.period.start_at,
             Case.registered_at < q.period.end_before]
    statuses = q.status_values()
    if statuses:
        conds.append(Case.status.in_(statuses))
    return stmt.where(*conds)


def _ordered(stmt: Select, q: RegisterQuery) -> Select:
    if q.descending:
        return stmt.order_by(Case.registered_at.desc(), Case.id.desc())
    return stmt.order_by(Case.registered_at, Case.id)


def count(db: Database, actor: Actor, q: RegisterQuery) -> int:
    """How many cases the register holds for ``q``."""
    _check(db, actor, q)
    with db.read() as s:
        return s.scalar(_filtered(select(func.count(Case.id)), q)) or 0


def case_ids(db: Database, actor: Actor, q: RegisterQuery) -> list[int]:
    """The ids of the register's cases, in book order."""
    _check(db, actor, q)
    with db.read() as s:
        return list(s.scalars(_ordered(_filtered(select(Case.id), q), q)))


_ROW = (Case.id, Case.register_number, Case.registered_at, Case.title, Case.status,
        Case.current_step, Case.closed_at, Case.data)


def _document_numbers(s: Any, sop: Sop, ids: Sequence[int]) -> dict[tuple[int, str], str]:
    wanted = [c.document for c in sop.register_columns if c.key == "nomor_dokumen"]
    if not wanted or not ids:
        return {}
    out: dict[tuple[int, str], str] = {}
    rows = s.execute(
        select(Document.case_id, Document.doc_type, Document.number)
        .where(Document.case_id.in_(list(ids)), Document.doc_type.in_(wanted),
               Document.number.is_not(None), Document.status != VOIDED)
        .order_by(Document.version))
    for case_id, doc_type, number in rows:
        out[(case_id, doc_type)] = number  # the newest version wins
    return out


def _field_value(kind: str, value: Any) -> Any:
    if value in (None, "", [], {}):
        return None
    if kind == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return value
    if kind in ("int", "money") and isinstance(value, list):
        return len(value)
    if kind in ("int", "money"):
        try:
            return int(value)
        except (TypeError, ValueError):
            return value
    return value if isinstance(value, (str, int, float)) else str(value)


@cache
def _plan(sop_code: str) -> tuple[tuple[str, str | None, str, str], ...]:
    """Per column: (key, intake field, kind, document), worked out once per SOP."""
    sop = sop_by_code(sop_code)
    return tuple((c.key, c.field_name, _kind(sop, c), c.document) for c in sop.register_columns)


def _values(sop: Sop, row: Any, numbers: dict[tuple[int, str], str]) -> tuple[Any, ...]:
    case_id, number, registered, title, status, step_no, closed, data = row
    data = data or {}
    step = sop.steps[step_no - 1] if 1 <= step_no <= len(sop.steps) else None
    out: list[Any] = []
    for key, field_name, kind, document in _plan(sop.code):
        if field_name is not None:
            out.append(_field_value(kind, data.get(field_name)))
        elif key == "nomor_register":
            out.append(number)
        elif key == "tanggal_daftar":
            out.append(registered.date())
        elif key == "pemohon":
            out.append(title)
        elif key == "status":
            out.append(workflow.status_label(status, step.kind if step else None))
        elif key == "langkah":
            out.append(f"{step.no}. {step.activity}" if step else str(step_no))
        elif key == "tanggal_selesai":
            out.append(closed.date() if isinstance(closed, datetime) else None)
        elif key == "nomor_dokumen":
            out.append(numbers.get((case_id, document)))
        else:  # the loader admits no other key
            out.append(None)
    return tuple(out)


def rows_for(db: Database, actor: Actor, sop_code: str, ids: Sequence[int]) -> list[RegisterRow]:
    """Rows of the cases ``ids`` (one SOP), in the order given; a case gone is left out."""
    sop = access.require_sop(db, actor, sop_code, "buku_register")
    if not ids:
        return []
    with db.read() as s:
        found = {r[0]: r for r in s.execute(select(*_ROW).where(
            Case.id.in_(list(ids)), Case.sop_code == sop_code))}
        numbers = _document_numbers(s, sop, list(found))
    return [RegisterRow(i, _values(sop, found[i], numbers)) for i in ids if i in found]


def first_page(db: Database, actor: Actor, q: RegisterQuery, limit: int = 100
               ) -> list[RegisterRow]:
    """The first ``limit`` rows (what a screen shows before the full id list arrives)."""
    sop = _check(db, actor, q)
    with db.read() as s:
        found = list(s.execute(_ordered(_filtered(select(*_ROW), q), q).limit(limit)))
        numbers = _document_numbers(s, sop, [r[0] for r in found])
    return [RegisterRow(r[0], _values(sop, r, numbers)) for r in found]


def iter_rows(db: Database, actor: Actor, q: RegisterQuery, chunk: int = CHUNK
              ) -> Iterator[tuple[Any, ...]]:
    """Every row in book order, numbered from 1, read in keyset pages of ``chunk``."""
    sop = _check(db, actor, q)
    after: tuple[datetime, int] | None = None
    n = 0
    while True:
        stmt = _ordered(_filtered(select(*_ROW), q), q).limit(chunk)
        if after is not None:
            key = tuple_(Case.registered_at, Case.id)
            # Typed binds: a bare value in tuple_() would skip UtcDateTime's conversion to UTC.
            cursor = tuple_(literal(after[0], Case.registered_at.type), literal(after[1]))
            stmt = stmt.where(key < cursor if q.descending else key > cursor)
        with db.read() as s:
            found = list(s.execute(stmt))
            numbers = _document_numbers(s, sop, [r[0] for r in found])
        for r in found:
            n += 1
            yield (n, *_values(sop, r, numbers))
        if len(found) < chunk:
            return
        after = (found[-1][2], found[-1][0])


def status_text(q: RegisterQuery) -> str:
    labels = dict(STATUS_CHOICES)
    return ", ".join(labels.get(s, s) for s in q.statuses) or "semua status"


def table(db: Database, actor: Actor, q: RegisterQuery) -> ReportTable:
    """The register as an export table (rows streamed from the database)."""
    sop = _check(db, actor, q)
    return ReportTable(
        title=sop.register_name,
        subtitle=f"Periode: {q.period.label} · Status: {status_text(q)} · SOP {sop.number}",
        columns=columns(sop),
        rows=iter_rows(db, actor, q),
        sheet_name=f"Register {sop.register_prefix}",
    )
