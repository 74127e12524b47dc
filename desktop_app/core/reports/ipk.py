"""The monthly AK/I recap in the layout of the IPK forms (labour-market information).

IPK III/1 (*Ikhtisar Statistik Antar Kerja*, the job-seeker part) counts, by age group and
sex: 1 not yet placed at the end of last month, 2 registered this month, A = 1+2, 3 placed,
4 removed, B = 3+4, 5 not yet placed at the end of this month = A−B. IPK III/2 counts the
same flows by education. Then the registrations by kecamatan, and the card figures: cards
issued, re-registrations, reports due and overdue, cards expired.

Definitions (see ``docs/reports.md`` for the sources and what is uncertain):

* a job seeker *registers* on the registration date of an AK/I case that ended *selesai*
  (the date the card carries); age and education are those at registration;
* a card *ends* at a placement, a removal or two years after registration (expiry counts as
  removal, *dihapuskan*): :func:`ak1_cards.card_end`;
* the age groups, education categories and removal reasons are data
  (``resources/reports/ipk.toml``), since offices differ.

The flows are counted in the database (:func:`_count_flows`, one grouped query; the date
arithmetic in :mod:`desktop_app.core.sqlfn`, the same on SQLite and PostgreSQL);
``tests/core/test_ipk_sql.py`` holds them against a card-by-card Python reference.

The vacancy part of III/1 (L, W, L+W) is not filled: the program does not record vacancies.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import and_, case, exists, func, literal, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.core import sqlfn, workflow
from desktop_app.core.auth import Actor
from desktop_app.core.db import Database
from desktop_app.core.documents.card import VALIDITY_YEARS, add_months
from desktop_app.core.models import Ak1CardEvent, Case
from desktop_app.core.nik import KECAMATAN_PAGAR_ALAM, PAGAR_ALAM_CITY_CODE
from desktop_app.core.reports import access
from desktop_app.core.reports.ak1_cards import (
    AK1,
    PLACED,
    REMOVED,
    REPORT,
    REPORT_MONTHS,
)
from desktop_app.core.reports.export import Column, Recap, Section
from desktop_app.core.reports.period import Period
from desktop_app.core.sop import SopError, TableReader

SEXES = ("L", "P")
FLOWS = ("awal", "daftar", "tempat", "hapus", "akhir")  # III/2 columns in order
UNKNOWN = "?"


@dataclass(frozen=True)
class AgeGroup:
    label: str
    min: int
    max: int | None

    def holds(self, age: int) -> bool:
        return age >= self.min and (self.max is None or age <= self.max)


@dataclass(frozen=True)
class EducationCategory:
    code: str
    label: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class IpkData:
    age_groups: tuple[AgeGroup, ...]
    education: tuple[EducationCategory, ...]
    removal_reasons: tuple[str, ...]


def parse_ipk(data: dict[str, Any], source: str = "ipk.toml") -> IpkData:
    """Validate the IPK data file; errors name the file and the field (as the SOP loader)."""
    r = TableReader(source, data)
    r.unknown_keys({"age_groups", "education", "removal_reasons"})
    groups = []
    for g in r.tables("age_groups", nonempty=True):
        g.unknown_keys({"label", "min", "max"})
        low, high = g.get("min", int), g.get("max", int, None)
        if high is not None and high < low:
            raise g.fail("max", "must not be below min")
        if groups and (groups[-1].max is None or low != groups[-1].max + 1):
            raise g.fail("min", "age groups must follow each other without gaps")
        groups.append(AgeGroup(g.get("label", str, nonempty=True), low, high))
    categories, seen = [], set()
    for e in r.tables("education", nonempty=True):
        e.unknown_keys({"code", "label", "levels"})
        levels = e.strings("levels", nonempty=True)
        twice = seen.intersection(levels)
        if twice:
            raise e.fail("levels", f"'{sorted(twice)[0]}' is already in another category")
        seen.update(levels)
        categories.append(EducationCategory(e.get("code", str, nonempty=True),
                                            e.get("label", str, nonempty=True), levels))
    return IpkData(tuple(groups), tuple(categories), r.strings("removal_reasons", nonempty=True))


@cache
def ipk_data() -> IpkData:
    from desktop_app.resources import resource_path

    path = resource_path("reports", "ipk.toml")
    try:
        with path.open("rb") as fh:
            return parse_ipk(tomllib.load(fh), path.name)
    except tomllib.TOMLDecodeError as exc:
        raise SopError(f"{path.name}: not valid TOML: {exc}") from None


def removal_reasons() -> tuple[str, ...]:
    return ipk_data().removal_reasons


# ------------------------------------------------------------------------------ data


@cache
def _kecamatan(value: str | None, region: str | None) -> str:
    """The kecamatan as typed (tidied), else from the NIK's region code (its first six digits)."""
    if value and value.strip():
        return " ".join(w.capitalize() for w in value.split())
    if region and region.startswith(PAGAR_ALAM_CITY_CODE):
        return KECAMATAN_PAGAR_ALAM.get(f"{region[:2]}.{region[2:4]}.{region[4:6]}",
                                        "Tidak tercatat")
    return "Luar Kota Pagar Alam" if region else "Tidak tercatat"


