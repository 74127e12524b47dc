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

The vacancy part of III/1 (L, W, L+W) is not filled: the program does not record vacancies.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import aliased

from desktop_app.core import workflow
from desktop_app.core.auth import Actor
from desktop_app.core.db import Database
from desktop_app.core.documents.card import add_months
from desktop_app.core.models import Ak1CardEvent, Case
from desktop_app.core.nik import KECAMATAN_PAGAR_ALAM, PAGAR_ALAM_CITY_CODE
from desktop_app.core.reports import access
from desktop_app.core.reports.ak1_cards import (
    AK1,
    PLACED,
    REMOVED,
    REPORT,
    card_end,
    next_report_due,
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


@dataclass
class _Card:
    case_id: int
    sex: str
    age_group: str
    category: str
    kecamatan: str
    registered: date
    end: date
    end_why: str
    reports: list[date] = field(default_factory=list)


def _age(birth: str | None, on: date) -> int | None:
    try:
        b = date.fromisoformat(str(birth)[:10])
    except ValueError:
        return None
    return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


@cache
def _kecamatan(value: str | None, region: str | None) -> str:
    """The kecamatan as typed (tidied), else from the NIK's region code (its first six digits)."""
    if value and value.strip():
        return " ".join(w.capitalize() for w in value.split())
    if region and region.startswith(PAGAR_ALAM_CITY_CODE):
        return KECAMATAN_PAGAR_ALAM.get(f"{region[:2]}.{region[2:4]}.{region[4:6]}",
                                        "Tidak tercatat")
    return "Luar Kota Pagar Alam" if region else "Tidak tercatat"


def _cards(db: Database, period: Period) -> list[_Card]:
    """Every card that may count in ``period``: registered up to its end, not expired
    before its start (registration within two years and a day before)."""
    data = ipk_data()
    levels = {lv: c.code for c in data.education for lv in c.levels}
    since = add_months(period.start, -24) - timedelta(days=1)
    scope = and_(Case.sop_code == AK1, Case.status == workflow.COMPLETED,
                 Case.registered_at >= since, Case.registered_at < period.end_before)
    with db.read() as s:
        rows = s.execute(select(
            Case.id, Case.nik, Case.registered_at, Case.data["jenis_kelamin"].as_string(),
            Case.data["tanggal_lahir"].as_string(), Case.data["pendidikan_tingkat"].as_string(),
            Case.data["kecamatan"].as_string()).where(scope)).all()
        events: dict[int, list[tuple[str, date]]] = {}
        for case_id, kind, on in s.execute(
                select(Ak1CardEvent.case_id, Ak1CardEvent.kind, Ak1CardEvent.on_date)
                .join(Case, Case.id == Ak1CardEvent.case_id)
                .where(scope, Ak1CardEvent.on_date <= period.end)):
            events.setdefault(case_id, []).append((kind, on))
    group_of = _age_group_lookup(data.age_groups)
    cards = []
    no_events: list[tuple[str, date]] = []
    for case_id, nik, registered_at, sex, birth, level, kec in rows:
        registered = registered_at.date()
        age = _age(birth, registered)
        group = group_of[age] if age in group_of else _age_group(data.age_groups, age)
        evs = events.get(case_id, no_events)  # most cards have none
        end, why = card_end(registered, evs)
        reports = [d for k, d in evs if k == REPORT] if evs else []
        cards.append(_Card(case_id, sex if sex in SEXES else UNKNOWN, group,
                           levels.get(level or "", UNKNOWN), _kecamatan(kec, (nik or "")[:6] or None),
                           registered, end, why, reports))
    return cards


def _age_group(groups: tuple[AgeGroup, ...], age: int | None) -> str:
    """The label of the group ``age`` falls in (below the youngest: the youngest's)."""
    if age is None:
        return UNKNOWN
    found = next((g.label for g in groups if g.holds(age)), None)
    if found is not None:
        return found
    return groups[0].label if age < groups[0].min else UNKNOWN


def _age_group_lookup(groups: tuple[AgeGroup, ...]) -> dict[int | None, str]:
    """:func:`_age_group` of every plausible age, worked out once per recap."""
    return {age: _age_group(groups, age) for age in (None, *range(0, 131))}


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


def _count_flows(recap: Ak1Recap, cards: list[_Card]) -> None:
    start, end = recap.period.start, recap.period.end
    for c in cards:
        key = (c.age_group, c.category, c.sex)
        if c.registered < start and c.end >= start:
            recap.flows[("awal", *key)] += 1
        if start <= c.registered <= end:
            recap.flows[("daftar", *key)] += 1
            recap.kecamatan[(c.kecamatan, c.sex)] += 1
        if c.registered <= end and start <= c.end <= end:
            recap.flows[("tempat" if c.end_why == PLACED else "hapus", *key)] += 1
            if c.end_why not in (PLACED, REMOVED):
                recap.expired += 1
        if c.registered <= end and c.end > end:
            recap.flows[("akhir", *key)] += 1
            due = next_report_due(c.registered, [d for d in c.reports if d <= end])
            if due < start:
                recap.reports_overdue += 1
            elif due <= end:
                recap.reports_due += 1


def ak1_recap(db: Database, actor: Actor, period: Period) -> Ak1Recap:
    """The AK/I figures of ``period`` (one month as the IPK forms are; any period works)."""
    access.require_sop(db, actor, AK1, "rekap_ak1")
    recap = Ak1Recap(period)
    _count_flows(recap, _cards(db, period))
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
