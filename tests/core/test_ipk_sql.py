"""The AK/I (IPK) recap's grouped SQL against a straightforward Python reference, on both
databases, over cards chosen to sit on the edges: registered on month ends and on 29
February, expiring exactly on a period's first or last day, reports on month ends, birthdays
on the registration day, birth dates that are not dates."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select

from desktop_app.core import workflow
from desktop_app.core.db import Database
from desktop_app.core.documents.card import add_months
from desktop_app.core.models import Ak1CardEvent, Case, User
from desktop_app.core.reports import ak1_cards, ipk
from desktop_app.core.reports.period import Period
from desktop_app.core.sop_versions import active_version

FIRST, LAST = date(2023, 6, 1), date(2027, 3, 31)
LEVELS = ["SD", "SMP", "SMA", "SMK", "D1", "D3", "D4", "S1", "S2", "", None, "X", "s1"]
BIRTHS_ODD = ["", None, "2004-02-30", "2005-02-29", "abcd-ef-gh", "20040301", "2004-13-01",
              "0000-01-01", 20040301, "2004-03-01T10:00:00", " 2004-03-01", "1999-1-1"]
KECAMATAN = ["Dempo Utara", "  dempo   tengah ", "", None, "PAGAR ALAM SELATAN"]
NIKS = ["1672034103040001", "1672050505900002", "1671010101900003", None, "", "16"]


# ------------------------------------------------------------------------- the data


def _boundary_days() -> list[date]:
    """Registration days whose card ends (the day after two years) on or around the first
    and the last day of a month, month ends and the leap day."""
    days = {date(2024, 2, 29), date(2024, 2, 28), date(2024, 3, 1), date(2025, 2, 28),
            date(2023, 8, 31), date(2024, 8, 31), date(2025, 8, 31), date(2024, 1, 31),
            date(2024, 10, 31), date(2025, 12, 31), date(2026, 2, 28), date(2026, 8, 31)}
    y, m = 2025, 1
    while (y, m) <= (2027, 3):
        first = date(y, m, 1)
        last = Period.month(y, m).end
        for edge in (first, last):
            back = add_months(edge, -24)
            days.update({back - timedelta(days=2), back - timedelta(days=1), back,
                         back + timedelta(days=1)})
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return sorted(d for d in days if FIRST - timedelta(days=400) <= d <= LAST)


def _birth(rng: random.Random, registered: date) -> Any:
    pick = rng.random()
    if pick < 0.15:
        return rng.choice(BIRTHS_ODD)
    if pick < 0.3:  # a birthday on (or the day after) the registration day: the age turns
        years = rng.choice((14, 15, 19, 20, 29, 30, 44, 45, 54, 55))
        born = add_months(registered, -12 * years) + timedelta(days=rng.choice((0, 1, -1)))
        return born.isoformat()
    if pick < 0.35:
        return rng.choice(("2000-02-29", "2004-02-29", "1996-02-29"))
    return (registered - timedelta(days=rng.randint(10 * 365, 70 * 365))).isoformat()


def _events(rng: random.Random, registered: date, clean: bool) -> list[tuple[str, date]]:
    expiry = ak1_cards.card_end(registered, [])[0]
    out: list[tuple[str, date]] = []
    used: set[date] = set()
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 4))):
        kind = rng.choice((ak1_cards.REPORT, ak1_cards.REPORT, ak1_cards.PLACED,
                           ak1_cards.REMOVED))
        if clean:
            kind = ak1_cards.REPORT
        pick = rng.random()
        if pick < 0.2:
            on = expiry - timedelta(days=rng.choice((0, 1)))  # on the last day / on the end
        elif pick < 0.35:
            on = add_months(registered, 6 * rng.randint(1, 4))  # a report date on the dot
        else:
            on = registered + timedelta(days=rng.randint(0, 800))
        if kind != ak1_cards.REPORT:
            if on in used:  # a placement and a removal on one day cannot be recorded
                continue
            used.add(on)
        out.append((kind, on))
    return out


def _fill(db: Database, rng: random.Random) -> None:
    with db.read() as s:
        version = active_version(s, "ak1")[0]
        user = s.scalar(select(User.id).order_by(User.id))
    # Each boundary day twice: once a card that runs to its expiry (finished, never placed
    # or removed), once like the others.
    edges = _boundary_days()
    span = (LAST - (FIRST - timedelta(days=800))).days
    days = [(d, True) for d in edges] + [(d, False) for d in edges]
    days += [(FIRST - timedelta(days=800) + timedelta(days=rng.randint(0, span)), False)
             for _ in range(250)]
    rows, events = [], []
    for seq, (day, clean) in enumerate(days, start=1):
        at = datetime.combine(day, rng.choice((time.min, time(9, 30), time(23, 59, 59, 999999))))
        data: dict[str, Any] = {"nama": f"Pencari {seq}"}
        for key, value in (("tanggal_lahir", _birth(rng, day)),
                           ("jenis_kelamin", rng.choice(("L", "P", "L", "P", "", None, "l"))),
                           ("pendidikan_tingkat", rng.choice(LEVELS)),
                           ("kecamatan", rng.choice(KECAMATAN))):
            if value is not None or rng.random() < 0.5:  # null, or no key at all
                data[key] = value
        status = workflow.COMPLETED if clean or rng.random() < 0.9 else workflow.IN_PROGRESS
        rows.append({
            "id": seq, "sop_code": "ak1", "sop_version_id": version, "register_year": day.year,
            "register_seq": seq, "register_number": f"AK1/{day.year}/{seq:05d}",
            "status": status, "current_step": 5, "current_lane": "petugas",
            "title": data["nama"], "title_key": data["nama"].lower(), "nik": rng.choice(NIKS),
            "data": data, "registered_at": at, "registered_by_id": user,
            "step_started_at": at, "step_due_at": None, "due_at": at + timedelta(days=3),
            "closed_at": at + timedelta(days=1) if status == workflow.COMPLETED else None,
            "updated_at": at, "updated_by_id": user, "version": 1, "attention_note": None})
        for kind, on in _events(rng, day, clean):
            events.append({"case_id": seq, "kind": kind, "on_date": on,
                           "employer": "PT Contoh" if kind == ak1_cards.PLACED else None,
                           "reason": ipk.removal_reasons()[0]
                           if kind == ak1_cards.REMOVED else None,
                           "note": "", "recorded_by_id": user,
                           "recorded_at": datetime.combine(on, time(10))})
    with db.write() as s:
        s.execute(insert(Case), rows)
        s.execute(insert(Ak1CardEvent), events)


# ------------------------------------------------------------------------- the reference


def _age_label(birth: Any, registered: date) -> str:
    text = str(birth)[:10]
    if birth is None or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return ipk.UNKNOWN
    try:
        born = date.fromisoformat(text)
    except ValueError:
        return ipk.UNKNOWN
    age = registered.year - born.year - ((registered.month, registered.day)
                                         < (born.month, born.day))
    groups = ipk.ipk_data().age_groups
    for g in groups:
        if g.holds(age):
            return g.label
    return groups[0].label if age < groups[0].min else ipk.UNKNOWN


def _reference(db: Database, period: Period) -> ipk.Ak1Recap:
    """Every finished AK/I case, one card at a time, by the rules of ``ak1_cards``."""
    levels = {lv: c.code for c in ipk.ipk_data().education for lv in c.levels}
    with db.read() as s:
        cards = s.execute(select(Case.id, Case.nik, Case.registered_at, Case.data).where(
            Case.sop_code == "ak1", Case.status == workflow.COMPLETED)).all()
        events: dict[int, list[tuple[str, date]]] = {}
        for case_id, kind, on in s.execute(select(Ak1CardEvent.case_id, Ak1CardEvent.kind,
                                                  Ak1CardEvent.on_date)):
            if on <= period.end:
                events.setdefault(case_id, []).append((kind, on))
    out = ipk.Ak1Recap(period)
    start, end = period.start, period.end
    for case_id, nik, registered_at, data in cards:
        registered = registered_at.date()
        if registered > end:
            continue
        evs = events.get(case_id, [])
        card_end, why = ak1_cards.card_end(registered, evs)
        sex = data.get("jenis_kelamin")
        sex = sex if sex in ipk.SEXES else ipk.UNKNOWN
        level = data.get("pendidikan_tingkat")
        key = (_age_label(data.get("tanggal_lahir"), registered),
               levels.get(level, ipk.UNKNOWN) if isinstance(level, str) else ipk.UNKNOWN, sex)
        if registered < start <= card_end:
            out.flows[("awal", *key)] += 1
        if start <= registered:
            out.flows[("daftar", *key)] += 1
            region = (nik or "")[:6] or None
            out.kecamatan[(ipk._kecamatan(data.get("kecamatan"), region), sex)] += 1
        if start <= card_end <= end:
            out.flows[("tempat" if why == ak1_cards.PLACED else "hapus", *key)] += 1
            out.expired += why == ak1_cards.EXPIRED
        if card_end > end:
            out.flows[("akhir", *key)] += 1
            due = ak1_cards.next_report_due(registered,
                                            [d for k, d in evs if k == ak1_cards.REPORT])
            out.reports_overdue += due < start
            out.reports_due += start <= due <= end
    return out


def _periods() -> list[Period]:
    months, y, m = [], 2024, 1
    while (y, m) <= (2027, 3):
        months.append(Period.month(y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return [*months, Period(date(2026, 2, 15), date(2026, 3, 14)), Period.year(2026),
            Period(date(2026, 2, 28), date(2026, 2, 28)), Period(date(2024, 2, 29),
                                                                  date(2024, 2, 29))]


def test_sql_recap_equals_the_card_by_card_reference(db, actors, clock):
    clock.set(datetime(2027, 4, 2, 9, 0))
    _fill(db, random.Random(1672))
    checked = Counter[str]()
    for period in _periods():
        got = ipk.ak1_recap(db, actors["kabid"], period)
        want = _reference(db, period)
        label = period.label
        assert +got.flows == +want.flows, label
        assert +got.kecamatan == +want.kecamatan, label
        assert (got.expired, got.reports_due, got.reports_overdue) == \
            (want.expired, want.reports_due, want.reports_overdue), label
        checked.update({f: got.count(f) for f in ipk.FLOWS})
        checked.update(expired=got.expired, due=got.reports_due, overdue=got.reports_overdue)
    # the data reached every figure (a comparison of zeros proves nothing)
    assert all(checked[k] > 0 for k in (*ipk.FLOWS, "expired", "due", "overdue")), checked
    unknown_age = sum(n for (f, a, _, _), n in _reference(db, Period.year(2026)).flows.items()
                      if a == ipk.UNKNOWN)
    assert unknown_age > 0


def test_sql_date_helpers_agree_with_python(db):
    """add_months (clamped), the day after, and ISO validity, on both databases."""
    from sqlalchemy import literal

    from desktop_app.core import sqlfn

    days = [date(2024, 2, 29), date(2023, 8, 31), date(2024, 1, 31), date(2025, 12, 31),
            date(2024, 10, 31), date(2026, 3, 1), date(2000, 2, 29)]
    with db.read() as s:
        for d in days:
            for months in (-24, -1, 1, 6, 24):
                got = s.scalar(select(sqlfn.add_months(literal(d), months)))
                assert _as_date(got) == add_months(d, months), (d, months)
            assert _as_date(s.scalar(select(sqlfn.add_days(literal(d), 1)))) == \
                d + timedelta(days=1)
        for text, valid in (("2024-02-29", True), ("2023-02-29", False), ("1900-02-29", False),
                            ("2000-02-29", True), ("2024-04-31", False), ("2024-12-31x", True),
                            ("0000-01-01", False), ("2024-00-10", False), ("abcd", False),
                            ("2024-1-01", False)):
            assert s.scalar(select(sqlfn.iso_date_valid(literal(text)))) == valid, text


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def test_training_recap_reads_the_expression_index(db):
    """The query's expression is the index's: each planner, made to prefer an index, reads
    the trainings of a month from ix_cases_sop_training_start."""
    from desktop_app.core.reports import recap

    stmt = recap.training_query(Period.month(2026, 11))
    with db.read() as s:
        conn = s.connection()
        if db.engine.dialect.name == "sqlite":
            sql = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'ix_cases_sop_training_start'"
            ).scalar()
            assert "json_extract(data, '$.tanggal_mulai')" in sql
            compiled = stmt.compile(conn, compile_kwargs={"literal_binds": True})
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {compiled}"))
        else:
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
            compiled = stmt.compile(conn, compile_kwargs={"literal_binds": True})
            plan = " ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {compiled}"))
    assert "ix_cases_sop_training_start" in plan, plan
