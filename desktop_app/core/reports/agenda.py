"""The Buku Agenda Surat Keluar: every letter number the office has taken, in issue order.

A query over the documents table, not a book of its own: whatever numbers exist are listed
with their state (waiting for paraf or signature, signed, voided) and, where a voided letter
was replaced, the number that replaced it and the one it replaced. When and how a number is
taken is the documents' business (``documents/service.py``); the agenda follows it.

Only numbers of the letter series count (documents with a classification code); the AK/I
card's number is the job seeker's number and lives in the AK/I register. The date is the
signing date once signed (the date the letter carries), else the day the number was taken;
the order is the order the numbers were taken in (``rendered_at`` of the numbered face, then
id). The addressee comes from the SOP file's ``addressee`` of the document, filled with the
case's intake data.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, literal, select, tuple_

from desktop_app.core.auth import Actor
from desktop_app.core.db import Database
from desktop_app.core.errors import ValidationError
from desktop_app.core.models import Case, Document, DocumentApproval
from desktop_app.core.reports import access
from desktop_app.core.reports.export import Column, ReportTable
from desktop_app.core.reports.period import Period
from desktop_app.core.sop import Sop, sop_by_code

CHUNK = 1000
ISSUED = "terbit"
VOIDED_FILTER = "batal"
STATUS_CHOICES = (("", "Semua nomor"), (ISSUED, "Berlaku"), (VOIDED_FILTER, "Dibatalkan"))

_SIGNED, _VOIDED = "ditandatangani", "dibatalkan"
_STATUS = {"draf": "Draf", "menunggu_paraf": "Menunggu paraf",
           "menunggu_ttd": "Menunggu tanda tangan", _SIGNED: "Ditandatangani",
           _VOIDED: "Dibatalkan", "diterbitkan": "Diterbitkan"}

COLUMNS: tuple[Column, ...] = (
    Column("No.", "int", 5), Column("Tanggal", "date", 13), Column("Nomor Surat", "text", 24),
    Column("Kode Klasifikasi", "text", 10), Column("Hal", "text", 28),
    Column("Tujuan", "text", 30), Column("Penandatangan", "text", 22),
    Column("Status", "text", 16), Column("Layanan", "text", 15),
    Column("No. Register", "text", 16), Column("Keterangan", "text", 26),
)


@dataclass(frozen=True)
class AgendaQuery:
    """Numbers taken in ``period``; one SOP or (None) every SOP the reader may see;
    ``status`` "" (all), :data:`ISSUED` or :data:`VOIDED_FILTER`."""

    period: Period
    sop_code: str | None = None
    status: str = ""


@dataclass(frozen=True)
class AgendaRow:
    document_id: int
    case_id: int
    values: tuple[Any, ...]  # the columns after "No."


def _sop_codes(db: Database, actor: Actor, q: AgendaQuery) -> tuple[str, ...]:
    if q.status not in dict(STATUS_CHOICES):
        raise ValidationError({"status": f"Status tidak dikenal: {q.status}"})
    if q.sop_code:
        return (access.require_sop(db, actor, q.sop_code, "agenda_surat_keluar").code,)
    return tuple(s.code for s in access.require_any(db, actor, "agenda_surat_keluar"))


def _filtered(stmt: Select, q: AgendaQuery, codes: tuple[str, ...]) -> Select:
    stmt = stmt.join(Case, Case.id == Document.case_id).where(
        Document.number.is_not(None), Document.classification_code.is_not(None),
        Document.rendered_at >= q.period.start_at, Document.rendered_at < q.period.end_before,
        Case.sop_code.in_(codes))
    if q.status == ISSUED:
        stmt = stmt.where(Document.status != _VOIDED)
    elif q.status == VOIDED_FILTER:
        stmt = stmt.where(Document.status == _VOIDED)
    return stmt


def count(db: Database, actor: Actor, q: AgendaQuery) -> int:
    codes = _sop_codes(db, actor, q)
    with db.read() as s:
        return s.scalar(_filtered(select(func.count(Document.id)), q, codes)) or 0


def document_ids(db: Database, actor: Actor, q: AgendaQuery) -> list[int]:
    """Ids of the agenda's documents, in the order their numbers were taken."""
    codes = _sop_codes(db, actor, q)
    with db.read() as s:
        return list(s.scalars(_filtered(select(Document.id), q, codes)
                              .order_by(Document.rendered_at, Document.id)))


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "…"


