"""The installed program: bundle size, start to login, and the self-test, on the Linux bundle.

Run from the repository root (builds both bundles, ~4 minutes on 2 cores)::

    python benchmarks/bundle.py
    python benchmarks/bundle.py --bundle build/ci-bundle/dist/LayananTenagaKerja   # reuse one

Prints: the build time and size of the one-folder bundle from ``installer.spec`` (target
< 250 MB); the time from starting ``LayananTenagaKerja`` on a configured database to its login
dialog on screen, beside a bare PySide6 bundle's empty dialog built in the same run (target
< 1.0 s); and the wall time of ``desktop-app self-test`` inside the bundle.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gui import BARE_QT  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _pyinstaller(args: list[str], work: Path) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
                    "--distpath", str(work / "dist"), "--workpath", str(work / "work"), *args],
                   cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t


def build_app(work: Path) -> tuple[Path, float]:
    seconds = _pyinstaller([str(ROOT / "installer.spec")], work)
    return work / "dist" / "LayananTenagaKerja", seconds


def build_bare(work: Path) -> Path:
    """The smallest PySide6 program that shows a dialog, bundled the same way (one folder)."""
    script = work / "bare_dialog.py"
    script.write_text(BARE_QT)
    _pyinstaller(["--onedir", "--name", "bare_dialog", "--exclude-module", "tkinter",
                  "--specpath", str(work), str(script)], work / "bare")
    return work / "bare" / "dist" / "bare_dialog"


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_DIRS=str(home / "etc"),
               XDG_DATA_DIRS=str(home / "share"), QT_QPA_PLATFORM="offscreen",
               DESKTOP_APP_STARTUP_PROBE="exit")
    return env


def _shown_after(cmd: list[str], env: dict[str, str]) -> float:
    start = time.time()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    for line in out.stdout.splitlines():
        if line.startswith("LOGIN_SHOWN "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"no LOGIN_SHOWN:\n{out.stdout}\n{out.stderr[-2000:]}")


def configured_database(bundle: Path, home: Path) -> None:
    """A real database with its administrator, configured for this 'machine' as the
    installer would (so the start goes to the login, not to the wizard)."""
    env = _env(home)
    env.pop("DESKTOP_APP_STARTUP_PROBE")
    url = f"sqlite:///{home / 'kantor.sqlite'}"
    cli = str(bundle / "desktop-app")
    subprocess.run([cli, "admin", "configure", "--database", url], env=env, check=True,
                   capture_output=True)
    subprocess.run([cli, "admin", "create-user", "admin", "--full-name", "Administrator",
                    "--roles", "admin", "--password", "admin-kantor-1"], env=env, check=True,
                   capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, help="use this built bundle folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ltk-bench-") as tmp:
        work = Path(tmp)
        if args.bundle:
            bundle, build_s = args.bundle.resolve(), None
        else:
            print("Membangun bundel dari installer.spec…", flush=True)
            bundle, build_s = build_app(work)
        print("Membangun bundel PySide6 kosong (pembanding)…", flush=True)
        bare = build_bare(work)
        size = _size(bundle)
        print(f"\nUkuran bundel          : {size / 1e6:7.1f} MB  (target < 250 MB)")
        print(f"Ukuran bundel kosong   : {_size(bare) / 1e6:7.1f} MB  (PySide6 + Python saja)")
        if build_s is not None:
            print(f"Waktu membangun        : {build_s:7.1f} s")

        home = work / "rumah"
        configured_database(bundle, home)
        env = _env(home)
        app = [_shown_after([str(bundle / "LayananTenagaKerja")], env) for _ in range(RUNS)]
        empty = [_shown_after([str(bare / "bare_dialog")], env) for _ in range(RUNS)]
        a, e = statistics.median(app), statistics.median(empty)
        print(f"Mulai sampai login     : {a:7.3f} s median dari {RUNS} (min {min(app):.3f}; "
              "target < 1.0 s)")
        print(f"Dialog kosong PySide6  : {e:7.3f} s median (min {min(empty):.3f}); rasio "
              f"{a / e:.1f}x")

        t = time.perf_counter()
        proc = subprocess.run([str(bundle / "desktop-app"), "self-test"], env=_env(home),
                              capture_output=True, text=True)
        wall = time.perf_counter() - t
        verdict = "lulus" if proc.returncode == 0 else f"GAGAL ({proc.returncode})"
        print(f"self-test (bundel)     : {wall:7.1f} s, {verdict}")


if __name__ == "__main__":
    main()
