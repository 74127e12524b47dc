"""GUI speed over many cases: start-up, first page, search, sort, scrolling stalls, memory.

Run from the repository root::

    python benchmarks/gui.py            # 1,000,000 cases (first run seeds ~2 minutes)
    python benchmarks/gui.py --quick    # 100,000 cases, under a minute

The case database is created once with ``demo.seed_scale`` under ``benchmarks/.data/`` and
reused. Each figure is printed beside a baseline — a bare PySide6 dialog opening, or a bare
SQLAlchemy query of the same page — and their ratio. Targets (from the issue): start-up to the
login dialog < 1.5 s, first page of an SOP tab < 300 ms, search and sort < 200 ms each,
longest GUI-thread stall while scrolling < 50 ms, peak memory < 400 MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import scale_database  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = ROOT / "benchmarks" / ".data"
SOP = "ak1"
PAGE = 50

BARE_QT = """
import time, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
app = QApplication(sys.argv[:1])
d = QDialog(); d.resize(560, 300); d.show()
def shown():
    print(f"LOGIN_SHOWN {time.time():.6f}", flush=True); app.exit(0)
QTimer.singleShot(0, shown)
app.exec()
"""


def database(n: int) -> str:
    """The SQLite file with ``n`` cases (created on first use, shared with core.py)."""
    return scale_database(n, "sqlite")


def _shown_at(cmd: list[str], env: dict[str, str]) -> float:
    start = time.time()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    for line in out.stdout.splitlines():
        if line.startswith("LOGIN_SHOWN "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"no LOGIN_SHOWN in output:\n{out.stdout}\n{out.stderr}")


def startup(url: str, runs: int = 3) -> tuple[float, float]:
    env = {**os.environ, "DESKTOP_APP_STARTUP_PROBE": "exit", "PYTHONPATH": str(ROOT)}
    app = min(_shown_at([sys.executable, "-m", "desktop_app", "--database", url], env)
              for _ in range(runs))
    bare = min(_shown_at([sys.executable, "-c", BARE_QT], env) for _ in range(runs))
    return app, bare


def _bare_page(db, **order) -> float:  # noqa: ANN001
    """The same page with plain SQLAlchemy (no services, no Qt)."""
    from sqlalchemy import select

    from desktop_app.core.models import Case

    cols = (Case.id, Case.register_number, Case.title, Case.nik, Case.current_step,
            Case.current_lane, Case.status, Case.registered_at, Case.step_due_at)
    stmt = select(*cols).where(Case.sop_code == SOP, *order.get("where", ()))
    stmt = stmt.order_by(*order.get("order_by", (Case.registered_at.desc(), Case.id.desc())))
    t = time.perf_counter()
    with db.engine.connect() as conn:
        conn.execute(stmt.limit(PAGE)).all()
    return time.perf_counter() - t


def _until_shown(app, tab) -> None:  # noqa: ANN001
    """Until the first screen of the result is drawn (the id list may still be loading)."""
    while tab.model.is_loading and tab.model.rowCount() == 0:
        app.processEvents()
        time.sleep(0.0005)
    tab.view.viewport().repaint()  # rows fetched and drawn
    app.processEvents()


def _until_loaded(app, tab) -> None:  # noqa: ANN001
    while tab.model.is_loading:
        app.processEvents()
        time.sleep(0.0005)
    tab.view.viewport().repaint()
    app.processEvents()


def gui_figures(url: str) -> dict[str, tuple[float, float]]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import func

    from desktop_app.core import auth
    from desktop_app.core.db import open_database
    from desktop_app.core.models import Case
    from desktop_app.core.sop import load_sops
    from desktop_app.gui.app import _application, settle_memory
    from desktop_app.gui.case_table import sort_column_of
    from desktop_app.gui.context import AppContext
    from desktop_app.gui.sop_tab import SopTab

    app: QApplication = _application()
    db = open_database(url, migrate=False)
    with db.read() as s:
        from sqlalchemy import select

        from desktop_app.core.models import User

        uid = s.scalar(select(User.id).where(User.username == "kasi"))
    ctx = AppContext(db=db, sops=load_sops(), actor=auth.actor_for(db, uid))
    figures: dict[str, tuple[float, float]] = {}
    full: dict[str, float] = {}  # until the whole ordered id list is in

    # Warm the SQLite page cache once, as a PC that has been running a while would be.
    _bare_page(db)

    t = time.perf_counter()
    tab = SopTab(ctx, ctx.sop(SOP))
    tab.resize(1280, 760)
    tab.show()
    _until_shown(app, tab)
    figures["Halaman pertama tab SOP"] = (time.perf_counter() - t, _bare_page(db))
    _until_loaded(app, tab)
    full["Halaman pertama tab SOP"] = time.perf_counter() - t
    settle_memory()  # as run_gui does once the main window is shown
    rows = tab.model.rowCount()

    name = tab.model.index(0, 2).data().split()[0][:4]
    t = time.perf_counter()
    tab.search_edit.setText(name)
    tab.apply_filters()
    _until_shown(app, tab)
    shown = time.perf_counter() - t
    _until_loaded(app, tab)
    bare = _bare_page(db, where=(Case.title_key.like(f"{name.lower()}%"),),
                      order_by=(Case.registered_at.desc(), Case.id.desc()))
    label = f"Cari '{name}' ({tab.model.rowCount():,} hasil)"
    figures[label] = (shown, bare)
    full[label] = time.perf_counter() - t
    tab.search_edit.clear()
    tab.apply_filters()
    _until_loaded(app, tab)

    t = time.perf_counter()
    tab.model.sort(sort_column_of("title"), Qt.SortOrder.AscendingOrder)
    _until_shown(app, tab)
    figures["Urutkan menurut nama"] = (
        time.perf_counter() - t,
        _bare_page(db, order_by=(Case.title_key.asc(), Case.id.asc())))
    _until_loaded(app, tab)
    full["Urutkan menurut nama"] = time.perf_counter() - t

    # Scroll from top to bottom a screenful at a time; time each step's event processing.
    bar = tab.view.verticalScrollBar()
    page = max(1, bar.pageStep())
    longest = 0.0
    steps = 0
    t_all = time.perf_counter()
    value = 0
    while value < bar.maximum():
        value = min(bar.maximum(), value + page)
        t = time.perf_counter()
        bar.setValue(value)
        tab.view.viewport().repaint()
        app.processEvents()
        longest = max(longest, time.perf_counter() - t)
        steps += 1
    scroll_total = time.perf_counter() - t_all
    last = tab.model.index(rows - 1, 0).data()
    with db.engine.connect() as conn:
        from sqlalchemy import select

        expected = conn.execute(select(Case.register_number).where(Case.sop_code == SOP)
                                .order_by(Case.title_key.desc(), Case.id.desc())
                                .limit(1)).scalar()
        total_cases = conn.execute(select(func.count(Case.id))).scalar()
    assert last == expected, (last, expected)
    figures[f"Jeda terlama saat gulir ({steps:,} langkah, {scroll_total:.1f} s)"] = (
        longest, _bare_page(db, order_by=(Case.title_key.asc(), Case.id.asc())))
    figures["_rows"] = (float(rows), float(total_cases))
    figures["_full"] = full  # type: ignore[assignment]
    tab.close()
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(5000)
    db.dispose()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100.000 berkas")
    parser.add_argument("-n", type=int, default=None, help="jumlah berkas")
    args = parser.parse_args()
    n = args.n or (100_000 if args.quick else 1_000_000)
    url = database(n)

    app_start, bare_start = startup(url)
    figures = gui_figures(url)
    rows, total = figures.pop("_rows")
    full: dict[str, float] = figures.pop("_full")  # type: ignore[assignment]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"\n{int(total):,} berkas; tab '{SOP}' berisi {int(rows):,} berkas\n")
    print(f"{'ukuran':62} {'program':>10} {'pembanding':>11} {'rasio':>7}  target")
    def line(label: str, value: float, base: float, target: float) -> None:
        ok = "OK" if value < target else "LEWAT"
        print(f"{label:62} {value * 1000:8.0f}ms {base * 1000:9.1f}ms {value / base:6.1f}x"
              f"  < {target * 1000:.0f} ms {ok}")

    line("Mulai sampai dialog login tampil (vs. QDialog kosong)", app_start, bare_start, 1.5)
    targets = {"Halaman": 0.3, "Cari": 0.2, "Urutkan": 0.2, "Jeda": 0.05}
    for label, (value, base) in figures.items():
        target = next(v for k, v in targets.items() if label.startswith(k))
        line(label + " (vs. SQL polos)", value, base, target)
        if label in full:
            print(f"{'   … seluruh daftar id termuat':62} {full[label] * 1000:8.0f}ms")
    ok = "OK" if peak_mb < 400 else "LEWAT"
    print(f"{'Memori puncak (maxrss)':62} {peak_mb:8.0f}MB {'':>11} {'':>7}  < 400 MB {ok}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