def addressee(template: str, data: Mapping[str, Any]) -> str:
    """``template`` ("Kepala Kantor Imigrasi {kantor_imigrasi}") filled from the intake
    data; a list field gives its rows' names, a value not filled in shows as "…"."""
    if not template:
        return ""
    values = _Blank()
    for _, name, _, _ in string.Formatter().parse(template):
        if not name:
            continue
        value = data.get(name)
        if isinstance(value, list):
            value = ", ".join(str(v.get("nama") if isinstance(v, Mapping) else v)
                              for v in value if v) or None
        if value not in (None, ""):
            values[name] = value
    text = string.Formatter().vformat(template, (), values)
    # "Kepala Kantor Imigrasi {x}" with x = "Kepala Kantor Imigrasi Kelas III …": once only.
    words = text.split()
    for n in range(len(words) // 2, 1, -1):
        if words[:n] == words[n:2 * n]:
            return " ".join(words[n:])
    return text


_ROW = (Document.id, Document.case_id, Document.doc_type, Document.seq, Document.version,
        Document.status, Document.number, Document.classification_code, Document.rendered_at,
        Document.signed_at, Document.voided_at, Document.void_reason, Case.sop_code,
        Case.register_number, Case.data)


def _signers(s: Any, ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    rows = s.execute(select(DocumentApproval.document_id, DocumentApproval.user_name,
                            DocumentApproval.delegation_kind, DocumentApproval.on_behalf_of_name)
                     .where(DocumentApproval.document_id.in_(list(ids)),
                            DocumentApproval.kind == "ttd").order_by(DocumentApproval.id))
    for doc_id, name, kind, principal in rows:
        out[doc_id] = f"{name} ({kind} {principal})" if kind and principal else name
    return out


def _versions(s: Any, keys: set[tuple[int, str, int]]) -> dict[tuple[int, str, int], dict[int, str]]:
    """Numbered versions of each (case, type, seq): {version: number}."""
    if not keys:
        return {}
    out: dict[tuple[int, str, int], dict[int, str]] = {}
    rows = s.execute(select(Document.case_id, Document.doc_type, Document.seq, Document.version,
                            Document.number)
                     .where(tuple_(Document.case_id, Document.doc_type, Document.seq)
                            .in_(list(keys)), Document.number.is_not(None)))
    for case_id, doc_type, seq, version, number in rows:
        out.setdefault((case_id, doc_type, seq), {})[version] = number
    return out


def _note(row: Any, versions: dict[int, str]) -> str:
    parts = []
    version, status = row.version, row.status
    older = [versions[v] for v in sorted(versions) if v < version]
    newer = [versions[v] for v in sorted(versions) if v > version]
    if status == _VOIDED:
        when = row.voided_at.strftime("%d-%m-%Y") if row.voided_at else ""
        parts.append(f"Dibatalkan {when}: {row.void_reason or '-'}".replace("  ", " "))
        if newer:
            parts.append(f"diganti nomor {newer[0]}")
    if older:
        parts.append(f"pengganti nomor {older[-1]}")
    return "; ".join(parts)


def _values(sop: Sop, row: Any, signer: str | None, versions: dict[int, str]) -> tuple[Any, ...]:
    from desktop_app.core.documents.context import hal_of

    spec = sop.document(row.doc_type)
    when = row.signed_at or row.rendered_at
    if signer is None:
        lane = sop.lane(spec.sign_lane).name if spec and spec.sign_lane else ""
        signer = f"(menunggu: {lane})" if lane and row.status != _VOIDED else "-"
    return (when.date() if when else None, row.number, row.classification_code,
            hal_of(row.doc_type, sop), addressee(spec.addressee if spec else "", row.data or {})
            or "-", signer, _STATUS.get(row.status, row.status), sop.tab_label,
            row.register_number, _note(row, versions))


def _rows(s: Any, found: list[Any]) -> list[AgendaRow]:
    ids = [r.id for r in found]
    signers = _signers(s, ids)
    versions = _versions(s, {(r.case_id, r.doc_type, r.seq) for r in found})
    return [AgendaRow(r.id, r.case_id, _values(sop_by_code(r.sop_code), r, signers.get(r.id),
                                               versions.get((r.case_id, r.doc_type, r.seq), {})))
            for r in found]


def rows_for(db: Database, actor: Actor, ids: Sequence[int]) -> list[AgendaRow]:
    """Rows of the documents ``ids`` in the order given (SOPs the reader may not see are
    left out)."""
    codes = {s.code for s in access.visible_sops(actor)}
    if not ids:
        return []
    with db.read() as s:
        found = {r.id: r for r in s.execute(select(*_ROW).join(Case, Case.id == Document.case_id)
                                            .where(Document.id.in_(list(ids))))
                 if r.sop_code in codes}
        rows = {r.document_id: r for r in _rows(s, list(found.values()))}
    return [rows[i] for i in ids if i in rows]


def iter_rows(db: Database, actor: Actor, q: AgendaQuery) -> Iterator[tuple[Any, ...]]:
    """Every row, numbered from 1, read in keyset pages."""
    codes = _sop_codes(db, actor, q)
    after: tuple[Any, int] | None = None
    n = 0
    while True:
        stmt = _filtered(select(*_ROW), q, codes).order_by(Document.rendered_at, Document.id)
        if after is not None:
            # Typed binds: a bare value in tuple_() would skip UtcDateTime's conversion to UTC.
            stmt = stmt.where(tuple_(Document.rendered_at, Document.id) > tuple_(
                literal(after[0], Document.rendered_at.type), literal(after[1])))
        with db.read() as s:
            found = list(s.execute(stmt.limit(CHUNK)))
            rows = _rows(s, found)
        for r in rows:
            n += 1
            yield (n, *r.values)
        if len(found) < CHUNK:
            return
        after = (found[-1].rendered_at, found[-1].id)


def table(db: Database, actor: Actor, q: AgendaQuery) -> ReportTable:
    """The agenda as an export table."""
    codes = _sop_codes(db, actor, q)
    which = sop_by_code(q.sop_code).tab_label if q.sop_code else (
        "semua layanan" if len(codes) == len(access.visible_sops(actor)) else "")
    status = dict(STATUS_CHOICES)[q.status].lower()
    return ReportTable(
        title="Buku Agenda Surat Keluar",
        subtitle=f"Periode: {q.period.label} · {which} · {status}",
        columns=COLUMNS, rows=iter_rows(db, actor, q), sheet_name="Agenda Surat Keluar")
