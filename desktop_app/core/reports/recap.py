"""Monthly recaps the Kepala Bidang sends up: per SOP, the trainings and the disputes.

* :func:`sop_recap` — per SOP: files received, declared complete and returned at the
  counter, finished, rejected, withdrawn, still open at the end of the period, finished
  late and open past their standard time at the end of the period.
* :func:`training_recap` — trainings starting in the period, their participants by sex and
  education, attendance against the quota.
* :func:`dispute_recap` — industrial disputes registered in the period, by kind and outcome
  (agreement, *Perjanjian Bersama*, or a request for a mediator).

"Late" is against the case's standard time: ``due_at``, the sum of its steps' standard times
on the office calendar from registration (see ``cases.register_case``). Counts come from
the cases' own columns (``ix_cases_closed``, ``ix_cases_sop_status_due``) and the step
events of the period; the AK/I recap is in :mod:`ipk`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, case, func, select

from desktop_app.core import sqlfn, workflow
from desktop_app.core.auth import Actor
from desktop_app.core.db import Database
from desktop_app.core.models import TRAINING_START, Case, StepEvent
from desktop_app.core.reports import access, step_stats
from desktop_app.core.reports.export import Column, Recap, Section
from desktop_app.core.reports.period import Period
from desktop_app.core.sop import Sop

FIGURES = (
    ("diterima", "Diterima"), ("lengkap", "Lengkap"), ("dikembalikan", "Dikembalikan"),
    ("selesai", "Selesai"), ("ditolak", "Ditolak"), ("ditarik", "Ditarik"),
    ("terbuka", "Masih terbuka"), ("selesai_terlambat", "Selesai terlambat"),
    ("terbuka_terlambat", "Terbuka lewat waktu"),
)
_CLOSED = {workflow.COMPLETED: "selesai", workflow.REJECTED: "ditolak",
           workflow.WITHDRAWN: "ditarik"}


@dataclass
class SopFigures:
    sop_code: str
    label: str
    counts: Counter[str] = field(default_factory=Counter)


def sop_recap(db: Database, actor: Actor, period: Period) -> list[SopFigures]:
    """One :class:`SopFigures` per SOP the reader may see (figures named in :data:`FIGURES`)."""
    sops = access.require_any(db, actor, "rekap_layanan")
    codes = [s.code for s in sops]
    start, end = period.start_at, period.end_before
    open_now = Case.status.in_(workflow.OPEN_STATUSES)
    out = {s.code: SopFigures(s.code, s.tab_label) for s in sops}
    for code, action, n in _checks(db, codes, period):
        out[code].counts["lengkap" if action == workflow.COMPLETE_OK else "dikembalikan"] += n
    with db.read() as s:
        per_sop = select(Case.sop_code, func.count()).group_by(Case.sop_code)
        mine = Case.sop_code.in_(codes)
        for code, n in s.execute(per_sop.where(mine, Case.registered_at >= start,
                                               Case.registered_at < end)):
            out[code].counts["diterima"] = n
        late = func.sum(case((Case.closed_at > Case.due_at, 1), else_=0))
        for code, status, n, n_late in s.execute(
                select(Case.sop_code, Case.status, func.count(), late)
                .where(mine, Case.closed_at >= start, Case.closed_at < end)
                .group_by(Case.sop_code, Case.status)):
            out[code].counts[_CLOSED.get(status, status)] += n
            if status == workflow.COMPLETED:
                out[code].counts["selesai_terlambat"] += int(n_late or 0)
        # Open at the end of the period: open now, or closed only after it. A case due before
        # the end was registered before it (due_at >= registered_at), so "due < end" says both.
        # Both counts in one pass over the open cases of each SOP, read from the index
        # ix_cases_sop_status_due_registered alone (two range counts read them twice).
        for code, was_open, was_late in s.execute(
                select(Case.sop_code, func.sum(case((Case.registered_at < end, 1), else_=0)),
                       func.sum(case((Case.due_at < end, 1), else_=0)))
                .where(mine, open_now).group_by(Case.sop_code)):
            out[code].counts["terbuka"] += int(was_open or 0)
            out[code].counts["terbuka_terlambat"] += int(was_late or 0)
        # Closed after the end: read from ix_cases_closed. Grouped by an expression, since
        # SQLite would otherwise walk a sop_code index (for the grouping) over every case.
        group = func.lower(Case.sop_code)
        for code, was_open, was_late in s.execute(
                select(group, func.sum(case((Case.registered_at < end, 1), else_=0)),
                       func.sum(case((Case.due_at < end, 1), else_=0)))
                .where(Case.closed_at >= end).group_by(group)):
            if code in out:
                out[code].counts["terbuka"] += int(was_open or 0)
                out[code].counts["terbuka_terlambat"] += int(was_late or 0)
    return [out[c] for c in codes]


_CHECKS = (workflow.COMPLETE_OK, workflow.INCOMPLETE)


def _checks(db: Database, codes: list[str], period: Period) -> list[tuple[str, str, int]]:
    """(sop, check decision, count) of the period: from the monthly step sums when the
    period is whole months (a month's events each joined to its case was the recap's
    costliest read), else from the events themselves."""
    whole_months = period.start.day == 1 and (period.end + timedelta(days=1)).day == 1
    if whole_months:
        rows = step_stats.sums(
            db, codes, step_stats.month_key(period.start.year, period.start.month),
            step_stats.month_key(period.end.year, period.end.month), _CHECKS,
            ("sop_code", "action"), refresh_first=False)
        return [(r.key[0], r.key[1], r.n) for r in rows]
    stmt = (select(Case.sop_code, StepEvent.action, func.count())
            .join(Case, Case.id == StepEvent.case_id)
            .where(StepEvent.finished_at >= period.start_at,
                   StepEvent.finished_at < period.end_before, StepEvent.action.in_(_CHECKS),
                   Case.sop_code.in_(codes))
            .group_by(Case.sop_code, StepEvent.action))
    with db.read() as s:
        return [(code, action, n) for code, action, n in s.execute(stmt)]


def sop_recap_table(figures: list[SopFigures], period: Period) -> Recap:
    columns = [Column("Layanan", "text", 22), *[Column(label, "int", 9) for _, label in FIGURES]]
    rows: list[list[Any]] = [[f.label, *[f.counts[k] for k, _ in FIGURES]] for f in figures]
    rows.append(["Jumlah", *[sum(f.counts[k] for f in figures) for k, _ in FIGURES]])
    return Recap(
        title="Rekapitulasi Pelayanan per SOP", subtitle=f"Periode: {period.label}",
        sections=[Section("", columns, rows, totals=frozenset({len(rows) - 1}))],
        notes=["Diterima: berkas terdaftar dalam periode. Lengkap/Dikembalikan: keputusan "
               "pemeriksaan kelengkapan dalam periode. Selesai/Ditolak/Ditarik: berkas yang "
               "ditutup dalam periode. Masih terbuka: berkas yang belum selesai pada akhir "
               "periode. Terlambat: melewati jumlah waktu baku seluruh langkah SOP (hari kerja "
               "menurut kalender kantor)."],
        sheet_name="Rekap Layanan")


# ------------------------------------------------------------------------- trainings


@dataclass
class TrainingRow:
    case_id: int
    register_number: str
    name: str
    kejuruan: str
    starts: str
    ends: str
    place: str
    quota: int | None
    participants: Counter[str]  # by sex: "L", "P", "?"
    attended: int | None
    status: str
    by_education: Counter[str] = field(default_factory=Counter)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def training_query(period: Period) -> Select[Any]:
    """The trainings whose first day falls in ``period``, in date order."""
    # The expression of ix_cases_sop_training_start, key as a literal: the planner reads the
    # trainings of the period from that index (Case.data[...] binds the JSON path as a
    # parameter, which no index expression matches).
    starts = sqlfn.json_text(Case.data, TRAINING_START)
    # A training is planned (registered) before it ends and at most a year ahead.
    return (select(Case.id, Case.register_number, Case.title, Case.status, Case.data)
            .where(Case.sop_code == "pelatihan",
                   Case.registered_at >= period.start_at - timedelta(days=366),
                   Case.registered_at < period.end_before,
                   starts >= period.start.isoformat(), starts <= period.end.isoformat())
            .order_by(starts, Case.id))


def training_recap(db: Database, actor: Actor, period: Period) -> list[TrainingRow]:
    """Trainings whose first day falls in ``period`` (planned at most a year before), in
    date order."""
    access.require_sop(db, actor, "pelatihan", "rekap_pelatihan")
    with db.read() as s:
        rows = s.execute(training_query(period)).all()
    out = []
    for case_id, number, title, status, data in rows:
        data = data or {}
        people = [p for p in data.get("peserta") or [] if isinstance(p, dict)]
        sexes = Counter(p.get("jenis_kelamin") if p.get("jenis_kelamin") in ("L", "P") else "?"
                        for p in people)
        education = Counter(str(p.get("pendidikan") or "Tidak tercatat").strip().upper()
                            for p in people)
        out.append(TrainingRow(
            case_id, number, title, str(data.get("kejuruan") or "-"),
            str(data.get("tanggal_mulai") or ""), str(data.get("tanggal_selesai") or ""),
            str(data.get("tempat") or "-"), _int(data.get("kuota_peserta")), sexes,
            _int(data.get("laporan_jumlah_hadir")), workflow.STATUS_LABELS.get(status, status),
            education))
    return out


def training_recap_table(rows: list[TrainingRow], period: Period) -> Recap:
    from datetime import date

    def day(text: str) -> Any:
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None

    columns = [Column("No. Register", "text", 15), Column("Pelatihan", "text", 28),
               Column("Kejuruan", "text", 14), Column("Mulai", "date", 11),
               Column("Selesai", "date", 11), Column("Tempat", "text", 18),
               Column("Kuota", "int", 7), Column("Peserta L", "int", 8),
               Column("Peserta P", "int", 8), Column("Jumlah", "int", 8),
               Column("Hadir", "int", 7), Column("Status", "text", 14)]
    table = [[r.register_number, r.name, r.kejuruan, day(r.starts), day(r.ends), r.place,
              r.quota, r.participants["L"], r.participants["P"], sum(r.participants.values()),
              r.attended, r.status] for r in rows]
    total = ["Jumlah", f"{len(rows)} pelatihan", None, None, None, None,
             sum(r.quota or 0 for r in rows), sum(r.participants["L"] for r in rows),
             sum(r.participants["P"] for r in rows),
             sum(sum(r.participants.values()) for r in rows),
             sum(r.attended or 0 for r in rows), None]
    education: Counter[str] = Counter()
    for r in rows:
        education.update(r.by_education)
    edu_rows: list[list[Any]] = [[k, n] for k, n in sorted(education.items())]
    edu_rows.append(["Jumlah", sum(education.values())])
    return Recap(
        title="Rekapitulasi Peserta Pelatihan", subtitle=f"Periode: {period.label}",
        sections=[Section("Pelatihan yang dimulai dalam periode", columns, [*table, total],
                          totals=frozenset({len(table)})),
                  Section("Peserta menurut pendidikan", [Column("Pendidikan", "text", 24),
                                                          Column("Peserta", "int", 9)],
                          edu_rows, totals=frozenset({len(edu_rows) - 1}))],
        sheet_name="Rekap Pelatihan")


# ------------------------------------------------------------------------- disputes

OUTCOMES = (
    ("pb", "Sepakat — Perjanjian Bersama"),
    ("mediator_selesai", "Tidak sepakat — permohonan mediator dikirim"),
    ("mediator_proses", "Tidak sepakat — permohonan mediator diproses"),
    ("bipartit", "Perundingan bipartit berjalan"),
    ("verifikasi", "Menunggu verifikasi berkas"),
    ("dikembalikan", "Dikembalikan kepada pemohon"),
    ("ditolak", "Ditolak"),
    ("ditarik", "Ditarik"),
)


def outcome_of(sop: Sop, status: str, step_no: int) -> str:
    """Where a dispute stands, from its status and step (the bipartite step closes the case
    on an agreement; without one the case moves on to the mediator request)."""
    bip = next((s.no for s in sop.steps if s.kind == "bipartite"), 0)
    if status == workflow.COMPLETED:
        return "pb" if step_no <= bip else "mediator_selesai"
    if status == workflow.RETURNED:
        return "dikembalikan"
    if status in (workflow.REJECTED, workflow.WITHDRAWN):
        return _CLOSED[status]
    if step_no > bip:
        return "mediator_proses"
    return "bipartit" if step_no == bip else "verifikasi"


def dispute_recap(db: Database, actor: Actor, period: Period) -> Counter[tuple[str, str]]:
    """Disputes registered in ``period``: counts by (outcome, kind of dispute)."""
    sop = access.require_sop(db, actor, "phi", "rekap_perselisihan")
    kind = Case.data["jenis_perselisihan"].as_string()
    out: Counter[tuple[str, str]] = Counter()
    with db.read() as s:
        for status, step_no, jenis, n in s.execute(
                select(Case.status, Case.current_step, kind, func.count())
                .where(Case.sop_code == sop.code, Case.registered_at >= period.start_at,
                       Case.registered_at < period.end_before)
                .group_by(Case.status, Case.current_step, kind)):
            out[(outcome_of(sop, status, step_no), jenis or "Tidak tercatat")] += n
    return out


def dispute_recap_table(counts: Counter[tuple[str, str]], period: Period) -> Recap:
    from desktop_app.core.sop import sop_by_code

    field_ = sop_by_code("phi").field("jenis_perselisihan")
    kinds = list(field_.choices if field_ else ())
    kinds += sorted({k for _, k in counts} - set(kinds))
    rows: list[list[Any]] = []
    for code, label in OUTCOMES:
        values = [counts[(code, k)] for k in kinds]
        rows.append([label, *values, sum(values)])
    totals = [sum(counts[(c, k)] for c, _ in OUTCOMES) for k in kinds]
    rows.append(["Jumlah", *totals, sum(totals)])
    columns = [Column("Hasil / keadaan", "text", 34),
               *[Column(k.replace("Perselisihan ", "").capitalize(), "int", 12) for k in kinds],
               Column("Jumlah", "int", 8)]
    return Recap(
        title="Rekapitulasi Perselisihan Hubungan Industrial",
        subtitle=f"Perselisihan yang dicatat dalam periode: {period.label}",
        sections=[Section("Menurut hasil penyelesaian dan jenis perselisihan", columns, rows,
                          totals=frozenset({len(rows) - 1}))],
        notes=["Keadaan per tanggal cetak. Sepakat: perundingan bipartit menghasilkan "
               "Perjanjian Bersama (UU 2/2004). Tidak sepakat: dinas memohon bantuan mediator "
               "kepada dinas yang memiliki mediator (SOP 503/46)."],
        sheet_name="Rekap PHI")
