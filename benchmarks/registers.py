"""Registers, recaps and the standard-time dashboard at scale.

    python benchmarks/registers.py [--quick] [--backend sqlite|postgresql|both] [--no-gui]

On the scale database of ``_data.py`` (1,000,000 cases; ``--quick`` 100,000) with history
added by ``_report_data.py``, prints:

* the Buku Register's first page (count and first 100 rows) of the largest SOP for a year
  and for a month — target < 100 ms;
* an XLSX export of 100,000 register rows: time and growth of the peak memory (VmHWM) —
  targets < 30 s and < 100 MB;
* every monthly recap (per SOP, AK/I IPK, trainings, disputes, IKM) for the last whole month,
  and the dashboard's figures for the year (all SOPs and one) — target < 1 s each;
* the dashboard window opened, filled and painted — target < 500 ms (SQLite only).

Each figure is the median of five runs after one warm-up (the first dashboard call also
builds the monthly step sums once; that one-time cost is printed separately).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import pg_available  # noqa: E402
from _report_data import report_database  # noqa: E402
from sqlalchemy import select  # noqa: E402

from desktop_app.core.auth import actor_for  # noqa: E402
from desktop_app.core.db import open_database  # noqa: E402
from desktop_app.core.models import StepStatsState, User  # noqa: E402
from desktop_app.core.reports import (  # noqa: E402
    export,
    ipk,
    recap,
    register,
    standard_time,
    survey,
)
from desktop_app.core.reports.period import Period  # noqa: E402

RUNS = 5


_CPU: list[float] = []  # the CPU seconds of this process behind the last figure timed
_SERVER_CPU: list[float] = []  # and of the PostgreSQL server's sessions (PostgreSQL only)
_server_cpu: Callable[[], float] | None = None


def _pg_session_cpu(url: str) -> Callable[[], float]:
    """CPU seconds used so far by the server for the sessions connected to the database of
    ``url`` (read from /proc: the server runs on this machine): the sessions' processes, plus
    what the postmaster has collected from children that ended (the parallel workers of the
    dashboard's step-event sums). Another client's session ending meanwhile would add to the
    latter; the median of five runs keeps such a stray out."""
    import psycopg

    name = url.rsplit("/", 1)[-1]
    watcher = psycopg.connect(url, autocommit=True)
    ticks = os.sysconf("SC_CLK_TCK")

    def stat(pid: int) -> list[str]:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

    postmaster = int(stat(watcher.execute("SELECT pg_backend_pid()").fetchone()[0])[1])

    def total() -> float:
        pids = [r[0] for r in watcher.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'", (name,))]
        used = 0
        for pid in pids:
            with contextlib.suppress(OSError):
                fields = stat(pid)
                used += int(fields[11]) + int(fields[12])  # utime, stime
        reaped = stat(postmaster)
        return (used + int(reaped[13]) + int(reaped[14])) / ticks  # + cutime, cstime

    return total


def timed(fn: Callable[[], Any], runs: int = RUNS) -> tuple[float, Any]:
    """Median seconds of ``runs`` calls after one warm-up, and the last result. The median
    CPU time of this process is kept for :func:`line`: on a shared, loaded machine the wall
    time mostly measures the wait for a core (with SQLite the CPU time includes the
    database's work; with PostgreSQL the server's is not in it)."""
    result = fn()
    times, cpu, server = [], [], []
    for _ in range(runs):
        start_server = _server_cpu() if _server_cpu else 0.0
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        if _server_cpu:
            server.append(_server_cpu() - start_server)
    _CPU[:] = [statistics.median(cpu)]
    _SERVER_CPU[:] = [statistics.median(server)] if server else []
    return statistics.median(times), result


def line(label: str, seconds: float, target: float | None, extra: str = "") -> None:
    verdict = "" if target is None else ("  OK" if seconds < target else "  TERLALU LAMBAT")
    cpu = f"  [CPU {_CPU.pop() * 1000:.0f} ms" if _CPU else ""
    if cpu and _SERVER_CPU:
        cpu += f", server {_SERVER_CPU.pop() * 1000:.0f} ms"
    cpu += "]" if cpu else ""
    print(f"  {label:58s} {seconds * 1000:9.1f} ms{verdict}{cpu}{extra}", flush=True)


def _hwm_kb() -> int:
    for row in Path("/proc/self/status").read_text().splitlines():
        if row.startswith("VmHWM:"):
            return int(row.split()[1])
    return 0


def _rss_kb() -> int:
    for row in Path("/proc/self/status").read_text().splitlines():
        if row.startswith("VmRSS:"):
            return int(row.split()[1])
    return 0


def xlsx_export(db: Any, actor: Any, q: register.RegisterQuery, rows: int,
                out: Path) -> tuple[float, float]:
    """Seconds and MB of peak-memory growth for ``rows`` register rows to XLSX."""
    table = register.table(db, actor, q)
    table.rows = itertools.islice(table.rows, rows)
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    base = _rss_kb()
    start, start_cpu = time.perf_counter(), time.process_time()
    export.write_xlsx(out, table)
    seconds = time.perf_counter() - start
    _CPU[:] = [time.process_time() - start_cpu]
    return seconds, max(0, _hwm_kb() - base) / 1024


def bench(backend: str, n: int, gui: bool) -> None:
    global _server_cpu
    url = report_database(n, backend)
    db = open_database(url, migrate=False)
    _server_cpu = _pg_session_cpu(url) if backend == "postgresql" else None
    with db.read() as s:
        kabid = s.scalar(select(User.id).where(User.username == "kabid"))
        cold = s.scalar(select(StepStatsState.upto)) is None
    actor = actor_for(db, kabid)
    now = db.now()
    year = Period.year(now.year)
    last_y, last_m = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
    month = Period.month(last_y, last_m)
    print(f"\n{backend}: {n:,} berkas ({url.rsplit('/', 1)[-1]}); bulan {month.label}; "
          f"beban {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)

    if cold:
        start = time.perf_counter()
        standard_time.dashboard(db, actor, standard_time.DashboardQuery(now.year))
        line("dasbor, pertama kali (menjumlah seluruh riwayat langkah)",
             time.perf_counter() - start, None)

    sizes = {code: register.count(db, actor, register.RegisterQuery(code, year))
             for code in ("jht", "jakon", "phi", "pelatihan", "ak1", "paspor")}
    big = max(sizes, key=sizes.get)
    for label, period in (("tahun", year), ("bulan", month)):
        q = register.RegisterQuery(big, period)

        def first_page(q: register.RegisterQuery = q) -> int:
            register.count(db, actor, q)
            return len(register.first_page(db, actor, q, 100))

        seconds, got = timed(first_page)
        line(f"register {big} ({label}, {sizes[big] if label == 'tahun' else '-'} baris): "
             f"jumlah + 100 baris pertama", seconds, 0.1, f"  [{got} baris]")

    rows = 100_000
    q = register.RegisterQuery(big, year)
    if sizes[big] < rows:  # --quick: a year of the largest SOP holds fewer rows; its whole
        # history (the period check is the screen's, not the register's) holds more
        q = register.RegisterQuery(big, Period(now.replace(year=now.year - 5).date(), now.date()))
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench_register_{backend}.xlsx"
    seconds, grown = xlsx_export(db, actor, q, rows, out)
    written = min(rows, register.count(db, actor, q))
    scaled = "" if written >= rows else \
        f", {seconds * rows / max(written, 1):.1f} s per {rows:,} baris"
    line(f"XLSX {written:,} baris (target < 30 s per {rows:,})", seconds,
         30.0 * written / rows,
         f"  puncak memori +{grown:.0f} MB (target < 100 MB), "
         f"{out.stat().st_size / 1e6:.1f} MB{scaled}")
    out.unlink(missing_ok=True)

    for label, fn in (
            ("rekap per SOP", lambda: recap.sop_recap(db, actor, month)),
            ("rekap AK/I (IPK III/1, III/2)", lambda: ipk.ak1_recap(db, actor, month)),
            ("rekap pelatihan", lambda: recap.training_recap(db, actor, month)),
            ("rekap perselisihan", lambda: recap.dispute_recap(db, actor, month)),
            ("laporan IKM (bulan)", lambda: survey.ikm_report(db, actor, month)),
            ("dasbor waktu baku, setahun, semua layanan",
             lambda: standard_time.dashboard(db, actor, standard_time.DashboardQuery(now.year))),
            ("dasbor waktu baku, setahun, AK/I",
             lambda: standard_time.dashboard(db, actor,
                                             standard_time.DashboardQuery(now.year, "ak1")))):
        seconds, _ = timed(fn)
        line(label, seconds, 1.0)
    if gui:
        bench_gui(db, actor)
    print(f"  beban di akhir {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    db.dispose()


def bench_gui(db: Any, actor: Any) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_app.core.sop import load_sops
    from desktop_app.gui.context import AppContext
    from desktop_app.gui.reports.dashboard import DashboardWindow
    from desktop_app.gui.style import apply_style

    app = QApplication.instance() or QApplication([])
    apply_style(app)
    ctx = AppContext(db=db, sops=load_sops(), actor=actor)
    shown, filled = [], []
    for _ in range(RUNS + 1):
        start = time.perf_counter()
        window = DashboardWindow(ctx)
        loop = QEventLoop()
        window.loaded.connect(loop.quit)
        QTimer.singleShot(30_000, loop.quit)
        window.show()
        window.grab()  # open and painted (figures still loading off the GUI thread)
        shown.append(time.perf_counter() - start)
        loop.exec()
        window.repaint()
        window.grab()  # painted with the figures, charts included
        filled.append(time.perf_counter() - start)
        window.close()
        window.deleteLater()
        QThreadPool.globalInstance().waitForDone()
        app.processEvents()
    line("jendela dasbor dibuka dan tergambar", statistics.median(shown[1:]), 0.5)
    line("jendela dasbor terisi angka dan grafik", statistics.median(filled[1:]), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 berkas")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--no-gui", action="store_true", help="tanpa mengukur jendela dasbor")
    args = parser.parse_args()
    n = 100_000 if args.quick else 1_000_000
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        if backend == "postgresql":
            reason = pg_available()
            if reason:
                print(f"\npostgresql: dilewati ({reason})")
                continue
        bench(backend, n, gui=not args.no_gui and backend == "sqlite")


if __name__ == "__main__":
    main()