def _sex(sex: Any) -> ColumnElement[str]:
    return case((sex.in_(SEXES), sex), else_=literal(UNKNOWN))


def _category(data: IpkData, level: Any) -> ColumnElement[str]:
    """The education category code of the intake's level (UNKNOWN for none or another)."""
    return case(*[(level.in_(c.levels), literal(c.code)) for c in data.education],
                else_=literal(UNKNOWN))


def _age(birth: Any, registered: Any) -> ColumnElement[int]:
    """Whole years from a ``YYYY-MM-DD`` birth date to registration (NULL without one)."""
    return case((sqlfn.iso_date_valid(birth),
                 sqlfn.year_of(registered) - sqlfn.iso_year(birth)
                 - case((sqlfn.month_day_of(registered) < sqlfn.iso_month_day(birth), 1),
                        else_=0)))


def _age_group(data: IpkData, age: Any) -> ColumnElement[str]:
    """The age group label: the group holding the age, the youngest's below it, UNKNOWN
    without an age (or above a closed last group)."""
    groups = data.age_groups
    whens = [(and_(age >= g.min, age <= g.max) if g.max is not None else age >= g.min,
              literal(g.label)) for g in groups]
    whens.append((age < groups[0].min, literal(groups[0].label)))
    return case(*whens, else_=literal(UNKNOWN))


def _materialized(stmt: Any, name: str) -> Any:
    """``stmt`` as a CTE each database computes once (SQLite and PostgreSQL would otherwise
    fold it into the outer query and work out every expression at each use)."""
    return stmt.cte(name).prefix_with("MATERIALIZED")


