"""History for the report benchmarks, added to a copy of ``_data.py``'s scale database.

The scale cases carry no history. A copy (``reports_<n>``) gets what the books and recaps
read: step events up to each case's current step (durations spread around the standard,
a tenth of the checks "tidak lengkap"), ``closed_at`` for closed cases, the letter or card
number of finished cases, survey answers for a third of the finished service cases and
AK/I card reports and placements. Made once and reused, like the scale databases.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from _data import DATA, PG_URL, _pg_url, copy_sqlite_to_pg, scale_database
from sqlalchemy import bindparam, insert, select, update

_ACTION = {"check": "lengkap", "work": "selesai", "approve": "setujui", "paraf": "paraf",
           "sign": "tanda_tangan", "handover": "serahkan", "bipartite": "catat_bipartit"}


def _events_for(sop: Any, case: Any, rng: random.Random, calendar: Any,
                user: tuple[int, str], now: datetime) -> tuple[list[dict[str, Any]], datetime]:
    from desktop_app.core import workflow

    first = 2 if sop.first_step.kind == "submit" else 1
    last = case.current_step if case.status == workflow.COMPLETED else case.current_step - 1
    at = case.registered_at
    out = []
    for no in range(first, last + 1):
        step = sop.step(no)
        standard = step.time.total_minutes_estimate(calendar)
        worked = max(1, int(standard * rng.lognormvariate(-0.35, 0.75)))
        finished = at + timedelta(minutes=worked * (1 if step.time.unit != "day" else 2.8))
        if finished > now:  # the scale cases were registered up to now: no history after it
            break
        action = _ACTION[step.kind]
        if action == "lengkap" and rng.random() < 0.1:
            action = "tidak_lengkap"
        out.append({"case_id": case.id, "step_no": no, "lane": step.lane, "action": action,
                    "user_id": user[0], "user_name": user[1], "role": "staf",
                    "on_behalf_of_id": None, "on_behalf_of_name": None, "note": "",
                    "started_at": at, "finished_at": finished, "standard_minutes": standard,
                    "working_minutes": worked, "on_time": worked <= standard, "detail": {}})
        at = finished
    return out, at


def _augment(url: str) -> None:
    from desktop_app.core import workflow
    from desktop_app.core.db import open_database
    from desktop_app.core.models import (
        Ak1CardEvent,
        Case,
        Document,
        StepEvent,
        SurveyResponse,
        User,
    )
    from desktop_app.core.settings import get_calendar
    from desktop_app.core.sop import load_sops

    print(f"Menambah riwayat langkah, nomor surat dan survei di {url} (sekali saja)…", flush=True)
    t0 = time.perf_counter()
    db = open_database(url)
    sops = {s.code: s for s in load_sops()}
    calendar = get_calendar(db)
    rng = random.Random(13)
    now = db.now()
    with db.read() as s:
        user = tuple(s.execute(select(User.id, User.full_name).order_by(User.id)).first())
    last_id, done = 0, 0
    main_doc = {"jht": "surat_klaim_jht", "jakon": "formulir_jakon", "ak1": "kartu_ak1",
                "paspor": "rekomendasi_paspor", "phi": "surat_permohonan_mediator",
                "pelatihan": "sk_panitia"}
    while True:
        with db.read() as s:
            batch = s.execute(select(Case.id, Case.sop_code, Case.status, Case.current_step,
                                     Case.registered_at).where(Case.id > last_id)
                              .order_by(Case.id).limit(20_000)).all()
        if not batch:
            break
        events, closed, docs, surveys, cards = [], [], [], [], []
        for case in batch:
            sop = sops[case.sop_code]
            evs, end = _events_for(sop, case, rng, calendar, user, now)
            events.extend(evs)
            if case.status in workflow.CLOSED_STATUSES:
                closed.append({"cid": case.id, "closed": end})
            if case.status == workflow.COMPLETED:
                year = case.registered_at.year
                number = (f"1672-{year}-{case.id:07d}" if case.sop_code == "ak1"
                          else f"500.15.{case.id % 3 + 1}/{case.id:07d}/TK/{year}")
                docs.append({"case_id": case.id, "doc_type": main_doc[case.sop_code], "seq": 1,
                             "version": 1, "status": "ditandatangani", "number": number,
                             "classification_code": None if case.sop_code == "ak1"
                             else "500.15.1", "paper": "A4", "created_at": end,
                             "created_by_id": user[0], "rendered_at": end, "signed_at": end,
                             "signed_by_id": user[0], "doc_version": 1})
                if case.sop_code != "pelatihan" and rng.random() < 0.33:
                    base = rng.choice((2, 3, 3, 4))
                    surveys.append({
                        "case_id": case.id, "sop_code": case.sop_code, "responded_on": end.date(),
                        "channel": "kuesioner", "umur": rng.randint(18, 60),
                        "jenis_kelamin": rng.choice("LP"), "pendidikan": "SMA",
                        "pekerjaan": "Swasta", "saran": "", "entered_by_id": user[0],
                        "entered_at": end,
                        **{f"u{i}": min(4, max(1, base + rng.choice((-1, 0, 0, 1))))
                           for i in range(1, 10)}})
                if case.sop_code == "ak1" and rng.random() < 0.3:
                    kind = rng.choice(("lapor", "lapor", "ditempatkan", "dihapus"))
                    on = min(end.date() + timedelta(days=rng.randint(30, 400)),
                             date.today() - timedelta(days=1))
                    cards.append({"case_id": case.id, "kind": kind, "on_date": on,
                                  "employer": "PT Contoh" if kind == "ditempatkan" else None,
                                  "reason": "Atas permintaan sendiri" if kind == "dihapus"
                                  else None, "note": "", "recorded_by_id": user[0],
                                  "recorded_at": datetime.combine(on, datetime.min.time())})
        with db.write() as s:
            conn = s.connection()
            conn.execute(insert(StepEvent), events)
            if closed:
                conn.execute(update(Case.__table__).where(Case.__table__.c.id == bindparam("cid"))
                             .values(closed_at=bindparam("closed")), closed)
            for model, rows in ((Document, docs), (SurveyResponse, surveys),
                                (Ak1CardEvent, cards)):
                if rows:
                    conn.execute(insert(model), rows)
        last_id = batch[-1].id
        done += len(batch)
        print(f"  {done:,} berkas", end="\r", flush=True)
    db.dispose()
    print(f"\n  selesai dalam {time.perf_counter() - t0:.0f} s", flush=True)


def _to_head(url: str) -> None:
    """Bring a kept database to the program's schema (new indexes) without the start-up's
    backup copy of the file."""
    from alembic import command

    from desktop_app.core.db import (
        _alembic_config,
        _is_at_head,
        open_database,
        refresh_statistics,
    )

    db = open_database(url, migrate=False)
    try:
        if _is_at_head(db):
            return
        print(f"Memperbarui skema {url.rsplit('/', 1)[-1]}…", flush=True)
        cfg = _alembic_config(db)
        with db.write_engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        refresh_statistics(db)  # as the program does after an upgrade
    finally:
        db.dispose()


_PARTICIPANTS = json.dumps([{"nama": f"Peserta {i}", "jenis_kelamin": "LP"[i % 2],
                             "pendidikan": ("SMA", "SMK", "D3")[i % 3]} for i in range(16)])


def _trainings(url: str) -> None:
    """Give the scale trainings what the training recap reads (made once, the same on both
    backends): a first day 0–59 days after registration (by id), a last day five days on,
    a quota and 16 participants. The scale rows carried none, so the recap found nothing."""
    from desktop_app.core.db import open_database

    db = open_database(url, migrate=False)
    try:
        with db.write() as s:
            conn = s.connection()
            if conn.exec_driver_sql(
                    "SELECT 1 FROM cases WHERE sop_code = 'pelatihan' AND "
                    + ("json_extract(data, '$.tanggal_mulai')" if conn.dialect.name == "sqlite"
                       else "(data ->> 'tanggal_mulai')") + " IS NOT NULL LIMIT 1").first():
                return
            print("Menambah tanggal dan peserta pelatihan…", flush=True)
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql(
                    "UPDATE cases SET data = json_set(data, "
                    "'$.tanggal_mulai', date(registered_at, '+' || (id % 60) || ' days'), "
                    "'$.tanggal_selesai', date(registered_at, '+' || (id % 60 + 5) || ' days'), "
                    "'$.kejuruan', 'Menjahit', '$.tempat', 'BLK Pagar Alam', "
                    "'$.kuota_peserta', 16, '$.peserta', json(?)) WHERE sop_code = 'pelatihan'",
                    (_PARTICIPANTS,))
            else:
                conn.exec_driver_sql(
                    "UPDATE cases SET data = data || jsonb_build_object("
                    "'tanggal_mulai', to_char(CAST(registered_at AS DATE) + mod(id, 60), "
                    "'YYYY-MM-DD'), 'tanggal_selesai', to_char(CAST(registered_at AS DATE) "
                    "+ mod(id, 60) + 5, 'YYYY-MM-DD'), 'kejuruan', 'Menjahit', "
                    "'tempat', 'BLK Pagar Alam', 'kuota_peserta', 16, "
                    "'peserta', CAST(%s AS jsonb)) WHERE sop_code = 'pelatihan'",
                    (_PARTICIPANTS,))
        with db.write_engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("ANALYZE")
            else:
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "VACUUM ANALYZE cases")
    finally:
        db.dispose()


def report_database(n: int, backend: str = "sqlite") -> str:
    """URL of a copy of the ``n``-case scale database with history (made on first use).

    The rows are made once, in SQLite (``benchmarks/.data/reports_<n>.sqlite``); PostgreSQL
    gets the very same rows by COPY (:func:`_data.copy_sqlite_to_pg`), so the two backends'
    figures are measured on identical data."""
    if backend == "sqlite":
        source = scale_database(n, backend)
        path = DATA / f"reports_{n}.sqlite"
        if not path.exists():
            tmp = path.with_suffix(".partial")
            for leftover in DATA.glob(tmp.name + "*"):
                leftover.unlink()
            shutil.copy(source.removeprefix("sqlite:///"), tmp)
            _augment(f"sqlite:///{tmp}")
            conn = sqlite3.connect(tmp)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("ANALYZE")
            conn.close()
            tmp.rename(path)
        _to_head(f"sqlite:///{path}")
        _trainings(f"sqlite:///{path}")
        return f"sqlite:///{path}"
    import psycopg

    name = f"bench_reports_{n}"
    kept = False
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            # Autocommit and closed before the upgrade: a check left open in a transaction
            # holds a lock the upgrade's ALTER TABLE would wait for forever.
            with psycopg.connect(_pg_url(name), autocommit=True) as c2:
                ready = c2.execute("SELECT count(*) FROM pg_tables WHERE tablename = "
                                   "'survey_responses'").fetchone()[0]
                kept = bool(ready and c2.execute(
                    "SELECT count(*) FROM step_events").fetchone()[0])
    if kept:
        _to_head(_pg_url(name))
        _trainings(_pg_url(name))
        return _pg_url(name)
    sqlite_url = report_database(n, "sqlite")
    return copy_sqlite_to_pg(Path(sqlite_url.removeprefix("sqlite:///")), name)
