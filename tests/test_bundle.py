"""Build the PyInstaller bundle from installer.spec and run it (slow; opt-in).

    BUNDLE_TEST=1 pytest tests/test_bundle.py

Builds into a temporary folder (about a minute), then runs the console executable of the bundle:
``--help``, ``admin seed-demo`` (migrations, SOP files and argon2 from the bundle) and
``admin render-samples`` (WeasyPrint, templates and fonts from the bundle), and starts the
windowed executable offscreen to see that it comes up without an import error.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("BUNDLE_TEST") != "1",
                       reason="builds the PyInstaller bundle; set BUNDLE_TEST=1 to run"),
]

ROOT = Path(__file__).resolve().parents[1]
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("PyInstaller")
    base = tmp_path_factory.mktemp("bundle")
    proc = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(base / "dist"), "--workpath", str(base / "work"),
         str(ROOT / "installer.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=1800,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    folder = base / "dist" / "LayananTenagaKerja"
    assert (folder / f"desktop-app{EXE_SUFFIX}").is_file()
    assert (folder / f"LayananTenagaKerja{EXE_SUFFIX}").is_file()
    return folder


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    # Keep the bundle away from the user's real data folder and from the source checkout.
    env["HOME"] = str(tmp_path)
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["LOCALAPPDATA"] = str(tmp_path / "data")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_CONFIG_DIRS"] = str(tmp_path / "etc")
    env["XDG_DATA_DIRS"] = str(tmp_path / "share")
    env.pop("PYTHONPATH", None)
    return env


def _cli(bundle: Path, tmp_path: Path, *args: str, timeout: float = 300) -> str:
    proc = subprocess.run([str(bundle / f"desktop-app{EXE_SUFFIX}"), *args],
                          cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, f"{args}: rc={proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout


def test_bundle_layout(bundle: Path) -> None:
    internal = bundle / "_internal"
    assert (internal / "resources" / "sops" / "ak1.toml").is_file()
    assert (internal / "resources" / "fonts" / "LiberationSans-Regular.ttf").is_file()
    assert any((internal / "ui").glob("*.ui"))
    migrations = internal / "desktop_app" / "core" / "migrations"
    assert (migrations / "env.py").is_file()
    assert (migrations / "script.py.mako").is_file()
    assert any((migrations / "versions").glob("0001_*.py"))
    assert (internal / "fontconfig" / "fonts.conf").is_file()
    assert not list(bundle.rglob("__pycache__"))


def test_self_test_passes_inside_the_bundle(bundle: Path, tmp_path: Path) -> None:
    out = _cli(bundle, tmp_path, "self-test", timeout=600)
    assert "Uji mandiri LULUS" in out and "GAGAL" not in out


def test_trimmed_but_complete(bundle: Path) -> None:
    internal = bundle / "_internal"
    assert not list(internal.rglob("translations/*.qm"))
    dictionaries = {p.name for p in internal.rglob("pyphen/dictionaries/*.dic")}
    assert dictionaries == {"hyph_id_ID.dic", "hyph_en_US.dic", "hyph_en_GB.dic"}
    assert (internal / "resources" / "images" / "app_icon.svg").is_file()
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    if sys.platform.startswith("linux"):
        assert size < 250e6, f"bundle is {size / 1e6:.0f} MB"


def test_help(bundle: Path, tmp_path: Path) -> None:
    assert "admin" in _cli(bundle, tmp_path, "--help")
    assert "seed-demo" in _cli(bundle, tmp_path, "admin", "--help")


def test_seed_demo_runs_migrations_from_the_bundle(bundle: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bundle.sqlite'}"
    out = _cli(bundle, tmp_path, "--database", url, "admin", "seed-demo")
    assert "admin" in out
    assert "utuh" in _cli(bundle, tmp_path, "--database", url, "admin", "verify-audit").lower()
    # The migration scripts are read from the bundle, not compiled into it.
    assert not list(bundle.rglob("__pycache__"))


def test_render_samples_with_bundled_weasyprint(bundle: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    _cli(bundle, tmp_path, "admin", "render-samples", str(out_dir))
    pdfs = sorted(out_dir.glob("*.pdf"))
    assert pdfs, "no PDF written"
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF"), pdf
    pypdf = pytest.importorskip("pypdf")
    for pdf in pdfs[:5]:
        reader = pypdf.PdfReader(pdf)
        text = "".join(page.extract_text() or "" for page in reader.pages)
        assert len(text.strip()) > 20, f"{pdf.name}: no text (fontconfig/fonts missing?)"
        fonts = {str(font.get_object().get("/BaseFont"))
                 for page in reader.pages
                 for font in ((page.get("/Resources") or {}).get("/Font") or {}).values()}
        assert fonts and all("Liberation" in f for f in fonts), f"{pdf.name}: {fonts}"


def test_signed_samples_with_bundled_pyhanko(bundle: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "signed"
    proc = subprocess.run([str(bundle / f"desktop-app{EXE_SUFFIX}"), "admin", "render-samples",
                           "--signed", str(out_dir)],
                          cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True,
                          timeout=300)
    if proc.returncode == 2 and "belum tersedia" in proc.stderr:
        # Also what an ImportError inside the bundle looks like (admin.py swallows it), so
        # check the module imports from source before skipping.
        from desktop_app.core.demo import signing as demo_signing

        assert not hasattr(demo_signing, "sign_samples"), \
            "sign_samples exists but the bundle cannot import the demo signing module"
        pytest.skip("signing service has no sign_samples yet")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    signed = sorted(out_dir.glob("*.pdf"))
    assert signed
    for pdf in signed:
        assert b"/ByteRange" in pdf.read_bytes(), f"{pdf.name} carries no PDF signature"


def test_gui_starts(bundle: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gui.sqlite'}"
    proc = subprocess.Popen([str(bundle / f"LayananTenagaKerja{EXE_SUFFIX}"), "--database", url],
                            cwd=tmp_path, env=_env(tmp_path), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        _out, err = proc.communicate(timeout=10)
        # Exiting on its own within 10 s means it failed to start.
        pytest.fail(f"GUI exited with {proc.returncode}:\n{err}")
    except subprocess.TimeoutExpired:
        proc.kill()
        _out, err = proc.communicate()
    assert "Traceback" not in err, err
    assert "ImportError" not in err and "ModuleNotFoundError" not in err, err