def _count_flows(db: Database, recap: Ak1Recap) -> None:
    """The IPK flows of every card that may count in the period, grouped in the database.

    A card is an AK/I case ended *selesai* registered up to the period's end and not ended
    before its start. Per card: its end is the first placement or removal before its expiry
    (the day after two years), else the expiry (:func:`ak1_cards.card_end`); its next report
    is due six months after the last report, or after registration
    (:func:`ak1_cards.next_report_due`). Events after the period are not known yet.

    Three steps, each computed once: the cards' raw fields (the JSON read once per card), each
    card's age, category, end and report due date, then the sums per age group, category
    and sex."""
    period, data = recap.period, ipk_data()
    start, end = period.start, period.end
    # A card counts until its end (at most the day after two years): registered a few days
    # before start − two years it can still end on the first day (registered 28 February
    # 2024, valid until 28 February 2026, ends 1 March 2026 — one day before "start − 24
    # months − 1 day"). The flows test each card's end exactly; the margin only bounds
    # the read.
    since = add_months(start, -12 * VALIDITY_YEARS) - timedelta(days=7)
    scope = and_(Case.sop_code == AK1, Case.status == workflow.COMPLETED,
                 Case.registered_at >= since, Case.registered_at < period.end_before)
    registered = sqlfn.day_of(Case.registered_at)
    expiry = sqlfn.add_days(sqlfn.add_months(registered, 12 * VALIDITY_YEARS), 1)
    kind, on = Ak1CardEvent.kind, Ak1CardEvent.on_date
    ends = and_(kind.in_((PLACED, REMOVED)), on < expiry)
    events = (select(Ak1CardEvent.case_id.label("case_id"),
                     func.min(case((ends, on))).label("end_on"),
                     func.min(case((and_(ends, kind == PLACED), on))).label("placed_on"),
                     func.max(case((kind == REPORT, on))).label("last_report"))
              .join(Case, Case.id == Ak1CardEvent.case_id)
              .where(scope, on <= end).group_by(Ak1CardEvent.case_id).subquery())
    raw = _materialized(select(
        Case.id.label("id"), registered.label("registered"),
        sqlfn.json_text(Case.data, "tanggal_lahir").label("birth"),
        sqlfn.json_text(Case.data, "jenis_kelamin").label("sex"),
        sqlfn.json_text(Case.data, "pendidikan_tingkat").label("level")).where(scope), "raw")
    reg = raw.c.registered
    card_expiry = sqlfn.add_days(sqlfn.add_months(reg, 12 * VALIDITY_YEARS), 1)
    last = case((events.c.last_report > reg, events.c.last_report), else_=reg)
    cards = _materialized(
        select(reg.label("registered"), _age(raw.c.birth, reg).label("age"),
               _category(data, raw.c.level).label("category"), _sex(raw.c.sex).label("sex"),
               func.coalesce(events.c.end_on, card_expiry).label("card_end"),
               case((events.c.end_on.is_(None), 1), else_=0).label("expired"),
               case((events.c.placed_on == events.c.end_on, 1), else_=0).label("placed"),
               sqlfn.add_months(last, REPORT_MONTHS).label("due"))
        .select_from(raw).outerjoin(events, events.c.case_id == raw.c.id), "cards")
    c = cards.c
    known = c.registered <= end
    gone = and_(known, c.card_end >= start, c.card_end <= end)
    active = and_(known, c.card_end > end)

    def n(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((condition, 1), else_=0))

    age = _age_group(data, c.age)
    stmt = (select(age, c.category, c.sex,
                   n(and_(c.registered < start, c.card_end >= start)),
                   n(and_(c.registered >= start, known)),
                   n(and_(gone, c.placed == 1)),
                   n(and_(gone, c.placed == 0)),
                   n(active),
                   n(and_(gone, c.expired == 1)),
                   n(and_(active, c.due >= start, c.due <= end)),
                   n(and_(active, c.due < start)))
            .group_by(age, c.category, c.sex))
    with db.read() as s:
        for a, cat, x, awal, daftar, tempat, hapus, akhir, expired, due_now, overdue in \
                s.execute(stmt):
            for flow, count in zip(FLOWS, (awal, daftar, tempat, hapus, akhir), strict=True):
                if count:
                    recap.flows[(flow, a, cat, x)] += int(count)
            recap.expired += int(expired or 0)
            recap.reports_due += int(due_now or 0)
            recap.reports_overdue += int(overdue or 0)
        # Registrations by kecamatan: grouped by what was typed and the NIK's region, named
        # here (the names are tidied in Python).
        region = func.substr(Case.nik, 1, 6)
        kec = sqlfn.json_text(Case.data, "kecamatan")
        sex = _sex(sqlfn.json_text(Case.data, "jenis_kelamin"))
        for typed, code, x, count in s.execute(
                select(kec, region, sex, func.count())
                .where(Case.sop_code == AK1, Case.status == workflow.COMPLETED,
                       Case.registered_at >= period.start_at,
                       Case.registered_at < period.end_before)
                .group_by(kec, region, sex)):
            recap.kecamatan[(_kecamatan(typed, code or None), x)] += count


