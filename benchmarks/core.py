"""Core engine speed on SQLite and PostgreSQL, each beside bare SQLAlchemy Core statements.

    python benchmarks/core.py            # full: 1,000,000 cases for the list query
    python benchmarks/core.py --quick    # small version, under a minute (100,000 cases)

Figures (targets from the issue): full AK/I case lifecycles per second (registration and five
actions, each its own transaction with step event and audit link; target >= 100/s on SQLite),
p95 latency of one action (target < 20 ms), and a filtered, sorted first page of the case list
over 1,000,000 cases (target < 50 ms). The "bare" column does the same writes or query with
hand-written SQLAlchemy Core statements (no ORM, no validation, no audit chain) — the floor
the engine is compared with.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import fresh_database, pg_available, scale_database  # noqa: E402
from sqlalchemy import insert, select, update  # noqa: E402

from desktop_app.core import auth, cases  # noqa: E402
from desktop_app.core.db import open_database  # noqa: E402
from desktop_app.core.demo.cases import advance  # noqa: E402
from desktop_app.core.demo.people import demo_intake  # noqa: E402
from desktop_app.core.models import AuditEvent, Case, SopVersion, StepEvent, User  # noqa: E402
from desktop_app.core.sop import get_sop  # noqa: E402


def _actors(db):  # noqa: ANN001, ANN202
    with db.read() as s:
        ids = dict(s.execute(select(User.username, User.id)).all())
    return {n: auth.actor_for(db, i) for n, i in ids.items()}


def engine_lifecycles(url: str, n: int) -> tuple[float, list[float]]:
    """Lifecycles per second and the latency (s) of every single action."""
    db = open_database(url, migrate=False)
    actors = _actors(db)
    rng = random.Random(1)
    sop = get_sop("ak1")
    reqs = {r.code: True for r in sop.requirements}
    intakes = [demo_intake("ak1", rng, db.now().date()) for _ in range(n + 5)]
    latencies: list[float] = []

    def one(i: int) -> None:
        t = time.perf_counter()
        case = cases.register_case(db, actors["petugas"], "ak1", intakes[i], reqs)
        latencies.append(time.perf_counter() - t)
        while case.is_open:
            t = time.perf_counter()
            case = advance(db, actors, case, 1, rng)
            latencies.append(time.perf_counter() - t)

    for i in range(5):  # warm caches and statement compilation
        one(n + i)
    latencies.clear()
    start = time.perf_counter()
    for i in range(n):
        one(i)
    rate = n / (time.perf_counter() - start)
    db.dispose()
    return rate, latencies


def bare_lifecycles(url: str, n: int) -> tuple[float, list[float]]:
    """The same rows written with bare Core statements: case insert, 5 updates, 6 events and
    6 audit rows, one transaction each."""
    db = open_database(url, migrate=False)
    with db.read() as s:
        uid = s.scalar(select(User.id))
        version_id = s.scalar(select(SopVersion.id))  # every case records its SOP version
    latencies: list[float] = []
    now = datetime(2026, 11, 30, 9, 0)
    seq = [0]

    def audit_row(conn, case_id):  # noqa: ANN001, ANN202
        seq[0] += 1
        conn.execute(insert(AuditEvent), [dict(
            seq=10**7 + seq[0], at=now, user_id=uid, username="x", action="a", entity="case",
            entity_id=str(case_id), detail="{}", prev_hash="0" * 64, hash="1" * 64)])

    def event_row(conn, case_id, step):  # noqa: ANN001, ANN202
        conn.execute(insert(StepEvent), [dict(
            case_id=case_id, step_no=step, lane="x", action="a", user_id=uid, user_name="x",
            role="r", note="", started_at=now, finished_at=now, standard_minutes=5,
            working_minutes=1, on_time=True, detail={})])

    def one(i: int) -> None:
        t = time.perf_counter()
        with db.write_engine.begin() as conn:
            case_id = conn.execute(insert(Case).returning(Case.id), [dict(
                sop_code="bare", sop_version_id=version_id, register_number=f"BARE/{i}/{random.random()}",
                register_year=2026, register_seq=10**6 + i + int(random.random() * 10**6),
                status="proses", current_step=2, current_lane="petugas_penerima", title="x",
                title_key="x", nik=None, data={}, registered_at=now, registered_by_id=uid,
                step_started_at=now, step_due_at=now, due_at=now, updated_at=now,
                updated_by_id=uid, version=1)]).scalar_one()
            event_row(conn, case_id, 1)
            audit_row(conn, case_id)
        latencies.append(time.perf_counter() - t)
        for step in range(2, 7):
            t = time.perf_counter()
            with db.write_engine.begin() as conn:
                conn.execute(update(Case).where(Case.id == case_id, Case.version == step - 1)
                             .values(current_step=step + 1, version=step,
                                     updated_at=now + timedelta(minutes=step)))
                event_row(conn, case_id, step)
                audit_row(conn, case_id)
            latencies.append(time.perf_counter() - t)

    for i in range(5):
        one(n + i)
    latencies.clear()
    start = time.perf_counter()
    for i in range(n):
        one(i)
    rate = n / (time.perf_counter() - start)
    db.dispose()
    return rate, latencies


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def first_page(url: str, repeats: int = 20) -> tuple[float, float, int]:
    """Median ms of the engine's filtered, sorted first page and of the bare query; rows."""
    db = open_database(url, migrate=False)
    q = cases.CaseQuery(sop_code="ak1", statuses=("proses",), sort="registered_at",
                        descending=True, now=datetime(2026, 11, 30, 9, 0))
    rows = cases.list_cases(db, q, 0, 100)  # warm
    engine = []
    for _ in range(repeats):
        t = time.perf_counter()
        rows = cases.list_cases(db, q, 0, 100)
        engine.append(time.perf_counter() - t)
    stmt = (select(Case.id, Case.sop_code, Case.register_number, Case.title, Case.nik,
                   Case.current_step, Case.current_lane, Case.status, Case.registered_at,
                   Case.step_due_at, Case.version)
            .where(Case.sop_code == "ak1", Case.status == "proses")
            .order_by(Case.registered_at.desc(), Case.id.desc()).limit(100))
    bare = []
    with db.engine.connect() as conn:
        conn.execute(stmt).all()
        for _ in range(repeats):
            t = time.perf_counter()
            conn.execute(stmt).all()
            bare.append(time.perf_counter() - t)
    db.dispose()
    return statistics.median(engine) * 1000, statistics.median(bare) * 1000, len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small version (< 1 minute)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    lifecycles = 60 if args.quick else 300
    list_cases_n = 100_000 if args.quick else 1_000_000
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    if "postgresql" in backends and (why := pg_available()):
        print(f"PostgreSQL dilewati: {why}")
        backends.remove("postgresql")
    results: dict[str, dict[str, float]] = {}
    for backend in backends:
        url = fresh_database(backend, "core")
        rate, lat = engine_lifecycles(url, lifecycles)
        bare_rate, bare_lat = bare_lifecycles(url, lifecycles)
        big = scale_database(list_cases_n, backend)
        page_ms, bare_page_ms, nrows = first_page(big)
        r = results[backend] = {
            "lifecycles_per_s": rate, "bare_lifecycles_per_s": bare_rate,
            "action_p95_ms": p95(lat) * 1000, "bare_action_p95_ms": p95(bare_lat) * 1000,
            "first_page_ms": page_ms, "bare_first_page_ms": bare_page_ms,
            "cases": list_cases_n, "page_rows": nrows,
        }
        print(f"\n== {backend} ==")
        print(f"lifecycles (AK/I, 6 transactions each): {r['lifecycles_per_s']:8.1f} /s   "
              f"bare {r['bare_lifecycles_per_s']:8.1f} /s   ratio "
              f"{r['bare_lifecycles_per_s'] / r['lifecycles_per_s']:.2f}x"
              f"{'   target >= 100/s' if backend == 'sqlite' else '   (target set for SQLite)'}")
        print(f"one action, p95:                        {r['action_p95_ms']:8.2f} ms   "
              f"bare {r['bare_action_p95_ms']:8.2f} ms   ratio "
              f"{r['action_p95_ms'] / r['bare_action_p95_ms']:.2f}x   target < 20 ms")
        print(f"first page of {list_cases_n:,} cases (filter+sort): {r['first_page_ms']:6.2f} ms"
              f"   bare {r['bare_first_page_ms']:6.2f} ms   ratio "
              f"{r['first_page_ms'] / r['bare_first_page_ms']:.2f}x   target < 50 ms")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