# ------------------------------------------------------------------------------ recap


@dataclass
class Ak1Recap:
    """The month's AK/I figures. ``flows`` counts (flow, age group, category, sex) with
    flow one of :data:`FLOWS`; the others are single counts."""

    period: Period
    flows: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    kecamatan: Counter[tuple[str, str]] = field(default_factory=Counter)
    removed_by_reason: Counter[str] = field(default_factory=Counter)
    cards_issued: int = 0
    re_registrations: int = 0
    reports_due: int = 0
    reports_overdue: int = 0
    expired: int = 0

    def count(self, flow: str, *, age: str | None = None, category: str | None = None,
              sex: str | None = None) -> int:
        return sum(n for (f, a, c, x), n in self.flows.items() if f == flow
                   and (age is None or a == age) and (category is None or c == category)
                   and (sex is None or x == sex))


def ak1_recap(db: Database, actor: Actor, period: Period) -> Ak1Recap:
    """The AK/I figures of ``period`` (one month as the IPK forms are; any period works)."""
    access.require_sop(db, actor, AK1, "rekap_ak1")
    recap = Ak1Recap(period)
    _count_flows(db, recap)
    earlier = aliased(Case)
    in_month = and_(Case.sop_code == AK1, Case.status == workflow.COMPLETED,
                    Case.registered_at >= period.start_at,
                    Case.registered_at < period.end_before)
    with db.read() as s:
        recap.cards_issued = s.scalar(select(func.count(Case.id)).where(
            Case.closed_at >= period.start_at, Case.closed_at < period.end_before,
            Case.sop_code == AK1, Case.status == workflow.COMPLETED)) or 0
        recap.re_registrations = s.scalar(select(func.count(Case.id)).where(
            in_month, exists().where(earlier.sop_code == AK1, earlier.nik == Case.nik,
                                     earlier.status == workflow.COMPLETED,
                                     earlier.registered_at < Case.registered_at))) or 0
        for reason, n in s.execute(
                select(Ak1CardEvent.reason, func.count()).where(
                    Ak1CardEvent.kind == REMOVED, Ak1CardEvent.on_date >= period.start,
                    Ak1CardEvent.on_date <= period.end).group_by(Ak1CardEvent.reason)):
            recap.removed_by_reason[reason or "-"] += n
    return recap


# ------------------------------------------------------------------------- as printed

_III1_ROWS = (("1", "Pencari kerja yang belum ditempatkan pada akhir bulan lalu", ("awal",)),
              ("2", "Pencari kerja yang terdaftar bulan ini", ("daftar",)),
              ("A", "Jumlah (1 + 2)", ("awal", "daftar")),
              ("3", "Pencari kerja yang ditempatkan bulan ini", ("tempat",)),
              ("4", "Pencari kerja yang dihapuskan bulan ini", ("hapus",)),
              ("B", "Jumlah (3 + 4)", ("tempat", "hapus")),
              ("5", "Pencari kerja yang belum ditempatkan pada akhir bulan ini (A − B)",
               ("akhir",)))


def _iii1(recap: Ak1Recap) -> Section:
    groups = [g.label for g in ipk_data().age_groups]
    if recap.count("daftar", age=UNKNOWN) or recap.count("awal", age=UNKNOWN):
        groups.append("Tanpa tgl. lahir")
    keys = [g if g != "Tanpa tgl. lahir" else UNKNOWN for g in groups]
    rows = []
    for code, label, flows in _III1_ROWS:
        row: list[Any] = [code, label]
        for key in keys:
            row.extend(sum(recap.count(f, age=key, sex=x) for f in flows) for x in SEXES)
        totals = [sum(recap.count(f, sex=x) for f in flows) for x in SEXES]
        rows.append(row + [*totals, sum(totals)])
    columns = [Column("", "text", 4), Column("", "text", 40)]
    for _ in keys:
        columns += [Column("L", "int", 5), Column("P", "int", 5)]
    columns += [Column("L", "int", 6), Column("P", "int", 6), Column("L+P", "int", 7)]
    return Section(
        "IPK III/1 — Ikhtisar Statistik Antar Kerja: Pencari Kerja (menurut golongan umur)",
        columns, rows, groups=[("No.", 1), ("Uraian", 1), *[(g, 2) for g in groups],
                               ("Jumlah", 3)],
        totals=frozenset({2, 5}),
        note="Bagian lowongan kerja (L, W, L+W) tidak diisi: lowongan belum dicatat program ini.")


def _iii2(recap: Ak1Recap) -> Section:
    cats = [(c.code, c.label) for c in ipk_data().education]
    if any(recap.count(f, category=UNKNOWN) for f in FLOWS):
        cats.append((UNKNOWN, "Tidak tercatat"))
    rows = []
    for code, label in [*cats, ("", "Jumlah")]:
        row: list[Any] = [code if code != UNKNOWN else "-", label]
        for flow in FLOWS:
            row.extend(recap.count(flow, category=code or None, sex=x) for x in SEXES)
        rows.append(row)
    columns = [Column("", "text", 5), Column("", "text", 26)]
    columns += [Column(x, "int", 6) for _ in FLOWS for x in SEXES]
    heads = ("Sisa bulan lalu", "Pendaftaran", "Penempatan", "Penghapusan", "Sisa bulan ini")
    return Section("IPK III/2 — Pencari kerja menurut tingkat pendidikan", columns, rows,
                   groups=[("Kode", 1), ("Tingkat pendidikan", 1), *[(h, 2) for h in heads]],
                   totals=frozenset({len(rows) - 1}))


def _by_kecamatan(recap: Ak1Recap) -> Section:
    names = sorted({k for k, _ in recap.kecamatan})
    rows = [[k, recap.kecamatan[(k, "L")], recap.kecamatan[(k, "P")],
             recap.kecamatan[(k, "L")] + recap.kecamatan[(k, "P")]] for k in names]
    total_l = sum(r[1] for r in rows)
    total_p = sum(r[2] for r in rows)
    rows.append(["Jumlah", total_l, total_p, total_l + total_p])
    return Section("Pencari kerja terdaftar bulan ini menurut kecamatan",
                   [Column("Kecamatan", "text", 30), Column("L", "int", 7),
                    Column("P", "int", 7), Column("Jumlah", "int", 8)], rows,
                   totals=frozenset({len(rows) - 1}))


def as_recap(recap: Ak1Recap) -> Recap:
    """The figures as printed and exported: summary, III/1, III/2, kecamatan."""
    summary: list[tuple[str, Any]] = [
        ("Kartu AK/I diterbitkan (diserahkan)", recap.cards_issued),
        ("Pendaftaran ulang (pernah memiliki kartu)", recap.re_registrations),
        ("Wajib lapor 6 bulanan jatuh pada bulan ini", recap.reports_due),
        ("Terlambat lapor 6 bulanan", recap.reports_overdue),
        ("Kartu kedaluwarsa (dua tahun) bulan ini", recap.expired),
    ]
    summary += [(f"Dihapus: {reason}", n) for reason, n in sorted(recap.removed_by_reason.items())]
    return Recap(
        title="Rekapitulasi Pencari Kerja (Kartu AK/I)",
        subtitle=f"Bulan: {recap.period.label}",
        sections=[_iii1(recap), _iii2(recap), _by_kecamatan(recap)],
        summary=summary,
        notes=["Tata letak menurut formulir IPK III/1 dan III/2 (Juknis KEP.268/PPTK/XII/2012); "
               "golongan umur, kategori pendidikan dan alasan penghapusan diatur dalam "
               "resources/reports/ipk.toml.",
               "Umur dan pendidikan pada tanggal pendaftaran. Kartu berakhir karena "
               "penempatan, penghapusan, atau masa berlaku dua tahun habis (dihitung sebagai "
               "penghapusan)."],
        sheet_name="Rekap AK-I")
